"""Posting record forms as a browser does, and reading back what they wrote."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from talentboard.db.models import AuditEvent


def form(client: TestClient, values: dict[str, Any]) -> dict[str, Any]:
    """Form data as the browser sends it: a date as its day, month and year inputs."""
    data: dict[str, Any] = {"csrf_token": client.csrf}  # type: ignore[attr-defined]
    for name, value in values.items():
        if isinstance(value, dt.date):
            data |= {
                f"{name}[day]": str(value.day),
                f"{name}[month]": str(value.month),
                f"{name}[year]": str(value.year),
            }
        else:
            data[name] = value
    return data


def post(client: TestClient, path: str, values: dict[str, Any]) -> Any:
    return client.post(path, data=form(client, values), follow_redirects=False)


def count(session: Session, model: Any, *where: Any) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def last_event(session: Session) -> AuditEvent:
    event = session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()))
    assert event is not None
    return event
