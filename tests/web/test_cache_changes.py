"""What the pages keep is invalidated by what changed, and every page shows an edit at once.

The world (``tests.web.world``) as at 30 September 2026 has five executive board posts:
R1H chief executive (Alice, substantive since 2020), R1H director of finance (nobody), R1K
chief executive (Bob), RA7 chief executive (Carol) and RA7 medical director (Dan,
interim). Two of the five have no substantive holder: a vacancy rate of 40.0% in England,
50.0% at Barts (R1H). Alice leaving on 30 June 2026 leaves three of five (60.0%) and both
of Barts' posts (100.0%) vacant.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session
from starlette.requests import Request

from talentboard.frames.register import load_register
from talentboard.ingest.kinds import get_kind
from talentboard.ingest.service import import_file
from talentboard.stability.board import figures_frame
from talentboard.stability.calendar import month_ends
from talentboard.stability.groups import prepare_board
from talentboard.web import analysis
from talentboard.web.cache import AnalysisCache
from tests.web.conftest import ClientFor
from tests.web.records import post
from tests.web.test_dashboard import card
from tests.web.world import World

LEFT = dt.date(2026, 6, 30)


def _text(html: str) -> str:
    """A page's main content as the words a reader sees, one space between them."""
    main = html.split("<main", 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def _board(html: str) -> str:
    """The "Board today" table of an organisation page."""
    return html.split("Board today", 1)[1].split("</table>", 1)[0]


def _kept(app: FastAPI, session: Session) -> Any:
    """The register the application keeps, as its pages would ask for it."""
    return analysis.kept_register(cast(Request, SimpleNamespace(app=app)), session)


def _alice_leaves_through_the_form(client_for: ClientFor, world: World) -> None:
    appointment = world.appointments["P-ALICE"]
    saved = post(
        client_for("org_admin"),
        f"/people/P-ALICE/appointments/{appointment.id}/edit",
        {
            "post_id": "R1H-CEO",
            "appointment_type": "substantive",
            "start_date": dt.date(2020, 1, 1),
            "end_date": LEFT,
            "end_reason": "retired",
            "version": str(appointment.version),
        },
    )
    assert saved.status_code == 303, saved.text


def test_an_appointment_edited_through_its_form_shows_on_every_page_at_once(
    app: FastAPI, client_for: ClientFor, session: Session, world: World, as_at: None
) -> None:
    """Alice's leaving, saved through the form, shows on the next pages, with no wait for
    the stamp (read at most every 2 seconds): Barts' board, the dashboards' vacancy rates
    and London's succession, where Barts' chief executive post is now vacant too."""
    national, barts = client_for("national"), client_for("org_admin")
    assert card(national.get("/").text, "Executive vacancy rate") == "40.0%"
    assert card(barts.get("/").text, "Executive vacancy rate") == "50.0%"
    organisation = barts.get("/organisations/R1H").text
    assert "<strong>50.0%</strong>" in organisation
    assert "Alice Adams" in _board(organisation)
    london = client_for("regional")
    assert "Region London Critical posts 3 Covered 1 Coverage 33% Vacant or interim 1" in _text(
        london.get("/succession").text
    )
    _kept(app, session)

    _alice_leaves_through_the_form(client_for, world)

    assert card(national.get("/").text, "Executive vacancy rate") == "60.0%"
    assert card(barts.get("/").text, "Executive vacancy rate") == "100.0%"
    organisation = barts.get("/organisations/R1H").text
    assert "<strong>100.0%</strong>" in organisation
    assert "Alice Adams" not in _board(organisation)
    succession = _text(london.get("/succession").text)
    assert "Region London Critical posts 3 Covered 1 Coverage 33% Vacant or interim 2" in succession
    # The register was patched with the one appointment, not read whole, and holds what a
    # fresh read of the database holds.
    kept = _kept(app, session)
    assert kept.rows_read == 1
    fresh = load_register(session)
    for table in ("organisations", "ratings", "posts", "people", "appointments"):
        assert getattr(kept.frames, table).equals(getattr(fresh, table)), table


def test_a_talent_edit_keeps_the_register_and_the_dashboard(
    app: FastAPI, client_for: ClientFor, session: Session, world: World, as_at: None
) -> None:
    """A career conversation recorded for Alice changes no register table: the register
    frames the pages keep are the very same object afterwards, as is the dashboard."""
    national = client_for("national")
    national.get("/")
    register = _kept(app, session).frames
    request = cast(Request, SimpleNamespace(app=app))
    view = analysis.dashboard(
        request, session, analysis.AnalysisScope(), dt.date(2026, 9, 30), exact=True
    )
    added = post(
        client_for("org_admin"),
        "/people/P-ALICE/conversations/new",
        {"held_on": dt.date(2026, 9, 1), "growth_wanted": "stretch"},
    )
    assert added.status_code == 303, added.text
    assert "Alice Adams" in client_for("org_admin").get("/people/P-ALICE").text
    assert _kept(app, session).frames is register
    again = analysis.dashboard(
        request, session, analysis.AnalysisScope(), dt.date(2026, 9, 30), exact=True
    )
    assert again is view


def _import_appointment(session: Session, tmp_path: Path, values: dict[str, str]) -> None:
    header = get_kind("appointments").canonical
    path = tmp_path / "appointments.csv"
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerow(values.get(name, "") for name in header)
    result = import_file(session, "appointments", path)
    assert not getattr(result, "errors", None), result


def test_an_import_outside_the_app_shows_once_the_stamp_is_read_again(
    app: FastAPI,
    client_for: ClientFor,
    session: Session,
    world: World,
    as_at: None,
    tmp_path: Path,
) -> None:
    """Alice's leaving, loaded by an import on the same database (as ``talentboard
    import`` does), shows on the pages as soon as the stamp is read again."""
    app.state.analysis_cache.stamp_seconds = 0.0
    national, barts = client_for("national"), client_for("org_admin")
    assert card(national.get("/").text, "Executive vacancy rate") == "40.0%"
    assert "Alice Adams" in barts.get("/organisations/R1H").text
    _import_appointment(
        session,
        tmp_path,
        {
            "person_id": "P-ALICE",
            "post_id": "R1H-CEO",
            "start_date": "2020-01-01",
            "end_date": LEFT.isoformat(),
            "appointment_type": "substantive",
            "end_reason": "retired",
        },
    )
    assert card(national.get("/").text, "Executive vacancy rate") == "60.0%"
    organisation = barts.get("/organisations/R1H").text
    assert "<strong>100.0%</strong>" in organisation
    assert "Alice Adams" not in _board(organisation)
    fresh = load_register(session)
    assert _kept(app, session).frames.appointments.equals(fresh.appointments)


def test_figures_are_computed_again_only_for_the_months_an_edit_reaches(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Of the 24 month ends from October 2024 to September 2026, Alice's leaving on 30 June
    2026 reaches June to September: 4 are computed again, 20 kept, and every one equals
    the figures computed afresh."""
    computed: list[dt.date] = []

    def counting(board: Any, day: dt.date) -> Any:
        computed.append(day)
        return figures_frame(board, day)

    monkeypatch.setattr(analysis, "figures_frame", counting)
    cache = AnalysisCache()
    days = month_ends(dt.date(2026, 9, 30), 24)
    analysis.kept_figures(cache, prepare_board(load_register(session)), days)
    assert len(computed) == 24
    computed.clear()
    world.appointments["P-ALICE"].end_date = LEFT
    world.appointments["P-ALICE"].end_reason = "retired"
    session.flush()
    board = prepare_board(load_register(session))
    kept = analysis.kept_figures(cache, board, days)
    assert computed == days[-4:]
    for day, figures in zip(days, kept, strict=True):
        assert figures.equals(figures_frame(board, day)), day
