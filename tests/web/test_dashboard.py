"""The dashboard: exact figures inside the caller's scope, disclosure control for viewers.

The world's executive board posts on 30 September 2026: R1H chief executive (Alice,
substantive), R1H director of finance (nobody), R1K chief executive (Bob, substantive),
RA7 chief executive (Carol, substantive), RA7 medical director (Dan, interim). So in
England 2 of 5 posts have no substantive holder: 40.0%; in London (R1H, R1K) 1 of 3:
33.3%; at Barts alone 1 of 2: 50.0%. A viewer sees counts of 1 to 7 withheld, so the
vacancy rate (2 of 5) is withheld too.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from talentboard.db.models import Setting
from tests.web.conftest import ClientFor


def card(html: str, label: str) -> str:
    """The value shown on the headline card called ``label``."""
    match = re.search(
        rf">{re.escape(label)}</h3>\s*<p class=\"app-figure__value\">([^<]+)</p>", html
    )
    assert match, f"no card {label!r}"
    return match.group(1)


def test_each_scope_sees_its_own_exact_figures(client_for: ClientFor, session: Session) -> None:
    session.add(Setting(key="demo_as_at", value="2026-09-30"))
    session.flush()
    expected = {"national": "40.0%", "regional": "33.3%", "org_admin": "50.0%"}
    for role, rate in expected.items():
        page = client_for(role).get("/").text
        assert card(page, "Executive vacancy rate") == rate, role
    viewer = client_for("viewer").get("/").text
    assert card(viewer, "Executive vacancy rate") == "Withheld"
    assert "small counts withheld" in viewer
    # Every monthly count is small too, so every month is withheld and no trend chart has
    # the 12 published months its process limits need: each figure is listed as not shown.
    assert "data-vega-lite=" not in viewer
    assert "Not shown, because some of their monthly counts are too small" in viewer
    assert "40.0%" not in viewer


def test_the_charts_carry_the_report_specs(client_for: ClientFor, session: Session) -> None:
    session.add(Setting(key="demo_as_at", value="2026-09-30"))
    session.flush()
    page = client_for("national").get("/").text
    assert page.count("data-vega-lite=") == 4
    assert "Show the figures as a table" in page
    assert "Statistical process control chart of vacancy rate by month" in page


def test_an_organisation_page_shows_its_figures(client_for: ClientFor, session: Session) -> None:
    """Barts' two executive posts, one vacant: 50.0% for its administrator, withheld for a
    viewer (counts of 1 and 2)."""
    session.add(Setting(key="demo_as_at", value="2026-09-30"))
    session.flush()
    staff = client_for("org_admin").get("/organisations/R1H").text
    assert "<strong>50.0%</strong>" in staff
    viewer = client_for("viewer").get("/organisations/R1H").text
    assert "Withheld: the count behind this figure is too small to publish." in viewer
    assert "Withheld. Withheld" not in viewer
    assert "<strong>Withheld</strong>" not in viewer
    assert "50.0%" not in viewer
    assert "Alice" not in viewer, "no personal data for a viewer"


def test_a_tenure_card_gives_its_unit(client_for: ClientFor, session: Session) -> None:
    """Substantive executive spells covering 30 September 2026 in England, time served so
    far: Bob 7.33 years (since 1 June 2019), Alice 6.75 (2,464 days since 1 January 2020),
    Carol 5.50 (1 April 2021); Dan is interim, so not a spell. The median is Alice's:
    6.7 years, with its unit on the card."""
    session.add(Setting(key="demo_as_at", value="2026-09-30"))
    session.flush()
    page = client_for("national").get("/").text
    assert card(page, "Time in post of current holders (snapshot)") == "6.7 years"
