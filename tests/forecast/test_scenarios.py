"""Each scenario key moves the measure it should, and only that; bad files name the key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from talentboard.forecast.run import ForecastSetup, prepare, run_forecast
from talentboard.forecast.scenario import (
    BASELINE,
    Scenario,
    ScenarioError,
    load_scenario,
    load_sweep,
)
from tests.forecast.registers import AS_AT, world

TIMING = ("exec_departures", "exec_vacancy_rate", "interim_cover_share", "appointments_needed")


@pytest.fixture(scope="module")
def setup() -> ForecastSetup:
    """Thirty posts whose vacancies last 60 days, a third of them with an interim; a
    ready-now successor named for six of them, a ready-in-1-2-years one for three more."""
    w = world(30, gap_days=60)
    ended = [
        (a["post_ref"], a["end_date"])
        for a in list(w.appointments)
        if a["end_date"] is not None and a["end_date"] > dt.date(2023, 10, 1)
    ]
    for k, (post_ref, end) in enumerate(ended):
        post = w.posts[post_ref - 1]
        if post["executive"] and k % 2 == 0:
            start, stop = end + dt.timedelta(days=1), end + dt.timedelta(days=59)
            w.appoint(w.new_person("A"), post["post_id"], str(start), str(stop), "interim")
    for k in range(9):
        person = w.new_person("M" if k % 2 else "A")
        w.appoint(person, w.posts[2 * k + 1]["post_id"], "2010-01-01", None, "acting")
        readiness = "ready_now" if k < 6 else "ready_1_2y"
        w.name(person, w.posts[2 * (k + 10)]["post_id"], readiness, AS_AT)
    return prepare(w.frames(), w.successor_frame(), AS_AT, 36, by="org")


def _run(setup: ForecastSetup, scenario: Scenario) -> dict[str, Any]:
    return run_forecast(setup, 400, 3, scenario).to_json()


def _mean(document: dict[str, Any], measure: str) -> float:
    return float(document["measures"][measure]["mean"])


@pytest.fixture(scope="module")
def baseline(setup: ForecastSetup) -> dict[str, Any]:
    return _run(setup, BASELINE)


def _same(a: dict[str, Any], b: dict[str, Any], measures: tuple[str, ...]) -> bool:
    return all(
        a["monthly"][m][name] == b["monthly"][m][name]
        for m in range(len(a["monthly"]))
        for name in measures
    )


def test_the_baseline_has_something_to_move(baseline: dict[str, Any]) -> None:
    assert _mean(baseline, "exec_departures") > 10
    assert 0 < _mean(baseline, "interim_cover_share") < _mean(baseline, "exec_vacancy_rate")
    assert 0 < _mean(baseline, "ready_now_cover") < 1
    assert 0 < _mean(baseline, "bme_share_board_voting") < 1


def test_turnover_multiplier_raises_departures(
    setup: ForecastSetup, baseline: dict[str, Any]
) -> None:
    more = _run(setup, Scenario(turnover_multiplier=2.0))
    assert _mean(more, "exec_departures") > 1.3 * _mean(baseline, "exec_departures")
    assert _mean(more, "appointments_needed") > _mean(baseline, "appointments_needed")


def test_turnover_by_segment_moves_only_that_segment(
    setup: ForecastSetup, baseline: dict[str, Any]
) -> None:
    more = _run(setup, Scenario(turnover_multiplier_by_segment={"4": 3.0}))
    groups = {g["key"]["org"]: g["measures"] for g in more["groups"]}
    before = {g["key"]["org"]: g["measures"] for g in baseline["groups"]}
    assert groups["TSTB"]["exec_departures"]["mean"] > before["TSTB"]["exec_departures"]["mean"]
    assert groups["TSTA"]["exec_departures"] == before["TSTA"]["exec_departures"]
    assert groups["TSTC"]["exec_departures"] == before["TSTC"]["exec_departures"]


def test_time_to_fill_multiplier_raises_vacancies(
    setup: ForecastSetup, baseline: dict[str, Any]
) -> None:
    slower = _run(setup, Scenario(time_to_fill_multiplier=3.0))
    assert _mean(slower, "exec_vacancy_rate") > 1.5 * _mean(baseline, "exec_vacancy_rate")
    assert _mean(slower, "interim_cover_share") > _mean(baseline, "interim_cover_share")


def test_talent_pool_growth_raises_ready_now_cover_only(
    setup: ForecastSetup, baseline: dict[str, Any]
) -> None:
    grown = _run(setup, Scenario(talent_pool_growth=2.0))
    assert _mean(grown, "ready_now_cover") > _mean(baseline, "ready_now_cover") + 0.05
    assert _same(grown, baseline, TIMING)


def test_pool_appointment_share_lowers_ready_now_cover_only(
    setup: ForecastSetup, baseline: dict[str, Any]
) -> None:
    none = _run(setup, Scenario(pool_appointment_share=0.0))
    assert none["measures"]["ready_now_cover"]["p95"] == 0.0
    assert _same(none, baseline, TIMING)


@pytest.mark.parametrize("key", ["bme_share_external", "bme_share_appointments"])
def test_bme_shares_move_only_the_bme_share(
    setup: ForecastSetup, baseline: dict[str, Any], key: str
) -> None:
    higher = _run(setup, Scenario(**{key: 1.0}))
    lower = _run(setup, Scenario(**{key: 0.0}))
    assert _mean(higher, "bme_share_board_voting") > _mean(baseline, "bme_share_board_voting")
    assert _mean(lower, "bme_share_board_voting") < _mean(baseline, "bme_share_board_voting")
    assert _same(higher, baseline, (*TIMING, "ready_now_cover"))
    assert _same(lower, baseline, (*TIMING, "ready_now_cover"))


def test_scenario_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        'name = "Faster appointments"\ntime_to_fill_multiplier = 0.5\n'
        'bme_share_external = 0.25\n[turnover_multiplier_by_segment]\n"4" = 1.5\n'
    )
    scenario = load_scenario(path)
    assert scenario.name == "Faster appointments"
    assert scenario.time_to_fill_multiplier == 0.5
    assert scenario.turnover_for(4) == 1.5
    assert scenario.turnover_for(2) == 1.0


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("turnover = 2\n", "'turnover'"),
        ('turnover_multiplier = "high"\n', "'turnover_multiplier'"),
        ("time_to_fill_multiplier = 0\n", "'time_to_fill_multiplier'"),
        ("bme_share_external = 1.5\n", "'bme_share_external'"),
        ("[turnover_multiplier_by_segment]\n9 = 1.0\n", "'turnover_multiplier_by_segment.9'"),
        ("turnover_multiplier = \n", "not valid TOML"),
    ],
)
def test_a_bad_scenario_file_names_the_key(tmp_path: Path, text: str, named: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError, match=named.replace(".", r"\.")) as error:
        load_scenario(path)
    assert str(path) in str(error.value)


def test_sweep_file(tmp_path: Path) -> None:
    path = tmp_path / "sweep.toml"
    path.write_text('[[scenario]]\nname = "baseline"\n[[scenario]]\nturnover_multiplier = 1.2\n')
    assert [s.name for s in load_sweep(path)] == ["baseline", "scenario 2"]
    path.write_text('[[scenario]]\nname = "a"\n[[scenario]]\nname = "a"\n')
    with pytest.raises(ScenarioError, match="'name'"):
        load_sweep(path)
