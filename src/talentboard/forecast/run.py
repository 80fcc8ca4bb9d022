"""Running a forecast: calibrate once, simulate the batches, summarise (pure, frames in).

:func:`run_forecast` is what the command line, the web page and the report call through
``talentboard.forecast.forecast_json``; :func:`run_batch` is one batch of it, which
``forecast sweep`` sends to Dask workers.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from talentboard.forecast.model import DIMENSIONS, Model, calibrate
from talentboard.forecast.scenario import BASELINE, Scenario
from talentboard.forecast.simulate import (
    MEASURES,
    BatchCounts,
    batch_plan,
    existing_posts,
    keep_freed_memory,
    plan_for,
    simulate_batch,
)
from talentboard.forecast.summary import (
    OVERALL,
    Histogram,
    counted,
    encode,
    figure_dict,
    histogram,
    published,
    statistics,
)
from talentboard.frames.register import RegisterFrames
from talentboard.stability.disclosure import DEFAULT_RULE, DisclosureRule

__all__ = [
    "ForecastResult",
    "ForecastSetup",
    "prepare",
    "run_batch",
    "run_forecast",
    "summarise",
]

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ForecastSetup:
    """A calibrated model with its breakdown: what every batch needs."""

    model: Model
    by: str | None
    group_codes: list[str]
    group_of: np.ndarray
    horizon_months: int
    existing: np.ndarray | None = None  # measured posts existing per group and month

    @property
    def groups(self) -> int:
        return max(len(self.group_codes), 1)


def prepare(
    register: RegisterFrames,
    successors: pl.DataFrame,
    as_at: dt.date,
    horizon_months: int,
    *,
    by: str | None = None,
    level: str = "board",
    ods_codes: Sequence[str] | None = None,
) -> ForecastSetup:
    """Calibrate the model on the whole register and keep the posts of ``ods_codes``
    (all when None) for the simulation; number the groups of ``by``."""
    if by is not None and by not in DIMENSIONS:
        raise ValueError(f"--by {by!r}: use one of {', '.join(DIMENSIONS)}")
    model = calibrate(register, successors, as_at, horizon_months, level=level)
    if ods_codes is not None:
        model = restrict(model, set(ods_codes))
    if by is None:
        codes: list[str] = []
        group_of = np.zeros(model.size, dtype=np.int64)
    else:
        labels = model.groups[by]
        codes = sorted(set(labels))
        number = {code: k for k, code in enumerate(codes)}
        group_of = np.array([number[code] for code in labels], dtype=np.int64)
    groups = max(len(codes), 1)
    existing = existing_posts(model, group_of, groups)
    return ForecastSetup(model, by, codes, group_of, horizon_months, existing)


def restrict(model: Model, ods_codes: set[str]) -> Model:
    """The model with only the posts of the given organisations (curves and rates are
    those of the whole register)."""
    from dataclasses import fields, replace

    keep = np.array([code in ods_codes for code in model.groups["org"]], dtype=bool)
    changes: dict[str, Any] = {}
    for item in fields(model):
        value = getattr(model, item.name)
        if (
            isinstance(value, np.ndarray)
            and value.shape[:1] == keep.shape
            and item.name != "offsets"
        ):
            changes[item.name] = value[keep]
    changes["groups"] = {
        dim: [c for c, k in zip(codes, keep, strict=True) if k]
        for dim, codes in model.groups.items()
    }
    changes["segments"] = [s for s, k in zip(model.segments, keep, strict=True) if k]
    return replace(model, **changes)


def batch_seeds(seed: int, batches: int) -> list[np.random.SeedSequence]:
    """Each batch's seed: ``SeedSequence(seed).spawn(batches)``; batch ``b`` gets the same
    seed whatever the number of batches (its spawn key is ``(b,)``)."""
    return list(np.random.SeedSequence(seed).spawn(batches))


def run_batch(
    setup: ForecastSetup,
    scenario: Scenario,
    seed: int,
    batch: int,
    replications: int,
) -> Histogram:
    """Batch number ``batch`` of a run (``replications`` in it), as a histogram."""
    return histogram(
        _batch_counts(setup, scenario, seed, batch, replications), setup.by is not None
    )


def _batch_counts(
    setup: ForecastSetup, scenario: Scenario, seed: int, batch: int, replications: int
) -> BatchCounts:
    sequence = np.random.SeedSequence(seed, spawn_key=(batch,))
    return simulate_batch(
        setup.model,
        scenario,
        setup.group_of,
        setup.groups,
        replications,
        sequence,
        setup.existing,
    )


@dataclass(frozen=True)
class ForecastResult:
    """A forecast's figures, ready to print as the JSON contract (docs/forecast.md)."""

    as_at: dt.date
    horizon_months: int
    replications: int
    seed: int
    scenario: Scenario
    setup: ForecastSetup
    figures: pl.DataFrame  # measure, group, month, mean, p05, p50, p95

    def _bases(self) -> dict[int, tuple[int, int]]:
        """Measured and diverse posts existing at the as-at date, per group."""
        model = self.setup.model
        alive = (model.established <= 0) & (model.abolished > 0)
        result = {
            OVERALL: (int((alive & model.measured).sum()), int((alive & model.diverse).sum()))
        }
        for k in range(len(self.setup.group_codes)):
            mine = self.setup.group_of == k
            result[k] = (
                int((alive & model.measured & mine).sum()),
                int((alive & model.diverse & mine).sum()),
            )
        return result

    def _measures(
        self,
        group: int,
        month: int,
        exact: bool,
        rule: DisclosureRule,
        bases: dict[int, tuple[int, int]],
    ) -> dict[str, Any]:
        rows = self.figures.filter((pl.col("group") == group) & (pl.col("month") == month))
        by_name = {row["measure"]: row for row in rows.iter_rows(named=True)}
        result: dict[str, Any] = {}
        for measure in MEASURES:
            figures = figure_dict(by_name.get(measure, {}))
            if not exact:
                base = bases[group][1 if measure == "bme_share_board_voting" else 0]
                figures = published(figures, measure, base, rule)
            result[measure] = figures
        return result

    def to_json(self, *, exact: bool = True, rule: DisclosureRule = DEFAULT_RULE) -> dict[str, Any]:
        """``{"as_at", "horizon_months", "replications", "seed", "scenario", "measures",
        "monthly", "groups"}``, plus ``"by"``, ``"level"`` and ``"exact"``."""
        bases = self._bases()
        last = self.horizon_months - 1
        model = self.setup.model
        return {
            "as_at": self.as_at.isoformat(),
            "horizon_months": self.horizon_months,
            "replications": self.replications,
            "seed": self.seed,
            "scenario": self.scenario.to_json(),
            "measures": self._measures(OVERALL, last, exact, rule, bases),
            "monthly": [
                {"month": day.strftime("%Y-%m"), **self._measures(OVERALL, m, exact, rule, bases)}
                for m, day in enumerate(model.months)
            ],
            "groups": [
                {
                    "key": {self.setup.by: code},
                    "measures": self._measures(k, last, exact, rule, bases),
                }
                for k, code in enumerate(self.setup.group_codes)
            ]
            if self.setup.by is not None
            else [],
            "by": self.setup.by,
            "exact": exact,
        }


