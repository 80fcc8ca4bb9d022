"""The audit trail: who saw or changed what, when, and from where.

Every read of a person's record and every change is written here, in the same
transaction as the change itself, so a change is never saved without its audit event.
Audit events are never deleted, not even when a person's record is erased.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request

from talentboard.db.models import AuditEvent
from talentboard.web.permissions import Principal

ACTIONS = (
    "read",
    "list",
    "create",
    "update",
    "delete",
    "erase",
    "export",
    "import",
    "decide",
    "run",
    "sign_in",
    "sign_in_failed",
    "sign_out",
    "locked_out",
    "token_created",
    "user_created",
    "user_disabled",
)


def by(
    request: Request,
    session: Session,
    principal: Principal,
    action: str,
    entity: str,
    key: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event for what the signed-in ``principal`` did in ``request``."""
    return record(
        session,
        username=principal.username,
        action=action,
        entity=entity,
        key=key,
        source=request.client.host if request.client else None,
        detail=detail,
    )


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def record(
    session: Session,
    *,
    username: str | None,
    action: str,
    entity: str,
    key: str | None = None,
    source: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one audit event to the session (the caller's commit writes it)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    event = AuditEvent(
        at=now(),
        username=username,
        action=action,
        entity=entity,
        entity_key=key,
        source=source,
        detail=detail or {},
    )
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True, slots=True)
class AuditFilter:
    username: str | None = None
    entity: str | None = None
    key: str | None = None
    action: str | None = None
    since: dt.datetime | None = None
    limit: int | None = None


def list_events(session: Session, where: AuditFilter = AuditFilter()) -> Sequence[AuditEvent]:
    """Audit events, newest first, filtered."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if where.username is not None:
        query = query.where(AuditEvent.username == where.username)
    if where.entity is not None:
        query = query.where(AuditEvent.entity == where.entity)
    if where.key is not None:
        query = query.where(AuditEvent.entity_key == where.key)
    if where.action is not None:
        query = query.where(AuditEvent.action == where.action)
    if where.since is not None:
        query = query.where(AuditEvent.at >= where.since)
    if where.limit is not None:
        query = query.limit(where.limit)
    return session.scalars(query).all()


def as_json(event: AuditEvent) -> dict[str, Any]:
    """One event as the JSON object ``talentboard audit --format json`` prints."""
    at = event.at if event.at.tzinfo else event.at.replace(tzinfo=dt.UTC)
    return {
        "id": event.id,
        "at": at.isoformat(),
        "username": event.username,
        "action": event.action,
        "entity": event.entity,
        "key": event.entity_key,
        "source": event.source,
        "detail": event.detail,
    }
