"""The frames a matching round reads, built from the register and talent frames.

Pure functions: register frames (:mod:`talentboard.frames.register`) and talent frames
(:mod:`talentboard.frames.talent`) in, one frame per matching input out.

- **Candidates** are talent-pool members: people with a talent profile and at least one
  current readiness row (a talent row). Their organisation, region and level are those
  of their position at the date (DESIGN section 6: the post their appointment covers on
  that date, the first by start date when several do). ``willing_regions`` is the list
  they gave, or the region of their own organisation when they gave none.
- **Offers** are opportunities with their host organisation's kind, region and
  oversight segment at the date.
- **Experience**: the kinds of organisation a person has held any appointment in (started
  on or before the date), how many organisations, and whether any of those organisations
  was, during the appointment, in a challenged segment (3 or worse) or a strong one (1 or
  2).
- **Aspirations**: the growth the person asked for in their latest career conversation
  that names one (``depth``, ``breadth`` or ``stretch``), and the opportunity kinds named by
  the planned or in-progress actions of their aspirational development plan.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

CHALLENGED_FROM = 3
"""Oversight segments from this one down are "challenged" (DESIGN section 7)."""

CANDIDATE_SCHEMA: dict[str, pl.DataType] = {
    "person_ref": pl.Int64(),
    "person_id": pl.String(),
    "ods_code": pl.String(),
    "region_code": pl.String(),
    "level": pl.String(),
    "willing_regions": pl.List(pl.String()),
    "cross_org_consent": pl.Boolean(),
}
OFFER_SCHEMA: dict[str, pl.DataType] = {
    "opportunity_ref": pl.Int64(),
    "opportunity_id": pl.String(),
    "kind": pl.String(),
    "title": pl.String(),
    "host_ods_code": pl.String(),
    "host_name": pl.String(),
    "host_kind": pl.String(),
    "host_region_code": pl.String(),
    "host_segment": pl.Int64(),
    "develops": pl.List(pl.String()),
    "levels": pl.List(pl.String()),
    "capacity": pl.Int64(),
    "starts_on": pl.Date(),
    "ends_on": pl.Date(),
    "status": pl.String(),
}
EXPERIENCE_SCHEMA: dict[str, pl.DataType] = {
    "person_ref": pl.Int64(),
    "kinds": pl.List(pl.String()),
    "organisations": pl.Int64(),
    "challenged": pl.Boolean(),
    "strong": pl.Boolean(),
}
ASPIRATION_SCHEMA: dict[str, pl.DataType] = {
    "person_ref": pl.Int64(),
    "growth_wanted": pl.String(),
    "planned_kinds": pl.List(pl.String()),
}
OPEN_ACTION_STATUSES = ("planned", "in_progress")


def candidate_frame(
    profiles: pl.DataFrame,
    targets: pl.DataFrame,
    positions: pl.DataFrame,
    people: pl.DataFrame,
) -> pl.DataFrame:
    """Talent-pool members with their position at the date (columns ``CANDIDATE_SCHEMA``).

    ``profiles``: talent profiles [person_ref, willing_regions, cross_org_consent];
    ``targets``: current readiness [person_ref, target_role_code, readiness];
    ``positions``: :func:`talentboard.frames.register.positions_at` at the date;
    ``people``: [person_ref, person_id]. People without a position keep null
    organisation, region and level (no opportunity's levels can include them).
    """
    pool = profiles.join(targets.select("person_ref").unique(), on="person_ref", how="semi")
    stated = pl.col("willing_regions").fill_null(pl.lit([], dtype=pl.List(pl.String())))
    own = pl.col("region_code")
    return (
        pool.select("person_ref", "willing_regions", "cross_org_consent")
        .join(people.select("person_ref", "person_id"), on="person_ref", how="left")
        .join(
            positions.select("person_ref", "ods_code", "region_code", "level"),
            on="person_ref",
            how="left",
        )
        .with_columns(
            pl.when(stated.list.len() > 0)
            .then(stated)
            .when(own.is_not_null())
            .then(pl.concat_list(own))
            .otherwise(pl.lit([], dtype=pl.List(pl.String())))
            .alias("willing_regions"),
            pl.col("cross_org_consent").fill_null(False),
        )
        .select(list(CANDIDATE_SCHEMA))
        .cast(CANDIDATE_SCHEMA)  # type: ignore[arg-type]
        .sort("person_id", "person_ref")
    )


def offer_frame(
    opportunities: pl.DataFrame, organisations: pl.DataFrame, segments: pl.DataFrame
) -> pl.DataFrame:
    """Opportunities with their host's kind, region and segment (columns ``OFFER_SCHEMA``).

    ``segments`` is :func:`talentboard.frames.register.segment_at` at the date.
    """
    hosts = organisations.select(
        pl.col("ods_code").alias("host_ods_code"),
        pl.col("name").alias("host_name"),
        pl.col("kind").alias("host_kind"),
        pl.col("region_code").alias("host_region_code"),
    ).join(
        segments.select(
            pl.col("ods_code").alias("host_ods_code"),
            pl.col("oversight_segment").alias("host_segment"),
        ),
        on="host_ods_code",
        how="left",
    )
    return (
        opportunities.join(hosts, on="host_ods_code", how="left")
        .with_columns(
            pl.col("develops").fill_null(pl.lit([], dtype=pl.List(pl.String()))),
            pl.col("levels").fill_null(pl.lit([], dtype=pl.List(pl.String()))),
        )
        .select(list(OFFER_SCHEMA))
        .cast(OFFER_SCHEMA)  # type: ignore[arg-type]
        .sort("opportunity_id", "opportunity_ref")
    )


def experience_frame(
    appointments: pl.DataFrame,
    posts: pl.DataFrame,
    organisations: pl.DataFrame,
    ratings: pl.DataFrame,
    at: dt.date,
) -> pl.DataFrame:
    """Each person's organisational experience up to ``at`` (columns ``EXPERIENCE_SCHEMA``).

    An appointment counts when it started on or before ``at``; it runs to its end or to
    ``at``, whichever is first. A rating applies from its ``effective_from`` until the
    organisation's next rating; an organisation was challenged (strong) during an
    appointment when a rating with segment 3 or worse (1 or 2) applied on any day of it.
    """
    held = (
        appointments.filter(pl.col("start_date") <= at)
        .select(
            "person_ref",
            "post_ref",
            "start_date",
            pl.min_horizontal(pl.col("end_date").fill_null(at), pl.lit(at)).alias("until"),
        )
        .join(posts.select("post_ref", "ods_code"), on="post_ref")
        .join(organisations.select("ods_code", "kind"), on="ods_code", how="left")
    )
    spans = (
        ratings.sort("ods_code", "effective_from")
        .with_columns(pl.col("effective_from").shift(-1).over("ods_code").alias("next_from"))
        .select("ods_code", "effective_from", "next_from", "oversight_segment")
    )
    during = (
        held.join(spans, on="ods_code")
        .filter(
            (pl.col("effective_from") <= pl.col("until"))
            & (pl.col("next_from").is_null() | (pl.col("next_from") > pl.col("start_date")))
        )
        .group_by("person_ref")
        .agg(
            (pl.col("oversight_segment") >= CHALLENGED_FROM).any().alias("challenged"),
            (pl.col("oversight_segment") < CHALLENGED_FROM).any().alias("strong"),
        )
    )
    kinds = held.group_by("person_ref").agg(
        pl.col("kind").drop_nulls().unique().sort().alias("kinds"),
        pl.col("ods_code").n_unique().cast(pl.Int64).alias("organisations"),
    )
    return (
        kinds.join(during, on="person_ref", how="left")
        .with_columns(pl.col("challenged").fill_null(False), pl.col("strong").fill_null(False))
        .select(list(EXPERIENCE_SCHEMA))
        .cast(EXPERIENCE_SCHEMA)  # type: ignore[arg-type]
        .sort("person_ref")
    )


def aspiration_frame(conversations: pl.DataFrame, actions: pl.DataFrame) -> pl.DataFrame:
    """Each person's wanted growth and planned opportunity kinds (``ASPIRATION_SCHEMA``).

    ``conversations`` and ``actions`` are the talent frames of the same names (already
    limited to conversations held on or before the date).
    """
    growth = (
        conversations.filter(pl.col("growth_wanted").is_not_null())
        .sort("person_ref", "held_on")
        .group_by("person_ref", maintain_order=True)
        .agg(pl.col("growth_wanted").last())
    )
    planned = (
        actions.filter(
            pl.col("status").is_in(OPEN_ACTION_STATUSES) & pl.col("opportunity_kind").is_not_null()
        )
        .group_by("person_ref")
        .agg(pl.col("opportunity_kind").unique().sort().alias("planned_kinds"))
    )
    people = pl.concat(
        [growth.select("person_ref"), planned.select("person_ref")], how="vertical"
    ).unique()
    return (
        people.join(growth, on="person_ref", how="left")
        .join(planned, on="person_ref", how="left")
        .with_columns(pl.col("planned_kinds").fill_null(pl.lit([], dtype=pl.List(pl.String()))))
        .select(list(ASPIRATION_SCHEMA))
        .cast(ASPIRATION_SCHEMA)  # type: ignore[arg-type]
        .sort("person_ref")
    )
