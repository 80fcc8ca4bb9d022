"""Mappings saved in the database under a name, each for one owner.

The owner is the scope a mapping belongs to (:class:`talentboard.db.models.SavedMapping`);
the caller decides it (``web.permissions.mapping_owner``), and every function here is
limited to that owner: a mapping of another owner is not found, exactly as one that does
not exist.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard.db.models import SavedMapping
from talentboard.ingest.mapping.model import ColumnMap, from_data

NAME_LENGTH = 100


def saved_mappings(session: Session, owner: str, kind: str | None = None) -> list[SavedMapping]:
    """The owner's saved mappings (of ``kind`` when given), by kind then name."""
    statement = select(SavedMapping).where(SavedMapping.owner == owner)
    if kind is not None:
        statement = statement.where(SavedMapping.kind == kind)
    return list(session.scalars(statement.order_by(SavedMapping.kind, SavedMapping.name)))


def saved_mapping(session: Session, owner: str, ident: int) -> SavedMapping | None:
    """The owner's saved mapping with this id; None for any other."""
    return session.scalar(
        select(SavedMapping).where(SavedMapping.id == ident, SavedMapping.owner == owner)
    )


def as_mapping(saved: SavedMapping) -> ColumnMap:
    """The saved mapping as a mapping, named in messages as the saved mapping it is."""
    return from_data(saved.content, f"saved mapping {saved.name!r}")


def save_mapping(
    session: Session, owner: str, name: str, mapping: ColumnMap, saved_by: str | None
) -> tuple[SavedMapping, bool]:
    """Save ``mapping`` as the owner's mapping called ``name`` for its kind, replacing one
    of the same name; whether it is new. The caller commits (with its audit event)."""
    name = " ".join(name.split())[:NAME_LENGTH]
    existing = session.scalar(
        select(SavedMapping).where(
            SavedMapping.owner == owner,
            SavedMapping.kind == mapping.kind,
            SavedMapping.name == name,
        )
    )
    now = dt.datetime.now(dt.UTC)
    if existing is not None:
        existing.content = mapping.as_dict()
        existing.saved_by = saved_by
        existing.saved_at = now
        session.flush()
        return existing, False
    saved = SavedMapping(
        owner=owner,
        kind=mapping.kind,
        name=name,
        content=mapping.as_dict(),
        saved_by=saved_by,
        saved_at=now,
    )
    session.add(saved)
    session.flush()
    return saved, True
