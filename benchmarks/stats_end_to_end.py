"""`talentboard stats --at demo --by org --format json` end to end, and the register read it
rests on, side by side with the plain drivers a user would otherwise fetch with.

In one run, on the national all-levels demo in SQLite (``--sqlite``) and, with
``--postgres``, the same demo in PostgreSQL:

(a) the command as a user runs it, in a new process: wall time, CPU time (user + system)
    and peak resident memory (``wait4``), with the register read by the Arrow reader (the
    default, without SQLAlchemy on a plain URL) and by the session reader through a
    SQLAlchemy session (the previous path, which ``load_register`` keeps for
    uncommitted work);
(b) in one process, the read alone: ``load_register`` with each reader, against a plain
    fetch of the same columns of the same five tables (``sqlite3`` / psycopg
    ``fetchall``), each in a new process for its peak memory.

Then a scaling table for (a), Arrow reader, SQLite: the national board demo
(``--national``), the all-levels demo, and the all-levels demo times three
(``--triple``). ``talentboard demo`` refuses to add to a database that holds a register,
so the three-fold database is put together here from three all-levels demos generated
apart (``--seeds-from``: files of seeds 2 and 3), their posts, people and appointments
renumbered after seed 1's (external ids suffixed with the seed), over the one set of
organisations and ratings of seed 1. Results go to this script's section of
benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/stats_end_to_end.py --sqlite PATH [--postgres URL]
        [--national PATH] [--triple PATH --seeds-from PATH PATH] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _results import cpu_model, write_section

NAME = "stats_end_to_end"
GOAL_SECONDS = 2.0
GOAL_SHARE_OF_PLAIN = 1 / 3
BASELINE_PEAK_MB = 840
TALENTBOARD = [str(Path(sys.executable).parent / "talentboard")]
STATS = ["stats", "--at", "demo", "--by", "org", "--format", "json"]
# The same columns load_register reads, fetched the plain way.
COLUMNS = {
    "organisations": (
        "ods_code, name, kind, region_code, icb_code, staff_headcount, bme_staff_share",
        "ods_code",
    ),
    "performance_ratings": ("ods_code, effective_from, oversight_segment, cqc_rating", "id"),
    "posts": (
        "id, post_id, ods_code, role_code, title, level, executive, voting, "
        "established_from, established_to",
        "id",
    ),
    "people": (
        "id, person_id, given_name, family_name, ethnic_category, sex, disability, "
        "professional_background, birth_year",
        "id",
    ),
    "appointments": (
        "id, person_ref, post_ref, start_date, end_date, appointment_type, end_reason",
        "id",
    ),
}
# Takes the command through a session (the path without SQLAlchemy switched off) and
# patches the default reader before the CLI imports load_register, so (a) can run the
# command unchanged with the previous path.
SESSION_READER = (
    "import functools, sys; import talentboard.frames.register as r; "
    "import talentboard.frames.plain as p; p.open_source = lambda url: None; "
    "r.load_register = functools.partial(r.load_register, reader='session'); "
    "from talentboard.cli import main; sys.argv[0] = 'talentboard'; main()"
)
READ_ONLY = """
import sys, time
from sqlalchemy.orm import Session
from talentboard.db import make_engine
from talentboard.frames.register import load_register
from talentboard.stability.groups import BOARD_COLUMNS
engine = make_engine(sys.argv[1])
reader, _, part = sys.argv[2].partition(":")
began = time.perf_counter()
with Session(engine) as session:
    frames = load_register(
        session,
        reader=reader,
        columns=BOARD_COLUMNS if part else None,
        rows="board" if part else "all",
    )
print(time.perf_counter() - began, frames.appointments.height)
"""
PLAIN_FETCH = """
import sys, time, json
columns = json.loads(sys.argv[2])
began = time.perf_counter()
if sys.argv[1].startswith("sqlite"):
    import sqlite3
    connection = sqlite3.connect(sys.argv[1].removeprefix("sqlite:///"))
else:
    import psycopg
    connection = psycopg.connect(sys.argv[1])
rows = {}
for table, (select, key) in columns.items():
    cursor = connection.cursor()
    cursor.execute(f"SELECT {select} FROM {table} ORDER BY {key}")
    rows[table] = cursor.fetchall()
