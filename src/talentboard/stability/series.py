"""Monthly series of the headline figures, and their SPC charts.

Each series point is a figure of docs/metrics.md as at a month end (the last point is the
as-at date itself), so a series is exactly what ``talentboard stats --at`` would have
said at each of those dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import polars as pl

from talentboard.frames.register import RegisterFrames
from talentboard.stability.board import (
    COUNT_COLUMNS,
    _diversity,
    _holders,
    _turnover,
    _vacancy,
    _with_shares,
)
from talentboard.stability.calendar import month_ends
from talentboard.stability.groups import OVERALL, BoardRegister, posts_at, prepare_board
from talentboard.stability.metrics import FIGURE_BASIS, SERIES_METRICS
from talentboard.stability.spc import SpcRules, XmrChart, xmr

__all__ = [
    "SERIES_COUNTS",
    "SERIES_METRICS",
    "monthly_series",
    "series_charts",
    "series_figures",
]

SERIES_COUNTS = tuple(c for c in COUNT_COLUMNS if any(c in FIGURE_BASIS[m] for m in SERIES_METRICS))
"""The counts of ``figures_frame`` the ``SERIES_METRICS`` rest on: what disclosure control
reads to withhold a month."""


def _figures_at(board: BoardRegister, day: dt.date, by: str | None) -> pl.DataFrame:
    """``figures_frame(board, day, by=by)`` less the Kaplan-Meier tenure figures and their
    log-rank test: the costliest part of it, and not charted month by month."""
    posts = posts_at(board, day, by)
    executive = board.executive_spells.join(posts.select("post_ref", "group"), on="post_ref")
    table = pl.DataFrame(
        {"group": sorted(posts["group"].unique().to_list())}, schema={"group": pl.String}
    )
    for part in (
        _vacancy(posts, board, day),
        _holders(executive, day),
        _turnover(executive, day),
        _diversity(posts, board, day),
    ):
        table = table.join(part, on="group", how="left")
    counts = [c for c in COUNT_COLUMNS if c in table.columns]
    table = _with_shares(table.with_columns(pl.col(counts).fill_null(0).cast(pl.Int64)))
    return table.select(
        pl.lit(day, dtype=pl.Date).alias("as_at"), "group", *SERIES_COUNTS, *SERIES_METRICS
    )


def series_figures(
    frames: RegisterFrames | BoardRegister,
    days: Sequence[dt.date],
    *,
    by: str | None = None,
) -> pl.DataFrame:
    """The ``SERIES_METRICS`` and the ``SERIES_COUNTS`` behind them at each of ``days``, as
    ``figures_frame`` gives them, from one preparation of the board register.

    Columns ``as_at``, ``group``, the counts and the metrics; in the order of ``days``,
    then by group.
    """
    board = frames if isinstance(frames, BoardRegister) else prepare_board(frames)
    return pl.concat([_figures_at(board, day, by) for day in days])


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
    return (
        series_figures(frames, month_ends(at, months), by=by)
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
