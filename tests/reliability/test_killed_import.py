"""An import killed with SIGKILL in the middle of writing leaves the database as it was.

The import runs as its own process (``paused_import``: the real command, stopped after
its first 5,000 rows are written inside its transaction); the test kills it there, then
checks every table against its checksum from before, SQLite's integrity check, and that
the same import then loads whole.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from talentboard.db import make_engine
from tests.conftest import Run
from tests.reliability.checksums import table_checksums
from tests.reliability.live import prepare_database, wait_until

ROOT = Path(__file__).resolve().parents[2]
ROWS = 8_000
HEADER = (
    "person_id,given_name,family_name,ethnic_category,sex,disability,"
    "professional_background,birth_year\n"
)


def _people_file(folder: Path) -> Path:
    path = folder / "people.csv"
    rows = (f"P-K{n:05d},Given{n},Family{n % 97},A,female,no,finance,1970" for n in range(ROWS))
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _start_paused(file: Path, url: str) -> subprocess.Popen[str]:
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.paused_import", "people", str(file), "--db", url],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if line.strip() != "PAUSED":
        process.kill()
        _, error = process.communicate()
        pytest.fail(f"the import did not reach its writing: {line!r} {error}")
    return process


def _kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL


def _people(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM people")).scalar_one()
    engine.dispose()
    return int(count)


def test_sqlite_import_killed_mid_write_leaves_the_database_as_before(
    tmp_path: Path, run: Run
) -> None:
    database = tmp_path / "talentboard.db"
    url = f"sqlite:///{database}"
    prepare_database(url)
    file = _people_file(tmp_path)
    before = table_checksums(url)
    assert before["integrity_check"] == "ok"
    wal = Path(f"{database}-wal")
    wal_before = wal.stat().st_size if wal.exists() else 0

    process = _start_paused(file, url)
    try:
        # The rows written so far are on disk, in the log, uncommitted.
        assert wal.stat().st_size > wal_before
    finally:
        _kill(process)

    assert table_checksums(url) == before
    people = _people(url)
    code, out, err = run("import", "people", str(file), "--db", url)
    assert code == 0, err
    assert f"people: {ROWS:,} inserted" in out
    assert _people(url) == people + ROWS
    assert table_checksums(url)["integrity_check"] == "ok"


def test_postgres_import_killed_mid_write_leaves_the_database_as_before(
    postgres_database: str, tmp_path: Path, run: Run
) -> None:
    file = _people_file(tmp_path)
    before = table_checksums(postgres_database)
    engine = make_engine(postgres_database, isolation_level="AUTOCOMMIT")
    process = _start_paused(file, postgres_database)
    try:
        with engine.connect() as connection:
            # The import's server process holds an open transaction that has written.
            writing = connection.execute(
                text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    "AND state = 'idle in transaction' AND backend_xid IS NOT NULL"
                )
            ).all()
        assert len(writing) == 1
    finally:
        _kill(process)
    # The server notices the connection is gone and rolls the transaction back.
    wait_until(
        postgres_database,
        f"SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = {int(writing[0][0])})",
        "the killed import's server process to end",
    )
    engine.dispose()

    assert table_checksums(postgres_database) == before
    people = _people(postgres_database)
    code, out, err = run("import", "people", str(file), "--db", postgres_database)
    assert code == 0, err
    assert f"people: {ROWS:,} inserted" in out
    assert _people(postgres_database) == people + ROWS