print(time.perf_counter() - began, len(rows["appointments"]))
"""


ORIGINAL_PYTHONPATH = os.environ.get("PYTHONPATH", "")


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mb: float
    output: str


def measured(command: list[str], *, snapshots: bool = False) -> Run:
    """Run ``command`` in a new process: its wall time, and the CPU time and peak RSS of
    that one process (``os.wait4``). ``snapshots``: with register snapshots on, in a new
    empty folder (the first run on a database: the snapshot is written, not read)."""
    # Every run reads the database: a register snapshot kept by an earlier run would
    # measure the snapshot instead (benchmarks/cli_startup.py measures that).
    environment = os.environ | {"TALENTBOARD_SNAPSHOT": "off"}
    if snapshots:
        folder = tempfile.mkdtemp(prefix="stats-end-to-end-")
        environment = os.environ | {"TALENTBOARD_SNAPSHOT_DIR": folder}
        environment.pop("TALENTBOARD_SNAPSHOT", None)
    began = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=sink, env=environment)
        assert process.stdout is not None
        output = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - began
    if snapshots:
        shutil.rmtree(environment["TALENTBOARD_SNAPSHOT_DIR"])
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {process.returncode}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output.decode())


def best(repeat: int, command: list[str], *, snapshots: bool = False) -> Run:
    """The run with the least wall time of ``repeat``, with the highest peak of them all."""
    runs = [measured(command, snapshots=snapshots) for _ in range(repeat)]
    fastest = min(runs, key=lambda r: r.wall)
    return Run(fastest.wall, fastest.cpu, max(r.peak_mb for r in runs), fastest.output)


def stats(
    url: str,
    repeat: int,
    *,
    reader: str = "arrow",
    source: Path | None = None,
    snapshots: bool = False,
) -> Run:
    """The command; ``source``: run it from that source tree (an earlier version)."""
    if source is not None:
        os.environ["PYTHONPATH"] = str(source)
    try:
        prefix = TALENTBOARD if reader == "arrow" else [sys.executable, "-c", SESSION_READER]
        return best(repeat, [*prefix, *STATS, "--db", url], snapshots=snapshots)
    finally:
        if source is not None:
            os.environ["PYTHONPATH"] = ORIGINAL_PYTHONPATH


def read_only(url: str, reader: str, repeat: int) -> Run:
    return best(repeat, [sys.executable, "-c", READ_ONLY, url, reader])


def plain_fetch(url: str, repeat: int) -> Run:
    driver_url = url.replace("postgresql+psycopg://", "postgresql://")
    return best(repeat, [sys.executable, "-c", PLAIN_FETCH, driver_url, json.dumps(COLUMNS)])


def same_figures(ours: object, theirs: object) -> bool:
    """The same JSON up to 1e-12 (Polars may sum floats in another order from run to run)."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return ours.keys() == theirs.keys() and all(
            same_figures(ours[key], theirs[key]) for key in ours
        )
    if isinstance(ours, list) and isinstance(theirs, list):
        return len(ours) == len(theirs) and all(
            same_figures(a, b) for a, b in zip(ours, theirs, strict=True)
        )
    if isinstance(ours, float) and isinstance(theirs, float):
        return abs(ours - theirs) <= 1e-12 * max(1.0, abs(theirs))
    return ours == theirs


def inner_seconds(result: Run) -> float:
    """The time a read-only script printed for its read alone (imports left out)."""
    return float(result.output.split()[0])


