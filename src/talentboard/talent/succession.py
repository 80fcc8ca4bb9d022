"""Succession: critical posts, bench strength, coverage, emergency cover, flags, roll-ups.

Definitions at a date ``t`` (``docs/talent.md`` has them with examples):

- **Critical posts**: posts existing at ``t`` that are executive board posts (level
  ``board`` and executive) or have a succession plan.
- **Incumbents** of a post: the people with an appointment of any type to it covering
  ``t``. The post's **state** is ``substantive`` when a substantive or joint appointment
  covers ``t``, else ``interim`` when an interim, acting or secondment appointment does,
  else ``vacant``.
- **Eligible successor**: a person named on the post's plan (reviewed on or before ``t``)
  who is in post at ``t`` (has an appointment of any type, to any post, covering ``t``) and
  is not one of the post's incumbents. Bench strength counts eligible successors by
  readiness (``ready_now``, ``ready_1_2y``, ``ready_3_5y``, ``not_yet``);
  ``emergency_cover`` counts eligible successors flagged as emergency cover.
- **Covered**: at least one eligible ``ready_now`` successor, so ``covered`` is exactly
  ``ready_now >= 1``. ``coverage_share`` = covered critical posts / critical posts (null
  when there are none).
- **Named on too many plans**: a person named as successor on more than ``max_plans``
  plans of posts existing at ``t``, whatever their readiness: each plan counts them, but
  they can fill only one post.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from talentboard.talent.schemas import require
from talentboard.talent.timing import COVER_TYPES, SUBSTANTIVE_TYPES, covers, exists

MAX_PLANS = 3
READINESS_COLUMNS = ("ready_now", "ready_1_2y", "ready_3_5y", "not_yet")


def critical_posts(posts: pl.DataFrame, plans: pl.DataFrame, at: dt.date) -> pl.DataFrame:
    """Posts existing at ``at`` that are executive board posts or have a plan, with
    ``has_plan``."""
    require(
        posts,
        ("post_ref", "post_id", "ods_code", "role_code", "level", "executive"),
        "posts",
    )
    planned = plans.select("post_ref").unique().with_columns(pl.lit(True).alias("has_plan"))
    return (
        posts.filter(exists(at))
        .join(planned, on="post_ref", how="left")
        .with_columns(pl.col("has_plan").fill_null(False))
        .filter(((pl.col("level") == "board") & pl.col("executive")) | pl.col("has_plan"))
        .sort("post_id")
    )


def post_states(posts: pl.DataFrame, appointments: pl.DataFrame, at: dt.date) -> pl.DataFrame:
    """[post_ref, state, incumbents]: each post's state at ``at`` and the people in it."""
    require(
        appointments,
        ("person_ref", "post_ref", "start_date", "end_date", "appointment_type"),
        "appointments",
    )
    current = appointments.filter(covers(at))
    held = current.group_by("post_ref").agg(
        pl.col("person_ref").unique().sort().alias("incumbents"),
        pl.col("appointment_type").is_in(list(SUBSTANTIVE_TYPES)).any().alias("substantive"),
        pl.col("appointment_type").is_in(list(COVER_TYPES)).any().alias("cover"),
    )
    return (
        posts.select("post_ref")
        .join(held, on="post_ref", how="left")
        .with_columns(
            pl.when(pl.col("substantive"))
            .then(pl.lit("substantive"))
            .when(pl.col("cover"))
            .then(pl.lit("interim"))
            .otherwise(pl.lit("vacant"))
            .alias("state"),
            pl.col("incumbents").fill_null(pl.lit([], dtype=pl.List(pl.Int64))),
        )
        .select("post_ref", "state", "incumbents")
    )


def eligible_successors(
    successors: pl.DataFrame,
    appointments: pl.DataFrame,
    states: pl.DataFrame,
    at: dt.date,
) -> pl.DataFrame:
    """Successor entries of people in post at ``at`` who are not the post's incumbents."""
    require(successors, ("post_ref", "person_ref", "readiness", "emergency_cover"), "successors")
    in_post = appointments.filter(covers(at)).select("person_ref").unique()
    incumbent_pairs = states.select("post_ref", "incumbents").explode("incumbents")
    incumbent_pairs = incumbent_pairs.rename({"incumbents": "person_ref"}).drop_nulls()
    return successors.join(in_post, on="person_ref", how="semi").join(
        incumbent_pairs, on=["post_ref", "person_ref"], how="anti"
    )


