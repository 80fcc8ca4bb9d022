"""The simulation against the analytic expectation, and the cases that must be exact."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import polars as pl
import pytest
from lifelines import KaplanMeierFitter

from talentboard.forecast import forecast_frames
from talentboard.forecast.curves import build_curves
from talentboard.forecast.model import calibrate
from talentboard.frames.register import spells
from talentboard.stability.board import board_figures
from talentboard.stability.calendar import shift_months
from tests.forecast.registers import AS_AT, World, world

HORIZON = 9  # months: shorter than the shortest spell, so a new holder never leaves in it


def _analytic(w: World, horizon_months: int) -> tuple[float, float]:
    """Sum over current holders of ``1 - S(d + h) / S(d)`` and its binomial variance, with
    ``S`` the lifelines Kaplan-Meier curve of their comparable spells: all the finance
    director spells of organisations in the same segment class (1-2: TSTA and TSTC; 3-5:
    TSTB), each class holding more than 20."""
    frames = w.frames()
    history = (
        spells(frames.appointments)
        .join(frames.posts.select("post_ref", "ods_code", "executive"), on="post_ref")
        .filter(pl.col("executive"))
        .with_columns(
            pl.when(pl.col("ods_code") == "TSTB")
            .then(pl.lit("3-5"))
            .otherwise(pl.lit("1-2"))
            .alias("segment_class"),
            (
                (pl.col("end_date").fill_null(AS_AT) - pl.col("start_date")).dt.total_days()
                / 365.25
            ).alias("duration"),
            pl.col("end_date").is_not_null().alias("event"),
        )
    )
    h = (shift_months(AS_AT, horizon_months) - AS_AT).days / 365.25
    expected = variance = 0.0
    for group in ("1-2", "3-5"):
        rows = history.filter(pl.col("segment_class") == group)
        assert rows.height >= 20
        km = KaplanMeierFitter().fit(rows["duration"].to_numpy(), rows["event"].to_numpy())
        for d in rows.filter(~pl.col("event"))["duration"].to_list():
            now, later = km.survival_function_at_times([d, d + h]).to_numpy()
            p = 1.0 - later / now
            expected += p
            variance += p * (1 - p)
    return expected, variance


def test_mean_departures_match_the_analytic_expectation() -> None:
    w = world(30, gap_days=400, with_voting=False)
    expected, variance = _analytic(w, HORIZON)
    replications = 4000
    document = forecast_frames(
        w.frames(),
        w.successor_frame(),
        as_at=AS_AT,
        horizon_months=HORIZON,
        replications=replications,
        seed=7,
        exact=True,
    )
    mean = document["measures"]["exec_departures"]["mean"]
    standard_error = math.sqrt(variance / replications)
    assert expected > 2  # the test means something: several departures expected
    assert abs(mean - expected) < 4 * standard_error


def test_a_register_with_no_departures_ever_gives_zero() -> None:
    w = World()
    w.org("TSTA", segment=2)
    for i in range(10):
        w.post(f"FD{i}", "TSTA", "finance_director")
        w.person(f"P{i}", "A")
        w.appoint(f"P{i}", f"FD{i}", f"201{i}-01-01")
    document = forecast_frames(
        w.frames(),
        w.successor_frame(),
        as_at=AS_AT,
        horizon_months=24,
        replications=200,
        seed=1,
        exact=True,
    )
    for month in document["monthly"]:
        assert month["exec_departures"] == dict.fromkeys(
            ("mean", "p05", "p25", "p50", "p75", "p95"), 0.0
        )
        assert month["exec_vacancy_rate"]["p95"] == 0.0
        assert month["appointments_needed"]["p95"] == 0.0


def test_planned_end_dates_are_honoured() -> None:
    """Ten holders who never leave by the history, one of whom has given notice to leave on
    2027-01-15: every replication has no departure to December 2026 and exactly one from
    January 2027 (month ends are the 30th), and the post stays vacant (no vacancy in the
    history has ever been filled)."""
    w = World()
    w.org("TSTA", segment=2)
    for i in range(10):
        w.post(f"FD{i}", "TSTA", "finance_director")
        w.person(f"P{i}", "A")
        w.appoint(f"P{i}", f"FD{i}", f"201{i}-01-01", "2027-01-15" if i == 3 else None)
    document = forecast_frames(
        w.frames(),
        w.successor_frame(),
        as_at=AS_AT,
        horizon_months=6,
        replications=200,
        seed=1,
        exact=True,
    )
    months = {m["month"]: m for m in document["monthly"]}
    for month in ("2026-10", "2026-11", "2026-12"):
        assert months[month]["exec_departures"]["p95"] == 0.0
        assert months[month]["exec_vacancy_rate"]["mean"] == 0.0
    for month in ("2027-01", "2027-02", "2027-03"):
        assert months[month]["exec_departures"] == dict.fromkeys(
            ("mean", "p05", "p25", "p50", "p75", "p95"), 1.0
        )
        assert months[month]["exec_vacancy_rate"]["mean"] == pytest.approx(0.1)


def test_month_zero_state_agrees_with_the_stability_figures() -> None:
    """In the first days no one can have been replaced: the vacancy rate at the end of the
    first month is at least the section 5 rate at the as-at date, and with a horizon of one
    month and a history whose vacancies all last 400 days, a post vacant at the as-at date
    (116 days into its vacancy) is still vacant."""
    w = world(30, gap_days=400)
    figures = board_figures(w.frames(), AS_AT)
    document = forecast_frames(
        w.frames(),
        w.successor_frame(),
        as_at=AS_AT,
        horizon_months=1,
        replications=100,
        seed=1,
        exact=True,
    )
    assert figures.exec_vacancy_rate == pytest.approx(6 / 30)
    assert document["measures"]["exec_vacancy_rate"]["p05"] >= figures.exec_vacancy_rate


def test_inverse_sampling_is_exact_on_a_hand_worked_curve() -> None:
    """Spells of 365, 730, 730, 1096 (running) and 1461 days: S = 0.8 from day 365, 0.4
    from day 730, 0 from day 1461. A draw ``v`` lands on the first day with ``S <= v``."""
    days = np.array([365.0, 730.0, 730.0, 1096.0, 1461.0])
    table = build_curves(
        pl.DataFrame(
            {"curve": [0] * 5, "duration": days / 365.25, "event": [True, True, True, False, True]}
        ),
        1,
    )
    levels = np.array([0.95, 0.8, 0.79, 0.41, 0.4, 0.39, 0.0, 0.8 - 1e-12])
    times = table.inverse(np.zeros(levels.shape[0], dtype=np.int64), levels)
    assert times.tolist() == [365.0, 365.0, 730.0, 730.0, 730.0, 1461.0, 1461.0, 730.0]
    at = table.survival_at(np.zeros(3, dtype=np.int64), np.array([200.0, 900.0, 5000.0]))
    assert at.tolist() == [1.0, 0.4, 0.0]


def test_a_curve_whose_longest_spells_are_running_never_ends_some_draws() -> None:
    table = build_curves(
        pl.DataFrame({"curve": [0, 0], "duration": [1.0, 5.0], "event": [True, False]}), 1
    )  # one spell ended after a year, one has run for five: S = 0.5 from day 365
    times = table.inverse(np.zeros(2, dtype=np.int64), np.array([0.6, 0.4]))
    assert times[0] == 365.0
    assert math.isinf(times[1])


def test_comparable_groups_are_those_of_succession_risk() -> None:
    """Each post's curve holds the spells the succession risk compares it with: here the
    narrowest group, role and segment class (TSTB alone in 3-5)."""
    w = world(30, gap_days=400, with_voting=False)
    model = calibrate(w.frames(), w.successor_frame(), AS_AT, 12)
    org = np.array(model.groups["org"])
    assert len(set(model.departure_curve[org == "TSTB"].tolist())) == 1
    assert set(model.departure_curve[org == "TSTB"].tolist()).isdisjoint(
        model.departure_curve[org != "TSTB"].tolist()
    )


def test_dates_in_months_are_calendar_shifts() -> None:
    model = calibrate(world(3).frames(), World().successor_frame(), dt.date(2026, 1, 31), 2)
    assert model.months == [dt.date(2026, 2, 28), dt.date(2026, 3, 31)]


def test_levels_choose_the_posts_simulated() -> None:
    """Board: every board post, the executive ones measured, the voting ones in the BME
    share. Senior: the senior posts only, all of them in every measure. All: both."""
    w = world(6, gap_days=90)
    for i in range(4):
        w.post(f"TSTA-DD{i}", "TSTA", "divisional_director")
        w.person(f"S{i}", "M")
        w.appoint(f"S{i}", f"TSTA-DD{i}", "2020-01-01")
    successors = w.successor_frame()
    board = calibrate(w.frames(), successors, AS_AT, 12, level="board")
    assert (board.size, int(board.measured.sum()), int(board.diverse.sum())) == (12, 6, 12)
    senior = calibrate(w.frames(), successors, AS_AT, 12, level="senior")
    assert (senior.size, int(senior.measured.sum()), int(senior.diverse.sum())) == (4, 4, 4)
    every = calibrate(w.frames(), successors, AS_AT, 12, level="all")
    assert (every.size, int(every.measured.sum()), int(every.diverse.sum())) == (16, 10, 16)
    document = forecast_frames(
        w.frames(),
        successors,
        as_at=AS_AT,
        horizon_months=12,
        replications=100,
        seed=1,
        level="senior",
        exact=True,
    )
    # The four senior holders are all BME; with too few senior spells to compare, their
    # curve is that of every spell, none of which ended after more than 1,900 days: in post
    # since 2020 (2,465 days), they stay.
    assert document["measures"]["bme_share_board_voting"]["p05"] == 1.0
    assert document["measures"]["exec_departures"]["p95"] == 0.0
