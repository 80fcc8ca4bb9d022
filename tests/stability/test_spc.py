"""XmR charts and the Making Data Count rules, on series worked out by hand.

Most series start with the baseline 6, 5, 6, 5, 6, 5 (``SpcRules(baseline=6)``): mean 5.5,
moving ranges all 1, so the process limits are 5.5 -/+ 2.66 = 2.84 and 8.16 and the two
sigma lines 5.5 -/+ 2/3 * 2.66 = 3.7267 and 7.2733. Alternating around the mean, the
baseline itself raises no rule.
"""

from __future__ import annotations

import datetime as dt

import pytest

from talentboard.stability.board import board_figures
from talentboard.stability.calendar import month_ends, shift_months, shift_years
from talentboard.stability.series import monthly_series, series_charts
from talentboard.stability.spc import SpcRules, xmr
from tests.stability.fixtures import T, board_register

BASELINE = [6.0, 5.0, 6.0, 5.0, 6.0, 5.0]
RULES = SpcRules(baseline=6)


def flagged(chart_rules: tuple[tuple[str, ...], ...]) -> dict[int, tuple[str, ...]]:
    return {i: r for i, r in enumerate(chart_rules) if r}


def test_limits_from_the_mean_moving_range() -> None:
    chart = xmr(BASELINE, rules=RULES)
    assert chart.mean == 5.5
    assert chart.mean_moving_range == 1.0
    assert chart.upper_limit == pytest.approx(8.16)
    assert chart.lower_limit == pytest.approx(2.84)
    assert chart.upper_two_sigma == pytest.approx(7.27333333)
    assert chart.lower_two_sigma == pytest.approx(3.72666667)
    assert flagged(chart.rules) == {}
    assert chart.variation == "common_cause"


def test_a_point_outside_the_limits() -> None:
    """20 > 8.16; the only point beyond the upper two-sigma line, so no two-of-three."""
    chart = xmr([*BASELINE, 20.0], rules=RULES, higher_is_better=False)
    assert flagged(chart.rules) == {6: ("outside_limits",)}
    assert chart.sides[6] == "high"
    assert chart.variation == "special_cause_concerning"
    assert xmr([*BASELINE, 20.0], rules=RULES, higher_is_better=True).variation == (
        "special_cause_improving"
    )
    assert xmr([*BASELINE, 20.0], rules=RULES).variation == "special_cause_neither"
    low = xmr([*BASELINE, 1.0], rules=RULES, higher_is_better=True)
    assert low.sides[6] == "low"
    assert low.variation == "special_cause_concerning"


def test_a_shift_of_seven_points_on_one_side() -> None:
    """5.6, 5.7 alternating: seven points above 5.5, inside the two-sigma lines, no trend."""
    run = [5.6, 5.7, 5.6, 5.7, 5.6, 5.7, 5.6]
    chart = xmr([*BASELINE, *run], rules=RULES, higher_is_better=True)
    assert flagged(chart.rules) == dict.fromkeys(range(6, 13), ("shift",))
    assert set(chart.sides[6:]) == {"high"}
    assert chart.variation == "special_cause_improving"
    # Six points are not enough, and the length is configurable.
    assert flagged(xmr([*BASELINE, *run[:6]], rules=RULES).rules) == {}
    longer = SpcRules(baseline=6, shift_points=8)
    assert flagged(xmr([*BASELINE, *run], rules=longer).rules) == {}


def test_a_point_on_the_mean_breaks_a_run() -> None:
    run = [5.6, 5.7, 5.6, 5.5, 5.7, 5.6, 5.7]
    assert flagged(xmr([*BASELINE, *run], rules=RULES).rules) == {}


def test_a_trend_of_six_consecutive_increases() -> None:
    """5 -> 4.9 falls; then 4.9, 5.2, 5.4, 5.6, 5.8, 6.0, 6.2: six rises, seven points, on
    both sides of the mean (no shift) and inside the two-sigma lines."""
    trend = [4.9, 5.2, 5.4, 5.6, 5.8, 6.0, 6.2]
    chart = xmr([*BASELINE, *trend], rules=RULES, higher_is_better=False)
    assert flagged(chart.rules) == dict.fromkeys(range(6, 13), ("trend",))
    assert set(chart.sides[6:]) == {"high"}
    assert chart.variation == "special_cause_concerning"
    assert flagged(xmr([*BASELINE, *trend], rules=SpcRules(baseline=6, trend_points=8)).rules) == {}
    falling = xmr([*BASELINE, *reversed(trend)], rules=RULES)
    # 5 -> 6.2 rises, then six falls: the seven falling points, side low.
    assert flagged(falling.rules) == dict.fromkeys(range(6, 13), ("trend",))
    assert set(falling.sides[6:]) == {"low"}


def test_an_equal_value_breaks_a_trend() -> None:
    trend = [4.9, 5.2, 5.4, 5.4, 5.8, 6.0, 6.2]
    assert flagged(xmr([*BASELINE, *trend], rules=RULES).rules) == {}