def build_triple(seed_1: Path, others: list[Path], target: Path) -> None:
    """Seed 1's all-levels demo with the register of each other file added, renumbered."""
    shutil.copyfile(seed_1, target)
    connection = sqlite3.connect(target)
    try:
        for number, other in enumerate(others, start=2):
            offsets = {
                table: connection.execute(f"SELECT max(id) FROM {table}").fetchone()[0]
                for table in ("posts", "people", "appointments")
            }
            connection.execute("ATTACH DATABASE ? AS other", (str(other),))
            for table, renumber in (
                ("posts", {"id": "id + {posts}", "post_id": "post_id || '#{seed}'"}),
                ("people", {"id": "id + {people}", "person_id": "person_id || '#{seed}'"}),
                (
                    "appointments",
                    {
                        "id": "id + {appointments}",
                        "person_ref": "person_ref + {people}",
                        "post_ref": "post_ref + {posts}",
                    },
                ),
            ):
                names = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
                values = [renumber.get(name, name).format(seed=number, **offsets) for name in names]
                connection.execute(
                    f"INSERT INTO main.{table} ({', '.join(names)}) "
                    f"SELECT {', '.join(values)} FROM other.{table}"
                )
            connection.commit()
            connection.execute("DETACH DATABASE other")
    finally:
        connection.close()


def register_size(path: Path) -> tuple[int, int, int]:
    connection = sqlite3.connect(path)
    try:
        return tuple(  # type: ignore[return-value]
            connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("posts", "people", "appointments")
        )
    finally:
        connection.close()


def machine() -> str:
    return f"{os.cpu_count()} CPUs ({cpu_model()}), Python {platform.python_version()}"


