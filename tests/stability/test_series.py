"""Series figures: what ``figures_frame`` says at each month end, for the charted figures.

``series_figures`` leaves out the figures the series does not chart (the Kaplan-Meier
tenure and its test), so each of its rows is checked against the same columns of
``figures_frame`` at that day, overall and by every dimension, on the hand-built board
register and on a random register of many spells.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from talentboard.frames.register import RegisterFrames
from talentboard.stability.board import figures_frame
from talentboard.stability.calendar import month_ends
from talentboard.stability.groups import DIMENSIONS, prepare_board
from talentboard.stability.metrics import FIGURE_BASIS
from talentboard.stability.series import (
    SERIES_COUNTS,
    SERIES_METRICS,
    monthly_series,
    series_figures,
)
from tests.stability.fixtures import T, board_register
from tests.stability.generated import random_register


def _expected(frames: RegisterFrames, days: list[dt.date], by: str | None) -> pl.DataFrame:
    board = prepare_board(frames)
    return pl.concat(
        [
            figures_frame(board, day, by=by)
            .with_columns(as_at=pl.lit(day, dtype=pl.Date))
            .select("as_at", "group", *SERIES_COUNTS, *SERIES_METRICS)
            for day in days
        ]
    )


def test_the_series_counts_are_what_the_charted_figures_rest_on() -> None:
    # Disclosure control withholds a month by these counts (reports.publish).
    needed = {count for metric in SERIES_METRICS for count in FIGURE_BASIS[metric]}
    assert set(SERIES_COUNTS) == needed
    assert set(SERIES_COUNTS) == {
        "exec_posts",
        "exec_posts_vacant",
        "exec_posts_interim",
        "current_holders",
        "holders_12m_ago",
        "ended_12m",
        "board_voting_known",
        "board_voting_bme",
    }


@pytest.mark.parametrize("by", [None, *DIMENSIONS])
def test_series_figures_are_the_figures_at_each_day(by: str | None) -> None:
    frames = board_register().frames()
    days = month_ends(T, 30)
    got = series_figures(frames, days, by=by)
    assert_frame_equal(got, _expected(frames, days, by))


@pytest.mark.parametrize("by", [None, "segment", "org"])
def test_series_figures_match_on_a_random_register(by: str | None) -> None:
    frames = random_register(seed=7)
    days = month_ends(dt.date(2025, 3, 31), 24)
    assert_frame_equal(
        series_figures(prepare_board(frames), days, by=by), _expected(frames, days, by)
    )


def test_monthly_series_is_sorted_by_group_then_date() -> None:
    frames = board_register().frames()
    series = monthly_series(frames, T, months=4, by="region")
    assert series.columns == ["as_at", "group", *SERIES_METRICS]
    groups = series["group"].to_list()
    assert groups == sorted(groups)
    for group in set(groups):
        assert series.filter(pl.col("group") == group)["as_at"].to_list() == month_ends(T, 4)


def test_a_series_needs_a_month() -> None:
    with pytest.raises(ValueError, match="at least one month"):
        monthly_series(board_register().frames(), T, months=0)
