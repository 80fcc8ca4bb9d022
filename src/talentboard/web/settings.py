"""The web application's settings, read from the environment (prefix ``TALENTBOARD_``)."""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import make_url

from talentboard.config import DEFAULT_DATABASE_URL


class WebSettings(BaseSettings):
    """Every setting of the web application, in one object.

    ``secret_key`` signs the session cookie. When it is not set, a random key is made at
    start-up: sessions then end when the server restarts, and several server processes
    would not accept each other's cookies, so a deployment sets ``TALENTBOARD_SECRET_KEY``.
    """

    model_config = SettingsConfigDict(env_prefix="TALENTBOARD_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = Field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)
    # Behind HTTPS the session cookie is marked Secure and HSTS is sent.
    https: bool = False
    session_max_age_seconds: int = 8 * 60 * 60
    # Account lock-out: this many failed sign-ins in a row lock the account for a while.
    login_max_failures: int = 5
    lockout_minutes: int = 15
    # Rate limit on sign-in attempts from one address, whatever the account.
    login_attempts_per_minute: int = 10
    max_upload_bytes: int = 10 * 1024 * 1024
    # Uploaded files wait here between validation and the user's confirmation.
    upload_dir: Path = Path(tempfile.gettempdir()) / "talentboard-uploads"
    service_name: str = "Talentboard"
    # How long loaded analysis frames may be reused while the data stamp is unchanged.
    analysis_cache_seconds: float = 300.0
    # Database connections kept open for the requests being served at once. Requests run
    # in at most 40 worker threads; a connection opened beyond the pool is closed again
    # when its request ends, so a pool smaller than the usual concurrency opens a new
    # PostgreSQL connection (a server process) for many requests under load.
    database_pool_size: int = 20
    database_max_overflow: int = 20

    def engine_options(self) -> dict[str, int]:
        """The connection pool options for the application's engine (none for an
        in-memory SQLite database, which lives in one connection per thread)."""
        url = make_url(self.database_url)
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            return {}
        return {"pool_size": self.database_pool_size, "max_overflow": self.database_max_overflow}
