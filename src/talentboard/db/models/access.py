"""Users, API tokens, the audit trail and installation settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from talentboard import vocab
from talentboard.db.base import Base, one_of


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        one_of("role", vocab.USER_ROLES),
        CheckConstraint(
            "role <> 'regional' OR region_code IS NOT NULL", name="regional_has_region"
        ),
        CheckConstraint("role <> 'org_admin' OR ods_code IS NOT NULL", name="org_admin_has_org"),
        CheckConstraint(
            "role <> 'individual' OR person_ref IS NOT NULL", name="individual_has_person"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(12))
    region_code: Mapped[str | None] = mapped_column(String(3))
    ods_code: Mapped[str | None] = mapped_column(ForeignKey("organisations.ods_code"))
    person_ref: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # Single sign-on: the email address (lower case) an administrator gave the account, to
    # match a provider's verified email claim; the provider's issuer and subject, bound at
    # the first sign-in; and whether the account was made from a role claim (its role and
    # scope then follow the claim at every sign-in).
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    sso_subject: Mapped[str | None] = mapped_column(String(512), unique=True)
    sso_managed: Mapped[bool] = mapped_column(default=False, server_default=false())


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_ref: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Only a hash is stored; the token itself is shown once.
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(default=False)


class AuditEvent(Base):
    """Who saw or changed what, when, and from where. Never deleted, even on erasure."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    username: Mapped[str | None] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_key: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Setting(Base):
    """Installation-wide key-value settings, such as the as-at date of loaded demo data."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(400))
