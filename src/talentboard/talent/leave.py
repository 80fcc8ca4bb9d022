"""The chance that a post's substantive holder leaves within the next 12 months.

Used by succession risk when no fitted departure hazard model is at hand: a Kaplan-Meier
estimate of spell survival among comparable spells, read conditionally on the incumbent's
tenure so far.

Definitions:

- **Spells** at ``t``: those that started on or before ``t``. Duration in years
  (days / 365.25) = ``min(end, t) - start``; event = the spell ended on or before ``t``,
  otherwise censored at ``t``.
- **Kaplan-Meier**: ``S(x) = prod over event times u <= x of (1 - d_u / n_u)``, with
  ``n_u`` the spells whose duration is at least ``u`` (so at tied times events come before
  censorings) and ``d_u`` the events at ``u``: the stability analytics' estimator
  (:func:`talentboard.stability.survival.km_curves`), equal to lifelines'
  ``KaplanMeierFitter``.
- **Leave chance** of an incumbent with tenure ``d`` years:
  ``1 - S(d + 1) / S(d)``, the chance that a spell which lasted ``d`` years ends within one
  more year. When ``S(d) = 0`` (the incumbent has served longer than any comparable spell,
  and the longest of those ended) the chance is 1.
- **Comparable spells**: the narrowest group with at least ``min_spells`` spells, trying in
  turn (1) posts of the same role in organisations of the same segment class at ``t``
  (challenged: segment 3 or worse; not challenged: 1 or 2; not known), (2) posts of the
  same role, (3) posts of the same level and executive flag, (4) all spells; the last of
  these when none reaches ``min_spells``. With no spell at all the chance is null.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from talentboard.stability.survival import km_curves
from talentboard.talent.schemas import require
from talentboard.talent.timing import CHALLENGED_SEGMENT, DAYS_PER_YEAR, years_between

MIN_SPELLS = 20
HORIZON_YEARS = 1.0

LEAVE_SCHEMA = {
    "post_ref": pl.Int64,
    "leave_chance": pl.Float64,
    "tenure_years": pl.Float64,
    "basis": pl.String,
}


@dataclass(frozen=True)
class KaplanMeier:
    """A Kaplan-Meier survival curve: ``survival[i]`` holds from ``times[i]`` on."""

    times: np.ndarray
    survival: np.ndarray

    def at(self, x: float) -> float:
        """S(x): the estimate at ``x`` (1 before the first event time)."""
        index = int(np.searchsorted(self.times, x, side="right")) - 1
        return 1.0 if index < 0 else float(self.survival[index])


def kaplan_meier(durations: Sequence[float], events: Sequence[bool]) -> KaplanMeier:
    """The Kaplan-Meier curve of one group, from the stability analytics' estimator."""
    curves = km_curves(np.asarray(durations, dtype=float), np.asarray(events, dtype=bool))
    return KaplanMeier(
        np.asarray(curves["time"], dtype=float), np.asarray(curves["survival"], dtype=float)
    )


def leave_chance(curve: KaplanMeier, tenure_years: float) -> float:
    """``1 - S(d + 1) / S(d)``, or 1 when ``S(d)`` is 0."""
    now = curve.at(tenure_years)
    if now <= 0.0:
        return 1.0
    return 1.0 - curve.at(tenure_years + HORIZON_YEARS) / now


def _segment_class(segment: int | None) -> str:
    if segment is None:
        return "segment not known"
    return "segment 3-5" if segment >= CHALLENGED_SEGMENT else "segment 1-2"


Curves = dict[tuple[object, ...], tuple[KaplanMeier, int]]


def _post_groups(posts: pl.DataFrame, segments: pl.DataFrame) -> pl.DataFrame:
    """Each post with what makes spells comparable: role, level, executive, segment class."""
    post_groups = posts.select("post_ref", "ods_code", "role_code", "level", "executive").join(
        segments.select("ods_code", "oversight_segment"), on="ods_code", how="left"
    )
    return post_groups.with_columns(
        pl.col("oversight_segment")
        .map_elements(_segment_class, return_dtype=pl.String, skip_nulls=False)
        .alias("segment_class")
    )


