"""From simulated counts to published figures: histograms, quantiles, disclosure control.

Every measure of every replication is a pair of whole numbers (numerator, denominator):
a count over 1, or a share. A batch's figures become a **histogram**, how many
replications gave each pair, per measure, group and month; histograms of batches add up,
so a run split into batches, on one machine or many, gives exactly the same histogram as
the run done in one go, and the same figures:

- ``mean``: the mean over replications of ``numerator / denominator`` (replications whose
  denominator is 0 have no value and are left out);
- ``p05``, ``p25``, ``p50``, ``p75``, ``p95``: quantiles of the same values (the 90% and 50%
  intervals and the median), interpolated linearly between
  order statistics as ``numpy.quantile`` does by default.

Published figures (``exact=False``) pass through the stability figures' disclosure control
(``talentboard.stability.disclosure``): all the figures of a group are suppressed when the
number of posts they rest on is suppressed (1 to 7); count measures are rounded to the
nearest whole number and then disclosed as counts (1 to 7 suppressed, others rounded to 5);
a share is suppressed when the count it stands for (the share of those posts) would be.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from talentboard.forecast.simulate import MEASURES, BatchCounts
from talentboard.stability.disclosure import DEFAULT_RULE, DisclosureRule, disclose_count

__all__ = [
    "COUNT_MEASURES",
    "OVERALL",
    "QUANTILES",
    "Histogram",
    "counted",
    "encode",
    "histogram",
    "merge",
    "published",
    "statistics",
]

OVERALL = -1
QUANTILES = {"p05": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95}
COUNT_MEASURES = ("exec_departures", "appointments_needed")
HISTOGRAM_SCHEMA = {
    "measure": pl.String,
    "group": pl.Int64,
    "month": pl.Int64,
    "numerator": pl.Int64,
    "denominator": pl.Int64,
    "count": pl.Int64,
}
Value = float | int | str | None


VALUE_BITS = 21
_VALUE_LIMIT = 1 << VALUE_BITS


@dataclass(frozen=True)
class Histogram:
    """Replications per (measure, group, month, numerator, denominator).

    Stored as sorted unique int64 ``keys`` with their ``counts``: a key packs the cell
    ``(measure * (groups + 1) + group + 1) * months + month`` above the numerator and the
    denominator, ``VALUE_BITS`` bits each.
    """

    keys: npt.NDArray[np.int64]
    counts: npt.NDArray[np.int64]
    groups: int
    months: int

    def decoded(self) -> tuple[npt.NDArray[np.int64], ...]:
        """measure, group, month, numerator, denominator of each key."""
        mask = np.int64(_VALUE_LIMIT - 1)
        denominator = self.keys & mask
        numerator = (self.keys >> VALUE_BITS) & mask
        cell = self.keys >> (2 * VALUE_BITS)
        month = cell % self.months
        rest = cell // self.months
        group = rest % (self.groups + 1) - 1
        measure = rest // (self.groups + 1)
        return measure, group, month, numerator, denominator

    @property
    def frame(self) -> pl.DataFrame:
        measure, group, month, numerator, denominator = self.decoded()
        return pl.DataFrame(
            {
                "measure": np.asarray(MEASURES, dtype=object)[measure].tolist(),
                "group": group,
                "month": month,
                "numerator": numerator,
                "denominator": denominator,
                "count": self.counts,
            },
            schema=HISTOGRAM_SCHEMA,
        )

    @property
    def replications(self) -> int:
        measure, group, month, _, _ = self.decoded()
        first = (measure == 0) & (group == OVERALL) & (month == 0)
        return int(self.counts[first].sum())


def _encode(
    measure: int,
    group: npt.NDArray[np.int64],
    num: npt.NDArray[np.int64],
    den: npt.NDArray[np.int64],
    groups: int,
) -> npt.NDArray[np.int64]:
    """The keys of a (G, R, H) pair of arrays whose groups are ``group`` (G,), as a
    (G * H, R) array: one row per cell, in the order of the cells."""
    g, r, h = num.shape
    if num.size and (num.max() >= _VALUE_LIMIT or den.max() >= _VALUE_LIMIT or num.min() < 0):
        raise ValueError("a simulated count is beyond the histogram's range")
    first = (measure * (groups + 1) + group.astype(np.int64) + 1) * h
    cell = first[:, None] + np.arange(h, dtype=np.int64)[None, :]
    values = ((num << VALUE_BITS) | den).transpose(0, 2, 1)
    keys: npt.NDArray[np.int64] = values | (cell << (2 * VALUE_BITS))[:, :, None]
    return keys.reshape(g * h, r)


def histogram(counts: BatchCounts, with_groups: bool) -> Histogram:
    """The histogram of one batch: the overall figures (group ``OVERALL``) and, when
    ``with_groups``, each group's."""
    keys, groups, months = encode(counts, with_groups)
    return counted([keys], groups, months)


