"""Exit records: why each spell ended, and the notes of the exit conversation.

Definitions at a date ``t`` over a window of ``months`` (12 by default):

- **Ending spells**: substantive spells (:func:`talentboard.frames.register.spells`) that
  ended after ``t - months`` and on or before ``t``. A spell's **reason** is the
  structured ``end_reason`` of its last appointment; its **notes** are that appointment's
  exit-conversation notes.
- **Forced exits**: ending spells whose reason is ``dismissed_or_forced``; the **forced
  exit share** is forced exits / ending spells (null when none ended), the figure
  ``forced_exit_share_12m`` of docs/metrics.md uses for executive spells. An ending spell
  with no reason recorded is counted as ``not_recorded``: each one is an exit record to
  complete.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl

from talentboard import vocab
from talentboard.talent.schemas import require
from talentboard.talent.timing import shift_months

FORCED = "dismissed_or_forced"
NOT_RECORDED = "not_recorded"


def exit_records(
    spells: pl.DataFrame,
    appointments: pl.DataFrame,
    exits: pl.DataFrame,
    at: dt.date,
    *,
    months: int = 12,
) -> pl.DataFrame:
    """[person_ref, post_ref, start_date, end_date, end_reason, exit_notes]: the spells
    ending in the window, latest first (``end_reason`` ``not_recorded`` when empty)."""
    require(spells, ("person_ref", "post_ref", "start_date", "end_date", "end_reason"), "spells")
    require(exits, ("appointment_ref", "exit_notes"), "exits")
    since = shift_months(at, -months)
    ending = spells.filter(
        pl.col("end_date").is_not_null() & (pl.col("end_date") > since) & (pl.col("end_date") <= at)
    )
    last_appointment = (
        appointments.filter(pl.col("appointment_type").is_in(list(vocab.SUBSTANTIVE_TYPES)))
        .select("appointment_ref", "person_ref", "post_ref", "end_date")
        .join(exits.select("appointment_ref", "exit_notes"), on="appointment_ref", how="left")
        .sort("appointment_ref")
        .group_by(["person_ref", "post_ref", "end_date"], maintain_order=True)
        .last()
        .drop("appointment_ref")
    )
    return (
        ending.select("person_ref", "post_ref", "start_date", "end_date", "end_reason")
        .join(last_appointment, on=["person_ref", "post_ref", "end_date"], how="left")
        .with_columns(pl.col("end_reason").fill_null(NOT_RECORDED))
        .sort(["end_date", "person_ref"], descending=[True, False])
    )


@dataclass(frozen=True)
class ExitSummary:
    """Ending spells by reason, and the forced exit share."""

    ended: int
    by_reason: dict[str, int]

    @property
    def forced(self) -> int:
        return self.by_reason.get(FORCED, 0)

    @property
    def forced_share(self) -> float | None:
        return self.forced / self.ended if self.ended else None

    @property
    def not_recorded(self) -> int:
        return self.by_reason.get(NOT_RECORDED, 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "ended": self.ended,
            "forced": self.forced,
            "forced_share": self.forced_share,
            "not_recorded": self.not_recorded,
            "by_reason": self.by_reason,
        }


def exit_summary(records: pl.DataFrame) -> ExitSummary:
    """Count :func:`exit_records` rows by reason (every reason listed, zeros included)."""
    counts = dict(records.group_by("end_reason").len().iter_rows())
    by_reason = {
        reason: int(counts.get(reason, 0)) for reason in (*vocab.END_REASONS, NOT_RECORDED)
    }
    return ExitSummary(records.height, by_reason)
