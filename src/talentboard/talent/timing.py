"""The "as at" rules of DESIGN section 5 that the talent functions share.

``covers`` is the register's own rule (:func:`talentboard.frames.register.covers`).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from talentboard import vocab
from talentboard.frames.register import covers
from talentboard.stability.calendar import DAYS_PER_YEAR, shift_months

__all__ = [
    "CHALLENGED_SEGMENT",
    "COVER_TYPES",
    "DAYS_PER_YEAR",
    "SUBSTANTIVE_TYPES",
    "covers",
    "exists",
    "is_challenged",
    "shift_months",
    "years_between",
]

CHALLENGED_SEGMENT = 3
COVER_TYPES = vocab.COVER_TYPES
SUBSTANTIVE_TYPES = vocab.SUBSTANTIVE_TYPES


def exists(at: dt.date) -> pl.Expr:
    """A post exists at ``at`` when ``established_from <= at < established_to`` (open ends)."""
    return covers(at, "established_from", "established_to")


def years_between(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """Years of duration: days / 365.25."""
    return (end - start).dt.total_days().cast(pl.Float64) / DAYS_PER_YEAR


def is_challenged(segment: int | None) -> bool:
    """Challenged: oversight segment 3 or worse (the split DESIGN section 5 uses)."""
    return segment is not None and segment >= CHALLENGED_SEGMENT