def encode(counts: BatchCounts, with_groups: bool) -> tuple[npt.NDArray[np.int64], int, int]:
    """The keys of one batch's figures, one per replication, measure, group and month (not
    yet counted), with the number of groups and months: a row per (measure, group, month)
    cell, in the order of the cells, a column per replication."""
    parts = []
    first = counts.numerator[MEASURES[0]]
    groups = first.shape[0] if with_groups else 0
    months = first.shape[2]
    for index, measure in enumerate(MEASURES):
        num, den = counts.numerator[measure], counts.denominator[measure]
        total = num.sum(axis=0, keepdims=True)
        # A count is over 1 in every group and overall; a share's parts add up.
        overall = (
            np.ones_like(total) if measure in COUNT_MEASURES else den.sum(axis=0, keepdims=True)
        )
        parts.append(_encode(index, np.array([OVERALL]), total, overall, groups))
        if with_groups:
            parts.append(_encode(index, np.arange(num.shape[0]), num, den, groups))
    return np.concatenate(parts, axis=0), groups, months


def counted(parts: Sequence[npt.NDArray[np.int64]], groups: int, months: int) -> Histogram:
    """The histogram of the keys of :func:`encode` of one or more batches: the same as
    counting each batch and merging. A key's cell is its top bits, so sorting each cell's
    row (which fits in the processor's cache) sorts them all."""
    rows = np.concatenate(parts, axis=1)
    rows.sort(axis=1)
    keys = rows.ravel()
    if keys.shape[0] == 0:
        return Histogram(keys, np.zeros(0, dtype=np.int64), groups, months)
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
    tally = np.diff(np.append(starts, keys.shape[0]))
    return Histogram(keys[starts], tally.astype(np.int64), groups, months)


def merge(histograms: Iterable[Histogram]) -> Histogram:
    """The histogram of several batches together."""
    items = list(histograms)
    if not items:
        raise ValueError("no histogram to merge")
    keys = np.concatenate([h.keys for h in items])
    counts = np.concatenate([h.counts for h in items])
    if keys.shape[0] == 0:
        return Histogram(keys, counts, items[0].groups, items[0].months)
    order = np.argsort(keys)
    keys, counts = keys[order], counts[order]
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
    return Histogram(
        keys[starts], np.add.reduceat(counts, starts), items[0].groups, items[0].months
    )


def statistics(hist: Histogram) -> pl.DataFrame:
    """``mean``, ``p05``, ``p50``, ``p95`` per (measure, group, month) (no row when no
    replication gave a value)."""
    measure, group, month, numerator, denominator = hist.decoded()
    valid = denominator != 0
    cell = (hist.keys >> (2 * VALUE_BITS))[valid]
    numerator, denominator = numerator[valid], denominator[valid]
    counts = hist.counts[valid]
    values = numerator / denominator
    order = np.lexsort((denominator, numerator, values, cell))
    cell, values, counts = cell[order], values[order], counts[order]
    measure, group, month = measure[valid][order], group[valid][order], month[valid][order]
    schema = {"measure": pl.String, "group": pl.Int64, "month": pl.Int64}
    schema |= dict.fromkeys(("mean", *QUANTILES), pl.Float64)
    if cell.shape[0] == 0:
        return pl.DataFrame(schema=schema)
    changes = np.ones(cell.shape[0], dtype=bool)
    changes[1:] = cell[1:] != cell[:-1]
    starts = np.flatnonzero(changes)
    cumulative = np.cumsum(counts)
    totals = np.add.reduceat(counts, starts)
    base = cumulative[starts] - counts[starts]
    sums = np.add.reduceat(counts * values, starts)
    columns: dict[str, object] = {
        "measure": np.asarray(MEASURES, dtype=object)[measure[starts]].tolist(),
        "group": group[starts],
        "month": month[starts],
        "mean": sums / totals,
    }
    for name, q in QUANTILES.items():
        # numpy.quantile's default: linear between the order statistics around q (n - 1).
        position = q * (totals - 1)
        low = np.floor(position).astype(np.int64)
        high = np.ceil(position).astype(np.int64)
        low_value = values[np.searchsorted(cumulative, base + low, side="right")]
        high_value = values[np.searchsorted(cumulative, base + high, side="right")]
        columns[name] = low_value + (high_value - low_value) * (position - low)
    return pl.DataFrame(columns, schema=schema)


def published(
    figures: dict[str, Value], measure: str, base: int, rule: DisclosureRule = DEFAULT_RULE
) -> dict[str, Value]:
    """One measure's figures as they may be shown to people without personal-data access.

    ``base`` is the number of posts the measure rests on. All are withheld when ``base``
    is; a count is rounded to a whole number and disclosed as a count; a share is withheld
    when the count it stands for (the share of ``base``, rounded) would be withheld, as a
    percentage built on a withheld count is (docs/metrics.md).
    """
    if rule.suppressed(base):
        return dict.fromkeys(figures, rule.symbol)
    shown: dict[str, Value] = {}
    for key, value in figures.items():
        if value is None or isinstance(value, str):
            shown[key] = value
        elif measure in COUNT_MEASURES:
            shown[key] = disclose_count(round(float(value)), rule)
        else:
            withheld = rule.suppressed(round(float(value) * base))
            shown[key] = rule.symbol if withheld else value
    return shown


def figure_dict(
    row: dict[str, object], names: Sequence[str] = ("mean", *QUANTILES)
) -> dict[str, Value]:
    return {name: _plain(row.get(name)) for name in names}


def _plain(value: object) -> Value:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    if number != number:  # NaN
        return None
    return number
