"""Targets: the least change to a lever that reaches a figure by a date, with a probability.

``talentboard forecast target MEASURE --value V --by DATE`` searches one lever of the
scenario by bisection. Every evaluation runs the same replications with the same seed
(common random numbers), so the chance of reaching the target moves only because the lever
moved: for the BME share among appointees each appointee's draw is compared with the share,
so a higher share can only add BME appointees and the chance is monotone.

- ``bme_share_board_voting``: reaching means at or above ``V``; the lever is the BME share
  among appointees not named on a plan (``bme_share_appointments``, 0 to 1); the answer is
  the **smallest** share that reaches the target;
- ``exec_vacancy_rate``: reaching means at or below ``V``; the lever is the turnover
  multiplier (0 to ``MAX_TURNOVER``); the answer is the **largest** multiplier that
  reaches it (the least reduction in turnover needed).

For each probability asked for (50% and 80%), the answer, the chance it gives, and the
monthly trajectory of the measure under it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from talentboard.forecast.run import ForecastSetup, simulate_all, summarise
from talentboard.forecast.scenario import Scenario
from talentboard.forecast.summary import OVERALL, Histogram

__all__ = ["LEVERS", "MAX_TURNOVER", "Lever", "TargetResult", "horizon_for", "search_target"]

MAX_TURNOVER = 4.0
STEPS = 12


@dataclass(frozen=True)
class Lever:
    """How a target is reached: the scenario key moved, its range, and whether reaching
    the target is being at or above it (``higher``) and the chance rises with the key."""

    key: str
    low: float
    high: float
    higher: bool
    rising: bool


LEVERS = {
    "bme_share_board_voting": Lever("bme_share_appointments", 0.0, 1.0, True, True),
    "exec_vacancy_rate": Lever("turnover_multiplier", 0.0, MAX_TURNOVER, False, False),
}


def horizon_for(as_at: dt.date, by: dt.date) -> int:
    """Months from ``as_at`` to ``by`` by the calendar (``by``'s month less ``as_at``'s, at
    least 1): the target is read at the month end of ``by``'s month (from 2026-09-30, a
    target by 2030-03-31 is read 42 months on)."""
    if by <= as_at:
        raise ValueError(f"--by {by.isoformat()}: must be after --at {as_at.isoformat()}")
    return max((by.year - as_at.year) * 12 + by.month - as_at.month, 1)


def chance(hist: Histogram, measure: str, month: int, value: float, higher: bool) -> float:
    """The share of replications whose figure at ``month`` reaches ``value``."""
    rows = hist.frame.filter(
        (pl.col("measure") == measure)
        & (pl.col("group") == OVERALL)
        & (pl.col("month") == month)
        & (pl.col("denominator") != 0)
    ).with_columns((pl.col("numerator") / pl.col("denominator")).alias("value"))
    total = int(rows["count"].sum())
    if total == 0:
        return 0.0
    hit = pl.col("value") >= value if higher else pl.col("value") <= value
    return float(rows.filter(hit)["count"].sum()) / total


@dataclass(frozen=True)
class TargetResult:
    measure: str
    value: float
    by: dt.date
    lever: Lever
    answers: dict[float, dict[str, Any]]
    as_at: dt.date
    horizon_months: int
    replications: int
    seed: int

    def to_json(self) -> dict[str, Any]:
        return {
            "as_at": self.as_at.isoformat(),
            "measure": self.measure,
            "target": self.value,
            "by": self.by.isoformat(),
            "horizon_months": self.horizon_months,
            "replications": self.replications,
            "seed": self.seed,
            "lever": self.lever.key,
            "answers": [{"probability": p, **answer} for p, answer in sorted(self.answers.items())],
        }


def search_target(
    setup: ForecastSetup,
    measure: str,
    value: float,
    by: dt.date,
    replications: int,
    seed: int,
    base: Scenario,
    *,
    probabilities: Sequence[float] = (0.5, 0.8),
    steps: int = STEPS,
    progress: Callable[[str], None] | None = None,
) -> TargetResult:
    """Bisect the lever of ``measure`` for each probability (see the module docstring)."""
    if measure not in LEVERS:
        raise ValueError(f"no target search for {measure!r}: use {', '.join(LEVERS)}")
    lever = LEVERS[measure]
    month = setup.horizon_months - 1
    seen: dict[float, tuple[float, Histogram]] = {}

    def evaluate(x: float) -> float:
        if x not in seen:
            scenario = base.with_values(**{lever.key: x})
            hist = simulate_all(setup, scenario, seed, replications)
            seen[x] = (chance(hist, measure, month, value, lever.higher), hist)
            if progress is not None:
                progress(f"{lever.key} = {x:.4f}: chance {seen[x][0]:.1%}")
        return seen[x][0]

    answers: dict[float, dict[str, Any]] = {}
    for p in probabilities:
        # ``good`` reaches the target with chance p; ``bad`` does not.
        good, bad = (lever.high, lever.low) if lever.rising else (lever.low, lever.high)
        if evaluate(bad) >= p:
            good = bad
        elif evaluate(good) < p:
            answers[p] = {
                "reachable": False,
                "value": None,
                "chance": evaluate(good),
                "monthly": [],
            }
            continue
        else:
            for _ in range(steps):
                middle = (good + bad) / 2
                if evaluate(middle) >= p:
                    good = middle
                else:
                    bad = middle
        scenario = base.with_values(**{lever.key: good})
        result = summarise(setup, scenario, seed, replications, seen[good][1])
        monthly = [
            {"month": row["month"], measure: row[measure]}
            for row in result.to_json(exact=True)["monthly"]
        ]
        answers[p] = {"reachable": True, "value": good, "chance": seen[good][0], "monthly": monthly}
    return TargetResult(
        measure,
        value,
        by,
        lever,
        answers,
        setup.model.as_at,
        setup.horizon_months,
        replications,
        seed,
    )
