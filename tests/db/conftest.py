"""Fixtures for the database tests: new, empty PostgreSQL databases to restore and migrate into."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import make_url, text

from talentboard.db import make_engine

NewDatabase = Callable[[], str]


@pytest.fixture
def new_postgres(postgres_url: str) -> Iterator[NewDatabase]:
    """Make new, empty PostgreSQL databases on the test server; all dropped at the end."""
    admin = make_engine(postgres_url, isolation_level="AUTOCOMMIT")
    made: list[str] = []

    def make() -> str:
        name = f"talentboard_restore_{uuid.uuid4().hex[:10]}"
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
