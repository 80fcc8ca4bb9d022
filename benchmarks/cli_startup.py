"""How long the CLI takes to start, and ``stats`` with and without the register snapshot.

Side by side in one run, each command in a new process (wall time, CPU time and peak
resident memory of that process, from ``os.wait4``), the two versions taking turns run by
run so that a drift in the machine's speed touches both alike:

- **old**: the source tree of an earlier commit (``--old-src``: a folder holding its
  ``src``, made with ``git archive COMMIT src | tar -x -C FOLDER``), put first on the path;
- **new**: likewise ``--new-src`` and ``--new-commit``, else the installed working tree.

Commands: ``talentboard --help``, ``talentboard stats --help``, and
``talentboard stats --at demo --by org --format json`` on a copy of the all-levels demo
(``--db``; copied, since SQLite writes its log beside the file). For the snapshot
(``frames.snapshot``), ``stats`` also runs with snapshots off, the first time after a
write (the snapshot no longer matches: the register is read and a new snapshot written),
again with the snapshot and its answer kept from the run before, and with another
question (``--by region``) on the kept snapshot. Results go to this script's section of
benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/cli_startup.py --old-src DIR --old-commit HASH
        [--new-src DIR --new-commit HASH] --db PATH [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _results import cpu_model, write_section

NAME = "cli_startup"
HELP_GOAL = 0.4
SNAPSHOT_GOAL = 0.5
TALENTBOARD = str(Path(sys.executable).parent / "talentboard")
ENTRY = "import sys; from talentboard.cli import main; sys.argv[0] = 'talentboard'; main()"
STATS = ["stats", "--at", "demo", "--by", "org", "--format", "json"]
# Another question on the same data: the snapshot is kept, the answer is not.
OTHER = ["stats", "--at", "demo", "--by", "region", "--format", "json"]


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mb: float


def measured(command: list[str], env: dict[str, str]) -> Run:
    began = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - began
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def _median(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        statistics.median(r.peak_mb for r in runs),
    )


def _environments(
    old_src: Path, new_src: Path | None, snapshots: Path
) -> tuple[dict[str, str], dict[str, str]]:
    base = dict(os.environ, COLUMNS="120", TALENTBOARD_SNAPSHOT_DIR=str(snapshots))
    old = dict(base, PYTHONPATH=str(old_src / "src"))
    new = base if new_src is None else dict(base, PYTHONPATH=str(new_src / "src"))
    return old, new


def _side_by_side(
    args: list[str], old: dict[str, str], new: dict[str, str], runs: int
) -> tuple[Run, Run]:
    command = [sys.executable, "-c", ENTRY, *args]
    measured(command, old)
    measured(command, new)
    pairs = [(measured(command, old), measured(command, new)) for _ in range(runs)]
    return _median([a for a, _ in pairs]), _median([b for _, b in pairs])


def _rewrite_a_title(database: Path, round_number: int) -> None:
    # A write the data stamp cannot see: only the write mark tells it.
    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE posts SET title = ? WHERE id = (SELECT MIN(id) FROM posts)",
            (f"Chief executive ({round_number})",),
        )


def _snapshot_runs(database: Path, env: dict[str, str], runs: int) -> dict[str, Run]:
    url = f"sqlite:///{database}"
    command = [sys.executable, "-c", ENTRY, *STATS, "--db", url]
    other = [sys.executable, "-c", ENTRY, *OTHER, "--db", url]
    off = dict(env, TALENTBOARD_SNAPSHOT="off")
    results: dict[str, list[Run]] = {
        "off": [],
        "after a write": [],
        "kept (snapshot and answer)": [],
        "kept snapshot, another question (`--by region`)": [],
    }
    measured(command, env)
    for number in range(runs):
        results["off"].append(measured(command, off))
        _rewrite_a_title(database, number)
        results["after a write"].append(measured(command, env))
        results["kept (snapshot and answer)"].append(measured(command, env))
        results["kept snapshot, another question (`--by region`)"].append(measured(other, env))
    return {name: _median(found) for name, found in results.items()}


def _row(label: str, run: Run) -> str:
    return f"| {label} | {run.wall:.2f} | {run.cpu:.2f} | {run.peak_mb:.0f} |"


def _report(
    args: argparse.Namespace,
    startup: dict[str, tuple[Run, Run]],
    snapshot: dict[str, Run],
    load: str,
    load_after: str,
) -> str:
    new_version = f"commit `{args.new_commit}`" if args.new_commit else "the working tree"
    lines = [
        "## CLI start-up and the register snapshot (issue 12, goals 3 and 2)",
        "",
        f"Run {dt.date.today().isoformat()} on {cpu_model()}, {os.cpu_count()} CPUs, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}; "
        f"load average before the run {load}, after it {load_after}. Each figure is the "
        f"median of {args.runs} runs, each in a new process (wall and CPU seconds, peak "
        "RSS in MB); old and new took turns run by run. Old is commit "
        f"`{args.old_commit}`, new {new_version}.",
        "",
        "```",
        f".venv/bin/python benchmarks/cli_startup.py --old-src DIR --old-commit "
        f"{args.old_commit}"
        + (f" --new-src DIR --new-commit {args.new_commit}" if args.new_commit else "")
        + f" --db {args.db} --runs {args.runs}",
        "```",
        "",
        f"Goal: `--help` and `stats --help` at most {HELP_GOAL} s. The `stats` row runs "
        "both versions with snapshots off (`TALENTBOARD_SNAPSHOT=off`): the register is "
        "read from the database each time, as on the first run after a write.",
        "",
        "| command | version | wall s | CPU s | peak MB |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for label, (old, new) in startup.items():
        lines.append(_row(f"`talentboard {label}` | old", old))
        lines.append(_row(f"`talentboard {label}` | new", new))
    lines += [
        "",
        f"`talentboard {' '.join(STATS)}` on a copy of the all-levels demo, new version; "
        f"goal with a kept snapshot at most {SNAPSHOT_GOAL} s. *After a write*: the first run "
        "after a post's title is rewritten in place (the snapshot no longer matches: the "
        "register is read and a new snapshot written). *Kept*: the same command again; its "
        "output was kept beside the snapshot (`frames.kept`) and is printed without opening "
        "the database. *Another question*: `--by region` after that, worked out from the "
        "kept snapshot (no answer kept for it yet).",
        "",
        "| snapshot | wall s | CPU s | peak MB |",
        "| --- | ---: | ---: | ---: |",
        *(_row(name, run) for name, run in snapshot.items()),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old-src", type=Path, required=True)
    parser.add_argument("--old-commit", required=True)
    parser.add_argument("--new-src", type=Path)
    parser.add_argument("--new-commit")
    parser.add_argument("--db", type=Path, required=True, help="the all-levels demo (SQLite)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="cli-startup-") as scratch:
        folder = Path(scratch)
        database = folder / "all-levels.db"
        shutil.copyfile(args.db, database)
        new_src = args.new_src.resolve() if args.new_src else None
        old, new = _environments(args.old_src.resolve(), new_src, folder / "snapshots")
        url = f"sqlite:///{database}"
        startup = {
            "--help": _side_by_side(["--help"], old, new, args.runs),
            "stats --help": _side_by_side(["stats", "--help"], old, new, args.runs),
            " ".join(STATS): _side_by_side(
                [*STATS, "--db", url],
                dict(old, TALENTBOARD_SNAPSHOT="off"),
                dict(new, TALENTBOARD_SNAPSHOT="off"),
                args.runs,
            ),
        }
        snapshot = _snapshot_runs(database, new, args.runs)
    load_after = " ".join(f"{value:.2f}" for value in os.getloadavg())
    body = _report(args, startup, snapshot, load, load_after)
    write_section(NAME, body)
    print(body)


if __name__ == "__main__":
    main()
