"""The web application's settings, read from the environment (prefix ``TALENTBOARD_``) or
from a TOML settings file named by ``TALENTBOARD_SETTINGS_FILE`` (the environment wins).

Every setting is listed in docs/deploying.md.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import tempfile
from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from sqlalchemy import make_url

from talentboard.config import DEFAULT_DATABASE_URL
from talentboard.reference import REGION_CODES


class ClaimRole(BaseModel):
    """One entry of the single sign-on role map: a value of the role claim, and the role and
    scope a person whose claim holds it is given."""

    value: str
    role: str
    region: str | None = None
    org: str | None = None

    @model_validator(mode="after")
    def _scope_fits_role(self) -> Self:
        roles = ("national", "regional", "org_admin", "viewer")
        if self.role not in roles:
            raise ValueError(
                f"role map entry {self.value!r}: the role must be one of {', '.join(roles)} "
                "(an individual's account is made by an administrator, with their person record)"
            )
        if self.region is not None and self.region not in REGION_CODES:
            raise ValueError(f"role map entry {self.value!r}: unknown region {self.region!r}")
        if self.role == "regional" and self.region is None:
            raise ValueError(f"role map entry {self.value!r}: a regional role needs a region")
        if self.role == "org_admin" and self.org is None:
            raise ValueError(f"role map entry {self.value!r}: an org_admin role needs an org")
        return self


SETTINGS_FILE_ENV = "TALENTBOARD_SETTINGS_FILE"


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
    # How often the data stamp is read again, for changes made outside the application (an
    # import); changes made through any server process are known at once (web.shared).
    analysis_stamp_seconds: float = 2.0
    # Database connections kept open for the requests being served at once. Requests run
    # in at most 40 worker threads; a connection opened beyond the pool is closed again
    # when its request ends, so a pool smaller than the usual concurrency opens a new
    # PostgreSQL connection (a server process) for many requests under load.
    database_pool_size: int = 20
    database_max_overflow: int = 20

    # Serving (``talentboard serve``, docs/deploying.md).
    workers: int = 1
    # Proxies whose X-Forwarded-For and X-Forwarded-Proto headers are believed: addresses
    # or networks separated by commas, "*" for any (only when nothing else can connect).
    forwarded_allow_ips: str = "127.0.0.1,::1"
    # How long requests in flight may take to finish once the server is told to stop.
    graceful_shutdown_seconds: int = 30
    log_format: Literal["json", "text"] = "json"
    # Tell the other server processes (and hosts) of every change made through this one,
    # through the database (web.shared); ``talentboard serve`` turns it on unless set.
    share_changes: bool = False
    # GET /metrics answers clients in these networks, or presenting this bearer token.
    metrics_allow: str = "127.0.0.1/32,::1/128"
    metrics_token: SecretStr | None = None
    # Where worker processes keep their metrics for one another (prometheus-client's
    # multiprocess mode); empty: a new temporary folder each time the server starts.
    metrics_dir: Path | None = None
    # GET /health/ready reports the database unavailable when it takes longer to answer.
    health_timeout_seconds: float = 5.0

    # Sign-in with usernames and passwords; switched off where everyone uses single sign-on.
    local_passwords: bool = True
    # Single sign-on with an OpenID Connect provider (docs/access.md): on when an issuer is set.
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = Field(default=None, repr=False)
    # How the client authenticates at the token endpoint: client_secret_basic or _post.
    oidc_token_auth_method: str = "client_secret_basic"  # noqa: S105 - a method's name
    oidc_scopes: str = "openid email profile"
    # The button reads "Sign in with <name>".
    oidc_provider_name: str = "your organisation's account"
    # The address the provider sends people back to; by default this service's own
    # /sign-in/oidc/callback as the request reached it (set it behind a proxy).
    oidc_redirect_uri: str | None = None
    # The claim holding the email address an administrator's account is matched on, and
    # whether a provider that does not send ``email_verified`` is refused.
    oidc_email_claim: str = "email"
    oidc_require_email_verified: bool = False
    # The claim whose values the role map is read against (e.g. ``groups`` or ``roles``; a
    # dotted path reads inside a list of objects), and the map: first matching entry wins.
    oidc_role_claim: str | None = None
    oidc_role_map: list[ClaimRole] = Field(default_factory=list)
    # Add the claims of the provider's UserInfo endpoint to the ID token's (NHS CIS2 sends
    # email and roles only there).
    oidc_userinfo: bool = True
    # Clock difference allowed when checking a token's expiry and issue time.
    oidc_clock_skew_seconds: int = 60

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources = [init_settings, env_settings, dotenv_settings, file_secret_settings]
        settings_file = os.environ.get(SETTINGS_FILE_ENV)
        if settings_file:
            if not Path(settings_file).is_file():
                raise ValueError(f"{SETTINGS_FILE_ENV}: no settings file at {settings_file}")
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=settings_file))
        return tuple(sources)

    def metrics_networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        """The networks ``metrics_allow`` names."""
        return [
            ipaddress.ip_network(part.strip(), strict=False)
            for part in self.metrics_allow.split(",")
            if part.strip()
        ]

    @field_validator("oidc_token_auth_method")
    @classmethod
    def _known_auth_method(cls, value: str) -> str:
        if value not in ("client_secret_basic", "client_secret_post"):
            raise ValueError("use client_secret_basic or client_secret_post")
        return value

    @model_validator(mode="after")
    def _sign_in_possible(self) -> Self:
        if self.oidc_issuer and not self.oidc_client_id:
            raise ValueError("single sign-on needs TALENTBOARD_OIDC_CLIENT_ID")
        if not self.local_passwords and not self.oidc_issuer:
            raise ValueError(
                "local passwords are switched off but single sign-on is not set up "
                "(TALENTBOARD_OIDC_ISSUER): nobody could sign in"
            )
        if self.oidc_role_map and not self.oidc_role_claim:
            raise ValueError("a role map needs TALENTBOARD_OIDC_ROLE_CLAIM")
        return self

    @property
    def single_sign_on(self) -> bool:
        return bool(self.oidc_issuer)

    def engine_options(self) -> dict[str, int]:
        """The connection pool options for the application's engine (none for an
        in-memory SQLite database, which lives in one connection per thread)."""
        url = make_url(self.database_url)
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            return {}
        return {"pool_size": self.database_pool_size, "max_overflow": self.database_max_overflow}
