"""Statistical process control (XmR charts) the NHS "Making Data Count" way.

* Centre line: the mean of the baseline points (all points unless ``baseline`` is set).
* Moving ranges: ``|x_i - x_(i-1)|``; process limits at ``mean +/- 2.66 * mean moving
  range`` (2.66 = 3 / 1.128: three sigma estimated from the moving range). The two-sigma
  lines sit at two thirds of that distance.
* Special cause, each rule configurable (``SpcRules``):
  - a point outside the process limits;
  - a shift: ``shift_points`` (7) or more consecutive points above the mean, or below it
    (a point on the mean breaks the run);
  - a trend: ``trend_points`` (7) or more consecutive points each higher than the one
    before (6 consecutive increases), or each lower (an equal value breaks it);
  - two of three: two or three out of three consecutive points beyond the same two-sigma
    line (same side of the mean).
  Every point of a qualifying run, trend or triple is flagged, with its side: ``high``
  (above the mean, or rising) or ``low``.
* Variation (the icon): for the latest point, ``special_cause_improving`` or
  ``special_cause_concerning`` by the side and whether higher is better,
  ``special_cause_neither`` when the metric has no better direction, else
  ``common_cause``.
* Assurance against a target: ``consistently_passing`` when both limits are strictly on
  the passing side of the target, ``consistently_failing`` when both are strictly on the
  failing side, otherwise ``hit_and_miss``; none without a target or a direction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "Assurance",
    "SpcRules",
    "Variation",
    "XmrChart",
    "assurance",
    "classify",
    "xmr",
]

Side = Literal["high", "low"]
Variation = Literal[
    "common_cause",
    "special_cause_improving",
    "special_cause_concerning",
    "special_cause_neither",
]
Assurance = Literal["consistently_passing", "consistently_failing", "hit_and_miss"]
RULE_ORDER = ("outside_limits", "shift", "two_of_three", "trend")


@dataclass(frozen=True)
class SpcRules:
    """The Making Data Count rules, with their lengths configurable."""

    limit_factor: float = 2.66
    shift_points: int = 7
    trend_points: int = 7
    two_of_three: bool = True
    baseline: int | None = None


@dataclass(frozen=True)
class XmrChart:
    values: tuple[float, ...]
    mean: float | None
    mean_moving_range: float | None
    lower_limit: float | None
    upper_limit: float | None
    lower_two_sigma: float | None
    upper_two_sigma: float | None
    rules: tuple[tuple[str, ...], ...]  # per point, the rules that flag it
    sides: tuple[Side | None, ...]  # per point, the side of its special cause
    point_variation: tuple[Variation, ...]
    variation: Variation | None  # of the latest point
    assurance: Assurance | None
    target: float | None
    higher_is_better: bool | None

    @property
    def special_cause(self) -> tuple[bool, ...]:
        return tuple(bool(r) for r in self.rules)


def _runs(flags: Sequence[bool], length: int) -> list[bool]:
    """Points that belong to a run of at least ``length`` consecutive True flags."""
    marked = [False] * len(flags)
    start = 0
    for i in range(len(flags) + 1):
        if i == len(flags) or not flags[i]:
            if i - start >= length:
                for k in range(start, i):
                    marked[k] = True
            start = i + 1
    return marked


def _trend(values: Sequence[float], points: int) -> tuple[list[bool], list[bool]]:
    """Points in a run of ``points`` or more consecutive rising (falling) values."""
    n = len(values)
    rising = [False] * n
    falling = [False] * n
    for marks, step in ((rising, 1), (falling, -1)):
        start = 0
        for i in range(1, n + 1):
            continues = i < n and (values[i] - values[i - 1]) * step > 0
            if not continues:
                if i - start >= points:
                    for k in range(start, i):
                        marks[k] = True
                start = i
    return rising, falling


def _two_of_three(beyond: Sequence[bool]) -> list[bool]:
    marked = [False] * len(beyond)
    for i in range(len(beyond) - 2):
        window = range(i, i + 3)
        if sum(beyond[k] for k in window) >= 2:
            for k in window:
                if beyond[k]:
                    marked[k] = True
    return marked


def classify(side: Side | None, higher_is_better: bool | None) -> Variation:
    if side is None:
        return "common_cause"
    if higher_is_better is None:
        return "special_cause_neither"
    improving = (side == "high") == higher_is_better
    return "special_cause_improving" if improving else "special_cause_concerning"


def assurance(
    lower: float | None, upper: float | None, target: float | None, higher_is_better: bool | None
) -> Assurance | None:
    if target is None or higher_is_better is None or lower is None or upper is None:
        return None
    above, below = lower > target, upper < target
    if above or below:
        passing = above if higher_is_better else below
        return "consistently_passing" if passing else "consistently_failing"
    return "hit_and_miss"


def _short_chart(
    points: list[float],
    baseline: list[float],
    target: float | None,
    higher_is_better: bool | None,
) -> XmrChart:
    """The chart of fewer than two baseline points: a mean at most, no limits or causes."""
    mean = sum(baseline) / len(baseline) if baseline else None
    return XmrChart(
        values=tuple(points),
        mean=mean,
        mean_moving_range=None,
        lower_limit=None,
        upper_limit=None,
        lower_two_sigma=None,
        upper_two_sigma=None,
        rules=tuple(() for _ in points),
        sides=tuple(None for _ in points),
        point_variation=tuple("common_cause" for _ in points),
        variation="common_cause" if points else None,
        assurance=None,
        target=target,
        higher_is_better=higher_is_better,
    )


@dataclass(frozen=True)
class _Limits:
    mean: float
    mean_moving_range: float
    lower: float
    upper: float
    lower2: float
    upper2: float


def _limits(baseline: list[float], limit_factor: float) -> _Limits:
    mean = sum(baseline) / len(baseline)
    moving = [abs(baseline[i] - baseline[i - 1]) for i in range(1, len(baseline))]
    mr_bar = sum(moving) / len(moving)
    reach = limit_factor * mr_bar
    upper, lower = mean + reach, mean - reach
    upper2, lower2 = mean + reach * 2 / 3, mean - reach * 2 / 3
    return _Limits(mean, mr_bar, lower, upper, lower2, upper2)


def _rule_marks(
    points: list[float], limits: _Limits, rules: SpcRules
) -> dict[str, tuple[list[bool], list[bool]]]:
    """For each rule in use, the points it flags on the high side and on the low side."""
    mean = limits.mean
    found: dict[str, tuple[list[bool], list[bool]]] = {
        "outside_limits": (
            [v > limits.upper for v in points],
            [v < limits.lower for v in points],
        ),
        "shift": (
            _runs([v > mean for v in points], rules.shift_points),
            _runs([v < mean for v in points], rules.shift_points),
        ),
        "trend": _trend(points, rules.trend_points),
    }
    if rules.two_of_three:
        found["two_of_three"] = (
            _two_of_three([v > limits.upper2 for v in points]),
            _two_of_three([v < limits.lower2 for v in points]),
        )
    return found


def _flag_points(
    found: dict[str, tuple[list[bool], list[bool]]], n: int
) -> tuple[list[tuple[str, ...]], list[Side | None]]:
    """Per point, the rules that flag it and the side of its special cause."""
    per_point: list[tuple[str, ...]] = []
    sides: list[Side | None] = []
    for i in range(n):
        names: list[str] = []
        side: Side | None = None
        for rule in RULE_ORDER:
            if rule not in found:
                continue
            high, low = found[rule]
            if high[i] or low[i]:
                names.append(rule)
                if side is None:
                    # Rules are taken in order of strength; the first decides the side.
                    side = "high" if high[i] else "low"
        per_point.append(tuple(names))
        sides.append(side)
    return per_point, sides


def xmr(
    values: Sequence[float],
    *,
    higher_is_better: bool | None = None,
    target: float | None = None,
    rules: SpcRules | None = None,
) -> XmrChart:
    """An XmR chart of ``values`` with special causes, variation and assurance.

    With fewer than two baseline points there are no limits and no special causes.
    """
    rules = rules or SpcRules()
    points = [float(v) for v in values]
    baseline = points[: rules.baseline] if rules.baseline else points
    if len(baseline) < 2:
        return _short_chart(points, baseline, target, higher_is_better)
    limits = _limits(baseline, rules.limit_factor)
    per_point, sides = _flag_points(_rule_marks(points, limits, rules), len(points))
    point_variation = tuple(classify(s, higher_is_better) for s in sides)
    return XmrChart(
        values=tuple(points),
        mean=limits.mean,
        mean_moving_range=limits.mean_moving_range,
        lower_limit=limits.lower,
        upper_limit=limits.upper,
        lower_two_sigma=limits.lower2,
        upper_two_sigma=limits.upper2,
        rules=tuple(per_point),
        sides=tuple(sides),
        point_variation=point_variation,
        variation=point_variation[-1],
        assurance=assurance(limits.lower, limits.upper, target, higher_is_better),
        target=target,
        higher_is_better=higher_is_better,
    )
