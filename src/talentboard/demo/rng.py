"""Seeded random streams and small drawing helpers for the demo generator.

Every part of the generator draws from its own stream, derived from the seed and a name
with SHA-256, so the output depends on nothing but the seed: not on the global random
state, hash randomisation, the date of the run, or the order parts are generated in.
Days are proleptic Gregorian ordinals (``date.toordinal()``) throughout: integer arithmetic
is exact and fast.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate
from typing import Generic, TypeVar

T = TypeVar("T")

YEAR_DAYS = 365.25


def stream(seed: int, *names: str) -> random.Random:
    """An independent random stream for one named part of the generator."""
    digest = hashlib.sha256(":".join((str(seed), *names)).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


class Weighted(Generic[T]):
    """A fixed discrete distribution, drawn from in O(log n)."""

    __slots__ = ("_cumulative", "_total", "values")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        items = list(pairs)
        if not items or any(w < 0 for _, w in items) or sum(w for _, w in items) <= 0:
            raise ValueError("a weighted choice needs non-negative weights with a positive sum")
        self.values: tuple[T, ...] = tuple(v for v, _ in items)
        self._cumulative = list(accumulate(w for _, w in items))
        self._total = self._cumulative[-1]

    def draw(self, rng: random.Random) -> T:
        return self.values[bisect_right(self._cumulative, rng.random() * self._total)]


def weighted(mapping: dict[T, float]) -> Weighted[T]:
    return Weighted(mapping.items())


def clipped_normal(rng: random.Random, mean: float, sd: float, low: float, high: float) -> float:
    return min(high, max(low, rng.normalvariate(mean, sd)))


def lognormal_days(rng: random.Random, median_days: float, sigma: float) -> int:
    """Days drawn from a log-normal distribution with the given median, at least one."""
    return max(1, round(median_days * math.exp(sigma * rng.normalvariate(0.0, 1.0))))


def years_to_days(years: float) -> int:
    return round(years * YEAR_DAYS)


def day(value: dt.date) -> int:
    return value.toordinal()


def date_of(ordinal: int) -> dt.date:
    return dt.date.fromordinal(ordinal)


def year_of(ordinal: int) -> int:
    return dt.date.fromordinal(ordinal).year


def sample_weighted(
    rng: random.Random, items: list[T], weights: list[float], count: int
) -> list[T]:
    """``count`` distinct items, each chosen with probability growing with its weight.

    Efraimidis and Spirakis' method: the items with the largest ``u ** (1 / w)``.
    """
    keys = [
        (rng.random() ** (1.0 / w) if w > 0 else -1.0, index) for index, w in enumerate(weights)
    ]
    keys.sort(reverse=True)
    return [items[index] for _, index in keys[:count]]
