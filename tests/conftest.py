"""Shared fixtures: a migrated database on each backend, and a session per test.

The ``engine`` and ``session`` fixtures are parametrised over SQLite and PostgreSQL.
PostgreSQL is found through ``TALENTBOARD_TEST_POSTGRES_URL``; outside CI its tests skip
with the reason when it is missing or unreachable, and with ``CI=true`` they fail instead.
Each test's session works inside a transaction rolled back at the end (the code under test
may commit: its commits release savepoints only), so tests are independent and fast.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url, text
from sqlalchemy.orm import Session

from talentboard.db import make_engine, upgrade
from talentboard.db.seed import load_reference_organisations
from tests.cli_run import run_captured

POSTGRES_ENV = "TALENTBOARD_TEST_POSTGRES_URL"
SNAPSHOT_ENV = "TALENTBOARD_SNAPSHOT_DIR"
CACHE_ENV = "XDG_CACHE_HOME"
IN_CI = os.environ.get("CI", "").lower() == "true"


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"PostgreSQL is required in CI: {reason}")
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


@pytest.fixture(scope="session", autouse=True)
def cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """What the code under test keeps in the user's cache (register snapshots, decompressed
    fonts) goes to a folder of this test session instead, and so does that of commands run
    in subprocesses, through the environment."""
    folder = tmp_path_factory.mktemp("cache")
    settings = {CACHE_ENV: str(folder), SNAPSHOT_ENV: str(folder / "talentboard" / "snapshots")}
    previous = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    yield folder
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database for this test session, dropped at the end."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        _unavailable(f"{POSTGRES_ENV} is not set")
        raise AssertionError  # unreachable: skip and fail raise
    admin = make_engine(base, isolation_level="AUTOCOMMIT")
    name = f"talentboard_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server means "unavailable"
        admin.dispose()
        _unavailable(f"cannot create a database at {base}: {exc}")
    url = make_url(admin.url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _migrated(url: str) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session, session.begin():
        load_reference_organisations(session)
    return engine


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path = Path(tmp_path_factory.mktemp("db")) / "talentboard.db"
    engine = _migrated(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    engine = _migrated(postgres_url)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """A migrated database holding the reference organisations, on each backend."""
    fixture = "sqlite_engine" if request.param == "sqlite" else "postgres_engine"
    result: Engine = request.getfixturevalue(fixture)
    return result


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test, even work the code committed."""
    yield from _rolled_back_session(engine)


@pytest.fixture
def sqlite_session(sqlite_engine: Engine) -> Iterator[Session]:
    """The same, on SQLite only: for behaviour only SQLite's loose typing allows."""
    yield from _rolled_back_session(sqlite_engine)


def _rolled_back_session(engine: Engine) -> Iterator[Session]:
    connection = engine.connect()
    outer = connection.begin()
    db_session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield db_session
    finally:
        db_session.close()
        outer.rollback()
        connection.close()


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run ``talentboard`` in this process: its exit code, standard output and error."""

    def invoke(*argv: str) -> tuple[int, str, str]:
        return run_captured(argv, capsys)

    return invoke