def _history(spells: pl.DataFrame, post_groups: pl.DataFrame, at: dt.date) -> pl.DataFrame:
    """The spells started by ``at`` with their ``duration`` (years) and ``event``."""
    return (
        spells.filter(pl.col("start_date") <= at)
        .join(post_groups, on="post_ref", how="inner")
        .with_columns(
            years_between(
                pl.col("start_date"),
                pl.when(pl.col("end_date").is_not_null() & (pl.col("end_date") <= at))
                .then(pl.col("end_date"))
                .otherwise(pl.lit(at)),
            ).alias("duration"),
            (pl.col("end_date").is_not_null() & (pl.col("end_date") <= at)).alias("event"),
        )
    )


def _comparison_groups(inc: dict[str, Any]) -> list[tuple[tuple[object, ...], pl.Expr, str]]:
    """The incumbent's comparison groups, narrowest first: key, condition, words."""
    return [
        (
            ("role_segment", inc["role_code"], inc["segment_class"]),
            (pl.col("role_code") == inc["role_code"])
            & (pl.col("segment_class") == inc["segment_class"]),
            f"{inc['role_code']} spells in {inc['segment_class']} organisations",
        ),
        (
            ("role", inc["role_code"]),
            pl.col("role_code") == inc["role_code"],
            f"{inc['role_code']} spells",
        ),
        (
            ("level", inc["level"], inc["executive"]),
            (pl.col("level") == inc["level"]) & (pl.col("executive") == inc["executive"]),
            f"{'executive ' if inc['executive'] else ''}{inc['level']}-level spells",
        ),
        (("all",), pl.lit(True), "spells of any post"),
    ]


def _curve_for(
    history: pl.DataFrame, curves: Curves, key: tuple[object, ...], condition: pl.Expr
) -> tuple[KaplanMeier, int]:
    """The curve of the spells meeting ``condition`` and their number, kept by ``key``."""
    if key not in curves:
        subset = history.filter(condition)
        curves[key] = (
            kaplan_meier(subset["duration"].to_list(), subset["event"].to_list()),
            subset.height,
        )
    return curves[key]


def _leave_row(
    inc: dict[str, Any],
    at: dt.date,
    history: pl.DataFrame,
    curves: Curves,
    min_spells: int,
) -> dict[str, object]:
    tenure = (at - inc["start_date"]).days / DAYS_PER_YEAR
    for key, condition, description in _comparison_groups(inc):
        curve, count = _curve_for(history, curves, key, condition)
        words = description
        if count >= min_spells:
            break
    return {
        "post_ref": inc["post_ref"],
        "leave_chance": leave_chance(curve, tenure) if count else None,
        "tenure_years": tenure,
        "basis": f"Kaplan-Meier of {count} {words}" if count else "no spells to compare",
    }


def km_leave_chances(
    spells: pl.DataFrame,
    posts: pl.DataFrame,
    segments: pl.DataFrame,
    incumbents: pl.DataFrame,
    at: dt.date,
    *,
    min_spells: int = MIN_SPELLS,
) -> pl.DataFrame:
    """Kaplan-Meier leave chance within 12 months for each incumbent substantive spell.

    Inputs: ``spells`` [post_ref, start_date, end_date]; ``posts`` [post_ref, ods_code,
    role_code, level, executive]; ``segments`` [ods_code, oversight_segment] (each
    organisation's segment at ``at``); ``incumbents`` [post_ref, start_date]: the start of
    the substantive spell covering ``at`` in each post. Returns [post_ref, leave_chance,
    tenure_years, basis], ``basis`` naming the comparison group in words.
    """
    require(spells, ("post_ref", "start_date", "end_date"), "spells")
    require(posts, ("post_ref", "ods_code", "role_code", "level", "executive"), "posts")
    require(segments, ("ods_code", "oversight_segment"), "segments")
    require(incumbents, ("post_ref", "start_date"), "incumbents")
    post_groups = _post_groups(posts, segments)
    history = _history(spells, post_groups, at)
    curves: Curves = {}
    rows = [
        _leave_row(inc, at, history, curves, min_spells)
        for inc in incumbents.join(post_groups, on="post_ref", how="inner").iter_rows(named=True)
    ]
    return pl.DataFrame(rows, schema=LEAVE_SCHEMA)
