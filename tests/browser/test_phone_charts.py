"""Charts read on a phone: at 390 and 320 CSS px wide, every text of every chart on the
dashboard, the forecast, the outcomes page and an organisation's page is drawn at least
12 CSS px high (the size on screen: the font size times any scaling of the drawing)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, Site, User

MIN_PX = 12
# Each visible text of the drawn charts: its words and its size on screen in CSS px.
TEXT_SIZES = """
() => Array.from(document.querySelectorAll('.app-chart svg text'))
  .filter((t) => t.textContent.trim() && t.getBBox().width > 0
    && getComputedStyle(t).visibility !== 'hidden' && getComputedStyle(t).opacity !== '0')
  .map((t) => {
    const m = t.getScreenCTM();
    return [t.textContent, parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b)];
  })
"""

# The outermost elements reaching past the right edge of the screen: what widens a page.
WIDER_THAN_THE_SCREEN = """
() => Array.from(document.querySelectorAll('body *'))
  .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter((e) => !(e.parentElement && e.parentElement.getBoundingClientRect().right
    > document.documentElement.clientWidth + 1))
  .slice(0, 5)
  .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`
    + ` (right edge ${Math.round(e.getBoundingClientRect().right)} px)`)
"""


def given_a_phone(user_for: Any, role: str, width: int) -> User:
    user: User = user_for(role, width)
    user.page.goto(user.site.url + "/sign-in")
    user.page.get_by_label("Username").fill(f"{role}-user")
    user.page.get_by_label("Password", exact=True).fill(PASSWORD)
    user.page.get_by_role("button", name="Sign in").click()
    expect(user.page.get_by_role("button", name="Sign out")).to_be_visible()
    return user


def then_every_chart_text_is_readable(user: User, label: str, charts: int) -> None:
    drawn = user.page.locator("[data-vega-lite]")
    expect(drawn).to_have_count(charts)
    for index in range(charts):
        expect(drawn.nth(index)).to_have_attribute("data-rendered", "true")
    sizes: list[list[Any]] = user.page.evaluate(TEXT_SIZES)
    assert sizes, f"no chart text on {label}"
    small = sorted({(round(px, 1), text) for text, px in sizes if px < MIN_PX})
    assert not small, f"chart text below {MIN_PX} px on {label}: {small[:10]}"
    user.check(label)


@pytest.mark.parametrize("width", [390, 320])
def test_the_dashboards_charts_are_readable_on_a_phone(
    user_for: Any, site: Site, width: int
) -> None:
    # given a national analyst on a phone, when they open the dashboard
    user = given_a_phone(user_for, "national", width)
    user.page.goto(site.url + "/")
    # then the four SPC charts are drawn with text they can read, and nothing scrolls
    then_every_chart_text_is_readable(user, f"dashboard at {width} px", 4)
    wide = user.page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"the page is {wide} px wide on a {width} px screen"


@pytest.mark.parametrize("width", [390, 320])
def test_the_other_pages_charts_are_readable_on_a_phone(
    user_for: Any, site: Site, width: int
) -> None:
    # given an organisation administrator on a phone, when they open their organisation
    admin = given_a_phone(user_for, "org_admin", width)
    admin.page.goto(f"{site.url}/organisations/{site.org_admin_ods}")
    # then its chart beside its peers is readable
    then_every_chart_text_is_readable(admin, f"organisation at {width} px", 1)
    # given a regional talent lead, when they open the outcomes and the forecast
    regional = given_a_phone(user_for, "regional", width)
    regional.page.goto(site.url + "/outcomes")
    then_every_chart_text_is_readable(regional, f"outcomes at {width} px", 1)
    regional.page.goto(site.url + "/forecast")
    then_every_chart_text_is_readable(regional, f"forecast at {width} px", 2)


@pytest.mark.parametrize("width", [1280, 1024, 768])
def test_no_page_with_charts_is_wider_than_a_desktop_or_tablet_screen(
    user_for: Any, site: Site, width: int
) -> None:
    """Wide tables scroll inside their own region; the page itself never scrolls sideways
    (the dashboard's table by region once made it 1408 px wide at 1280 px)."""
    user = given_a_phone(user_for, "national", width)
    pages = (
        "/",
        "/organisations",
        "/outcomes",
        "/forecast",
        f"/organisations/{site.org_admin_ods}",
    )
    for path in pages:
        user.page.goto(site.url + path)
        drawn = user.page.locator("[data-vega-lite]")
        for index in range(drawn.count()):
            expect(drawn.nth(index)).to_have_attribute("data-rendered", "true")
        wide = user.page.evaluate("document.documentElement.scrollWidth")
        offenders = user.page.evaluate(WIDER_THAN_THE_SCREEN)
        assert wide <= width, f"{path} is {wide} px wide on a {width} px screen: {offenders}"
