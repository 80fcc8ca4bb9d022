"""What the pages keep between requests, and when they let it go.

The organisation page keeps its personal section (board, history, succession, buddying)
and the dashboard its charts, rendered, while the data stamp is unchanged. A change made
outside the web application (an import, a command) changes the stamp, and the next page
shows it; a change made through the application clears the cache at once.
"""

from __future__ import annotations

import gc

from fastapi import FastAPI
from sqlalchemy.orm import Session

from talentboard.db.models import AuditEvent, Setting
from talentboard.matching.store import decide_pairing
from talentboard.web.cache import AnalysisCache
from talentboard.web.settings import WebSettings
from tests.web.conftest import ClientFor
from tests.web.world import World


def _no_stamp_delay(app: FastAPI) -> None:
    # The stamp is otherwise re-read at most every two seconds.
    app.state.analysis_cache.stamp_seconds = 0.0


def test_a_change_outside_the_app_shows_on_the_organisation_page(
    app: FastAPI, client_for: ClientFor, session: Session, world: World
) -> None:
    """Alice Adams is R1H's chief executive; renamed by an import (which raises the
    record's version), the next page shows her new name, never the kept one."""
    _no_stamp_delay(app)
    session.add(Setting(key="demo_as_at", value="2026-09-30"))
    session.flush()
    client = client_for("org_admin")
    assert "Alice Adams" in client.get("/organisations/R1H").text
    alice = world.people["P-ALICE"]
    alice.family_name = "Atkinson"
    alice.version += 1
    session.flush()
    page = client.get("/organisations/R1H").text
    assert "Alice Atkinson" in page
    assert "Alice Adams" not in page


def test_a_buddy_decision_outside_the_app_shows_on_the_organisation_page(
    app: FastAPI, client_for: ClientFor, session: Session, world: World
) -> None:
    """R1H is the strong side of a proposed pairing with R1K; declined from the command
    line, the pairing leaves R1H's page ("No buddy pairing is proposed or agreed")."""
    _no_stamp_delay(app)
    client = client_for("org_admin")
    assert "No buddy pairing is proposed or agreed" not in client.get("/organisations/R1H").text
    decide_pairing(session, world.pairings["R1K"].id, "decline", decided_by="cli")
    page = client.get("/organisations/R1H").text
    assert "No buddy pairing is proposed or agreed" in page


def test_every_read_of_a_kept_page_is_audited(client_for: ClientFor, session: Session) -> None:
    """Three reads of R1H's board, two of them served from what the page kept: three
    audit events, each naming the board members seen (Alice; Erin is not on the board)."""
    session.add(Setting(key="demo_as_at", value="2026-09-30"))
    session.flush()
    client = client_for("org_admin")
    for _ in range(3):
        assert client.get("/organisations/R1H").status_code == 200
    events = (
        session.query(AuditEvent)
        .filter_by(entity="organisation_board", entity_key="R1H", action="read")
        .all()
    )
    assert len(events) == 3
    assert all(e.detail == {"people": ["P-ALICE"]} for e in events)


def test_a_served_cache_leaves_what_it_keeps_out_of_collections() -> None:
    """A computed entry is frozen out of full garbage collections (and only when asked)."""
    gc.unfreeze()
    AnalysisCache().get("key", (1,), lambda: {"a": [1, 2, 3]})
    assert gc.get_freeze_count() == 0
    try:
        AnalysisCache(freeze=True).get("key", (1,), lambda: {"a": [1, 2, 3]})
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_connection_pool_is_sized_for_the_requests_served_at_once() -> None:
    assert WebSettings(database_url="postgresql://db/talentboard").engine_options() == {
        "pool_size": 20,
        "max_overflow": 20,
    }
    # An in-memory SQLite database is one connection per thread, with no pool to size.
    assert WebSettings(database_url="sqlite://").engine_options() == {}
