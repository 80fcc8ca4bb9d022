"""Import benchmark: a 100,000-row appointments file, talentboard against a naive baseline.

Generates (deterministically, from a seed) people, posts over the 202 shipped NHS trusts
and an appointments CSV of board-to-ward history, then in one run:

(a) talentboard: ``import_file`` validates every row (types, references, date order,
    overlapping substantive appointments) and loads the file in one transaction;
(b) a naive baseline: pandas ``read_csv``, a pydantic model validated row by row, and one
    SQLAlchemy ORM object added per row, committed once.

Each goes into its own fresh SQLite file that already holds the same people and posts
(loaded untimed). The two databases must end up with the same appointments. The figures
are written to this script's section of benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/import_appointments.py [--rows 100000] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, field_validator
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from _results import cpu_model, write_section
from talentboard import vocab
from talentboard.db import make_engine, upgrade
from talentboard.db.models import Appointment, Person, Post
from talentboard.db.seed import load_reference_organisations
from talentboard.ingest import import_file
from talentboard.reference import reference_organisations, roles

NAME = "import_appointments"
OURS = (
    "read; check every row (types, enumerations, references, date order, duplicate keys, "
    "overlapping substantive appointments); upsert in one transaction"
)
THEIRS = "pandas `read_csv`, a pydantic model per row, one ORM object per row, one commit"
GOAL_SECONDS = 5.0
FIRST_DAY = dt.date(2000, 4, 1)

# ---------------------------------------------------------------- deterministic data


def generate(folder: Path, rows: int, seed: int) -> dict[str, Path]:
    """people.csv, posts.csv and appointments.csv with exactly ``rows`` appointments.

    Every post has a chain of appointments from 2000 onwards: substantive holders with
    interim or acting cover in the gaps, so no person holds two substantive appointments
    to one post at once.
    """
    rng = random.Random(seed)
    posts: list[tuple[str, str, str, str, str]] = []
    local_roles = [r for r in roles() if r.level != "other"]
    for org in reference_organisations():
        for role in local_roles:
            count = (
                1
                if role.level == "board"
                else {"senior": 4, "middle": 6, "frontline": 8}[role.level]
            )
            if role.code == "non_executive_director":
                count = 5
            for n in range(1, count + 1):
                posts.append(
                    (
                        f"{org.ods_code}-{role.code}-{n}",
                        org.ods_code,
                        role.code,
                        role.label,
                        role.level,
                    )
                )
    people = [f"P{n:06d}" for n in range(1, rows // 2 + 1)]
    appointments: list[tuple[str, str, str, str, str, str]] = []
    per_post = -(-rows // len(posts))
    for post_id, *_ in posts:
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(0, 365))
        for n in range(per_post):
            if len(appointments) == rows:
                break
            end = day + dt.timedelta(days=rng.randrange(60, 1400))
            kind = rng.choices(vocab.APPOINTMENT_TYPES, weights=(70, 15, 8, 5, 2))[0]
            still_serving = n == per_post - 1
            appointments.append(
                (
                    rng.choice(people),
                    post_id,
                    day.isoformat(),
                    "" if still_serving else end.isoformat(),
                    kind,
                    "" if still_serving else rng.choice(vocab.END_REASONS),
                )
            )
            day = end + dt.timedelta(days=rng.randrange(0, 90))
    surnames = ["Smith", "Jones", "Patel", "Williams", "Brown", "Khan", "Taylor", "Okafor"]
    given = ["Sarah", "James", "Priya", "David", "Aisha", "Tom", "Emma", "Mohammed"]
    paths = {name: folder / f"{name}.csv" for name in ("people", "posts", "appointments")}
    _write(
        paths["people"],
        [
            "person_id",
            "given_name",
            "family_name",
            "ethnic_category",
            "sex",
            "disability",
            "professional_background",
            "birth_year",
        ],
        [
            (
                p,
                rng.choice(given),
                rng.choice(surnames),
                rng.choice("ABCHJMNRZ"),
                rng.choice(vocab.SEXES),
                rng.choice(vocab.DISABILITY),
                rng.choice(vocab.PROFESSIONAL_BACKGROUNDS),
                str(rng.randrange(1955, 1995)),
            )
            for p in people
        ],
    )
    _write(
        paths["posts"],
        [
            "post_id",
            "ods_code",
            "role_code",
            "title",
            "level",
            "executive",
            "voting",
            "established_from",
            "established_to",
        ],
        [(*p, "", "", "", "") for p in posts],
    )
    _write(
        paths["appointments"],
        ["person_id", "post_id", "start_date", "end_date", "appointment_type", "end_reason"],
        appointments,
    )
    return paths


def _write(path: Path, header: list[str], rows: Sequence[tuple[str, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)


def fresh_database(path: Path, files: dict[str, Path]) -> Engine:
    """A new SQLite file with the schema, the shipped trusts, and the people and posts."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with Session(engine) as session:
        load_reference_organisations(session)
        session.commit()
        for kind in ("people", "posts"):
            result = import_file(session, kind, files[kind])
            if not result.ok:
                sys.exit(f"setup failed: {result.report.problems[:3]} {result.failure}")
    return engine


# ---------------------------------------------------------------- (a) talentboard


class _Stages:
    """A progress reporter that notes when each stage starts."""

    def __init__(self) -> None:
        self.marks: list[tuple[str, float]] = []

    def start(self, task: str, total: int | None = None) -> None:
        self.marks.append((task.split(" ")[0], time.perf_counter()))

    def advance(self, amount: int = 1) -> None:
        pass


@dataclass(frozen=True)
class Timing:
    """Elapsed (wall-clock) seconds, and the CPU seconds this process used meanwhile."""

    wall: float
    cpu: float
    stages: dict[str, float]


