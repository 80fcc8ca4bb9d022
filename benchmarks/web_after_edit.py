"""The first national dashboard after an edit to one trust: everything recomputed vs kept.

On a copy of the national demo (SQLite; make it with ``talentboard init`` and ``talentboard
demo --scale national --seed 1``), the national dashboard is computed and its charts
rendered as the dashboard page does, then one trust's chief executive is recorded as
leaving (an edit to one appointment, saved as the appointment form saves it) and the
dashboard is asked for again, timed:

- everything recomputed: the cache cleared, as the application did after every edit;
- what changed: the change noted as the application notes it, the register patched with
  the one appointment and the figures of the months it does not reach kept.

Each is repeated ``--repeat`` times (the edit alternates between two end dates), medians
reported, in the ``web_after_edit`` section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import select, update
from starlette.requests import Request

from _results import cpu_model, write_section
from talentboard.db import make_engine, session_factory
from talentboard.db.models import Appointment, Post
from talentboard.web.analysis import dashboard, kept_register, shown_date
from talentboard.web.cache import AnalysisCache, Changes
from talentboard.web.permissions import AnalysisScope
from talentboard.web.presenters.stats import chart_views
from talentboard.web.templating import fragment

SECTION = "web_after_edit"


def national_dashboard(request: Request, sessions: Any) -> float:
    """Seconds to compute the national dashboard and render its charts (the page's work),
    in a session of its own, as a request has."""
    started = time.perf_counter()
    with sessions() as session:
        at = shown_date(request, session)
        view = dashboard(request, session, AnalysisScope(), at, exact=True)
        for chart in chart_views(view.charts):
            fragment("components/chart.jinja", "chart", chart)
    return time.perf_counter() - started


def a_trust_chief_executive(session: Any) -> Appointment:
    query = (
        select(Appointment)
        .join(Post, Post.id == Appointment.post_ref)
        .where(Post.role_code == "chief_executive", Appointment.end_date.is_(None))
        .order_by(Appointment.id)
    )
    found = session.scalars(query).first()
    if found is None:
        raise SystemExit("no current chief executive in the database")
    return found


def leave(sessions: Any, appointment: int, day: dt.date) -> None:
    with sessions() as session:
        session.execute(
            update(Appointment)
            .where(Appointment.id == appointment)
            .values(end_date=day, end_reason="retired", version=Appointment.version + 1)
        )
        session.commit()


def run(database: Path, repeat: int) -> dict[str, list[float]]:
    engine = make_engine(f"sqlite:///{database}")
    sessions = session_factory(engine)
    cache = AnalysisCache()
    request = cast(
        Request, SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(analysis_cache=cache)))
    )
    timings: dict[str, list[float]] = {"recomputed": [], "kept": [], "unchanged": []}
    with sessions() as session:
        found = a_trust_chief_executive(session)
        appointment, start = found.id, found.start_date
    national_dashboard(request, sessions)
    for round_ in range(repeat):
        for how in ("recomputed", "kept"):
            back = dt.timedelta(days=round_ * 2 + (how == "kept"))
            leave(sessions, appointment, max(start, dt.date(2026, 6, 30) - back))
            if how == "recomputed":
                cache.clear()
            else:
                changes = Changes()
                changes.add("appointments", [appointment])
                cache.note(changes)
            timings[how].append(national_dashboard(request, sessions))
        timings["unchanged"].append(national_dashboard(request, sessions))
    with sessions() as session:
        assert kept_register(request, session).rows_read == 1, "the register was read whole"
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True, help="the national demo (SQLite file)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "bench.db"
        shutil.copy(args.db, copy)
        timings = run(copy, args.repeat)
    ms = {how: 1000 * statistics.median(values) for how, values in timings.items()}
    command = (
        f"{Path(sys.executable).name} benchmarks/web_after_edit.py "
        f"--db {args.db} --repeat {args.repeat}"
    )
    body = f"""## First national dashboard after an edit to one trust (`web_after_edit`)

`{command}` on the national demo in SQLite (`talentboard demo --scale national --seed 1`),
{dt.date.today().isoformat()}, {cpu_model()}, Python {platform.python_version()}.
One trust's chief executive recorded as leaving (one appointment edited), then the national
dashboard computed and its charts rendered; median of {args.repeat} edits. Goal: at most
300 ms (from about 1 s).

| after the edit | median ms |
|---|---:|
| everything recomputed (the cache cleared, as before) | {ms["recomputed"]:.0f} |
| what changed recomputed (register patched, unreached months kept) | {ms["kept"]:.0f} |
| no edit (served from the cache) | {ms["unchanged"]:.1f} |
"""
    write_section(SECTION, body)
    print(body)


if __name__ == "__main__":
    main()
