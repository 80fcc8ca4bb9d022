"""Monthly series of the headline figures, and their SPC charts.

Each series point is a figure of docs/metrics.md as at a month end (the last point is the
as-at date itself), so a series is exactly what ``talentboard stats --at`` would have
said at each of those dates.

``series_figures`` works the figures out for all the days in one pass: each row of the
board register is paired with every day, the date conditions of ``figures_frame`` (a post
exists, a spell covers the day, ended in the 12 months before it, ...) become conditions on
a column ``as_at``, and the counts are grouped by day and group. Its tests check it against
``figures_frame`` day by day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import polars as pl

from talentboard.frames.register import RegisterFrames
from talentboard.reference import BME_CODES
from talentboard.stability.board import COUNT_COLUMNS, UNKNOWN_ETHNICITY, _with_shares
from talentboard.stability.calendar import month_ends, shift_months
from talentboard.stability.groups import OVERALL, BoardRegister, group_expr, prepare_board
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

# A row of the register paired with a day: the day, and the day 12 months before it.
DAY = "as_at"
YEAR_AGO = "_year_ago"
# What the counts are grouped by.
KEY = (DAY, "group")


def _covers(day: str, start: str = "start_date", end: str = "end_date") -> pl.Expr:
    """``frames.register.covers`` with the date read from column ``day`` of each row:
    ``[start, end)`` covers it, an empty bound being unbounded."""
    lower = pl.col(start).is_null() | (pl.col(start) <= pl.col(day))
    upper = pl.col(end).is_null() | (pl.col(end) > pl.col(day))
    return lower & upper


def _on_days(rows: pl.DataFrame, calendar: pl.LazyFrame, day: str = DAY) -> pl.LazyFrame:
    """Each of ``rows`` (with ``start_date`` and ``end_date``) paired with each day of
    ``calendar`` that it covers."""
    return rows.lazy().join(calendar, how="cross").filter(_covers(day))


def _posts_on(board: BoardRegister, calendar: pl.LazyFrame, by: str | None) -> pl.LazyFrame:
    """``groups.posts_at`` at every day of ``calendar`` (less ``challenged``, which no
    series figure reads): each post once per day, with its ``oversight_segment``,
    ``exists`` and ``group`` at that day (the segment only when the group is read from it:
    no series figure reads it otherwise)."""
    group = group_expr(by)
    posts = board.posts.lazy().join(calendar, how="cross")
    if "oversight_segment" in group.meta.root_names():
        # ``frames.register.segment_at``: each organisation's latest rating effective on or
        # before the day (its segment null when that rating has none, or when it has no
        # rating by then). One row per organisation and day, so no post is repeated.
        segments = (
            board.frames.ratings.lazy()
            .join(calendar.select(DAY), how="cross")
            .filter(pl.col("effective_from") <= pl.col(DAY))
            .group_by(DAY, "ods_code")
            .agg(pl.col("oversight_segment").sort_by("effective_from").last())
        )
        posts = posts.join(segments, on=[DAY, "ods_code"], how="left")
    return posts.with_columns(
        exists=_covers(DAY, "established_from", "established_to"), group=group
    )


def _vacancy_on(board: BoardRegister, posts: pl.LazyFrame, calendar: pl.LazyFrame) -> pl.LazyFrame:
    """The post counts of ``board._vacancy`` at each day: existing executive posts, those
    no spell covers (vacant), and of those the ones an interim, acting or secondment
    appointment covers."""
    covered = (
        _on_days(board.executive_spells, calendar)
        .select(DAY, "post_ref")
        .unique()
        .with_columns(_spell=pl.lit(True))
    )
    interim = (
        _on_days(board.cover, calendar)
        .select(DAY, "post_ref")
        .unique()
        .with_columns(_cover=pl.lit(True))
    )
    return (
        posts.filter(pl.col("executive_board") & pl.col("exists"))
        .join(covered, on=[DAY, "post_ref"], how="left")
        .join(interim, on=[DAY, "post_ref"], how="left")
        .with_columns(vacant=pl.col("_spell").is_null())
        .group_by(KEY)
        .agg(
            exec_posts=pl.len(),
            exec_posts_vacant=pl.col("vacant").sum(),
            exec_posts_interim=(pl.col("vacant") & pl.col("_cover").is_not_null()).sum(),
        )
    )


def _holders_on(board: BoardRegister, posts: pl.LazyFrame) -> pl.LazyFrame:
    """The spell counts of ``board._holders`` and ``board._turnover`` at each day: spells
    covering the day, covering the day 12 months before, and ending in between (after
    the earlier day, on or before the day). Every spell counts in the group of its post
    at the day, as in ``figures_frame``, even for the earlier day."""
    ended = (pl.col("end_date") > pl.col(YEAR_AGO)) & (pl.col("end_date") <= pl.col(DAY))
    return (
        board.executive_spells.lazy()
        .join(posts.select(DAY, YEAR_AGO, "post_ref", "group"), on="post_ref")
        .group_by(KEY)
        .agg(
            current_holders=_covers(DAY).sum(),
            holders_12m_ago=_covers(YEAR_AGO).sum(),
            ended_12m=ended.sum(),
        )
    )


def _diversity_on(
    board: BoardRegister, posts: pl.LazyFrame, calendar: pl.LazyFrame
) -> pl.LazyFrame:
    """The people counts of ``board._diversity`` at each day: the people appointed to a
    voting board post in the group at the day, each once, whose ethnicity is known, and
    of those the BME ones."""
    known = pl.col("ethnic_category").is_not_null() & ~pl.col("ethnic_category").is_in(
        UNKNOWN_ETHNICITY
    )
    return (
        _on_days(board.voting_appointments, calendar)
        .join(posts.select(DAY, "post_ref", "group"), on=[DAY, "post_ref"])
        .select(DAY, "group", "person_ref", "ethnic_category")
        .unique([DAY, "group", "person_ref"])
        .group_by(KEY)
        .agg(
            board_voting_known=known.sum(),
            board_voting_bme=pl.col("ethnic_category").is_in(sorted(BME_CODES)).sum(),
        )
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
    then by group (no days, no rows). A day's groups are those of ``figures_frame`` at it:
    every group of a board post, existing at the day or not (by segment, the segments at
    the day).
    """
    board = frames if isinstance(frames, BoardRegister) else prepare_board(frames)
    distinct = sorted(set(days))
    calendar = pl.LazyFrame(
        {DAY: distinct, YEAR_AGO: [shift_months(day, -12) for day in distinct]},
        schema={DAY: pl.Date, YEAR_AGO: pl.Date},
    )
    posts = _posts_on(board, calendar, by)
    # As in ``figures_frame``: each day's groups, with the counts of each part joined on
    # and a group a part has no row for counting 0.
    table = posts.select(KEY).unique()
    for part in (
        _vacancy_on(board, posts, calendar),
        _holders_on(board, posts),
        _diversity_on(board, posts, calendar),
    ):
        table = table.join(part, on=KEY, how="left")
    table = table.with_columns(pl.col(SERIES_COUNTS).fill_null(0).cast(pl.Int64))
    # ``_with_shares`` works out the shares whose counts are here, as ``figures_frame``
    # does, so that each figure has one definition.
    figures = _with_shares(table.collect())
    # Back to the days asked for, in their order (a day asked for twice comes twice).
    order = pl.DataFrame(
        {"_position": range(len(days)), DAY: list(days)},
        schema={"_position": pl.Int64, DAY: pl.Date},
    )
    return (
        order.join(figures, on=DAY)
        .sort("_position", "group")
        .select(DAY, "group", *SERIES_COUNTS, *SERIES_METRICS)
    )


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
