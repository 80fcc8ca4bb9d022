"""Settings read from the environment (prefix ``TALENTBOARD_``).

A variable's name is matched without regard to case (the exact name first), and an empty
value counts as unset. Read with the standard library alone: every command reads these,
and the settings library added about a twentieth of a second to each.
"""

from __future__ import annotations

import os

__all__ = ["DEFAULT_DATABASE_URL", "database_url", "environment", "sqlite_busy_timeout_seconds"]

DEFAULT_DATABASE_URL = "sqlite:///talentboard.db"
# How long a SQLite connection waits for another's write to finish before giving up
# ("database is locked"; the web app then answers 503, try again).
DEFAULT_SQLITE_BUSY_TIMEOUT_SECONDS = 30.0


def environment(name: str) -> str | None:
    """The value of the environment variable ``name`` (any case), or None when unset or
    empty."""
    value = os.environ.get(name)
    if value is None:
        upper = name.upper()
        value = next((v for k, v in os.environ.items() if k.upper() == upper), None)
    return value or None


def database_url(explicit: str | None = None) -> str:
    """The database URL: ``--db`` first, then ``TALENTBOARD_DATABASE_URL``, then the SQLite file."""
    url = explicit or environment("TALENTBOARD_DATABASE_URL") or DEFAULT_DATABASE_URL
    # psycopg 3 is the one PostgreSQL driver shipped; accept the plain scheme for it.
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain) :]
    return url


def sqlite_busy_timeout_seconds() -> float:
    """``TALENTBOARD_SQLITE_BUSY_TIMEOUT_SECONDS`` (30 by default)."""
    name = "TALENTBOARD_SQLITE_BUSY_TIMEOUT_SECONDS"
    value = environment(name)
    if value is None:
        return DEFAULT_SQLITE_BUSY_TIMEOUT_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:
        raise ValueError(f"{name}={value!r}: give a number of seconds, 0 or more")
    return seconds