def row(label: str, result: Run) -> str:
    return f"| {label} | {result.wall:.2f} s | {result.cpu:.2f} s | {result.peak_mb:.0f} MB |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", type=Path, required=True, help="the all-levels demo file")
    parser.add_argument("--postgres", help="a PostgreSQL URL holding the all-levels demo")
    parser.add_argument("--national", type=Path, help="the national board demo file")
    parser.add_argument("--triple", type=Path, help="the three-fold file (built when missing)")
    parser.add_argument("--seeds-from", type=Path, nargs="*", default=[])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--before-src", type=Path, help="the src folder of an earlier version, run beside"
    )
    parser.add_argument("--before-commit", default="", help="that version's commit")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()
    command = f"python benchmarks/stats_end_to_end.py --sqlite {args.sqlite}"
    for name in ("postgres", "national", "triple"):
        if getattr(args, name):
            command += f" --{name} {getattr(args, name)}"
    if args.seeds_from:
        command += " --seeds-from " + " ".join(str(p) for p in args.seeds_from)
    if args.repeat != 3:
        command += f" --repeat {args.repeat}"
    if args.before_src:
        command += f" --before-src {args.before_src} --before-commit {args.before_commit}"
    sqlite_url = f"sqlite:///{args.sqlite.resolve()}"
    databases = [("SQLite", sqlite_url)] + (
        [("PostgreSQL", args.postgres)] if args.postgres else []
    )

    lines = []
    read_lines = []
    verdicts = []
    for label, url in databases:
        arrow = stats(url, args.repeat)
        print(label, "stats, Arrow reader", arrow.wall, arrow.cpu, arrow.peak_mb, flush=True)
        previous = stats(url, args.repeat, reader="session")
        print(label, "stats, session reader", previous.wall, previous.cpu, previous.peak_mb)
        assert same_figures(json.loads(arrow.output), json.loads(previous.output))
        lines += [
            row(f"{label}: `stats --by org`, Arrow reader (now)", arrow),
            row(f"{label}: `stats --by org`, session reader (previous path)", previous),
        ]
        first = stats(url, args.repeat, snapshots=True)
        print(label, "stats, first run with snapshots on", first.wall, first.cpu, first.peak_mb)
        assert first.output == arrow.output
        lines.append(row(f"{label}: `stats --by org`, snapshots on, none kept yet", first))
        if args.before_src:
            before = stats(url, args.repeat, source=args.before_src)
            print(label, "stats, before", before.wall, before.cpu, before.peak_mb)
            assert same_figures(json.loads(arrow.output), json.loads(before.output))
            lines.append(
                row(f"{label}: `stats --by org`, before (commit `{args.before_commit}`)", before)
            )
        arrow_read = read_only(url, "arrow", args.repeat)
        part_read = read_only(url, "arrow:part", args.repeat)
        session_read = read_only(url, "session", args.repeat)
        plain = plain_fetch(url, args.repeat)
        peer = "`sqlite3`" if label == "SQLite" else "psycopg"
        for name, result in (
            ("`load_register`, Arrow reader", arrow_read),
            ("`load_register`, Arrow reader, the columns and rows `stats` reads", part_read),
            ("`load_register`, session reader", session_read),
            (f"plain {peer} `fetchall` of the same columns", plain),
        ):
            read_lines.append(
                f"| {label}: {name} | {inner_seconds(result):.2f} s "
                f"| {result.cpu:.2f} s | {result.peak_mb:.0f} MB |"
            )
        share = arrow.wall / inner_seconds(plain)
        met = (
            arrow.wall <= GOAL_SECONDS
            and share <= GOAL_SHARE_OF_PLAIN
            and arrow.peak_mb <= BASELINE_PEAK_MB / 2
        )
        verdicts.append(
            f"- {label}: {arrow.wall:.2f} s end to end ({previous.wall:.2f} s by the previous "
            f"path), {share:.2f} of the plain {peer} fetch, peak {arrow.peak_mb:.0f} MB "
            f"({previous.peak_mb:.0f} MB): **{'met' if met else 'not met'}**"
        )

    scaling = []
    if args.triple and not args.triple.exists():
        print("putting the three-fold register together...", flush=True)
        build_triple(args.sqlite, args.seeds_from, args.triple)
    for label, path in (
        ("national board (`--scale national`)", args.national),
        ("national all levels (`--scale all-levels`)", args.sqlite),
        ("all levels times three (seeds 1, 2, 3)", args.triple),
    ):
        if path is None:
            continue
        result = stats(f"sqlite:///{path.resolve()}", args.repeat)
        posts, people, appointments = register_size(path)
        scaling.append(
            f"| {label} | {posts:,} | {people:,} | {appointments:,} "
            f"| {result.wall:.2f} s | {result.cpu:.2f} s | {result.peak_mb:.0f} MB |"
        )
        print(scaling[-1], flush=True)

    load_average = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    newline = "\n"
    section = f"""
## `stats --by org` end to end, and reading the register (`stats_end_to_end`)

- Command: `{command}`
- Date: {dt.date.today().isoformat()}; machine: {machine()}
- Best of {args.repeat} runs each (least wall time; peak memory the highest of the runs);
  load average at the end of the run {load_average} (the machine is shared with other
  work, so wall times vary between runs; CPU time, user plus system, varies less).

Each command in a new process, as a user runs it: `talentboard stats --at demo --by org
--format json --db URL` on the national all-levels demo (`talentboard demo --scale
all-levels --seed 1`), with register snapshots off (`TALENTBOARD_SNAPSHOT=off`) unless
said: every run reads the database. The command reads only the columns and rows its
figures use (`load_register(columns=..., rows="board")`); on a plain URL it opens the
database without SQLAlchemy or psycopg (`frames.plain`). "Session reader" is the same
command through a SQLAlchemy session, with `load_register` patched to the reader it keeps
for uncommitted work (the same columns and rows); "snapshots on, none kept yet" is a
user's first run, which also takes the data stamp and writes the snapshot; "before" is an
earlier version of the program, run from its own source tree. All print the same JSON
(checked).

| run | wall | CPU | peak RSS |
|---|---:|---:|---:|
{newline.join(lines)}

The read alone (`load_register` in a script; the time is the read's, the CPU time and peak
memory the whole script's, imports included), every column and row unless said, against
a plain DB-API fetch of every column of the same five tables in key order:

| read | time | CPU | peak RSS |
|---|---:|---:|---:|
{newline.join(read_lines)}

Goal (issue 12, goal 1): end to end at most {GOAL_SECONDS:.0f} s, at most a third of the
plain `sqlite3` fetch, peak memory at most half of {BASELINE_PEAK_MB} MB:
{newline.join(verdicts)}

Scaling, SQLite, Arrow reader, the whole command (the three-fold register: `talentboard
demo` refuses to add to a database that holds a register, so it is seeds 1, 2 and 3
generated apart and put together, the later seeds renumbered, over one set of
organisations):

| register | posts | people | appointments | wall | CPU | peak RSS |
|---|---:|---:|---:|---:|---:|---:|
{newline.join(scaling)}
"""
    if not args.no_write:
        write_section(NAME, section)
    print(section)


if __name__ == "__main__":
    main()