def summarise(
    setup: ForecastSetup,
    scenario: Scenario,
    seed: int,
    replications: int,
    hist: Histogram,
) -> ForecastResult:
    return ForecastResult(
        as_at=setup.model.as_at,
        horizon_months=setup.horizon_months,
        replications=replications,
        seed=seed,
        scenario=scenario,
        setup=setup,
        figures=statistics(hist),
    )


def usable_cpus() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def simulate_all(
    setup: ForecastSetup,
    scenario: Scenario,
    seed: int,
    replications: int,
    *,
    batch_size: int | None = None,
    progress: Progress | None = None,
    threads: int | None = None,
) -> Histogram:
    """Every batch of a run, merged.

    Batches run on ``threads`` threads (by default one per usable processor, at most
    two): NumPy lets go of the interpreter lock in the array steps that take the time,
    so two batches run side by side. Each batch has its own seed and the histogram is
    counted from all of them at the end, so the figures are the same whatever the number
    of threads, and progress is reported in batch order.
    """
    plan = batch_plan(replications, setup.model.size, batch_size)
    # The plan every batch shares is made once, before the threads start.
    plan_for(setup.model, scenario, setup.group_of, setup.groups)
    workers = max(1, min(threads or min(usable_cpus(), 2), len(plan)))

    def one(numbered: tuple[int, int]) -> tuple[Any, int, int]:
        number, size = numbered
        counts = _batch_counts(setup, scenario, seed, number, size)
        return encode(counts, with_groups=setup.by is not None)

    parts = []
    groups = months = 0
    with keep_freed_memory(), ThreadPoolExecutor(workers) as pool:
        for done, encoded in enumerate(pool.map(one, enumerate(plan)), 1):
            keys, groups, months = encoded
            parts.append(keys)
            if progress is not None:
                progress(done, len(plan))
    # Counted once for all batches: the same histogram as the batches' merged.
    return counted(parts, groups, months)


def run_forecast(
    setup: ForecastSetup,
    replications: int,
    seed: int,
    scenario: Scenario = BASELINE,
    *,
    batch_size: int | None = None,
    progress: Progress | None = None,
    threads: int | None = None,
) -> ForecastResult:
    """The forecast of ``setup`` under ``scenario``."""
    hist = simulate_all(
        setup,
        scenario,
        seed,
        replications,
        batch_size=batch_size,
        progress=progress,
        threads=threads,
    )
    return summarise(setup, scenario, seed, replications, hist)