def bench_strength(
    posts: pl.DataFrame,
    appointments: pl.DataFrame,
    plans: pl.DataFrame,
    successors: pl.DataFrame,
    at: dt.date,
) -> pl.DataFrame:
    """One row per critical post: state, incumbents, eligible successors by readiness,
    emergency cover, and ``covered`` (see the module docstring)."""
    critical = critical_posts(posts, plans, at)
    states = post_states(critical, appointments, at)
    eligible = eligible_successors(successors, appointments, states, at)
    counts = eligible.group_by("post_ref").agg(
        *[(pl.col("readiness") == r).sum().cast(pl.Int64).alias(r) for r in READINESS_COLUMNS],
        pl.col("emergency_cover").sum().cast(pl.Int64).alias("emergency_cover"),
    )
    return (
        critical.join(states, on="post_ref", how="left")
        .join(counts, on="post_ref", how="left")
        .with_columns(
            *[pl.col(c).fill_null(0) for c in (*READINESS_COLUMNS, "emergency_cover")],
        )
        .with_columns((pl.col("ready_now") >= 1).alias("covered"))
        .sort("post_id")
    )


def coverage_share(bench: pl.DataFrame) -> float | None:
    """Covered critical posts / critical posts; null when there are none."""
    if bench.height == 0:
        return None
    return float(bench["covered"].sum()) / bench.height


def named_on_too_many_plans(
    posts: pl.DataFrame,
    successors: pl.DataFrame,
    at: dt.date,
    *,
    max_plans: int = MAX_PLANS,
) -> pl.DataFrame:
    """[person_ref, plans, post_ids]: people named on more than ``max_plans`` plans of posts
    existing at ``at``, most plans first."""
    existing = posts.filter(exists(at)).select("post_ref", "post_id")
    return (
        successors.join(existing, on="post_ref", how="inner")
        .group_by("person_ref")
        .agg(
            pl.col("post_ref").n_unique().cast(pl.Int64).alias("plans"),
            pl.col("post_id").unique().sort().alias("post_ids"),
        )
        .filter(pl.col("plans") > max_plans)
        .sort(["plans", "person_ref"], descending=[True, False])
    )


@dataclass(frozen=True)
class RiskBand:
    """A named band of succession risk: ``lower <= risk < upper``."""

    code: str
    label: str
    lower: float
    upper: float


# One set of bands for every place a risk is named: the heat map's colours and words, and
# the roll-ups' "higher risk posts" (the band from HIGHER_RISK up), so the two never differ.
HIGHER_RISK = 0.5
RISK_BANDS = (
    RiskBand("low", "Lower risk", 0.0, 0.25),
    RiskBand("medium", "Medium risk", 0.25, HIGHER_RISK),
    RiskBand("high", "Higher risk", HIGHER_RISK, float("inf")),
)


def risk_band(risk: float) -> RiskBand:
    """The band ``risk`` falls in (risks are 0 to 1)."""
    return next(band for band in RISK_BANDS if risk < band.upper)


def succession_rollup(
    report_posts: pl.DataFrame,
    organisations: pl.DataFrame,
    by: str,
    *,
    high_risk: float = HIGHER_RISK,
) -> pl.DataFrame:
    """Roll the per-post report up by ``ods_code`` or ``region_code``.

    Columns: the group, critical_posts, covered_posts, coverage_share, vacant_or_interim
    (posts not held substantively), ready_now (eligible ready-now successors), mean_risk,
    high_risk_posts (risk at or above ``high_risk``); groups sorted by code.
    """
    if by not in ("ods_code", "region_code"):
        raise ValueError(f"roll-up by {by!r}: use ods_code or region_code")
    data = report_posts
    if by == "region_code" and "region_code" not in data.columns:
        data = data.join(organisations.select("ods_code", "region_code"), on="ods_code", how="left")
    return (
        data.group_by(by)
        .agg(
            pl.len().cast(pl.Int64).alias("critical_posts"),
            pl.col("covered").sum().cast(pl.Int64).alias("covered_posts"),
            (pl.col("state") != "substantive").sum().cast(pl.Int64).alias("vacant_or_interim"),
            pl.col("ready_now").sum().cast(pl.Int64).alias("ready_now"),
            pl.col("risk").mean().alias("mean_risk"),
            (pl.col("risk") >= high_risk).sum().cast(pl.Int64).alias("high_risk_posts"),
        )
        .with_columns((pl.col("covered_posts") / pl.col("critical_posts")).alias("coverage_share"))
        .select(
            by,
            "critical_posts",
            "covered_posts",
            "coverage_share",
            "vacant_or_interim",
            "ready_now",
            "mean_risk",
            "high_risk_posts",
        )
        .sort(by)
    )
