"""The backtest: blinding takes away every later fact; actuals and the naive forecast."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from talentboard.forecast import forecast_frames
from talentboard.forecast.backtest import actuals, backtest, blind, naive
from talentboard.stability.board import board_figures
from tests.forecast.registers import AS_AT, World, world

ORIGIN = dt.date(2020, 6, 30)


def _later_world() -> World:
    """The hand world with facts recorded after ORIGIN of every kind: a post established
    later, a post abolished later, a rating, a successor review and a person who first
    appears later."""
    w = world(12, gap_days=90)
    w.post("TSTA-NEW", "TSTA", "digital_director", established_from="2022-04-01")
    w.appoint(w.new_person("M"), "TSTA-NEW", "2022-05-01")
    w.post("TSTB-OLD", "TSTB", "strategy_director", established_to="2023-03-31")
    w.appoint(w.new_person("A"), "TSTB-OLD", "2015-01-01", "2023-03-31")
    w.rating("TSTA", "2021-04-01", 4)
    early, late = w.new_person("A"), w.new_person("M")
    w.appoint(early, "TSTC-NED2", "2011-01-01", "2030-01-01", "acting")
    w.name(early, "TSTA-FD0", "ready_now", dt.date(2019, 1, 1))
    w.name(late, "TSTA-FD0", "ready_now", dt.date(2024, 1, 1))
    return w


def _dates(frame: pl.DataFrame) -> list[dt.date]:
    values: list[dt.date] = []
    for column, dtype in frame.schema.items():
        if dtype == pl.Date():
            values.extend(v for v in frame[column].to_list() if v is not None)
    return values


def test_blinding_removes_every_later_fact() -> None:
    w = _later_world()
    register, successors = blind(w.frames(), w.successor_frame(), ORIGIN)
    for name in ("ratings", "posts", "people", "appointments"):
        assert all(day <= ORIGIN for day in _dates(getattr(register, name))), name
    assert all(day <= ORIGIN for day in _dates(successors))
    appointments = register.appointments
    # Cleared end dates take their end reasons with them.
    assert (
        appointments.filter(
            pl.col("end_date").is_null() & pl.col("end_reason").is_not_null()
        ).height
        == 0
    )
    assert "TSTA-NEW" not in register.posts["post_id"].to_list()
    old = register.posts.filter(pl.col("post_id") == "TSTB-OLD")
    assert old["established_to"].to_list() == [None]
    # Everyone left appears in an appointment or a successor entry known at the origin.
    seen = set(appointments["person_ref"].to_list()) | set(successors["person_ref"].to_list())
    assert set(register.people["person_ref"].to_list()) == seen
    assert successors.height == 1
    # The acting appointment ending in 2030 is still running at the origin.
    acting = appointments.filter(pl.col("appointment_type") == "acting")
    assert acting["end_date"].to_list() == [None]


def test_a_blinded_register_forecasts_as_the_register_written_at_the_origin() -> None:
    full = world(12, gap_days=90)
    written = world(12, gap_days=90, until=ORIGIN)
    register, successors = blind(full.frames(), full.successor_frame(), ORIGIN)
    options = {"as_at": ORIGIN, "horizon_months": 12, "replications": 200, "seed": 4, "exact": True}
    assert forecast_frames(register, successors, **options) == forecast_frames(
        written.frames(), written.successor_frame(), **options
    )


def _ended(w: World, start: dt.date, end: dt.date) -> int:
    """Executive spells ending in (start, end], by hand: in the hand world every
    appointment is its own spell (the gaps are 90 days)."""
    executive = {p["post_ref"] for p in w.posts if p["executive"]}
    return sum(
        1
        for a in w.appointments
        if a["post_ref"] in executive
        and a["appointment_type"] == "substantive"
        and a["end_date"] is not None
        and start < a["end_date"] <= end
    )


def test_actuals_and_naive() -> None:
    w = world(12, gap_days=90)
    frames = w.frames()
    happened = actuals(frames, ORIGIN, 12, "region")
    assert happened["all"]["exec_departures"] == _ended(w, ORIGIN, dt.date(2021, 6, 30))
    later = board_figures(frames, dt.date(2021, 6, 30))
    assert happened["all"]["exec_vacancy_rate"] == later.exec_vacancy_rate
    assert happened["all"]["bme_share_board_voting"] == later.bme_share_board_voting
    repeated = naive(frames, ORIGIN, 12, "region")
    assert repeated["all"]["exec_departures"] == _ended(w, dt.date(2019, 6, 30), ORIGIN)
    assert repeated["all"]["exec_vacancy_rate"] == board_figures(frames, ORIGIN).exec_vacancy_rate
    assert (
        happened["Y56"]["exec_departures"] + happened["Y58"]["exec_departures"]
        == happened["all"]["exec_departures"]
    )


def test_backtest_table() -> None:
    w = world(12, gap_days=90)
    result = backtest(
        w.frames(),
        w.successor_frame(),
        origins=[ORIGIN, dt.date(2022, 6, 30)],
        horizon_months=12,
        replications=200,
        seed=1,
    )
    rows = result.rows
    assert set(rows["group"].to_list()) == {"all", "Y56", "Y58"}
    assert rows.height == 2 * 3 * 4
    covered = rows.filter(pl.col("group") != "all")
    assert result.coverage()["all"] == pytest.approx(covered["covered"].mean())
    mae = result.mae()
    departures = covered.filter(pl.col("measure") == "exec_departures")
    assert mae["forecast"] == pytest.approx(departures["error"].mean())
    assert mae["naive"] == pytest.approx(departures["naive_error"].mean())
    for row in rows.iter_rows(named=True):
        assert row["covered"] == (row["p05"] <= row["actual"] <= row["p95"])
    document = result.to_json(exact=False)
    for row in document["rows"]:
        if row["measure"] == "exec_departures" and row["actual"] is not None:
            assert row["actual"] == "*" or row["actual"] % 5 == 0
    assert AS_AT > ORIGIN
