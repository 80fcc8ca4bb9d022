"""The lists with filters: opportunities by title, kind, host region and status, and the
count each list states.

The world has one opportunity, OPP-1 "Board shadowing at Barts Health": board shadowing,
hosted by R1H (London, Y56), open.
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from talentboard.db.models import Opportunity
from tests.web.conftest import ClientFor

SHOWN = "Board shadowing at Barts Health"


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("", True),
        ("?q=SHADOW", True),
        ("?q=secondment", False),
        ("?kind=board_shadowing", True),
        ("?kind=secondment", False),
        ("?region=Y56", True),
        ("?region=Y58", False),
        ("?status=closed", False),
        ("?status=", True),
        ("?q=barts&kind=board_shadowing&region=Y56&status=open", True),
    ],
)
def test_opportunities_are_filtered(client_for: ClientFor, query: str, shown: bool) -> None:
    page = client_for("org_admin").get("/opportunities" + query)
    assert page.status_code == 200
    assert (SHOWN in page.text) is shown
    expected = "1 opportunity found" if shown else "0 opportunities found"
    assert expected in page.text


def test_the_chosen_filters_stay_chosen(client_for: ClientFor) -> None:
    page = client_for("org_admin").get("/opportunities?kind=board_shadowing&region=Y56").text
    assert '<option value="board_shadowing" selected>' in page
    assert '<option value="Y56" selected>' in page


def test_a_count_of_one_is_singular(client_for: ClientFor) -> None:
    """R1H's administrator sees one organisation, their own."""
    one = client_for("org_admin").get("/organisations").text
    assert "1 organisation found." in one
    assert "organisations found" not in one


def test_opportunities_start_in_the_callers_region(client_for: ClientFor, session: Session) -> None:
    """A secondment hosted by RA7 (South West) joins OPP-1 (London): London's regional
    user sees London's first and says so; "Any region" (an empty region) shows both; a
    national user sees both from the start."""
    session.add(
        Opportunity(
            opportunity_id="OPP-2",
            kind="secondment",
            host_ods_code="RA7",
            title="Secondment at Bristol",
            develops=["governance"],
            levels=["board"],
            capacity=1,
            status="open",
        )
    )
    session.flush()
    regional = client_for("regional")
    first = regional.get("/opportunities").text
    assert (SHOWN in first, "Secondment at Bristol" in first) == (True, False)
    assert "1 opportunity found in London, your region" in first
    assert '<option value="Y56" selected>' in first
    widened = regional.get("/opportunities?region=").text
    assert (SHOWN in widened, "Secondment at Bristol" in widened) == (True, True)
    assert "2 opportunities found." in widened
    national = client_for("national").get("/opportunities").text
    assert "2 opportunities found." in national
