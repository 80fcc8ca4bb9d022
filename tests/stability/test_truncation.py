"""``observed_from``: left truncation of the tenure estimate, against lifelines' ``entry``."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from lifelines import KaplanMeierFitter
from lifelines.exceptions import StatError
from lifelines.utils import median_survival_times

from talentboard.frames.register import spells
from talentboard.stability.board import board_figures, figures_frame
from talentboard.stability.calendar import DAYS_PER_YEAR
from talentboard.stability.survival import kaplan_meier
from tests.stability.fixtures import T, board_register
from tests.stability.generated import random_register


def reference(frames_spells: pl.DataFrame, at: dt.date, observed_from: dt.date) -> tuple:
    """lifelines on the spells written out by hand: observed when still in progress after
    ``observed_from``; duration from the start; entry at ``observed_from`` (0 if later)."""
    rows = frames_spells.filter(
        (pl.col("start_date") <= at)
        & (pl.col("end_date").is_null() | (pl.col("end_date") > observed_from))
    ).to_dicts()
    durations, events, entries = [], [], []
    for row in rows:
        ended = row["end_date"] is not None and row["end_date"] <= at
        stop = row["end_date"] if ended else at
        durations.append((stop - row["start_date"]).days / DAYS_PER_YEAR)
        events.append(ended)
        entries.append(max(0, (observed_from - row["start_date"]).days) / DAYS_PER_YEAR)
    kmf = KaplanMeierFitter().fit(durations, events, entry=entries)
    ci = median_survival_times(kmf.confidence_interval_)
    return (
        kmf.median_survival_time_,
        ci.iloc[0, 0] if np.isfinite(ci.iloc[0, 0]) else None,
        ci.iloc[0, 1] if np.isfinite(ci.iloc[0, 1]) else None,
        len(rows),
    )


@pytest.mark.parametrize("observed_from", [dt.date(2012, 4, 1), dt.date(2020, 4, 1)])
def test_truncated_tenure_equals_lifelines_entry(observed_from: dt.date) -> None:
    frames = random_register(4)
    executive = spells(frames.appointments)
    median, low, high, count = reference(executive, T, observed_from)
    row = figures_frame(frames, T, observed_from=observed_from).row(0, named=True)
    assert row["tenure_spells"] == count
    assert row["median_tenure_years"] == median
    assert (row["median_tenure_ci_lower"], row["median_tenure_ci_upper"]) == (low, high)


def test_truncated_tenure_on_the_hand_worked_register() -> None:
    """Observed from 2025-01-01 (entry, duration in days; fixtures.TENURE_SPELLS): ivy (0,
    272 censored), dee (214, 851 c), gus (427, 1064 c), jon (824, 1096 ended), bob (1461,
    1915 e), hal (2072, 2436 e), ann (2467, 3104 c), eve (3653, 4198 e). At 1096 days only
    jon is at risk (the others had ended before it or entered after it), so the estimate
    falls to 0 there: median 1096 days. lifelines refuses this sample outright because its
    risk set empties early; with so little overlap the estimate says little, which is what
    the spell counts beside it are for."""
    frames = board_register().frames()
    figures = board_figures(frames, T, observed_from=dt.date(2025, 1, 1))
    assert figures.median_tenure_years == 1096 / DAYS_PER_YEAR
    executive = spells(frames.appointments).join(
        frames.posts.filter(pl.col("executive")).select("post_ref"), on="post_ref"
    )
    with pytest.raises(StatError):
        reference(executive, T, dt.date(2025, 1, 1))


def test_spells_ended_before_observation_are_left_out() -> None:
    """Observed from 2026-01-01: jon (ended 2025-09-30) and hal (2025-12-31) ended before
    it and are not observed; six spells remain."""
    frames = board_register().frames()
    row = figures_frame(frames, T, observed_from=dt.date(2026, 1, 1)).row(0, named=True)
    assert row["tenure_spells"] == 6


def test_why_left_truncation_matters() -> None:
    """Data collected from a date holds only the spells still running then (and later ones).

    Those are the longer spells (a long spell is more likely to be running on any date), so
    a plain Kaplan-Meier on them overstates tenure; entering them at the date the data
    begins removes the bias. Simulated spells of known median (exponential, 1,000 days)."""
    rng = np.random.default_rng(21)
    n = 20000
    start = rng.uniform(0, 8000, n)
    length = rng.exponential(1000 / np.log(2), n)
    end = start + length
    observed_from, at = 5000.0, 8000.0
    kept = end > observed_from
    days = np.minimum(end, at)[kept] - start[kept]
    ended = (end <= at)[kept]
    entry = np.maximum(observed_from - start[kept], 0)
    naive = kaplan_meier(days, ended).median[0]
    truncated = kaplan_meier(days, ended, entry=entry).median[0]
    assert naive > 1300  # biased well above the true 1,000 days
    assert abs(truncated - 1000) < 40
