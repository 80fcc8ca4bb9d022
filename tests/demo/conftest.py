"""Fixtures for the demo tests: databases of their own, and the national demo made once.

The demo commits its data, so these tests do not use the shared test databases: each
backend gets fresh databases here (SQLite files, PostgreSQL databases created next to the
session's test database and dropped at the end).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url, text

from talentboard.db import make_engine, session_factory, upgrade
from talentboard.demo import generate_demo
from tests.demo.queries import LoadedDemo

POSTGRES_ENV = "TALENTBOARD_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def new_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str], str]]:
    """A factory of empty databases: ``new_database(backend)`` returns a URL."""
    counter = itertools.count(1)
    created: list[str] = []
    admin: Engine | None = None

    def make(backend: str) -> str:
        nonlocal admin
        number = next(counter)
        if backend == "sqlite":
            return f"sqlite:///{Path(tmp_path_factory.mktemp('demo')) / f'demo{number}.db'}"
        # The shared fixture skips (or, in CI, fails) when PostgreSQL is not there.
        base_url = request.getfixturevalue("postgres_url")
        if admin is None:
            admin = make_engine(os.environ[POSTGRES_ENV], isolation_level="AUTOCOMMIT")
        name = f"{make_url(base_url).database}_demo{number}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        return make_url(base_url).set(database=name).render_as_string(hide_password=False)

    yield make
    if admin is not None:
        with admin.connect() as connection:
            for name in created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def national_demo(
    request: pytest.FixtureRequest, new_database: Callable[[str], str]
) -> Iterator[LoadedDemo]:
    """The national demo, seed 1, generated once per backend and committed."""
    engine = make_engine(new_database(request.param))
    upgrade(engine)
    with session_factory(engine).begin() as session:
        summary = generate_demo(session, "national", 1)
    yield LoadedDemo(engine, summary)
    engine.dispose()
