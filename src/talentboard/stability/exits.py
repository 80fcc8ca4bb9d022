"""Why executives leave: exit reasons over time and the forced-exit share.

Periods are the twelve months ending on the date and on each anniversary before it:
``(at - k - 1 years, at - k years]`` (calendar shifts, docs/metrics.md), so the latest
period's forced-exit share is ``forced_exit_share_12m``. An executive spell counts in the
period in which it ended, under the end reason of its last appointment (``not_recorded``
when there is none).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from talentboard.frames.register import RegisterFrames
from talentboard.stability.calendar import shift_months
from talentboard.stability.groups import BoardRegister, posts_at, prepare_board

__all__ = ["FORCED_EXIT", "exit_reasons", "forced_exit_shares"]

FORCED_EXIT = "dismissed_or_forced"


def _periods(at: dt.date, years: int) -> pl.DataFrame:
    ends = [shift_months(at, -12 * k) for k in range(years)]
    return pl.DataFrame(
        {
            "period_start": [shift_months(end, -12) for end in ends],
            "period_end": ends,
        },
        schema={"period_start": pl.Date, "period_end": pl.Date},
    ).sort("period_end")


def exit_reasons(
    frames: RegisterFrames | BoardRegister,
    at: dt.date,
    *,
    years: int = 5,
    by: str | None = None,
) -> pl.DataFrame:
    """Executive spells ended in each period, by end reason (long form): ``period_start``
    (exclusive), ``period_end`` (inclusive), ``group``, ``end_reason``, ``exits``."""
    board = frames if isinstance(frames, BoardRegister) else prepare_board(frames)
    groups = posts_at(board, at, by).select("post_ref", "group")
    periods = _periods(at, years)
    ended = board.executive_spells.filter(pl.col("end_date").is_not_null()).join(
        groups, on="post_ref"
    )
    return (
        ended.join(periods, how="cross")
        .filter(
            (pl.col("end_date") > pl.col("period_start"))
            & (pl.col("end_date") <= pl.col("period_end"))
        )
        .with_columns(pl.col("end_reason").fill_null("not_recorded"))
        .group_by("period_start", "period_end", "group", "end_reason")
        .agg(exits=pl.len().cast(pl.Int64))
        .sort("period_end", "group", "end_reason")
    )


def forced_exit_shares(
    frames: RegisterFrames | BoardRegister,
    at: dt.date,
    *,
    years: int = 5,
    by: str | None = None,
) -> pl.DataFrame:
    """Per period and group: ``exits``, ``forced`` and ``forced_exit_share`` (null when no
    one left). Every period appears for every group that had an exit in any of them."""
    reasons = exit_reasons(frames, at, years=years, by=by)
    periods = _periods(at, years)
    groups = reasons.select("group").unique()
    totals = reasons.group_by("period_end", "group").agg(
        exits=pl.col("exits").sum(),
        forced=pl.col("exits").filter(pl.col("end_reason") == FORCED_EXIT).sum(),
    )
    return (
        periods.join(groups, how="cross")
        .join(totals, on=["period_end", "group"], how="left")
        .with_columns(pl.col("exits", "forced").fill_null(0).cast(pl.Int64))
        .with_columns(
            forced_exit_share=pl.when(pl.col("exits") > 0)
            .then(pl.col("forced") / pl.col("exits"))
            .otherwise(None)
        )
        .sort("group", "period_end")
        .select("period_start", "period_end", "group", "exits", "forced", "forced_exit_share")
    )