def test_two_of_three_beyond_two_sigma() -> None:
    """7.5 and 7.4 are beyond 7.2733 (but inside 8.16); 5.0 between them: two of three."""
    chart = xmr([*BASELINE, 7.5, 5.0, 7.4], rules=RULES, higher_is_better=True)
    assert flagged(chart.rules) == {6: ("two_of_three",), 8: ("two_of_three",)}
    assert chart.variation == "special_cause_improving"
    # Beyond on opposite sides is not the rule; nor is it when the rule is switched off.
    assert flagged(xmr([*BASELINE, 7.5, 5.0, 3.6], rules=RULES).rules) == {}
    off = SpcRules(baseline=6, two_of_three=False)
    assert flagged(xmr([*BASELINE, 7.5, 5.0, 7.4], rules=off).rules) == {}


def test_limits_from_every_point_by_default() -> None:
    """10, 12, 11, 13, 12, 11, 10, 12, 11, 30: mean 13.2, moving ranges 2, 1, 2, 1, 1, 1, 2,
    1, 19 (mean 30/9), limits 13.2 -/+ 2.66 * 30/9 = 4.333 and 22.067. 30 is outside; the
    nine points before it are all below the mean: a shift."""
    chart = xmr([10, 12, 11, 13, 12, 11, 10, 12, 11, 30])
    assert chart.mean == pytest.approx(13.2)
    assert chart.mean_moving_range == pytest.approx(30 / 9)
    assert chart.upper_limit == pytest.approx(13.2 + 2.66 * 30 / 9)
    assert flagged(chart.rules) == {**dict.fromkeys(range(9), ("shift",)), 9: ("outside_limits",)}
    assert chart.sides[:9] == ("low",) * 9


@pytest.mark.parametrize(
    ("target", "higher_is_better", "assurance"),
    [
        (2.0, True, "consistently_passing"),
        (9.0, True, "consistently_failing"),
        (5.0, True, "hit_and_miss"),
        (9.0, False, "consistently_passing"),
        (2.0, False, "consistently_failing"),
        (2.84, True, "hit_and_miss"),
        (5.0, None, None),
        (None, True, None),
    ],
)
def test_assurance_against_a_target(
    target: float | None, higher_is_better: bool | None, assurance: str | None
) -> None:
    """Limits 2.84 to 8.16: a target below both passes when higher is better; one on a
    limit is not clear of it (hit and miss)."""
    chart = xmr(BASELINE, rules=RULES, target=target, higher_is_better=higher_is_better)
    assert chart.assurance == assurance


def test_too_few_points_have_no_limits() -> None:
    chart = xmr([0.3])
    assert chart.upper_limit is None
    assert chart.variation == "common_cause"
    assert xmr([]).variation is None


def test_calendar_shifts_mind_29_february() -> None:
    assert shift_years(dt.date(2024, 2, 29), -1) == dt.date(2023, 2, 28)
    assert shift_years(dt.date(2024, 2, 29), -4) == dt.date(2020, 2, 29)
    assert shift_months(dt.date(2024, 2, 29), -36) == dt.date(2021, 2, 28)
    assert shift_months(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)
    assert shift_months(dt.date(2026, 1, 15), -13) == dt.date(2024, 12, 15)
    assert month_ends(dt.date(2026, 3, 15), 3) == [
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 15),
    ]


def test_turnover_window_on_29_february() -> None:
    """As at 2024-02-29 the 12-month window starts after 2023-02-28: a spell ending on
    2023-02-28 is outside it, one ending on 2023-03-01 inside."""
    builder = (
        board_register()
        .post("X1", "TSB", "people_director")
        .post("X2", "TSB", "quality_director")
        .person("one", "A")
        .person("two", "A")
        .appoint("one", "X1", "2020-01-01", "2023-02-28", reason="retired")
        .appoint("two", "X2", "2020-01-01", "2023-03-01", reason="retired")
    )
    leap = board_figures(builder.frames(), dt.date(2024, 2, 29))
    without = board_figures(board_register().frames(), dt.date(2024, 2, 29))
    # Holders a year before (2023-02-28): ann, bob, eve, hal, jon and two (one's spell ends
    # that day, so does not cover it): 6; now ann, bob, eve, gus, hal, jon: 6. Ended in the
    # window: two only. 1 / ((6 + 6) / 2).
    assert leap.turnover_rate_12m == pytest.approx(1 / 6)
    assert without.turnover_rate_12m == 0.0


def test_monthly_series_ends_with_the_figures_at_the_date() -> None:
    frames = board_register().frames()
    series = monthly_series(frames, T, months=6)
    assert series["as_at"].to_list() == month_ends(T, 6)
    last = series.row(-1, named=True)
    figures = board_figures(frames, T)
    assert last["exec_vacancy_rate"] == figures.exec_vacancy_rate
    assert last["turnover_rate_12m"] == figures.turnover_rate_12m
    assert last["bme_share_board_voting"] == figures.bme_share_board_voting
    at_april = series.filter(series["as_at"] == dt.date(2026, 4, 30)).row(0, named=True)
    april = board_figures(frames, dt.date(2026, 4, 30))
    assert at_april["interim_cover_share"] == april.interim_cover_share
    charts = series_charts(series, targets={"bme_share_board_voting": 0.15})
    assert set(charts) == {
        "exec_vacancy_rate",
        "interim_cover_share",
        "turnover_rate_12m",
        "bme_share_board_voting",
    }
    assert charts["exec_vacancy_rate"].values == tuple(series["exec_vacancy_rate"].to_list())
    assert charts["bme_share_board_voting"].target == 0.15
