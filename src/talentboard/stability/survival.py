"""Kaplan-Meier estimates and the log-rank test, for many groups at once, in NumPy.

The arithmetic follows lifelines step for step, so that the figures are identical to
``lifelines.KaplanMeierFitter`` (median, and ``median_survival_times(confidence_interval_)``)
and ``lifelines.statistics.logrank_test`` on the same data:

* the event table has one row per distinct time among the durations and entry times (0 when
  there is no left truncation); at a time with both, departures are counted before those
  censored, who are still at risk (``at_risk`` counts everyone not removed before the time);
* the survival estimate is ``exp(cumsum(log(n - d) - log(n)))`` where ``n`` is the number at
  risk less those entering at that time (except at the first time), ``d`` the departures;
* the 95% interval is the exponential Greenwood ("log(-log)") interval: with ``v = log S``
  and ``V`` the cumulative Greenwood sum ``d / (n (n - d))``, the bounds are
  ``exp(-exp(log(-v) -/+ z sqrt(V) / v))``, 1 where undefined;
* the median (and each bound's time) is the first time the curve is at or below 0.5, found
  as lifelines finds it (a binary search on the curve), ``None`` when it never gets there.

Durations are numbers (the callers use whole days, then convert to years); entry times are
the time a spell entered observation (left truncation), or ``None`` for none.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "KaplanMeierSummary",
    "LogRank",
    "kaplan_meier",
    "km_curves",
    "logrank",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class KaplanMeierSummary:
    """Per group: subjects, departures, the median and its interval (NaN = not reached)."""

    groups: IntArray
    subjects: IntArray
    events: IntArray
    median: FloatArray
    lower: FloatArray
    upper: FloatArray


@dataclass(frozen=True)
class LogRank:
    """A log-rank test result: chi-squared statistic on one degree of freedom, p-value."""

    statistic: float
    p_value: float


@dataclass(frozen=True)
class _EventTable:
    group: IntArray  # group of each row
    time: FloatArray
    removed: FloatArray
    observed: FloatArray
    entrance: FloatArray
    bounds: IntArray  # row offsets of each group: rows of group k are bounds[k]:bounds[k+1]
    group_codes: IntArray


def _event_table(
    durations: FloatArray, events: BoolArray, groups: IntArray, entry: FloatArray
) -> _EventTable:
    n = durations.shape[0]
    time = np.concatenate([durations, entry])
    group = np.concatenate([groups, groups])
    removed = np.concatenate([np.ones(n), np.zeros(n)])
    observed = np.concatenate([events.astype(np.float64), np.zeros(n)])
    entrance = np.concatenate([np.zeros(n), np.ones(n)])
    order = np.lexsort((time, group))
    time, group = time[order], group[order]
    new_row = np.ones(time.shape[0], dtype=bool)
    new_row[1:] = (time[1:] != time[:-1]) | (group[1:] != group[:-1])
    starts = np.flatnonzero(new_row)
    table_group = group[starts]
    new_group = np.ones(starts.shape[0], dtype=bool)
    new_group[1:] = table_group[1:] != table_group[:-1]
    bounds = np.append(np.flatnonzero(new_group), starts.shape[0])
    return _EventTable(
        group=table_group,
        time=time[starts],
        removed=np.add.reduceat(removed[order], starts),
        observed=np.add.reduceat(observed[order], starts),
        entrance=np.add.reduceat(entrance[order], starts),
        bounds=bounds.astype(np.int64),
        group_codes=table_group[bounds[:-1]],
    )


def _first_at_or_below(table: _EventTable, curve: FloatArray, q: float = 0.5) -> FloatArray:
    """lifelines' ``qth_survival_time`` for each group: the first time the curve is <= q,
    found by a binary search as lifelines does (NaN when the last value is above q)."""
    starts, stops = table.bounds[:-1], table.bounds[1:]
    last = curve[stops - 1]
    rising = np.zeros(curve.shape[0], dtype=bool)
    rising[1:] = (curve[1:] > curve[:-1]) & (table.group[1:] == table.group[:-1])
    not_monotone = np.add.reduceat(rising.astype(np.int64), starts) > 0
    # On a non-increasing curve the binary search lands after the values above q.
    position = np.add.reduceat((curve > q).astype(np.int64), starts)
    for k in np.flatnonzero(not_monotone):
        segment = curve[starts[k] : stops[k]]
        position[k] = int(np.searchsorted(-segment, -q, side="left"))
    index = np.minimum(starts + position, stops - 1)
    return np.where(last > q, np.nan, table.time[index])


def _within_groups(table: _EventTable) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per row: population at risk of the row's departures, log survival, Greenwood sum."""
    starts = table.bounds[:-1]
    sizes = np.diff(table.bounds)
    # Counts are whole numbers, so cumulative sums across groups less the group's offset
    # are exact here (unlike the floating-point sums below).
    removed_cum = np.cumsum(table.removed)
    entrance_cum = np.cumsum(table.entrance)
    removed_offset = np.repeat(removed_cum[starts] - table.removed[starts], sizes)
    entrance_offset = np.repeat(entrance_cum[starts] - table.entrance[starts], sizes)
    removed_before = removed_cum - table.removed - removed_offset
    at_risk = entrance_cum - entrance_offset - removed_before
    # lifelines removes the departures, then adds the entrants: except at the first time,
    # those entering at a time are not at risk of that time's departures.
    late = table.entrance.copy()
    late[starts] = 0.0
    population = at_risk - late
    deaths = table.observed
    with np.errstate(divide="ignore", invalid="ignore"):
        step = np.log(population - deaths) - np.log(population)
        variance = deaths / (population * (population - deaths))
    variance[np.isinf(variance)] = 0.0
    # pandas' cumsum skips NaN and lifelines then carries the last value forward: the same
    # as adding nothing at that row. Each group is summed on its own, in order, as lifelines
    # sums one fitted sample, so the floating-point results are identical.
    increments = np.column_stack(
        [np.where(np.isnan(step), 0.0, step), np.where(np.isnan(variance), 0.0, variance)]
    )
    sums = np.empty_like(increments)
    for start, stop in zip(starts, table.bounds[1:], strict=True):
        np.cumsum(increments[start:stop], axis=0, out=sums[start:stop])
    return population, sums[:, 0], sums[:, 1]


