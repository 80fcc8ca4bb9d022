"""Kaplan-Meier, log-rank and Cox against lifelines on the same generated data.

Durations are whole days with many ties (events and censorings at the same time), as
tenure data has; lifelines is given them in years (days / 365.25), as the figures are.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.exceptions import StatError
from lifelines.statistics import logrank_test
from lifelines.utils import median_survival_times, survival_table_from_events

from talentboard.stability.cox import CoxFitError, fit_cox
from talentboard.stability.survival import kaplan_meier, km_curves, logrank

YEAR = 365.25


def as_optional(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def lifelines_median(
    days: np.ndarray, ended: np.ndarray, entry: np.ndarray | None = None
) -> tuple[float | None, float | None, float | None]:
    kmf = KaplanMeierFitter().fit(days / YEAR, ended, entry=None if entry is None else entry / YEAR)
    ci = median_survival_times(kmf.confidence_interval_)
    return (
        as_optional(kmf.median_survival_time_),
        as_optional(ci.iloc[0, 0]),
        as_optional(ci.iloc[0, 1]),
    )


def ours(summary_value: float) -> float | None:
    return None if np.isnan(summary_value) else summary_value / YEAR


samples = st.integers(min_value=1, max_value=80).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 40), min_size=n, max_size=n),
        st.lists(st.booleans(), min_size=n, max_size=n),
    )
)


@settings(max_examples=150, deadline=None)
@given(samples)
def test_median_and_interval_equal_lifelines(sample: tuple[list[int], list[bool]]) -> None:
    """Small integer times force ties between events, and between events and censorings."""
    days = np.array(sample[0], dtype=float) * 30
    ended = np.array(sample[1])
    summary = kaplan_meier(days, ended)
    got = (ours(summary.median[0]), ours(summary.lower[0]), ours(summary.upper[0]))
    assert got == lifelines_median(days, ended)


def test_hand_worked_median() -> None:
    """Times 1, 2, 2, 3+, 4, 5+, 6+: S(1) = 6/7, S(2) = 6/7 * 4/6 = 4/7, S(3) unchanged
    (a censoring), S(4) = 4/7 * 2/3 = 8/21 <= 1/2: median 4."""
    summary = kaplan_meier([1, 2, 2, 3, 4, 5, 6], [1, 1, 1, 0, 1, 0, 0])
    assert summary.median[0] == 4.0
    assert summary.subjects[0] == 7
    assert summary.events[0] == 4


def test_a_survival_of_exactly_one_half_is_decided_as_lifelines_decides_it() -> None:
    """Times 1, 2, 2, 3+, 4, 5+: S(2) = 5/6 * 3/5 is one half in exact arithmetic, but the
    product taken as exp(log(4/5) ... ) sums logarithms, as lifelines does, and comes out a
    hair above 1/2 (0.5000000000000001): both give the next departure time, 4."""
    summary = kaplan_meier([1, 2, 2, 3, 4, 5], [1, 1, 1, 0, 1, 0])
    kmf = KaplanMeierFitter().fit([1, 2, 2, 3, 4, 5], [1, 1, 1, 0, 1, 0])
    assert summary.median[0] == kmf.median_survival_time_ == 4.0


def test_median_not_reached_is_nan() -> None:
    """Two of five depart: S never falls to 1/2."""
    summary = kaplan_meier([1, 2, 3, 4, 5], [1, 0, 1, 0, 0])
    assert np.isnan(summary.median[0])


def test_groups_equal_separate_fits() -> None:
    rng = np.random.default_rng(11)
    n = 4000
    groups = rng.integers(0, 40, n)
    days = rng.integers(0, 3000, n).astype(float)
    ended = rng.random(n) < 0.6
    summary = kaplan_meier(days, ended, groups)
    assert summary.groups.tolist() == sorted(set(groups.tolist()))
    for k, code in enumerate(summary.groups):
        mask = groups == code
        expected = lifelines_median(days[mask], ended[mask])
        got = (ours(summary.median[k]), ours(summary.lower[k]), ours(summary.upper[k]))
        assert got == expected
        assert summary.subjects[k] == mask.sum()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(samples, st.lists(st.integers(0, 40), min_size=80, max_size=80))
def test_left_truncation_equals_lifelines_entry(
    sample: tuple[list[int], list[bool]], entries: list[int]
) -> None:
    """Entry before the end of each duration (as spells observed from a date are)."""
    days = np.array(sample[0], dtype=float) * 30
    ended = np.array(sample[1])
    entry = np.minimum(np.array(entries[: days.shape[0]], dtype=float) * 30, days)
    keep = (entry < days) | (entry == 0)
    assume(keep.any())
    days, ended, entry = days[keep], ended[keep], entry[keep]
    try:
        expected = lifelines_median(days, ended, entry)
    except StatError:
        # lifelines refuses samples whose early risk set empties; nothing to compare.
        assume(False)
    summary = kaplan_meier(days, ended, entry=entry)
    got = (ours(summary.median[0]), ours(summary.lower[0]), ours(summary.upper[0]))
    assert got == expected


def test_curves_equal_lifelines_survival_function() -> None:
    rng = np.random.default_rng(5)
    days = rng.integers(0, 50, 300).astype(float)
    ended = rng.random(300) < 0.5
    curves = km_curves(days, ended)
    kmf = KaplanMeierFitter().fit(days, ended)
    assert curves["time"].tolist() == kmf.survival_function_.index.tolist()
    assert curves["survival"].tolist() == kmf.survival_function_.iloc[:, 0].tolist()
    assert curves["lower"].tolist() == kmf.confidence_interval_.iloc[:, 0].tolist()
    assert curves["upper"].tolist() == kmf.confidence_interval_.iloc[:, 1].tolist()


@settings(max_examples=100, deadline=None)
@given(samples, st.lists(st.booleans(), min_size=80, max_size=80))
def test_logrank_equals_lifelines(sample: tuple[list[int], list[bool]], sides: list[bool]) -> None:
    days = np.array(sample[0], dtype=float) * 30
    ended = np.array(sample[1])
    side = np.array(sides[: days.shape[0]])
    result = logrank(days, ended, side)[0]
    if side.all() or not side.any():
        assert result is None
        return
    reference = logrank_test(days[side] / YEAR, days[~side] / YEAR, ended[side], ended[~side])
    assert result is not None
    assert result.statistic == pytest.approx(reference.test_statistic, rel=1e-9, abs=1e-12)
    assert result.p_value == pytest.approx(reference.p_value, rel=1e-9, abs=1e-12)


def test_logrank_by_group_equals_separate_tests() -> None:
    rng = np.random.default_rng(2)
    n = 3000
    groups = rng.integers(0, 12, n)
    days = rng.integers(0, 2000, n).astype(float)
    side = rng.random(n) < 0.4
    ended = rng.random(n) < np.where(side, 0.7, 0.5)
    groups[groups == 11] = 10  # leave code 11 empty
    side[groups == 3] = True  # group 3 has one arm only
    results = logrank(days, ended, side, groups)
    assert sorted(results) == list(range(11))
    assert results[3] is None
    for code, result in results.items():
        if code == 3:
            continue
        mask = groups == code
        a, b = mask & side, mask & ~side
        reference = logrank_test(days[a], days[b], ended[a], ended[b])
        assert result is not None
        assert result.statistic == pytest.approx(reference.test_statistic, rel=1e-9)


def truncated_logrank_reference(
    days: np.ndarray, ended: np.ndarray, side: np.ndarray, entry: np.ndarray
) -> float:
    """The log-rank statistic from lifelines' own risk tables with birth (entry) times.

    ``survival_table_from_events`` counts a subject at risk from its entry row on; the
    statistic is then the textbook sum over departure times of observed minus expected
    and the hypergeometric variance.
    """
    tables = [
        survival_table_from_events(days[s], ended[s], birth_times=entry[s]) for s in (side, ~side)
    ]
    times = sorted(set(days[ended]))
    z = v = 0.0
    for t in times:
        # At risk at t: entered strictly before t (lifelines adds entrants after the
        # departures of their own time) and not removed before t.
        at_risk = []
        deaths = []
        for table in tables:
            before = table[table.index < t]
            at = table[table.index == t]
            entered = before["entrance"].sum()
            removed = before["removed"].sum()
            at_risk.append(entered - removed)
            deaths.append(at["observed"].sum() if len(at) else 0)
        n1, n0 = at_risk
        d1, d0 = deaths
        n, dd = n0 + n1, d0 + d1
        if n == 0:
            continue
        z += d0 - n0 * dd / n
        if n > 1:
            v += n0 * n1 * dd * (n - dd) / (n * n * (n - 1))
    return z * z / v if v > 0 else 0.0


def test_logrank_with_left_truncation_matches_the_risk_table_reference() -> None:
    rng = np.random.default_rng(8)
    for _ in range(20):
        n = int(rng.integers(20, 200))
        days = rng.integers(1, 60, n).astype(float)
        entry = np.where(rng.random(n) < 0.5, np.floor(rng.random(n) * days), 0.0)
        ended = rng.random(n) < 0.6
        side = rng.random(n) < 0.5
        assume_both = side.any() and (~side).any()
        if not assume_both:
            continue
        # Untruncated subjects are at risk from the start (entry NaN).
        result = logrank(days, ended, side, entry=np.where(entry > 0, entry, np.nan))[0]
        expected = truncated_logrank_reference(days, ended, side, np.where(entry > 0, entry, -1))
        assert result is not None
        assert result.statistic == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_logrank_without_truncation_ignores_nan_entries() -> None:
    days = np.array([3, 5, 5, 7, 9, 11.0])
    ended = np.array([1, 1, 0, 1, 1, 0], dtype=bool)
    side = np.array([1, 0, 1, 0, 1, 0], dtype=bool)
    plain = logrank(days, ended, side)[0]
    with_nan = logrank(days, ended, side, entry=np.full(6, np.nan))[0]
    assert plain == with_nan


def cox_data(seed: int, n: int, p: int, truncate: bool) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = (rng.random((n, p)) < 0.35).astype(float)
    risk = x @ rng.normal(0, 0.6, p)
    event_time = np.ceil(rng.exponential(400 * np.exp(-risk)))
    censor = rng.integers(50, 1500, n)
    frame = pd.DataFrame(x, columns=[f"x{k}" for k in range(p)])
    frame["T"] = np.minimum(event_time, censor).astype(float)
    frame["E"] = event_time <= censor
    if truncate:
        entry = np.where(rng.random(n) < 0.4, np.floor(rng.random(n) * frame["T"]), 0.0)
        frame["entry"] = np.minimum(entry, frame["T"] - 1).clip(0)
    return frame


@pytest.mark.parametrize(("seed", "truncate"), [(1, False), (2, False), (3, True), (4, True)])
def test_cox_equals_lifelines_efron(seed: int, truncate: bool) -> None:
    """Same data, same (Efron) partial likelihood: same coefficients and standard errors."""
    frame = cox_data(seed, 1500, 5, truncate)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = CoxPHFitter().fit(
            frame,
            "T",
            "E",
            entry_col="entry" if truncate else None,
            fit_options={"precision": 1e-12, "max_steps": 200},
        )
    covariates = frame[[f"x{k}" for k in range(5)]].to_numpy()
    entry = None
    if truncate:
        # Untruncated subjects: at risk from before the first time.
        entry = np.where(frame["entry"] > 0, frame["entry"], -1.0)
    fit = fit_cox(covariates, frame["T"].to_numpy(), frame["E"].to_numpy(), entry)
    np.testing.assert_allclose(fit.coefficients, reference.params_.to_numpy(), rtol=1e-6)
    np.testing.assert_allclose(
        fit.standard_errors, reference.standard_errors_.to_numpy(), rtol=1e-6
    )
    assert fit.log_likelihood == pytest.approx(reference.log_likelihood_, rel=1e-9)
    lower, upper = fit.confidence_intervals()
    np.testing.assert_allclose(
        lower, np.exp(reference.confidence_intervals_.iloc[:, 0].to_numpy()), rtol=1e-6
    )
    np.testing.assert_allclose(
        upper, np.exp(reference.confidence_intervals_.iloc[:, 1].to_numpy()), rtol=1e-6
    )
    np.testing.assert_allclose(fit.p_values(), reference.summary["p"].to_numpy(), rtol=1e-5)


def test_cox_refuses_what_cannot_be_fitted() -> None:
    with pytest.raises(CoxFitError, match="no departures"):
        fit_cox(np.ones((3, 1)), [1, 2, 3], [0, 0, 0])
    # A constant covariate has no information.
    with pytest.raises(CoxFitError):
        fit_cox(np.ones((4, 1)), [1, 2, 3, 4], [1, 1, 0, 1])
    # A level whose members never depart has no finite hazard ratio.
    with pytest.raises(CoxFitError, match="converge"):
        fit_cox(np.array([[1.0], [1.0], [0.0], [0.0]]), [5, 6, 1, 2], [0, 0, 1, 1])
