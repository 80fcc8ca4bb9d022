"""Board member appraisals under the national board member appraisal framework (2025).

An appraisal record covers a period (normally a year) and holds: the rating agreed for
each of the six LCF 2024 domains, whether multi-source feedback informed it, the
objectives (one of them on equality, diversity and inclusion), development needs and the
programmes attended.

Definitions at a date ``t``, for each board member (as in
:mod:`talentboard.talent.board_skills`):

- the **latest appraisal** is the one with the latest ``period_end`` on or before ``t``;
- **status**: ``missing`` when there is none; ``overdue`` when its period ended more than
  12 months before ``t`` (a year's appraisal is then due and not recorded); otherwise
  ``incomplete`` when it lacks any of: an appraisal date, a rating in each of the six LCF
  domains, multi-source feedback, an equality, diversity and inclusion objective;
  otherwise ``complete``. ``issues`` lists what is lacking, in words.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from talentboard.reference import framework
from talentboard.talent.schemas import require
from talentboard.talent.timing import shift_months

LCF = "lcf2024"


def appraisal_status(
    members: pl.DataFrame,
    appraisals: pl.DataFrame,
    appraisal_ratings: pl.DataFrame,
    at: dt.date,
) -> pl.DataFrame:
    """One row per board member: [person_ref, person_id, name, role_code, period_end,
    appraised_on, domains_rated, multi_source_feedback, edi_objective, status, issues]."""
    require(members, ("person_ref", "person_id", "name", "role_code"), "members")
    require(
        appraisals,
        ("appraisal_ref", "person_ref", "period_end", "appraised_on", "multi_source_feedback"),
        "appraisals",
    )
    domains = list(framework(LCF).domain_codes)
    rated = (
        appraisal_ratings.filter(
            pl.col("domain_code").is_in(domains) & pl.col("score").is_not_null()
        )
        .group_by("appraisal_ref")
        .agg(pl.col("domain_code").n_unique().cast(pl.Int64).alias("domains_rated"))
    )
    latest = (
        appraisals.filter(pl.col("period_end") <= at)
        .sort(["person_ref", "period_end"])
        .group_by("person_ref", maintain_order=True)
        .last()
        .join(rated, on="appraisal_ref", how="left")
        .select(
            "person_ref",
            "period_end",
            "appraised_on",
            pl.col("domains_rated").fill_null(0),
            "multi_source_feedback",
            "edi_objective",
        )
    )
    data = (
        members.select("person_ref", "person_id", "name", "role_code")
        .with_row_index("_order")
        .join(latest, on="person_ref", how="left")
        .sort("_order")
        .drop("_order")
    )
    stale_before = shift_months(at, -12)
    statuses: list[str] = []
    issues: list[list[str]] = []
    for row in data.iter_rows(named=True):
        lacking: list[str] = []
        if row["period_end"] is None:
            statuses.append("missing")
            issues.append(["no appraisal recorded"])
            continue
        if row["period_end"] < stale_before:
            statuses.append("overdue")
            issues.append([f"latest appraisal period ended {row['period_end'].isoformat()}"])
            continue
        if row["appraised_on"] is None:
            lacking.append("no appraisal date")
        if row["domains_rated"] < len(domains):
            lacking.append(f"{row['domains_rated']} of {len(domains)} LCF domains rated")
        if not row["multi_source_feedback"]:
            lacking.append("no multi-source feedback")
        if not (row["edi_objective"] or "").strip():
            lacking.append("no equality, diversity and inclusion objective")
        statuses.append("incomplete" if lacking else "complete")
        issues.append(lacking)
    return data.with_columns(
        pl.col("edi_objective").is_not_null() & (pl.col("edi_objective").str.strip_chars() != ""),
        pl.Series("status", statuses, dtype=pl.String),
        pl.Series("issues", issues, dtype=pl.List(pl.String)),
    ).with_columns(pl.col("edi_objective").fill_null(False))
