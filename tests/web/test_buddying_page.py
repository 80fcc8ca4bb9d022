"""The buddying page for a regional user: who runs buddying and how, and pairings that link
only to organisations the user may open.

The test world's latest buddying run pairs London North West (R1K, London) with Barts
(R1H, London); this test adds a pairing of London North West with Bristol (RA7, South
West), outside the London user's scope.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard.db.models import BuddyPairing
from tests.web.conftest import ClientFor
from tests.web.test_links import links_of
from tests.web.world import World


def add_pairing_across_regions(session: Session) -> None:
    run_ref = session.scalar(select(BuddyPairing.run_ref).limit(1))
    session.add(
        BuddyPairing(
            run_ref=run_ref,
            challenged_ods_code="R1K",
            strong_ods_code="RA7",
            score=4,
            reasons=["same kind"],
            status="proposed",
        )
    )
    session.flush()


def test_a_regional_user_is_told_who_runs_buddying(client_for: ClientFor, world: World) -> None:
    html = client_for("regional").get("/buddying").text
    assert "Who runs buddying and how" in html
    assert "The national team runs buddying for all of England" in html
    assert "contact your national talent team" in html
    assert "Run buddying" not in html


def test_the_national_user_runs_it_and_is_not_told_to_ask(
    client_for: ClientFor, world: World
) -> None:
    html = client_for("national").get("/buddying").text
    assert "Run buddying" in html
    assert "Who runs buddying and how" not in html


def test_pairings_link_only_to_organisations_in_scope(
    client_for: ClientFor, world: World, session: Session
) -> None:
    add_pairing_across_regions(session)
    html = client_for("regional").get("/buddying").text
    table = html[html.index("<table") : html.index("</table>")]
    linked = {
        h.split("/")[2]
        for h in links_of("http://testserver/buddying", table)
        if "/organisations/" in h
    }
    assert linked == {"R1H", "R1K"}
    assert re.search(r"Bristol NHS Foundation Trust", table)
    national = client_for("national").get("/buddying").text
    assert 'href="/organisations/RA7"' in national
