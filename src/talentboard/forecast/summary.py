"""From simulated counts to published figures: histograms, quantiles, disclosure control.

Every measure of every replication is a pair of whole numbers (numerator, denominator):
a count over 1, or a share. A batch's figures become a **histogram**, how many
replications gave each pair, per measure, group and month; histograms of batches add up,
so a run split into batches, on one machine or many, gives exactly the same histogram as
the run done in one go, and the same figures:

- ``mean``: the mean over replications of ``numerator / denominator`` (replications whose
  denominator is 0 have no value and are left out);
- ``p05``, ``p50``, ``p95``: quantiles of the same values, interpolated linearly between
  order statistics as ``numpy.quantile`` does by default.

Published figures (``exact=False``) pass through the stability figures' disclosure control
(``talentboard.stability.disclosure``): all the figures of a group are suppressed when the
number of posts they rest on is suppressed (1 to 7), and count measures are rounded to the
nearest whole number and then disclosed as counts (1 to 7 suppressed, others rounded to 5).
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
    "histogram",
    "merge",
    "published",
    "statistics",
]

OVERALL = -1
QUANTILES = {"p05": 0.05, "p50": 0.5, "p95": 0.95}
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


@dataclass(frozen=True)
class Histogram:
    """Replications per (measure, group, month, numerator, denominator)."""

    frame: pl.DataFrame

    @property
    def replications(self) -> int:
        first = self.frame.filter(
            (pl.col("measure") == MEASURES[0])
            & (pl.col("group") == OVERALL)
            & (pl.col("month") == 0)
        )
        return int(first["count"].sum())


def _flat(
    measure: str,
    group: int | npt.NDArray[np.int64],
    num: npt.NDArray[np.int64],
    den: npt.NDArray[np.int64],
) -> pl.DataFrame:
    """One row per (group, replication, month) of a (G, R, H) pair of arrays."""
    g, r, h = num.shape
    groups = np.broadcast_to(np.asarray(group).reshape(-1, 1, 1), (g, r, h)).ravel()
    months = np.broadcast_to(np.arange(h).reshape(1, 1, h), (g, r, h)).ravel()
    return pl.DataFrame(
        {
            "group": groups.astype(np.int64),
            "month": months.astype(np.int64),
            "numerator": num.ravel().astype(np.int64),
            "denominator": den.ravel().astype(np.int64),
        }
    ).with_columns(pl.lit(measure).alias("measure"))


def histogram(counts: BatchCounts, with_groups: bool) -> Histogram:
    """The histogram of one batch: the overall figures (group ``OVERALL``) and, when
    ``with_groups``, each group's."""
    parts = []
    for measure in MEASURES:
        num, den = counts.numerator[measure], counts.denominator[measure]
        total = num.sum(axis=0, keepdims=True)
        # A count is over 1 in every group and overall; a share's parts add up.
        overall = np.ones_like(total) if measure in COUNT_MEASURES else den.sum(axis=0, keepdims=True)
        parts.append(_flat(measure, OVERALL, total, overall))
        if with_groups:
            parts.append(_flat(measure, np.arange(num.shape[0]), num, den))
    rows = pl.concat(parts, how="diagonal")
    return Histogram(_count(rows))


def _count(rows: pl.DataFrame) -> pl.DataFrame:
    keys = ["measure", "group", "month", "numerator", "denominator"]
    if "count" not in rows.columns:
        rows = rows.with_columns(pl.lit(1, dtype=pl.Int64).alias("count"))
    return (
        rows.group_by(keys)
        .agg(pl.col("count").sum())
        .select(list(HISTOGRAM_SCHEMA))
        .cast(HISTOGRAM_SCHEMA)  # type: ignore[arg-type]
        .sort(keys)
    )


def merge(histograms: Iterable[Histogram]) -> Histogram:
    """The histogram of several batches together."""
    frames = [h.frame for h in histograms]
    if not frames:
        return Histogram(pl.DataFrame(schema=HISTOGRAM_SCHEMA))
    return Histogram(_count(pl.concat(frames)))


def statistics(hist: Histogram) -> pl.DataFrame:
    """``mean``, ``p05``, ``p50``, ``p95`` per (measure, group, month) (null when no
    replication gave a value)."""
    data = (
        hist.frame.filter(pl.col("denominator") != 0)
        .with_columns((pl.col("numerator") / pl.col("denominator")).alias("value"))
        .sort("measure", "group", "month", "value", "numerator", "denominator")
    )
    keys = data.select("measure", "group", "month")
    changes = np.ones(data.height, dtype=bool)
    if data.height:
        changes[1:] = ~(
            keys.slice(1).to_numpy() == keys.slice(0, data.height - 1).to_numpy()
        ).all(axis=1)
    starts = np.flatnonzero(changes)
    counts = data["count"].to_numpy()
    values = data["value"].to_numpy()
    cumulative = np.cumsum(counts)
    totals = np.add.reduceat(counts, starts) if data.height else np.empty(0, dtype=np.int64)
    base = np.concatenate([[0], cumulative[starts[1:] - 1]]) if data.height else starts
    sums = np.add.reduceat(counts * values, starts) if data.height else np.empty(0)
    result = keys[starts.tolist()].with_columns(pl.Series("mean", sums / np.maximum(totals, 1)))
    for name, q in QUANTILES.items():
        position = q * (totals - 1)
        low = np.floor(position).astype(np.int64)
        high = np.ceil(position).astype(np.int64)
        low_value = values[np.searchsorted(cumulative, base + low, side="right")]
        high_value = values[np.searchsorted(cumulative, base + high, side="right")]
        fraction = position - low
        result = result.with_columns(
            pl.Series(name, low_value + (high_value - low_value) * fraction)
        )
    return result


def published(
    figures: dict[str, Value], measure: str, base: int, rule: DisclosureRule = DEFAULT_RULE
) -> dict[str, Value]:
    """One measure's figures as they may be shown to people without personal-data access."""
    if rule.suppressed(base):
        return dict.fromkeys(figures, rule.symbol)
    if measure not in COUNT_MEASURES:
        return figures
    shown: dict[str, Value] = {}
    for key, value in figures.items():
        if value is None or isinstance(value, str):
            shown[key] = value
        else:
            shown[key] = disclose_count(int(round(float(value))), rule)
    return shown


def figure_dict(row: dict[str, object], names: Sequence[str] = ("mean", *QUANTILES)) -> dict[str, Value]:
    return {name: _plain(row.get(name)) for name in names}


def _plain(value: object) -> Value:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    if number != number:  # NaN
        return None
    return number
