"""Mappings saved for reading files in an organisation's own layout (docs/data-formats.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from talentboard.db.base import Base


class SavedMapping(Base):
    """A mapping file's content saved under a name, for one owner.

    ``owner`` is the scope the mapping belongs to, as imports are scoped: ``org:<ODS
    code>`` for an organisation, ``region:<region code>`` for a region, ``national`` for
    the national team. Only users of that scope list or use it.
    """

    __tablename__ = "saved_mappings"
    __table_args__ = (UniqueConstraint("owner", "kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_by: Mapped[str | None] = mapped_column(String(100))
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