# SciPy's ndtri(0.975), to the last bit: the 95% bounds as lifelines gives them, without
# importing SciPy (a third of a second of a report's start-up) for the usual interval.
_NORMAL_975 = 1.959963984540054


def _normal_quantile(p: float) -> float:
    if p == 0.975:
        return _NORMAL_975
    from scipy import special

    return float(special.ndtri(p))


def _chi_square_1_upper(statistic: float) -> float:
    """P(X > statistic) for X chi-squared with one degree of freedom: erfc(sqrt(s / 2)).

    The standard library's, so a report need not import SciPy (a third of a second).
    """
    return math.erfc(math.sqrt(statistic / 2.0))


def _confidence_bounds(
    survival: FloatArray, greenwood: FloatArray, alpha: float
) -> tuple[FloatArray, FloatArray]:
    z = _normal_quantile(1 - alpha / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.log(survival)
        lower = np.exp(-np.exp(np.log(-v) - z * np.sqrt(greenwood) / v))
        upper = np.exp(-np.exp(np.log(-v) + z * np.sqrt(greenwood) / v))
    return np.nan_to_num(lower, nan=1.0), np.nan_to_num(upper, nan=1.0)


def _prepare(
    durations: npt.ArrayLike,
    events: npt.ArrayLike,
    groups: npt.ArrayLike | None,
    entry: npt.ArrayLike | None,
) -> tuple[FloatArray, BoolArray, IntArray, FloatArray]:
    d = np.asarray(durations, dtype=np.float64)
    e = np.asarray(events, dtype=bool)
    g = np.zeros(d.shape[0], dtype=np.int64) if groups is None else np.asarray(groups, np.int64)
    if entry is None:
        # lifelines' birth times without truncation: min(0, smallest duration) for everyone.
        birth = min(0.0, float(d.min())) if d.shape[0] else 0.0
        t0 = np.full(d.shape[0], birth)
    else:
        t0 = np.asarray(entry, dtype=np.float64)
        if np.any(t0 > d):
            raise ValueError("an entry time is after the end of its duration")
    if not (d.shape == e.shape == g.shape == t0.shape):
        raise ValueError("durations, events, groups and entry must have the same length")
    return d, e, g, t0


def kaplan_meier(
    durations: npt.ArrayLike,
    events: npt.ArrayLike,
    groups: npt.ArrayLike | None = None,
    entry: npt.ArrayLike | None = None,
    alpha: float = 0.05,
) -> KaplanMeierSummary:
    """Kaplan-Meier median and its ``1 - alpha`` interval for each group (see module notes).

    ``groups`` are integer codes (one group when omitted); the result lists the groups that
    have at least one subject, in increasing code order. A median or bound that is never
    reached is NaN (lifelines reports infinity).
    """
    d, e, g, t0 = _prepare(durations, events, groups, entry)
    if d.shape[0] == 0:
        empty_f = np.empty(0)
        empty_i = np.empty(0, dtype=np.int64)
        return KaplanMeierSummary(empty_i, empty_i, empty_i, empty_f, empty_f, empty_f)
    table = _event_table(d, e, g, t0)
    _, log_survival, greenwood = _within_groups(table)
    survival = np.exp(log_survival)
    lower, upper = _confidence_bounds(survival, greenwood, alpha)
    starts = table.bounds[:-1]
    return KaplanMeierSummary(
        groups=table.group_codes,
        subjects=np.add.reduceat(table.removed, starts).astype(np.int64),
        events=np.add.reduceat(table.observed, starts).astype(np.int64),
        median=_first_at_or_below(table, survival),
        lower=_first_at_or_below(table, lower),
        upper=_first_at_or_below(table, upper),
    )


def km_curves(
    durations: npt.ArrayLike,
    events: npt.ArrayLike,
    groups: npt.ArrayLike | None = None,
    entry: npt.ArrayLike | None = None,
    alpha: float = 0.05,
) -> dict[str, npt.NDArray[np.float64] | IntArray]:
    """The Kaplan-Meier curves themselves, for charts: one row per group and event-table time.

    Keys ``group, time, at_risk, departures, survival, lower, upper`` (equal-length arrays;
    ``survival`` equals lifelines' ``survival_function_``, the bounds its
    ``confidence_interval_``).
    """
    d, e, g, t0 = _prepare(durations, events, groups, entry)
    if d.shape[0] == 0:
        return {
            "group": np.empty(0, dtype=np.int64),
            **{k: np.empty(0) for k in ("time", "at_risk", "departures")},
            **{k: np.empty(0) for k in ("survival", "lower", "upper")},
        }
    table = _event_table(d, e, g, t0)
    population, log_survival, greenwood = _within_groups(table)
    survival = np.exp(log_survival)
    lower, upper = _confidence_bounds(survival, greenwood, alpha)
    return {
        "group": table.group,
        "time": table.time,
        "at_risk": population,
        "departures": table.observed,
        "survival": survival,
        "lower": lower,
        "upper": upper,
    }


def logrank(
    durations: npt.ArrayLike,
    events: npt.ArrayLike,
    challenged: npt.ArrayLike,
    groups: npt.ArrayLike | None = None,
    entry: npt.ArrayLike | None = None,
) -> dict[int, LogRank | None]:
    """The log-rank test of ``challenged`` against the rest, within each group.

    Equal to ``lifelines.statistics.logrank_test`` (chi-squared on one degree of freedom,
    hypergeometric variance with the ``(n - d) / (n - 1)`` tie correction). With ``entry``
    (left truncation) a subject is at risk at time ``t`` when ``entry < t <= duration``; an
    entry of NaN means no truncation. A group whose spells are all on one side has no test
    (``None``); a group with no departures has statistic 0 and p-value 1, as in lifelines.
    """
    d = np.asarray(durations, dtype=np.float64)
    e = np.asarray(events, dtype=bool)
    side = np.asarray(challenged, dtype=bool).astype(np.int64)
    g = np.zeros(d.shape[0], dtype=np.int64) if groups is None else np.asarray(groups, np.int64)
    t0 = np.full(d.shape[0], np.nan) if entry is None else np.asarray(entry, np.float64)
    if d.shape[0] == 0:
        return {}
    # Exact composite keys (group, side, time): times replaced by their rank among all
    # durations and entry times (rank 0 kept for "no entry"), so keys are whole numbers.
    truncated = ~np.isnan(t0)
    values, inverse = np.unique(np.concatenate([d, t0[truncated]]), return_inverse=True)
    span = values.shape[0] + 2
    duration_rank = inverse[: d.shape[0]] + 1
    entry_rank = np.zeros(d.shape[0], dtype=np.int64)
    entry_rank[truncated] = inverse[d.shape[0] :] + 1
    cell = g * 2 + side
    duration_keys = np.sort(cell * span + duration_rank)
    entry_keys = np.sort(cell * span + entry_rank)

    order = np.lexsort((duration_rank, g))
    og, orank = g[order], duration_rank[order]
    new_row = np.ones(order.shape[0], dtype=bool)
    new_row[1:] = (orank[1:] != orank[:-1]) | (og[1:] != og[:-1])
    starts = np.flatnonzero(new_row)
    row_group, row_rank = og[starts], orank[starts]
    d0, d1 = (np.add.reduceat((e & (side == s))[order].astype(np.float64), starts) for s in (0, 1))

    def count_at_least(sorted_keys: IntArray, keys: IntArray) -> FloatArray:
        found: FloatArray = (
            sorted_keys.shape[0] - np.searchsorted(sorted_keys, keys, side="left")
        ).astype(np.float64)
        return found

    def at_risk(s: int) -> FloatArray:
        keys = (row_group * 2 + s) * span + row_rank
        next_cell = (row_group * 2 + s + 1) * span
        # In the cell, duration >= t, less those entering at or after t (entry < t <= end).
        ending_later = count_at_least(duration_keys, keys) - count_at_least(
            duration_keys, next_cell
        )
        entering_later = count_at_least(entry_keys, keys) - count_at_least(entry_keys, next_cell)
        return ending_later - entering_later

    n0, n1 = at_risk(0), at_risk(1)
    n = n0 + n1
    dd = d0 + d1
    with np.errstate(divide="ignore", invalid="ignore"):
        expected0 = np.where(n > 0, n0 * dd / n, 0.0)
        tie = np.where(n > 1, (n - dd) / (n - 1), 1.0)
        variance = np.where(n > 0, tie * dd / n**2 * n0 * n1, 0.0)
    codes, first = np.unique(row_group, return_index=True)
    observed_minus_expected = np.add.reduceat(d0 - expected0, first)
    total_variance = np.add.reduceat(variance, first)
    sides = np.zeros((codes.shape[0], 2), dtype=bool)
    sides[np.searchsorted(codes, g), side] = True
    result: dict[int, LogRank | None] = {}
    for k, code in enumerate(codes):
        if not sides[k].all():
            result[int(code)] = None
            continue
        v = float(total_variance[k])
        z = float(observed_minus_expected[k])
        statistic = z * z / v if v > 0 else 0.0
        result[int(code)] = LogRank(statistic, _chi_square_1_upper(statistic))
    return result
