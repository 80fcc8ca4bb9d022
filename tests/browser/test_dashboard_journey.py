"""Finding a hotspot on the dashboard in real Chromium: choose the date, read the figures
by region, follow a region to its own dashboard."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.browser.test_journeys import given_a_signed_in, then_the_page_is


def test_choose_a_date_and_follow_a_region(user_for: Any) -> None:
    # given a national analyst on the dashboard
    user = given_a_signed_in(user_for, "national")
    then_the_page_is(user, "Dashboard")
    # when they ask for figures at a date in the future
    form = user.page.locator("form#main-form")
    form.get_by_label("Day", exact=True).fill("1")
    form.get_by_label("Month", exact=True).fill("1")
    form.get_by_label("Year", exact=True).fill("2099")
    user.page.get_by_role("button", name="Show figures").click()
    # then the error summary says what is wrong and links to the date
    summary = user.page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Date the figures are as at must be today or in the past")
    expect(summary.get_by_role("link")).to_have_attribute("href", "#at-day")
    user.check("dashboard with a date in the future")
    # when they choose the last day of March 2026
    form.get_by_label("Year", exact=True).fill("2026")
    form.get_by_label("Month", exact=True).fill("3")
    form.get_by_label("Day", exact=True).fill("31")
    user.page.get_by_role("button", name="Show figures").click()
    # then the figures and the breakdown by region are as at that date
    expect(user.page.locator(".nhsuk-body-l")).to_contain_text("as at 31 March 2026")
    table = user.page.get_by_role("table", name="Board stability by region")
    expect(table).to_be_visible()
    user.check("dashboard as at 31 March 2026")
    # when they sort by interim cover, highest first, and open the first region
    table.get_by_role("link", name="Interim cover").click()
    first = user.page.get_by_role("table", name="Board stability by region").locator("tbody tr a")
    name = first.first.inner_text()
    first.first.click()
    # then they see that region's dashboard at the same date
    expect(user.page.locator(".nhsuk-body-l")).to_have_text(
        f"Organisations in the {name} region, as at 31 March 2026."
    )
    user.check("a region's dashboard")
