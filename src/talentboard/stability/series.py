"""Monthly series of the headline figures, and their SPC charts.

Each series point is a figure of docs/metrics.md as at a month end (the last point is the
as-at date itself), so a series is exactly what ``talentboard stats --at`` would have
said at each of those dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import polars as pl

from talentboard.frames.register import RegisterFrames
from talentboard.stability.board import figures_frame
from talentboard.stability.calendar import month_ends
from talentboard.stability.groups import OVERALL, BoardRegister, prepare_board
from talentboard.stability.metrics import SERIES_METRICS
from talentboard.stability.spc import SpcRules, XmrChart, xmr

__all__ = ["SERIES_METRICS", "monthly_series", "series_charts"]


def monthly_series(
    frames: RegisterFrames | BoardRegister,
    at: dt.date,
    *,
    months: int = 24,
    by: str | None = None,
) -> pl.DataFrame:
    """The ``SERIES_METRICS`` at each of ``months`` month ends up to ``at``.

    Columns ``as_at``, ``group`` and one per metric; sorted by group, then date.
    """
    if months < 1:
        raise ValueError("a series needs at least one month")
    board = frames if isinstance(frames, BoardRegister) else prepare_board(frames)
    parts = [
        figures_frame(board, day, by=by)
        .select("group", *SERIES_METRICS)
        .with_columns(as_at=pl.lit(day, dtype=pl.Date))
        for day in month_ends(at, months)
    ]
    return (
        pl.concat(parts)
        .select("as_at", "group", *SERIES_METRICS)
        .sort("group", "as_at", maintain_order=True)
    )


def series_charts(
    series: pl.DataFrame,
    *,
    group: str = OVERALL,
    targets: Mapping[str, float] | None = None,
    rules: SpcRules | None = None,
) -> dict[str, XmrChart]:
    """An XmR chart for each metric of one group's series (months with no value, where the
    figure's denominator was zero, are left out of the chart)."""
    rows = series.filter(pl.col("group") == group)
    charts = {}
    for metric, higher_is_better in SERIES_METRICS.items():
        values = rows[metric].drop_nulls().to_list()
        charts[metric] = xmr(
            values,
            higher_is_better=higher_is_better,
            target=None if targets is None else targets.get(metric),
            rules=rules,
        )
    return charts
