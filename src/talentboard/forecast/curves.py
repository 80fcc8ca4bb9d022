"""Kaplan-Meier curves of comparable histories, and exact inverse sampling from them.

Each post is given one curve for how long its holders stay and one for how long it stays
without a substantive holder once vacated. The comparison groups are those of succession
risk (docs/talent.md, "Succession risk"): the narrowest of (1) the same role in
organisations of the same segment class at the as-at date, (2) the same role, (3) the same
level and executive flag, (4) everything, that holds at least ``MIN_SPELLS`` histories;
the widest when none does. The estimator is the stability analytics' own
(:func:`talentboard.stability.survival.km_curves`, equal to lifelines).

Sampling draws ``T`` with ``P(T > t) = S(t)^m / S(d)^m`` given ``T > d``: with ``U``
uniform on (0, 1), ``T`` is the first curve time ``t`` with ``S(t) <= U^(1/m) S(d)``, which
gives ``P(T <= d + h | T > d) = 1 - (S(d + h) / S(d))^m`` exactly (the succession risk's
leave chance when ``m = 1``, ``h = 1`` year). When the curve never falls that low (its
longest histories are still running) the draw is infinite: the holder stays beyond
anything the history has seen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from talentboard.stability.survival import km_curves
from talentboard.talent.leave import MIN_SPELLS
from talentboard.talent.timing import CHALLENGED_SEGMENT, DAYS_PER_YEAR

__all__ = ["MIN_SPELLS", "CurveTable", "assign_groups", "build_curves", "segment_class"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Bins of each curve's inverse lookup table: ``POINTS_PER_BIN`` per step of the curve, a
# power of two from ``MIN_GRID`` to ``MAX_GRID`` (so that ``v * grid`` is exact): a draw
# seldom lands in a bin holding a step, and the tables of all curves stay small enough to
# be read from the processor's cache.
MIN_GRID = 256
MAX_GRID = 65536
POINTS_PER_BIN = 4
# Days given to each curve when they are laid end to end for a search (some 27,000 years).
SPAN = 10_000_000.0
# A draw beyond every step of its curve, in whole days: later than any date of interest,
# and small enough that adding days to it stays well inside 64 bits.
NEVER = 1 << 40
GROUP_KEYS = ("k_role_segment", "k_role", "k_level", "k_all")


def segment_class() -> pl.Expr:
    """The segment class succession risk compares within: 3-5, 1-2 or not known."""
    segment = pl.col("oversight_segment")
    return (
        pl.when(segment.is_null())
        .then(pl.lit("segment not known"))
        .when(segment >= CHALLENGED_SEGMENT)
        .then(pl.lit("segment 3-5"))
        .otherwise(pl.lit("segment 1-2"))
    )


def _keys(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.concat_str(
            [pl.col("role_code"), pl.col("segment_class")], separator="|", ignore_nulls=True
        ).alias("k_role_segment"),
        pl.col("role_code").fill_null("").alias("k_role"),
        pl.concat_str(
            [pl.col("level"), pl.col("executive").cast(pl.String)],
            separator="|",
            ignore_nulls=True,
        ).alias("k_level"),
        pl.lit("").alias("k_all"),
    )


def assign_groups(
    posts: pl.DataFrame, history: pl.DataFrame, *, min_spells: int = MIN_SPELLS
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The comparison group of each post, and the histories of each group used.

    ``posts`` and ``history`` both carry ``role_code``, ``segment_class``, ``level`` and
    ``executive`` (``history`` also ``duration`` and ``event``). Returns ``posts`` with a
    ``curve`` number and ``basis`` (the group's key kind), and the stacked histories
    ``[curve, duration, event]`` of the groups some post uses.
    """
    keyed_posts = _keys(posts)
    keyed_history = _keys(history)
    choice: pl.Expr = pl.lit(GROUP_KEYS[-1])
    counts = {
        key: keyed_history.group_by(key).agg(pl.len().alias(f"n_{key}")) for key in GROUP_KEYS
    }
    for key in GROUP_KEYS:
        keyed_posts = keyed_posts.join(counts[key], on=key, how="left").with_columns(
            pl.col(f"n_{key}").fill_null(0)
        )
    for key in reversed(GROUP_KEYS[:-1]):
        choice = pl.when(pl.col(f"n_{key}") >= min_spells).then(pl.lit(key)).otherwise(choice)
    keyed_posts = keyed_posts.with_columns(choice.alias("basis"))
    keyed_posts = keyed_posts.with_columns(
        pl.concat_str([pl.col("basis"), pl.lit("#"), _chosen_value()]).alias("_curve_key")
    )
    distinct = sorted(set(keyed_posts["_curve_key"].to_list()))
    numbers = {key: number for number, key in enumerate(distinct)}
    keyed_posts = keyed_posts.with_columns(
        pl.col("_curve_key").replace_strict(numbers, return_dtype=pl.Int64).alias("curve")
    )
    # The histories of every curve of a kind at once: one join per kind of group.
    wanted: dict[str, tuple[list[str], list[int]]] = {}
    for key, number in numbers.items():
        kind, value = key.split("#", 1)
        values, curves = wanted.setdefault(kind, ([], []))
        values.append(value)
        curves.append(number)
    stacked = []
    for kind, (values, curves) in wanted.items():
        table = pl.DataFrame(
            {kind: values, "curve": curves}, schema={kind: pl.String, "curve": pl.Int64}
        )
        stacked.append(
            keyed_history.join(table, on=kind, how="inner").select(
                pl.col("curve"),
                pl.col("duration").cast(pl.Float64),
                pl.col("event").cast(pl.Boolean),
            )
        )
    histories = (
        pl.concat(stacked)
        if stacked
        else pl.DataFrame(schema={"curve": pl.Int64, "duration": pl.Float64, "event": pl.Boolean})
    )
    basis_names = dict(zip(GROUP_KEYS, ("role_segment", "role", "level", "all"), strict=True))
    keyed_posts = keyed_posts.with_columns(pl.col("basis").replace_strict(basis_names))
    return keyed_posts.drop(
        [*GROUP_KEYS, *(f"n_{k}" for k in GROUP_KEYS), "_curve_key"], strict=False
    ), histories


