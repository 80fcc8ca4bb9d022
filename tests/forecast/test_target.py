"""The target search hits its target: the answer reaches it with the chance asked for, and
the value one bisection step short of it does not."""

from __future__ import annotations

import datetime as dt

import pytest

from talentboard.forecast.run import prepare, simulate_all
from talentboard.forecast.scenario import BASELINE
from talentboard.forecast.target import LEVERS, chance, horizon_for, search_target
from tests.forecast.registers import AS_AT, world

REPLICATIONS = 200
STEPS = 10


def test_horizon_for() -> None:
    assert horizon_for(AS_AT, dt.date(2030, 3, 31)) == 42
    assert horizon_for(AS_AT, dt.date(2026, 10, 30)) == 1
    assert horizon_for(AS_AT, dt.date(2026, 10, 31)) == 1
    assert horizon_for(AS_AT, dt.date(2026, 11, 1)) == 2
    with pytest.raises(ValueError, match="--by"):
        horizon_for(AS_AT, AS_AT)


@pytest.mark.parametrize(
    ("measure", "value", "gap_days"),
    [("bme_share_board_voting", 0.45, 60), ("exec_vacancy_rate", 0.08, 200)],
)
def test_the_search_hits_its_target(measure: str, value: float, gap_days: int) -> None:
    w = world(24, gap_days=gap_days)
    by = dt.date(2029, 9, 30)
    setup = prepare(w.frames(), w.successor_frame(), AS_AT, horizon_for(AS_AT, by))
    result = search_target(setup, measure, value, by, REPLICATIONS, 5, BASELINE, steps=STEPS)
    lever = LEVERS[measure]
    step = (lever.high - lever.low) / 2**STEPS
    month = setup.horizon_months - 1
    for p, answer in result.answers.items():
        assert answer["reachable"]
        x = answer["value"]

        def reach(v: float) -> float:
            hist = simulate_all(setup, BASELINE.with_values(**{lever.key: v}), 5, REPLICATIONS)
            return chance(hist, measure, month, value, lever.higher)

        assert reach(x) >= p
        assert answer["chance"] == reach(x)
        short = x - step if lever.rising else x + step
        assert reach(short) < p
        final = answer["monthly"][-1][measure]
        if lever.higher and p == 0.5:
            assert final["p50"] >= value
        if not lever.higher and p == 0.5:
            assert final["p50"] <= value
    # The 80% answer asks for more than the 50% one.
    more, less = result.answers[0.8]["value"], result.answers[0.5]["value"]
    assert more >= less if lever.rising else more <= less


def test_an_unreachable_target_says_so() -> None:
    w = world(12, gap_days=60)
    by = dt.date(2027, 9, 30)
    setup = prepare(w.frames(), w.successor_frame(), AS_AT, horizon_for(AS_AT, by))
    result = search_target(
        setup, "bme_share_board_voting", 0.99, by, REPLICATIONS, 1, BASELINE, steps=4
    )
    assert [a["reachable"] for a in result.to_json()["answers"]] == [False, False]
