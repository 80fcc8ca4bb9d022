"""Series figures: what ``figures_frame`` says at each month end, for the charted figures.

``series_figures`` leaves out the figures the series does not chart (the Kaplan-Meier
tenure and its test), and works out all the days in one pass, so each of its rows is
checked against the same columns of ``figures_frame`` at that day (exactly: the same
groups, counts and floats), overall and by every grouping, on the hand-built board
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
from talentboard.stability.groups import DIMENSIONS, ROLE_LEVELS, UNRATED, prepare_board
from talentboard.stability.metrics import FIGURE_BASIS
from talentboard.stability.series import (
    SERIES_COUNTS,
    SERIES_METRICS,
    monthly_series,
    series_figures,
)
from tests.stability.fixtures import T, board_register
from tests.stability.generated import EXECUTIVE_ROLES, random_register

# Every grouping ``series_figures`` takes: the dimensions and the coarser role groupings.
GROUPINGS = [None, *DIMENSIONS, *ROLE_LEVELS]


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


@pytest.mark.parametrize("by", GROUPINGS)
def test_series_figures_are_the_figures_at_each_day(by: str | None) -> None:
    frames = board_register().frames()
    days = month_ends(T, 30)
    got = series_figures(frames, days, by=by)
    assert_frame_equal(got, _expected(frames, days, by), check_exact=True)


@pytest.mark.parametrize("by", [None, "segment", "org"])
def test_series_figures_match_on_a_random_register(by: str | None) -> None:
    frames = random_register(seed=7)
    days = month_ends(dt.date(2025, 3, 31), 24)
    assert_frame_equal(
        series_figures(prepare_board(frames), days, by=by),
        _expected(frames, days, by),
        check_exact=True,
    )


# Days of the random register (spells from 2005, ratings from 1 April 2019) in no order,
# one of them twice: before any appointment; the eve of the first ratings, when every
# organisation is unrated, and their first day; month ends with many spells.
ODD_DAYS = [
    dt.date(2021, 6, 30),
    dt.date(2004, 12, 31),
    dt.date(2019, 3, 31),
    dt.date(2019, 4, 1),
    *month_ends(dt.date(2025, 3, 31), 4),
    dt.date(2019, 3, 31),
]


@pytest.mark.parametrize("by", GROUPINGS)
def test_series_figures_on_days_in_any_order_are_the_figures_at_each(by: str | None) -> None:
    frames = random_register(seed=3, organisations=12)
    got = series_figures(frames, ODD_DAYS, by=by)
    assert_frame_equal(got, _expected(frames, ODD_DAYS, by), check_exact=True)
    assert got["as_at"].unique(maintain_order=True).to_list() == list(dict.fromkeys(ODD_DAYS))
    # Before the first appointment every post exists (the random posts have no establishment
    # dates), so every group is there (by segment, all unrated), every executive post vacant
    # and no one to count.
    before = got.filter(pl.col("as_at") == dt.date(2004, 12, 31))
    later = got.filter(pl.col("as_at") == dt.date(2025, 3, 31))
    if by != "segment":
        assert before["group"].to_list() == later["group"].to_list()
    assert before["exec_posts"].sum() == 12 * len(EXECUTIVE_ROLES)
    assert before["exec_posts_vacant"].to_list() == before["exec_posts"].to_list()
    nobody = [c for c in SERIES_COUNTS if c not in ("exec_posts", "exec_posts_vacant")]
    assert before.select(nobody).sum_horizontal().to_list() == [0] * before.height
    assert before.filter(pl.col("exec_posts") > 0)["exec_vacancy_rate"].unique().to_list() == [1.0]
    for metric in ("turnover_rate_12m", "bme_share_board_voting"):
        assert before[metric].null_count() == before.height
    # ... and later there is.
    assert later["exec_posts"].sum() == 12 * len(EXECUTIVE_ROLES)
    assert 0 < later["exec_posts_vacant"].sum() < later["exec_posts"].sum()
    assert later["current_holders"].sum() > 0
    assert later["board_voting_known"].sum() > 0


def test_a_days_segments_are_those_of_the_ratings_then() -> None:
    frames = random_register(seed=3, organisations=12)
    got = series_figures(frames, [dt.date(2019, 3, 31), dt.date(2019, 4, 1)], by="segment")
    groups = {
        day: got.filter(pl.col("as_at") == day)["group"].to_list()
        for day in (dt.date(2019, 3, 31), dt.date(2019, 4, 1))
    }
    # Unrated on the eve of the first ratings; from them on, organisation 5 (of 12) alone
    # has a rating with no segment.
    assert groups[dt.date(2019, 3, 31)] == [UNRATED]
    assert UNRATED in groups[dt.date(2019, 4, 1)]
    assert len(groups[dt.date(2019, 4, 1)]) > 1
    rated = got.filter((pl.col("as_at") == dt.date(2019, 4, 1)) & (pl.col("group") == UNRATED))
    assert rated["exec_posts"].to_list() == [len(EXECUTIVE_ROLES)]


def test_no_days_no_series() -> None:
    got = series_figures(board_register().frames(), [], by="region")
    assert got.height == 0
    assert got.columns == ["as_at", "group", *SERIES_COUNTS, *SERIES_METRICS]


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