def _chosen_value() -> pl.Expr:
    expr: pl.Expr = pl.lit("")
    for key in GROUP_KEYS[:-1]:
        expr = pl.when(pl.col("basis") == key).then(pl.col(key)).otherwise(expr)
    return expr


@dataclass(frozen=True)
class CurveTable:
    """Kaplan-Meier curves laid end to end, for drawing from many curves at once.

    Curve ``c`` occupies ``times[start[c]:start[c + 1]]`` with ``survival`` alongside, and
    ends with a sentinel (time infinite, survival -1) that every draw below the curve's
    lowest value reaches. Its lookup table has ``grid[c]`` bins, at ``offset[c]`` in
    ``table``: ``table[offset[c] + g]`` is the first position in curve ``c`` with
    ``survival <= (g + 1) / grid[c]``, where a draw in bin ``g`` starts its search.
    ``days`` are ``times`` as whole days, ``NEVER`` for the sentinel.
    """

    times: FloatArray
    survival: FloatArray
    start: IntArray
    table: IntArray
    offset: IntArray
    grid: IntArray
    shifted: FloatArray  # times + curve * SPAN, the sentinels at the end of their span
    days: IntArray
    above: IntArray  # ceil(survival * 2 ** 32): S > b / 2 ** 32 exactly when above > b

    @property
    def count(self) -> int:
        return int(self.start.shape[0]) - 1

    def survival_at(self, curve: IntArray, x: FloatArray) -> FloatArray:
        """``S(x)`` on each given curve, for ``x >= 0`` (every curve holds time 0).

        One search over all curves at once: curve ``c``'s times are shifted by
        ``c * SPAN`` days, so the curves lie one after the other in a sorted array.
        """
        keys = curve * SPAN + np.minimum(x, SPAN - 1)
        index = np.searchsorted(self.shifted, keys, side="right") - 1
        return self.survival[index]

    def inverse(self, curve: IntArray, level: FloatArray) -> FloatArray:
        """The first curve time at which ``S <= level`` (infinite when never)."""
        level = np.asarray(level, dtype=np.float64)
        grid = self.grid[curve]
        cell = np.minimum((level * grid).astype(np.int64), grid - 1)
        return self.times[self._search(self.offset[curve] + cell, level)]

    def draw_days(self, base: IntArray, scale: FloatArray, level: FloatArray) -> IntArray:
        """:meth:`inverse` in whole days (``NEVER`` for never), for ``level`` in [0, 1),
        ``base = offset[curve]`` and ``scale = grid[curve]``: the simulation's inner loop,
        so nothing is clipped."""
        cell = level * scale
        index = cell.astype(np.int64)
        index += base
        return self.days[self._search(index, level)]

    def codes(self, curve: IntArray) -> IntArray:
        """For :meth:`draw_bits`: each curve's table offset, and in the low 6 bits the
        shift that turns 32 random bits into a bin of its table."""
        shift = 32 - np.log2(self.grid[curve]).astype(np.int64)
        return (self.offset[curve] << 6) | shift

    def draw_bits(self, code: IntArray, bits: npt.NDArray[np.uint32]) -> IntArray:
        """:meth:`draw_days` for ``level = bits / 2 ** 32``, in whole numbers: the bin is
        the top bits of ``bits``, and the search compares ``bits`` with ``above``."""
        index = np.right_shift(bits, code & 63)
        index += code >> 6
        position = self.table[index]
        pending = np.flatnonzero(self.above[position] > bits)
        while pending.shape[0]:
            position[pending] += 1
            still = self.above[position[pending]] > bits[pending]
            pending = pending[still]
        days: IntArray = self.days[position]
        return days

    def _search(self, index: IntArray, level: FloatArray) -> IntArray:
        """From each draw's bin (``offset[curve] + bin``), the first position at or below
        its level: the bin's start, then a step on while the curve is still above."""
        position = self.table[index]
        pending = np.flatnonzero(self.survival[position] > level)
        while pending.shape[0]:
            position[pending] += 1
            still = self.survival[position[pending]] > level[pending]
            pending = pending[still]
        return position


