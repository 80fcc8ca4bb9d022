"""The Forecast journey in real Chromium: open the forecast, run a scenario beside it."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.browser.test_journeys import (
    given_a_signed_in,
    then_the_page_is,
    when_they_open_from_the_header,
)


def test_open_the_forecast_and_run_a_scenario(user_for: Any) -> None:
    # given a regional talent lead, when they open Forecast from the header
    user = given_a_signed_in(user_for, "regional")
    when_they_open_from_the_header(user, "Forecast")
    # then they see the outlook of their region, both fan charts drawn
    then_the_page_is(user, "Forecast")
    charts = user.page.locator("[data-vega-lite]")
    expect(charts.first).to_have_attribute("data-rendered", "true")
    assert charts.count() == 2
    expect(user.page.get_by_role("table").first).to_contain_text("Executive vacancy rate")
    # when they ask what a fifth more leavers and faster appointments would do
    user.page.get_by_label("Turnover multiplier").fill("1.2")
    user.page.get_by_label("Time-to-fill multiplier").fill("0.75")
    user.page.get_by_role("button", name="Run the scenario").click()
    # then the scenario is shown beside the baseline, each chart drawn
    expect(user.page.get_by_role("columnheader", name="Scenario: mean")).to_be_visible()
    expect(user.page.locator("[data-vega-lite]")).to_have_count(4)
    expect(user.page.locator("[data-vega-lite]").last).to_have_attribute("data-rendered", "true")
    expect(user.page.get_by_label("Turnover multiplier")).to_have_value("1.2")
    user.check("forecast with a scenario")
    # and a mistake in the form is named in the error summary
    user.page.get_by_label("Turnover multiplier").fill("lots")
    user.page.get_by_role("button", name="Run the scenario").click()
    expect(user.page.locator(".nhsuk-error-summary")).to_contain_text(
        "Turnover multiplier must be a number"
    )
    user.check("forecast scenario refused")
