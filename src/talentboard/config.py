"""Settings read from the environment (prefix ``TALENTBOARD_``)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///talentboard.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TALENTBOARD_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    # How long a SQLite connection waits for another's write to finish before giving up
    # ("database is locked"; the web app then answers 503, try again).
    sqlite_busy_timeout_seconds: float = 30.0


def database_url(explicit: str | None = None) -> str:
    """The database URL: ``--db`` first, then ``TALENTBOARD_DATABASE_URL``, then the SQLite file."""
    url = explicit or Settings().database_url
    # psycopg 3 is the one PostgreSQL driver shipped; accept the plain scheme for it.
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain) :]
    return url


def sqlite_busy_timeout_seconds() -> float:
    """``TALENTBOARD_SQLITE_BUSY_TIMEOUT_SECONDS`` (30 by default)."""
    return Settings().sqlite_busy_timeout_seconds
