"""Development opportunities across organisations, match proposals and buddy pairings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from talentboard import vocab
from talentboard.db.base import Base, one_of, ordered


class Opportunity(Base):
    __tablename__ = "opportunities"
    __table_args__ = (
        one_of("kind", vocab.OPPORTUNITY_KINDS),
        one_of("status", vocab.OPPORTUNITY_STATUSES),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        ordered("starts_on", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(24))
    host_ods_code: Mapped[str] = mapped_column(ForeignKey("organisations.ods_code"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    develops: Mapped[list[str]] = mapped_column(JSON, default=list)
    levels: Mapped[list[str]] = mapped_column(JSON, default=list)
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="open")
    description: Mapped[str | None] = mapped_column(Text)
    # Raised by one on every saved edit; an edit based on an older version is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class MatchRun(Base):
    """One run of the matching engine, with the settings it used."""

    __tablename__ = "match_runs"
    __table_args__ = (one_of("kind", ("opportunities", "buddies")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    as_at: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str | None] = mapped_column(String(100))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    total_score: Mapped[float | None] = mapped_column(Float)


class MatchProposal(Base):
    __tablename__ = "match_proposals"
    __table_args__ = (one_of("status", vocab.PROPOSAL_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_ref: Mapped[int] = mapped_column(
        ForeignKey("match_runs.id", ondelete="CASCADE"), index=True
    )
    person_ref: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    opportunity_ref: Mapped[int] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[float] = mapped_column(Float)
    breakdown: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(100))


class BuddyPairing(Base):
    __tablename__ = "buddy_pairings"
    __table_args__ = (
        one_of("status", vocab.PROPOSAL_STATUSES),
        CheckConstraint("challenged_ods_code <> strong_ods_code", name="distinct_organisations"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_ref: Mapped[int] = mapped_column(
        ForeignKey("match_runs.id", ondelete="CASCADE"), index=True
    )
    challenged_ods_code: Mapped[str] = mapped_column(ForeignKey("organisations.ods_code"))
    strong_ods_code: Mapped[str] = mapped_column(ForeignKey("organisations.ods_code"))
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(100))