def build_curves(histories: pl.DataFrame, count: int) -> CurveTable:
    """The curves ``0 .. count - 1`` of the stacked ``[curve, duration, event]`` histories.

    A curve with no history is flat at 1 (nothing ever ends).
    """
    times_parts: list[FloatArray] = []
    survival_parts: list[FloatArray] = []
    if histories.height:
        curves = km_curves(
            histories["duration"].to_numpy().astype(np.float64),
            histories["event"].to_numpy().astype(bool),
            histories["curve"].to_numpy().astype(np.int64),
        )
        group = np.asarray(curves["group"], dtype=np.int64)
        # The simulation runs in whole days: durations are days / 365.25 (DESIGN section 5).
        time = np.rint(np.asarray(curves["time"], dtype=np.float64) * DAYS_PER_YEAR)
        survival = np.asarray(curves["survival"], dtype=np.float64)
    else:
        group = np.empty(0, dtype=np.int64)
        time = survival = np.empty(0)
    bounds = np.searchsorted(group, np.arange(count + 1))
    start = [0]
    for c in range(count):
        lo, hi = bounds[c], bounds[c + 1]
        curve_times = np.concatenate([[0.0], time[lo:hi], [np.inf]])
        curve_survival = np.concatenate([[1.0], survival[lo:hi], [-1.0]])
        times_parts.append(curve_times)
        survival_parts.append(curve_survival)
        start.append(start[-1] + curve_times.shape[0])
    times = np.concatenate(times_parts) if times_parts else np.empty(0)
    values = np.concatenate(survival_parts) if survival_parts else np.empty(0)
    starts = np.asarray(start, dtype=np.int64)
    # A step where the curve does not fall (only censoring) changes neither ``S(x)`` nor
    # the first time at or below a level: drop it, so that searches step over fewer.
    curve_of = np.repeat(np.arange(count), np.diff(starts))
    keep = np.ones(times.shape[0], dtype=bool)
    keep[1:] = (values[1:] != values[:-1]) | (curve_of[1:] != curve_of[:-1])
    times, values, curve_of = times[keep], values[keep], curve_of[keep]
    starts = np.searchsorted(curve_of, np.arange(count + 1)).astype(np.int64)
    lengths = np.diff(starts)
    grid = np.full(count, MIN_GRID, dtype=np.int64)
    while np.any(small := (grid < POINTS_PER_BIN * lengths) & (grid < MAX_GRID)):
        grid[small] *= 2
    offset = np.concatenate([[0], np.cumsum(grid)]).astype(np.int64)
    table = np.empty(int(offset[-1]), dtype=np.int64)
    for c in range(count):
        lo, hi = int(starts[c]), int(starts[c + 1])
        thresholds = (np.arange(grid[c]) + 1.0) / grid[c]
        # Survival is non-increasing along a curve: the first position at or below each
        # threshold is found by searching the negated values.
        table[offset[c] : offset[c + 1]] = lo + np.searchsorted(
            -values[lo:hi], -thresholds, side="left"
        )
    shifted = (curve_of * SPAN + np.minimum(times, SPAN - 0.5)).astype(np.float64)
    days = np.where(np.isinf(times), NEVER, times).astype(np.int64)
    above = np.ceil(values * 2.0**32).astype(np.int64)
    return CurveTable(times, values, starts, table, offset[:-1], grid, shifted, days, above)
