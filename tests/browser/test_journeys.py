"""The main journeys, in real Chromium, written as given / when / then."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, User

# Steps ------------------------------------------------------------------------------


def given_a_signed_in(user_for: Any, role: str) -> User:
    user = user_for(role)
    user.visit("/sign-in")
    user.page.get_by_label("Username").fill(f"{role}-user")
    user.page.get_by_label("Password", exact=True).fill(PASSWORD)
    user.page.get_by_role("button", name="Sign in").click()
    expect(user.page.get_by_role("button", name="Sign out")).to_be_visible()
    return user


def when_they_open_from_the_header(user: User, section: str) -> None:
    """Follow a header link. A narrow header folds later sections under "More", and
    whether it has yet depends on when its script ran, so the link is followed in the page
    rather than by a pointer that needs it on screen."""
    links = user.page.locator(".nhsuk-header__navigation a.nhsuk-header__navigation-link")
    link = links.filter(has_text=section)
    expect(link).to_have_count(1)
    with user.page.expect_navigation():
        link.evaluate("link => link.click()")


def then_the_page_is(user: User, heading: str) -> None:
    expect(user.page.get_by_role("heading", level=1)).to_have_text(heading)
    user.check(heading)


# Journeys ---------------------------------------------------------------------------


def test_sign_in_and_read_the_dashboard(user_for: Any) -> None:
    # given a national analyst, when they sign in
    user = given_a_signed_in(user_for, "national")
    # then they see the dashboard with headline figures
    then_the_page_is(user, "Dashboard")
    expect(user.page.get_by_text("Executive vacancy rate").first).to_be_visible()
    # and each SPC chart is drawn, with its figures available as a table
    charts = user.page.locator("[data-vega-lite]")
    expect(charts.first).to_have_attribute("data-rendered", "true")
    assert charts.count() == 4
    assert user.page.locator("[data-vega-lite][data-rendered='true'] svg").count() == 4
    user.page.get_by_text("Show the figures as a table").first.click()
    expect(user.page.locator("table").first).to_be_visible()
    user.check("dashboard with a table open")
    # when they sign out, then they are back at the sign-in page
    user.page.get_by_role("button", name="Sign out").click()
    then_the_page_is(user, "Sign in")


def test_a_wrong_password_shows_the_error_summary(user_for: Any) -> None:
    user = user_for("viewer")
    user.visit("/sign-in")
    user.page.get_by_label("Username").fill("viewer-user")
    user.page.get_by_label("Password", exact=True).fill("not the password")
    user.page.get_by_role("button", name="Sign in").click()
    expect(user.page.locator(".nhsuk-error-summary")).to_contain_text(
        "Enter a correct username and password"
    )
    user.check("sign in refused")


def test_import_a_file_with_errors_then_fix_it(user_for: Any, tmp_path: Path) -> None:
    header = (
        "person_id,given_name,family_name,ethnic_category,sex,disability,"
        "professional_background,birth_year\n"
    )
    broken = tmp_path / "new-people.csv"
    broken.write_text(header + "P-B1,Ada,Lovelace,X,female,no,finance,1815\n")
    fixed = tmp_path / "new-people-fixed.csv"
    fixed.write_text(header + "P-B1,Ada,Lovelace,A,female,no,finance,1965\n")
    # given a national analyst on the data page
    user = given_a_signed_in(user_for, "national")
    user.visit("/data")
    # when they upload a file with errors
    user.page.get_by_label("People", exact=True).check()
    user.page.get_by_label("Upload a file").set_input_files(str(broken))
    user.page.get_by_role("button", name="Check the file").click()
    # then every error is listed in the error summary and nothing is saved
    summary = user.page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Row 2, column ethnic_category")
    expect(summary).to_contain_text("Row 2, column birth_year")
    user.check("import refused")
    # when they upload the corrected file and confirm
    user.page.get_by_role("button", name="Upload a corrected file").click()
    user.page.get_by_label("People", exact=True).check()
    user.page.get_by_label("Upload a file").set_input_files(str(fixed))
    user.page.get_by_role("button", name="Check the file").click()
    then_the_page_is(user, "Check and confirm the import of new-people-fixed.csv")
    user.page.get_by_role("button", name="Confirm and import").click()
    # then the import is done and the person exists
    expect(user.page.locator(".nhsuk-panel")).to_contain_text("new-people-fixed.csv imported")
    user.check("import done")
    user.visit("/people/P-B1")
    expect(user.page.get_by_role("heading", level=1)).to_have_text("Ada Lovelace")


def test_add_a_succession_entry(user_for: Any) -> None:
    # given an organisation administrator on one of their succession plans
    user = given_a_signed_in(user_for, "org_admin")
    user.visit("/succession")
    user.page.locator("table").last.get_by_role("link").first.click()
    plan_heading = user.page.get_by_role("heading", level=1).inner_text()
    assert plan_heading.startswith("Succession plan")
    user.check("succession plan")
    plan_url = user.page.url
    # and a person of their organisation who is not on the plan yet
    ods = user.site.org_admin_ods
    user.visit(f"/organisations/{ods}")
    board = user.page.locator("table", has_text="Board posts and who holds them")
    names = board.locator("a[href^='/people/']")
    person_id = names.last.get_attribute("href").rsplit("/", 1)[-1]
    # when they add that person as a successor, ready in one to two years
    user.page.goto(plan_url)
    user.page.get_by_role("button", name="Add a successor").click()
    user.page.get_by_label("Person ID of the successor").fill(person_id)
    user.page.get_by_label("Ready in 1 to 2 years").check()
    user.page.locator("fieldset", has_text="Emergency cover").get_by_label("No").check()
    user.page.get_by_role("textbox", name="Day").fill("30")
    user.page.get_by_role("textbox", name="Month").fill("9")
    user.page.get_by_role("textbox", name="Year").fill("2026")
    user.check("successor form")
    user.page.get_by_role("button", name="Save").click()
    # then the plan lists them
    expect(user.page.locator("table")).to_contain_text("Ready in 1 to 2 years")
    expect(user.page.locator(f"a[href='/people/{person_id}']")).to_be_visible()
    user.check("successor added")


def test_a_form_with_mistakes_shows_nhs_error_messages(user_for: Any) -> None:
    user = given_a_signed_in(user_for, "national")
    user.visit("/opportunities/new")
    user.page.get_by_role("button", name="Save").click()
    summary = user.page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter opportunity ID")
    expect(summary).to_contain_text("Select kind")
    expect(user.page.locator("#title-error")).to_contain_text("Enter title")
    user.check("opportunity form errors")


def test_run_matching_and_accept_a_proposal(user_for: Any) -> None:
    # given a regional talent lead on the matching page
    user = given_a_signed_in(user_for, "regional")
    user.visit("/matching")
    # when they run matching
    user.page.get_by_role("button", name="Run matching").click()
    # then proposals are listed with their reasons
    expect(user.page.locator(".app-flash")).to_contain_text("Matching proposed")
    proposals = user.page.locator("table").first
    expect(proposals).to_contain_text("Proposed")
    user.check("proposals")
    # when they accept the first proposal
    row = proposals.locator("tbody tr", has=user.page.get_by_role("button", name="Accept")).first
    person = row.locator("td").first.inner_text()
    row.get_by_role("button", name="Accept").click()
    # then it is recorded as accepted
    expect(user.page.locator(".app-flash")).to_contain_text(f"Proposal for {person}")
    expect(user.page.locator(".app-flash")).to_contain_text("accepted")
    user.check("proposal accepted")


def test_pages_of_every_role_are_accessible(user_for: Any) -> None:
    for role, paths in (
        ("national", ["/organisations", "/talent", "/succession?region=Y60", "/opportunities",
                      "/buddying", "/reports", "/admin", "/admin/audit", "/account"]),
        ("viewer", ["/", "/organisations"]),
        ("individual", ["/"]),
    ):  # fmt: skip
        user = given_a_signed_in(user_for, role)
        for path in paths:
            user.visit(path)
    individual = given_a_signed_in(user_for, "individual")
    individual.page.get_by_role("link", name="Change your aspirations").click()
    then_the_page_is(individual, "Your aspirations")


def test_the_api_documentation_page_lists_the_openapi_description(user_for: Any) -> None:
    """The footer leads to the API documentation; it passes axe and the CSP (``check``)."""
    user = given_a_signed_in(user_for, "national")
    user.page.get_by_role("link", name="API documentation").click()
    then_the_page_is(user, "API documentation")
    expect(user.page.get_by_role("heading", name="GET /api/stats")).to_be_visible()
    user.check("/api/docs")


def test_read_how_stability_goes_with_outcomes(user_for: Any) -> None:
    # given a regional talent lead over the region-scale demo (which loads the shipped
    # staff survey and sickness absence figures), when they open Outcomes
    user = given_a_signed_in(user_for, "regional")
    when_they_open_from_the_header(user, "Outcomes")
    then_the_page_is(user, "Outcomes")
    # then they are told the people are synthetic, and see the fit drawn and in words
    expect(user.page.get_by_text("synthetic demo workforce")).to_be_visible()
    chart = user.page.locator("#outcome-fit [data-vega-lite]")
    expect(chart).to_have_attribute("data-rendered", "true")
    assert chart.locator("svg").count() == 1
    expect(user.page.locator("#association")).to_contain_text("After adjusting for")
    # when they choose another indicator
    user.page.get_by_label("Indicator").select_option("sickness_absence_rate")
    user.page.get_by_label("Leadership exposure").select_option("exec_vacancy_share")
    user.page.get_by_role("button", name="Show").click()
    # then the page is about that pair
    expect(
        user.page.get_by_role(
            "heading", level=2, name="Sickness absence rate against executive posts vacant"
        )
    ).to_be_visible()
    user.check("outcomes for sickness absence")
    # when they open an acute trust's page, then its indicators sit beside its peers', with
    # the national strip plot drawn
    user.visit("/organisations/RBK")
    expect(user.page.get_by_role("heading", name="Outcomes against peers")).to_be_visible()
    expect(user.page.get_by_text("Indicators against acute organisations")).to_be_visible()
    strip = user.page.locator("#peer-strip [data-vega-lite]")
    expect(strip).to_have_attribute("data-rendered", "true")
    user.check("organisation against its peers")
