"""Disclosure control for the report, through ``talentboard.stability.disclosure``.

The rule itself (which counts are withheld, how others are rounded, secondary
suppression) lives in the disclosure module; this module applies it to the frames the
report shows and records what was withheld:

* every count column of ``stability.board.COUNT_COLUMNS`` is published with
  ``disclose_count``, or, in a breakdown whose overall row is published too, with
  ``protect_table`` with the column's total published (so a withheld group cannot be
  recovered by subtraction);
* every figure is withheld when a count it is built on is withheld (``FIGURE_BASIS``):
  a share with its numerator or denominator, a median with the spells behind it;
* a withheld value becomes null, with ``<column>_suppressed`` true beside it, which the
  chart tables and renderers show as ``*``. Published counts are the rounded ones; the
  figures that are shown are the exact ones the stability functions gave;
* an SPC chart of a monthly series is worked out from its published months only
  (``published_xmr``): its mean, process limits and special causes are functions of
  every point they are computed from, so computed from the exact series they would,
  with the months shown, give a withheld month away.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Final

import polars as pl

from talentboard.reports.model import SUPPRESSED, Cell
from talentboard.stability.board import ARM_BASIS, ARM_COUNTS, COUNT_COLUMNS
from talentboard.stability.disclosure import (
    DEFAULT_RULE,
    DisclosureRule,
    disclose_count,
    protect_table,
)
from talentboard.stability.metrics import FIGURE_BASIS
from talentboard.stability.spc import (
    RULE_ORDER,
    Side,
    SpcRules,
    XmrChart,
    assurance,
    classify,
)

__all__ = [
    "EXACT",
    "FIGURE_BASIS",
    "MIN_SPC_MONTHS",
    "PublishedXmr",
    "current_rule",
    "publish_counts",
    "publish_figures",
    "published_row",
    "published_xmr",
    "publishing_with",
]

EXACT: Final = DisclosureRule(suppress_from=1, suppress_to=0, round_to=1)
"""A rule that withholds and rounds nothing: the exact figures, for a report made for the
people who may see them (an organisation's own report for its administrator)."""

_RULE: ContextVar[DisclosureRule] = ContextVar("disclosure_rule", default=DEFAULT_RULE)


def current_rule() -> DisclosureRule:
    """The rule the report being built applies (``DEFAULT_RULE`` unless set)."""
    return _RULE.get()


@contextmanager
def publishing_with(rule: DisclosureRule) -> Iterator[None]:
    """Build a report with ``rule``: every function of this module, and the report's
    other disclosure steps, apply it instead of ``DEFAULT_RULE`` within the block."""
    token = _RULE.set(rule)
    try:
        yield
    finally:
        _RULE.reset(token)


def _shown(value: int | str | None, rule: DisclosureRule) -> tuple[int | None, bool]:
    if value == rule.symbol:
        return None, True
    return (None if value is None else int(value)), False


def publish_counts(
    values: Sequence[int | None],
    *,
    protect: bool = False,
    rule: DisclosureRule | None = None,
) -> tuple[list[int | None], list[bool]]:
    """One column of counts as published: values (null when withheld) and withheld flags.

    With ``protect``, the column is a line of a table whose total is published (the
    groups of a breakdown whose overall figure the report shows): ``protect_table`` adds
    secondary suppression so that no withheld group follows from the total. ``rule``
    defaults to ``current_rule()``.
    """
    rule = rule or current_rule()
    if not protect:
        pairs = [_shown(disclose_count(v, rule), rule) for v in values]
        return [p[0] for p in pairs], [p[1] for p in pairs]
    exact = [int(v or 0) for v in values]
    table = protect_table([exact], row_totals=True, column_totals=False, rule=rule)
    pairs = [_shown(v, rule) for v in table.cells[0]]
    # A missing count (no such group) stays missing rather than becoming a published 0.
    shown = [None if v is None else p[0] for v, p in zip(values, pairs, strict=True)]
    return shown, [p[1] for p in pairs]


def publish_figures(
    frame: pl.DataFrame,
    *,
    protect: bool = False,
    counts: Sequence[str] = (*COUNT_COLUMNS, *ARM_COUNTS),
    basis: Mapping[str, Sequence[str]] = FIGURE_BASIS | ARM_BASIS,
    rule: DisclosureRule | None = None,
) -> pl.DataFrame:
    """Rows of ``stability.board.figures_frame`` (or any frame of counts and figures) made
    fit to publish, with a ``<column>_suppressed`` flag beside every count and figure.

    ``protect`` when the rows are the groups of a breakdown whose overall figures are
    published too (see ``publish_counts``).
    """
    published = frame
    withheld: dict[str, list[bool]] = {}
    for column in counts:
        if column not in frame.columns:
            continue
        shown, flags = publish_counts(frame[column].to_list(), protect=protect, rule=rule)
        withheld[column] = flags
        published = published.with_columns(
            pl.Series(column, shown, dtype=pl.Int64),
            pl.Series(f"{column}_suppressed", flags, dtype=pl.Boolean),
        )
    for figure, counts_used in basis.items():
        if figure not in frame.columns:
            continue
        flags = [
            any(withheld[c][i] for c in counts_used if c in withheld) for i in range(frame.height)
        ]
        published = published.with_columns(
            pl.when(pl.Series(flags, dtype=pl.Boolean))
            .then(None)
            .otherwise(pl.col(figure))
            .alias(figure),
            pl.Series(f"{figure}_suppressed", flags, dtype=pl.Boolean),
        )
    return published


def published_row(published: pl.DataFrame, index: int = 0) -> dict[str, Cell]:
    """One row of a published frame as report cells: ``SUPPRESSED`` where withheld."""
    record = published.row(index, named=True)
    row: dict[str, Cell] = {}
    for name, value in record.items():
        if name.endswith("_suppressed"):
            continue
        row[name] = SUPPRESSED if record.get(f"{name}_suppressed") else value
    return row


MIN_SPC_MONTHS: Final = 12
"""The published months an SPC chart needs for a mean and process limits, with
``MIN_SPC_MONTHS - 1`` moving ranges between them: what a year of consecutive months
gives. The NHS-R Making Data Count tools treat limits from fewer than 12 points as trial
limits only; with fewer, the series is shown as a table."""


@dataclass(frozen=True)
class PublishedXmr:
    """The XmR chart of a monthly series with gaps, from its published months only.

    ``months`` is the length of the series and ``positions`` the published months (their
    indices in the series, oldest first). ``chart`` is ``stability.spc.XmrChart`` of the
    published values in that order (``chart.values[k]`` is month ``positions[k]``), or
    None when there are fewer than ``MIN_SPC_MONTHS`` published months or fewer than
    ``MIN_SPC_MONTHS - 1`` moving ranges (``moving_ranges``) to work out limits from.
    """

    months: int
    positions: tuple[int, ...]
    moving_ranges: int
    chart: XmrChart | None


# The special-cause rules as stability.spc defines them, applied here to one run of
# consecutive published months at a time; tests check that a series without gaps gets
# exactly spc.xmr's chart.
def _run_marks(flags: Sequence[bool], length: int) -> list[bool]:
    """Points in a run of at least ``length`` consecutive true flags."""
    marked = [False] * len(flags)
    start = 0
    for i in range(len(flags) + 1):
        if i == len(flags) or not flags[i]:
            if i - start >= length:
                marked[start:i] = [True] * (i - start)
            start = i + 1
    return marked


def _trend_marks(values: Sequence[float], points: int, step: int) -> list[bool]:
    """Points in a run of ``points`` or more values each above (``step`` 1) or below
    (``step`` -1) the one before."""
    marked = [False] * len(values)
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or (values[i] - values[i - 1]) * step <= 0:
            if i - start >= points:
                marked[start:i] = [True] * (i - start)
            start = i
    return marked


def _two_of_three_marks(beyond: Sequence[bool]) -> list[bool]:
    """Points beyond a two-sigma line in a window of three with two or more beyond it."""
    marked = [False] * len(beyond)
    for i in range(len(beyond) - 2):
        if sum(beyond[i : i + 3]) >= 2:
            for k in range(i, i + 3):
                marked[k] = marked[k] or beyond[k]
    return marked


_Marks = dict[str, tuple[list[bool], list[bool]]]
"""Per rule, the points it flags on the high side and on the low side."""


@dataclass(frozen=True)
class _Months:
    """The published months of a series, oldest first.

    ``positions`` are their indices in the series and ``points`` their values;
    ``follows`` says whether each comes straight after the one before it; ``base`` holds
    the indices in ``points`` of those in the baseline, and ``moving`` the moving ranges
    between consecutive baseline months.
    """

    positions: tuple[int, ...]
    points: list[float]
    follows: list[bool]
    base: list[int]
    moving: list[float]


def _published_months(values: Sequence[float | None], rules: SpcRules) -> _Months:
    positions = tuple(i for i, value in enumerate(values) if value is not None)
    points = [float(v) for v in values if v is not None]
    follows = [k > 0 and positions[k] == positions[k - 1] + 1 for k in range(len(points))]
    in_baseline = len(values) if not rules.baseline else rules.baseline
    base = [k for k, i in enumerate(positions) if i < in_baseline]
    moving = [abs(points[k] - points[k - 1]) for k in base if follows[k]]
    return _Months(positions, points, follows, base, moving)


def _run_rules(
    run: list[float],
    rules: SpcRules,
    mean: float,
    limits: tuple[float, float],
    two_sigma: tuple[float, float],
) -> _Marks:
    """The special-cause rules on one run of consecutive published months; ``limits`` and
    ``two_sigma`` are (lower, upper) lines."""
    lower, upper = limits
    lower2, upper2 = two_sigma
    marks: _Marks = {
        "outside_limits": ([v > upper for v in run], [v < lower for v in run]),
        "shift": (
            _run_marks([v > mean for v in run], rules.shift_points),
            _run_marks([v < mean for v in run], rules.shift_points),
        ),
        "trend": (
            _trend_marks(run, rules.trend_points, 1),
            _trend_marks(run, rules.trend_points, -1),
        ),
    }
    if rules.two_of_three:
        marks["two_of_three"] = (
            _two_of_three_marks([v > upper2 for v in run]),
            _two_of_three_marks([v < lower2 for v in run]),
        )
    return marks


def _special_causes(
    months: _Months,
    rules: SpcRules,
    mean: float,
    limits: tuple[float, float],
    two_sigma: tuple[float, float],
) -> _Marks:
    """Every rule's marks over the published months, found run by run so a gap breaks
    a shift, trend or window of three."""
    points = months.points
    found: _Marks = {rule: ([False] * len(points), [False] * len(points)) for rule in RULE_ORDER}
    starts = [k for k in range(len(points)) if not months.follows[k]]
    for start, stop in zip(starts, [*starts[1:], len(points)], strict=True):
        marks = _run_rules(points[start:stop], rules, mean, limits, two_sigma)
        for rule, (high, low) in marks.items():
            found[rule][0][start:stop] = high
            found[rule][1][start:stop] = low
    return found


def _point_rules(found: _Marks, count: int) -> tuple[list[tuple[str, ...]], list[Side | None]]:
    """Per point, the rules that flag it and the side of its special cause."""
    per_point: list[tuple[str, ...]] = []
    sides: list[Side | None] = []
    for k in range(count):
        flagged = [rule for rule in RULE_ORDER if found[rule][0][k] or found[rule][1][k]]
        per_point.append(tuple(flagged))
        # Rules are taken in order of strength; the first decides the side.
        sides.append(None if not flagged else "high" if found[flagged[0]][0][k] else "low")
    return per_point, sides


def _chart(
    months: _Months, higher_is_better: bool | None, target: float | None, rules: SpcRules
) -> XmrChart:
    """The XmR chart of the published months, which are enough to have limits."""
    points = months.points
    mean = sum(points[k] for k in months.base) / len(months.base)
    mr_bar = sum(months.moving) / len(months.moving)
    reach = rules.limit_factor * mr_bar
    upper, lower = mean + reach, mean - reach
    upper2, lower2 = mean + reach * 2 / 3, mean - reach * 2 / 3
    found = _special_causes(months, rules, mean, (lower, upper), (lower2, upper2))
    per_point, sides = _point_rules(found, len(points))
    point_variation = tuple(classify(side, higher_is_better) for side in sides)
    return XmrChart(
        values=tuple(points),
        mean=mean,
        mean_moving_range=mr_bar,
        lower_limit=lower,
        upper_limit=upper,
        lower_two_sigma=lower2,
        upper_two_sigma=upper2,
        rules=tuple(per_point),
        sides=tuple(sides),
        point_variation=point_variation,
        variation=point_variation[-1],
        assurance=assurance(lower, upper, target, higher_is_better),
        target=target,
        higher_is_better=higher_is_better,
    )


def published_xmr(
    values: Sequence[float | None],
    *,
    higher_is_better: bool | None = None,
    target: float | None = None,
    rules: SpcRules | None = None,
) -> PublishedXmr:
    """An XmR chart of a monthly series in which None marks a month not published
    (withheld by disclosure control, or without a value): ``stability.spc.xmr``'s
    definitions, applied to the published months only.

    * The centre line is the mean of the published months (of those among the first
      ``rules.baseline`` months of the series, when a baseline is set).
    * A moving range is taken only between two consecutive months that are both
      published, never across a gap; the limits are the mean plus or minus
      ``rules.limit_factor`` times the mean of those moving ranges.
    * The special-cause rules (outside the limits, shift, trend, two of three) are
      applied within each run of consecutive published months: a gap breaks a shift, a
      trend or a window of three, since the month missing might not continue it.
    * Variation is that of the latest published month; assurance compares the limits
      with ``target`` as ``xmr`` does.

    No value of a month that is not published enters any figure, so changing it changes
    nothing. With no gap this is exactly ``xmr(values)`` (when the series is long enough
    to have limits).
    """
    rules = rules or SpcRules()
    months = _published_months(values, rules)
    if len(months.base) < MIN_SPC_MONTHS or len(months.moving) < MIN_SPC_MONTHS - 1:
        return PublishedXmr(len(values), months.positions, len(months.moving), None)
    chart = _chart(months, higher_is_better, target, rules)
    return PublishedXmr(len(values), months.positions, len(months.moving), chart)
