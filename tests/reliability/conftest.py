"""Fixtures of the reliability tests: a PostgreSQL database of their own, filled with the
web tests' world and committed (the shared test fixtures roll their work back, and these
tests drive a real server that commits)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import make_url, text

from talentboard.db import make_engine
from tests.reliability.live import prepare_database


@pytest.fixture(scope="session")
def postgres_database(postgres_url: str) -> Iterator[str]:
    """A new PostgreSQL database beside the test session's, prepared, dropped at the end.

    The reliability tests share it; each works on records of its own."""
    admin = make_engine(postgres_url, isolation_level="AUTOCOMMIT")
    name = f"talentboard_reliability_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin.url).set(database=name).render_as_string(hide_password=False)
    try:
        prepare_database(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
