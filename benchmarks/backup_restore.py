"""Backup and restore benchmark: ``talentboard backup``/``restore`` beside the databases' own tools.

On the national demo (or the SQLite database given with ``--db``), one run times:

- ``talentboard backup`` of the SQLite database, and SQLite's own ``sqlite3 DB ".backup"``;
- ``talentboard restore`` of that archive into an empty PostgreSQL database;
- ``talentboard backup`` of the PostgreSQL database, and ``pg_dump -Fc`` of it;
- ``pg_restore`` of that dump into an empty PostgreSQL database;
- ``talentboard restore`` of the PostgreSQL archive into an empty SQLite file.

The databases' own tools copy one kind of database to the same kind only; the archive
goes either way. Each step is run ``--runs`` times (new empty targets each time) and the
median wall time is kept, with the size of what was written. The two archives must hold
the same table files. Figures go to this script's section of benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/backup_restore.py --postgres postgresql://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import make_url, text

from _results import cpu_model, write_section
from talentboard.db import make_engine

NAME = "backup_restore"
COMMAND = (
    ".venv/bin/python benchmarks/backup_restore.py "
    "--postgres postgresql://postgres@127.0.0.1:5432/test"
)
TALENTBOARD = str(Path(sys.executable).with_name("talentboard"))


def _run(*argv: str) -> None:
    subprocess.run(argv, check=True, capture_output=True)


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(step: Callable[[], None], prepare: Callable[[], None], runs: int) -> tuple[float, float]:
    """The median wall and CPU seconds (of the processes run) of ``step``."""
    walls, cpus = [], []
    for _ in range(runs):
        prepare()
        start, cpu = time.perf_counter(), _child_cpu()
        step()
        walls.append(time.perf_counter() - start)
        cpus.append(_child_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


@contextmanager
def _databases(base: str) -> Iterator[Callable[[], str]]:
    admin = make_engine(base, isolation_level="AUTOCOMMIT")
    made: list[str] = []

    def make() -> str:
        name = f"bench_backup_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return make_url(admin.url).set(database=name).render_as_string(hide_password=False)

    try:
        yield make
    finally:
        with admin.connect() as conn:
            for name in made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _plain(url: str) -> str:
    """A libpq URL for pg_dump and pg_restore."""
    return url.replace("postgresql+psycopg://", "postgresql://")


def _size(path: Path) -> float:
    return path.stat().st_size / 1_048_576


def _tables(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.startswith("tables/")}


def measure(
    db: Path, base: str, runs: int, folder: Path
) -> list[tuple[str, str, tuple[float, float], float]]:
    sqlite_url = f"sqlite:///{db}"
    archive, copy = folder / "sqlite.zip", folder / "copy.db"
    pg_archive, dump = folder / "postgresql.zip", folder / "postgresql.dump"
    rows: list[tuple[str, str, tuple[float, float], float]] = []

    def clear(*paths: Path) -> Callable[[], None]:
        def remove() -> None:
            for path in paths:
                path.unlink(missing_ok=True)

        return remove

    seconds = _timed(lambda: _run(TALENTBOARD, "backup", str(archive), "--db", sqlite_url),
                     clear(archive), runs)  # fmt: skip
    rows.append(("SQLite to archive", "`talentboard backup`", seconds, _size(archive)))
    seconds = _timed(lambda: _run("sqlite3", str(db), f".backup {copy}"), clear(copy), runs)
    rows.append(("SQLite to SQLite file", '`sqlite3 DB ".backup FILE"`', seconds, _size(copy)))

    with _databases(base) as new_database:
        target = [""]

        def fresh() -> None:
            target[0] = new_database()

        seconds = _timed(
            lambda: _run(TALENTBOARD, "restore", str(archive), "--db", target[0]), fresh, runs
        )
        rows.append(("archive to empty PostgreSQL", "`talentboard restore`", seconds, 0.0))
        source = target[0]
        seconds = _timed(
            lambda: _run(TALENTBOARD, "backup", str(pg_archive), "--db", source),
            clear(pg_archive),
            runs,
        )
        rows.append(("PostgreSQL to archive", "`talentboard backup`", seconds, _size(pg_archive)))
        seconds = _timed(
            lambda: _run("pg_dump", "-Fc", "-f", str(dump), _plain(source)), clear(dump), runs
        )
        rows.append(("PostgreSQL to dump", "`pg_dump -Fc`", seconds, _size(dump)))
        seconds = _timed(
            lambda: _run("pg_restore", "--no-owner", "-d", _plain(target[0]), str(dump)),
            fresh,
            runs,
        )
        rows.append(("dump to empty PostgreSQL", "`pg_restore`", seconds, 0.0))

    back = folder / "back.db"
    seconds = _timed(
        lambda: _run(TALENTBOARD, "restore", str(pg_archive), "--db", f"sqlite:///{back}"),
        clear(back),
        runs,
    )
    rows.append(("archive to empty SQLite", "`talentboard restore`", seconds, _size(back)))
    if _tables(archive) != _tables(pg_archive):
        raise SystemExit("the SQLite and PostgreSQL archives differ")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", required=True, help="A PostgreSQL URL to create databases.")
    parser.add_argument("--db", type=Path, help="A SQLite database (default: a national demo).")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="talentboard-bench-") as name:
        folder = Path(name)
        db = args.db
        if db is None:
            db = folder / "national.db"
            _run(TALENTBOARD, "init", "--db", f"sqlite:///{db}")
            _run(TALENTBOARD, "demo", "--scale", "national", "--db", f"sqlite:///{db}")
        rows = measure(db, args.postgres, args.runs, folder)
        counted = subprocess.run(
            ["sqlite3", str(db), "SELECT SUM(c) FROM (" + _count_sql(db) + ")"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    table = ["| step | tool | wall s | CPU s | written MB |", "| --- | --- | ---: | ---: | ---: |"]
    table += [
        f"| {step} | {tool} | {wall:.2f} | {cpu:.2f} | {f'{size:.1f}' if size else ''} |"
        for step, tool, (wall, cpu), size in rows
    ]
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    body = f"""## Backup and restore beside sqlite3 and pg_dump (issue 11)

Run {time.strftime("%Y-%m-%d")} on {cpu_model()}, {os.cpu_count()} CPUs, {platform.system()} \
{platform.release()}, Python {platform.python_version()}; load average before the run {load}. \
National demo ({int(counted):,} rows in all); median of {args.runs} runs, each end to end \
(a new process, the command line included), into a new empty database each time. CPU is \
that of the command's own processes (not the PostgreSQL server's); on a machine this busy \
it says more than the wall time.

```
{COMMAND} --runs {args.runs}
```

{chr(10).join(table)}

The SQLite and PostgreSQL archives hold byte-identical table files. `sqlite3 .backup` and
`pg_dump`/`pg_restore` copy one kind of database to the same kind only.
"""
    write_section(NAME, body)
    print(body)


def _count_sql(db: Path) -> str:
    names = subprocess.run(
        [
            "sqlite3",
            str(db),
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'alembic_version'",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return " UNION ALL ".join(f'SELECT COUNT(*) AS c FROM "{n}"' for n in names)


if __name__ == "__main__":
    main()