def run_talentboard(engine: Engine, path: Path) -> Timing:
    stages = _Stages()
    with Session(engine) as session:
        began, cpu = time.perf_counter(), time.process_time()
        result = import_file(session, "appointments", path, progress=stages)
        elapsed, used = time.perf_counter() - began, time.process_time() - cpu
    if not result.ok or result.counts["appointments"].inserted == 0:
        sys.exit(f"talentboard import failed: {result.report.problems[:5]} {result.failure}")
    ends = [t for _, t in stages.marks[1:]] + [began + elapsed]
    breakdown: dict[str, float] = {}
    for (name, start), end in zip(stages.marks, ends, strict=True):
        breakdown[name] = breakdown.get(name, 0.0) + end - start
    return Timing(elapsed, used, breakdown)


# ---------------------------------------------------------------- (b) naive baseline


class AppointmentRow(BaseModel):
    person_id: str
    post_id: str
    start_date: dt.date
    end_date: dt.date | None
    appointment_type: Literal["substantive", "interim", "acting", "secondment", "joint"]
    end_reason: (
        Literal[
            "retired",
            "moved_nhs",
            "promoted_internal",
            "left_nhs",
            "dismissed_or_forced",
            "end_of_term",
            "death",
            "other",
        ]
        | None
    )

    @field_validator("end_date", "end_reason", mode="before")
    @classmethod
    def _empty_is_missing(cls, value: object) -> object:
        return None if value == "" else value


def run_baseline(engine: Engine, path: Path) -> Timing:
    with Session(engine) as session:
        began, cpu = time.perf_counter(), time.process_time()
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        people = dict(session.execute(select(Person.person_id, Person.id)).all())
        posts = dict(session.execute(select(Post.post_id, Post.id)).all())
        for record in frame.to_dict("records"):
            row = AppointmentRow.model_validate(record)
            session.add(
                Appointment(
                    person_ref=people[row.person_id],
                    post_ref=posts[row.post_id],
                    start_date=row.start_date,
                    end_date=row.end_date,
                    appointment_type=row.appointment_type,
                    end_reason=row.end_reason,
                )
            )
        session.commit()
        return Timing(time.perf_counter() - began, time.process_time() - cpu, {})


# ---------------------------------------------------------------- comparison and results


def stored_appointments(engine: Engine) -> list[tuple[object, ...]]:
    statement = (
        select(
            Person.person_id,
            Post.post_id,
            Appointment.start_date,
            Appointment.end_date,
            Appointment.appointment_type,
            Appointment.end_reason,
        )
        .join(Person, Person.id == Appointment.person_ref)
        .join(Post, Post.id == Appointment.post_ref)
        .order_by(Person.person_id, Post.post_id, Appointment.start_date)
    )
    with Session(engine) as session:
        return [tuple(r) for r in session.execute(statement)]


def machine() -> str:
    return (
        f"{os.cpu_count()} cores (nproc), {cpu_model()}; Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.release()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="talentboard runs (best is kept)")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()
    command = (
        "python benchmarks/import_appointments.py"
        + (f" --rows {args.rows}" if args.rows != 100_000 else "")
        + (f" --seed {args.seed}" if args.seed != 7 else "")
        + (f" --repeat {args.repeat}" if args.repeat != 3 else "")
    )
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = generate(folder, args.rows, args.seed)
        runs = []
        for n in range(args.repeat):
            engine = fresh_database(folder / f"talentboard-{n}.db", files)
            runs.append(run_talentboard(engine, files["appointments"]))
            stored = stored_appointments(engine)
            engine.dispose()
        baseline_db = fresh_database(folder / "baseline.db", files)
        theirs = run_baseline(baseline_db, files["appointments"])
        same = stored == stored_appointments(baseline_db)
        baseline_db.dispose()
    load_after = os.getloadavg()[0]
    if not same or len(stored) != args.rows:
        sys.exit(f"the two databases differ (talentboard holds {len(stored):,} appointments)")
    ours = min(runs, key=lambda t: t.wall)
    walls = ", ".join(f"{t.wall:.2f}" for t in runs)
    verdict = "met" if ours.wall <= GOAL_SECONDS else f"missed by {ours.wall - GOAL_SECONDS:.2f} s"
    busy = (
        " (other work was competing for the cores)"
        if max(load_before, load_after) > (os.cpu_count() or 1)
        else ""
    )
    detail = ", ".join(f"{name.lower()} {s:.2f} s" for name, s in ours.stages.items())
    section = f"""
## Import: {args.rows:,}-row appointments file into SQLite

| implementation | what it does | wall seconds | CPU seconds |
|---|---|---|---|
| talentboard `import_file` | {OURS} | {ours.wall:.2f} | {ours.cpu:.2f} |
| naive baseline | {THEIRS} | {theirs.wall:.2f} | {theirs.cpu:.2f} |

talentboard: best of {args.repeat} runs ({walls} s), each into a fresh database ({detail}).
Goal at most {GOAL_SECONDS:.0f} s: {verdict}. Against the baseline: {theirs.wall / ours.wall:.1f}x
less wall time, {theirs.cpu / ours.cpu:.1f}x less CPU time (CPU time is the fairer comparison
when other work shares the machine). Both databases hold the same {len(stored):,} appointments.

- Command: `{command}` (seed {args.seed}; people and posts loaded untimed first)
- Machine: {machine()}
- Load average: {load_before:.1f} at the start, {load_after:.1f} at the end{busy}
- Date: {dt.date.today().isoformat()}
"""
    print(section)
    if not args.no_write:
        write_section(NAME, section)


if __name__ == "__main__":
    main()
