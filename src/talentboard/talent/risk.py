"""Succession risk per critical post: a documented figure between 0 and 1, with reasons.

``risk = w_leave * L + w_bench * N + w_cover * V + w_org * C`` where

- ``L``: the chance the post needs a new substantive holder within 12 months: for a post
  held substantively, the incumbent's chance of leaving within 12 months (the departure
  hazard model by role and segment, or Kaplan-Meier, :mod:`talentboard.talent.leave`);
  1 for a post that is vacant or held on an interim basis (it needs filling now); 0, with
  a reason saying so, when the chance cannot be estimated;
- ``N`` = 1 when the post has no eligible ready-now successor (it is not covered), else 0;
- ``V`` = 1 when the post is vacant or held on an interim, acting or secondment basis, else 0;
- ``C`` = 1 when the organisation is challenged (oversight segment 3 or worse at ``t``),
  else 0 (also when its segment is not known).

The weights, 0.4, 0.3, 0.2 and 0.1 by default, add up to 1, so the risk runs from 0 (a
substantive incumbent certain to stay, a ready-now successor, a strong organisation) to 1
(a vacant post with no ready-now successor in a challenged organisation). Each term that
adds to the risk is one reason, in words, with what it adds. ``docs/talent.md`` works an
example through.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl

from talentboard.talent.schemas import require
from talentboard.talent.succession import bench_strength, coverage_share
from talentboard.talent.timing import is_challenged


@dataclass(frozen=True)
class RiskWeights:
    """The weight of each term of the succession risk; they must add up to 1."""

    leave: float = 0.4
    no_ready_now: float = 0.3
    vacant_or_interim: float = 0.2
    challenged: float = 0.1

    def __post_init__(self) -> None:
        total = self.leave + self.no_ready_now + self.vacant_or_interim + self.challenged
        if abs(total - 1.0) > 1e-9 or min(self.__dict__.values()) < 0:
            raise ValueError(f"risk weights must be non-negative and add up to 1, not {total}")


def _percent(value: float) -> str:
    return f"{100 * value:.0f}%"


def post_risk(
    state: str,
    covered: bool,
    segment: int | None,
    leave_chance: float | None,
    basis: str | None,
    tenure_years: float | None,
    weights: RiskWeights = RiskWeights(),
) -> tuple[float, list[str]]:
    """The risk of one post and its reasons (see the module docstring)."""
    reasons: list[str] = []
    risk = 0.0
    if state == "substantive":
        if leave_chance is None:
            reasons.append("the incumbent's chance of leaving cannot be estimated (taken as 0)")
        else:
            part = weights.leave * leave_chance
            risk += part
            tenure = f", after {tenure_years:.1f} years in post" if tenure_years is not None else ""
            reasons.append(
                f"incumbent's chance of leaving within 12 months is {_percent(leave_chance)} "
                f"({basis}{tenure}) (+{part:.2f})"
            )
    else:
        risk += weights.leave
        reasons.append(f"no substantive holder: the post needs filling (+{weights.leave:.2f})")
    if not covered:
        risk += weights.no_ready_now
        reasons.append(f"no ready-now successor in post (+{weights.no_ready_now:.2f})")
    if state == "vacant":
        risk += weights.vacant_or_interim
        reasons.append(f"post vacant (+{weights.vacant_or_interim:.2f})")
    elif state == "interim":
        risk += weights.vacant_or_interim
        reasons.append(
            "post held on an interim, acting or secondment basis "
            f"(+{weights.vacant_or_interim:.2f})"
        )
    if is_challenged(segment):
        risk += weights.challenged
        reasons.append(f"organisation in oversight segment {segment} (+{weights.challenged:.2f})")
    return min(max(risk, 0.0), 1.0), reasons


def succession_risk(
    bench: pl.DataFrame,
    leave: pl.DataFrame,
    segments: pl.DataFrame,
    weights: RiskWeights = RiskWeights(),
) -> pl.DataFrame:
    """Add ``oversight_segment``, ``leave_chance``, ``tenure_years``, ``basis``, ``risk``
    and ``reasons`` (list of strings) to the bench-strength frame.

    ``leave`` is [post_ref, leave_chance, tenure_years, basis] for posts held substantively;
    ``segments`` is [ods_code, oversight_segment] at the same date.
    """
    require(leave, ("post_ref", "leave_chance", "tenure_years", "basis"), "leave")
    require(segments, ("ods_code", "oversight_segment"), "segments")
    data = bench.join(
        leave.select("post_ref", "leave_chance", "tenure_years", "basis"),
        on="post_ref",
        how="left",
    ).join(segments.select("ods_code", "oversight_segment"), on="ods_code", how="left")
    data = data.sort("post_id")
    risks: list[float] = []
    reasons: list[list[str]] = []
    for row in data.iter_rows(named=True):
        risk, why = post_risk(
            row["state"],
            row["covered"],
            row["oversight_segment"],
            row["leave_chance"],
            row["basis"],
            row["tenure_years"],
            weights,
        )
        risks.append(risk)
        reasons.append(why)
    return data.with_columns(
        pl.Series("risk", risks, dtype=pl.Float64),
        pl.Series("reasons", reasons, dtype=pl.List(pl.String)),
    ).sort("post_id")


@dataclass(frozen=True)
class SuccessionReport:
    """Succession at a date: one row per critical post with bench, coverage and risk."""

    as_at: dt.date
    posts: pl.DataFrame

    @property
    def coverage_share(self) -> float | None:
        return coverage_share(self.posts)

    def to_json(self) -> dict[str, Any]:
        """The ``talentboard succession --format json`` contract, key by key."""
        return {
            "as_at": self.as_at.isoformat(),
            "coverage_share": self.coverage_share,
            "posts": [
                {
                    "post_id": row["post_id"],
                    "ods_code": row["ods_code"],
                    "role_code": row["role_code"],
                    "ready_now": row["ready_now"],
                    "ready_1_2y": row["ready_1_2y"],
                    "ready_3_5y": row["ready_3_5y"],
                    "covered": row["covered"],
                    "risk": round(row["risk"], 4),
                    "reasons": list(row["reasons"]),
                }
                for row in self.posts.iter_rows(named=True)
            ],
        }


def succession_report(
    posts: pl.DataFrame,
    appointments: pl.DataFrame,
    plans: pl.DataFrame,
    successors: pl.DataFrame,
    segments: pl.DataFrame,
    leave: pl.DataFrame,
    at: dt.date,
    weights: RiskWeights = RiskWeights(),
) -> SuccessionReport:
    """Bench strength, coverage and risk for the critical posts among ``posts`` at ``at``.

    Restrict ``posts`` to an organisation or region to report on it alone; the other
    frames may hold everything (successors are looked up across organisations).
    """
    bench = bench_strength(posts, appointments, plans, successors, at)
    return SuccessionReport(at, succession_risk(bench, leave, segments, weights))
