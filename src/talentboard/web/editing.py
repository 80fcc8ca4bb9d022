"""Saving edits without lost updates.

Editable records carry a ``version`` that every saved edit increases by one. An edit form
sends back the version it was shown; the update is a single compare-and-set statement
(``... WHERE id = :id AND version = :shown``), so when someone else saved in between, no
row matches, nothing is overwritten and the editor is told to start again from the
current record.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

STALE_MESSAGE = (
    "Someone else changed this record while you were editing it, so your changes were not "
    "saved. The form now shows the latest version: make your changes again."
)


class StaleEditError(Exception):
    """The record changed since the form was shown."""


def parse_version(raw: object) -> int | None:
    try:
        return int(str(raw))
    except (TypeError, ValueError):
        return None


def save_edit(
    session: Session, record: Any, shown_version: int | None, changes: dict[str, Any]
) -> None:
    """Apply ``changes`` to ``record`` if it is still at ``shown_version``, else StaleEditError."""
    model = type(record)
    if shown_version is None:
        raise StaleEditError
    result = session.execute(
        update(model)
        .where(model.id == record.id, model.version == shown_version)
        .values(**changes, version=model.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleEditError
    session.refresh(record)
