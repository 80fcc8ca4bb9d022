"""Board report journeys in real Chromium: a regional user downloads their region's PDF,
and an organisation administrator opens their own trust's report."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import AXE
from tests.browser.test_journeys import (
    given_a_signed_in,
    then_the_page_is,
    when_they_open_from_the_header,
)


def test_a_regional_user_downloads_their_regions_pdf(user_for: Any) -> None:
    # given a regional talent lead, when they open Reports from the header
    user = given_a_signed_in(user_for, "regional")
    when_they_open_from_the_header(user, "Reports")
    then_the_page_is(user, "Reports")
    # then their region is the area offered first, then each trust of the region (its own
    # report, exact figures), and the page says what the wait will be
    area = user.page.get_by_label("Area")
    options = area.locator("option")
    region = options.first.inner_text()
    assert region.endswith(" region")
    assert area.input_value() == options.first.get_attribute("value")
    trusts = options.all_inner_texts()[1:]
    assert trusts
    assert all(t.endswith("(exact figures, for the organisation's own use)") for t in trusts)
    expect(user.page.get_by_text("A PDF takes up to a minute to prepare")).to_be_visible()
    # when they ask for the PDF
    user.page.get_by_label("PDF").check()
    with user.page.expect_download(timeout=120_000) as waiting:
        user.page.get_by_role("button", name="Get the report").click()
    download = waiting.value
    # then the file is their region's board report
    assert download.suggested_filename.endswith(".pdf")
    assert download.suggested_filename.startswith("board-report-y")
    path = download.path()
    with open(path, "rb") as stream:
        assert stream.read(5) == b"%PDF-"
    text = "".join(page.extract_text() for page in PdfReader(path).pages[:2])
    assert region in text
    # and the page says the report has arrived, the button ready for another
    expect(user.page.get_by_role("status").filter(has_text="Your report is ready")).to_be_visible(
        timeout=10_000
    )
    expect(user.page.get_by_role("button", name="Get the report")).to_be_visible()
    user.check("reports after a download")


def test_an_organisation_admin_opens_their_own_trusts_report(user_for: Any) -> None:
    # given an organisation's administrator, when they open Reports
    user = given_a_signed_in(user_for, "org_admin")
    when_they_open_from_the_header(user, "Reports")
    then_the_page_is(user, "Reports")
    # then their own organisation is offered first, with its exact figures, then its region
    options = user.page.get_by_label("Area").locator("option")
    expect(options).to_have_count(2)
    own = options.first.inner_text()
    assert own.endswith("(exact figures, for your organisation's use)")
    trust = own.removesuffix(" (exact figures, for your organisation's use)")
    # when they choose it as a web page
    user.page.get_by_label("Area").select_option(index=0)
    user.page.get_by_label("Web page").check()
    with user.page.expect_navigation():
        user.page.get_by_role("button", name="Get the report").click()
    # then the report is their trust's, for its own use, and figure 6 is drawn by role
    expect(user.page.get_by_role("heading", level=1)).to_contain_text("Leadership stability")
    expect(user.page.get_by_text(trust).first).to_be_visible()
    expect(user.page.get_by_text("own use").first).to_be_visible()
    expect(user.page.locator("#roles")).to_contain_text("Chief executive")
    # The report carries no script (its policy allows none), so axe is given to the page
    # by the browser's tooling rather than by a script tag.
    user.page.evaluate(AXE.read_text(encoding="utf-8"))
    user.check("own trust report")
