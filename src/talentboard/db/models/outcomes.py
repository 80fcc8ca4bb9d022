"""Outcome indicators: their definitions and each organisation's published values."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from talentboard import vocab
from talentboard.db.base import Base, one_of, ordered


class IndicatorDefinition(Base):
    """An indicator a user declared beyond the shipped catalogue (reference/data)."""

    __tablename__ = "indicator_definitions"
    __table_args__ = (one_of("unit", vocab.INDICATOR_UNITS),)

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(16))
    higher_is_better: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str | None] = mapped_column(String(400))
    licence: Mapped[str | None] = mapped_column(String(200))


class IndicatorValue(Base):
    """One organisation's value of one indicator over one period."""

    __tablename__ = "indicator_values"
    __table_args__ = (
        UniqueConstraint("ods_code", "indicator_code", "period_end"),
        ordered("period_start", "period_end"),
        Index("ix_indicator_values_indicator_code_period_end", "indicator_code", "period_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ods_code: Mapped[str] = mapped_column(ForeignKey("organisations.ods_code", ondelete="CASCADE"))
    indicator_code: Mapped[str] = mapped_column(String(40))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
