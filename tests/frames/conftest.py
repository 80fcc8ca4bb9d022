"""Fixtures of the register tests: a database of their own, on each backend."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url, text

from talentboard.db import make_engine, upgrade


def _own_postgresql(base: str) -> Iterator[Engine]:
    admin = make_engine(base, isolation_level="AUTOCOMMIT")
    name = f"talentboard_readers_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(base).set(database=name).render_as_string(hide_password=False))
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def own_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A new, empty, migrated database of its own (data is committed in it, so it cannot be
    the shared test database), on each backend."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'register.db'}")
        upgrade(engine)
        yield engine
        engine.dispose()
        return
    yield from _own_postgresql(request.getfixturevalue("postgres_url"))


@pytest.fixture
def own_postgres_engine(postgres_url: str) -> Iterator[Engine]:
    """``own_engine`` on PostgreSQL alone."""
    yield from _own_postgresql(postgres_url)
