"""The talent pool: who is in it, where they are, what they aim for, and group figures.

Definitions at a date ``t``:

- **Talent pool**: the people with a talent profile.
- A member's **organisation, region, level and role** are those of their position at
  ``t`` (:func:`talentboard.frames.register.positions_at`); empty when not in post.
- **Targets**: the member's target roles with the current readiness for each (the latest
  review on or before ``t``).
- **Filters** (each optional; several values of one filter match any of them; filters
  combine with "and"): ``region_code`` and ``ods_code`` match the member's current region
  and organisation; ``willing_region`` matches a region the member will work in (their
  own region when they named none); ``target_role_code`` a target role; ``readiness`` the
  current readiness for a target role (for one of the ``target_role_code`` values when
  that filter is set too); ``level`` the current level; ``programme_code`` a programme
  the member attended.
- **Group figures**: for women, people from Black and minority ethnic (BME) groups and
  disabled people, the count in the pool and the share among those whose characteristic
  is known (sex ``female``/``male``/``other``; ethnic category not ``Z``, ``99`` or empty;
  disability ``yes``/``no``). They are never shown per person, and are shown only
  after disclosure control (:func:`disclosed_figures`) unless an administrator asks for
  the exact figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from talentboard.reference import BME_CODES, ethnic_categories
from talentboard.stability.disclosure import (
    DEFAULT_RULE,
    DisclosureRule,
    disclose_count,
    disclose_share,
)
from talentboard.talent.schemas import require

KNOWN_SEXES = ("female", "male", "other")
KNOWN_DISABILITY = ("yes", "no")
KNOWN_ETHNIC_CODES = tuple(c.code for c in ethnic_categories() if c.bme is not None)
TARGET = pl.Struct({"target_role_code": pl.String, "readiness": pl.String})
# The columns of a pool member that may be shown, in order (``talent_pool`` leads with
# the internal ``person_ref``).
MEMBER_COLUMNS = (
    "person_id",
    "name",
    "ods_code",
    "region_code",
    "level",
    "role_code",
    "targets",
    "willing_regions",
    "cross_org_consent",
    "timeframe",
    "programmes",
    "impact",
    "growth",
    "box",
)


@dataclass(frozen=True)
class PoolFilter:
    """Filters of the talent pool; an empty tuple does not filter."""

    region_code: tuple[str, ...] = ()
    ods_code: tuple[str, ...] = ()
    willing_region: tuple[str, ...] = ()
    target_role_code: tuple[str, ...] = ()
    readiness: tuple[str, ...] = ()
    level: tuple[str, ...] = ()
    programme_code: tuple[str, ...] = ()


def talent_pool(
    profiles: pl.DataFrame,
    targets: pl.DataFrame,
    people: pl.DataFrame,
    positions: pl.DataFrame,
    placed: pl.DataFrame,
    filters: PoolFilter = PoolFilter(),
) -> pl.DataFrame:
    """One row per pool member passing ``filters``, sorted by person_id.

    Columns: person_ref, person_id, name, ods_code, region_code, level, role_code, targets
    (list of {target_role_code, readiness}), willing_regions (own region when none named),
    cross_org_consent, timeframe, programmes, impact, growth, box. ``positions`` is
    ``positions_at(register, t)``; ``placed`` is ``conversations.placements(...)``.
    """
    require(people, ("person_ref", "person_id", "given_name", "family_name"), "people")
    require(positions, ("person_ref", "ods_code", "region_code", "level", "role_code"), "positions")
    require(placed, ("person_ref", "impact", "growth", "box"), "placements")
    target_lists = (
        targets.sort(["person_ref", "target_role_code"])
        .group_by("person_ref", maintain_order=True)
        .agg(pl.struct("target_role_code", "readiness").alias("targets"))
    )
    pool = (
        profiles.select(
            "person_ref", "willing_regions", "cross_org_consent", "timeframe", "programmes"
        )
        .join(
            people.select(
                "person_ref",
                "person_id",
                pl.concat_str("given_name", "family_name", separator=" ").alias("name"),
            ),
            on="person_ref",
            how="left",
        )
        .join(
            positions.select("person_ref", "ods_code", "region_code", "level", "role_code"),
            on="person_ref",
            how="left",
        )
        .join(target_lists, on="person_ref", how="left")
        .join(placed.select("person_ref", "impact", "growth", "box"), on="person_ref", how="left")
        .with_columns(
            pl.col("targets").fill_null(pl.lit([], dtype=pl.List(TARGET))),
            pl.when(pl.col("willing_regions").list.len().fill_null(0) == 0)
            .then(
                pl.when(pl.col("region_code").is_not_null())
                .then(pl.concat_list(pl.col("region_code")))
                .otherwise(pl.lit([], dtype=pl.List(pl.String)))
            )
            .otherwise(pl.col("willing_regions"))
            .alias("willing_regions"),
            pl.col("programmes").fill_null(pl.lit([], dtype=pl.List(pl.String))),
        )
    )
    pool = pool.filter(_condition(filters))
    return pool.select("person_ref", *MEMBER_COLUMNS).sort("person_id")


def _condition(filters: PoolFilter) -> pl.Expr:
    condition = pl.lit(True)
    for column in ("region_code", "ods_code", "level"):
        values = getattr(filters, column)
        if values:
            condition &= pl.col(column).is_in(list(values)).fill_null(False)
    if filters.willing_region:
        condition &= (
            pl.col("willing_regions")
            .list.eval(pl.element().is_in(list(filters.willing_region)))
            .list.any()
        )
    if filters.programme_code:
        condition &= (
            pl.col("programmes")
            .list.eval(pl.element().is_in(list(filters.programme_code)))
            .list.any()
        )
    if filters.target_role_code or filters.readiness:
        role_ok = (
            pl.element().struct.field("target_role_code").is_in(list(filters.target_role_code))
            if filters.target_role_code
            else pl.lit(True)
        )
        ready_ok = (
            pl.element().struct.field("readiness").is_in(list(filters.readiness))
            if filters.readiness
            else pl.lit(True)
        )
        condition &= pl.col("targets").list.eval(role_ok & ready_ok).list.any()
    return condition


def pool_figures(pool: pl.DataFrame, people: pl.DataFrame) -> pl.DataFrame:
    """Group figures of a pool: [group, count, known, share] for ``women``, ``bme`` and
    ``disabled``, plus ``members`` (count = known = pool size, share null).

    ``share`` = count / known, null when nothing is known. These are exact figures: pass
    them through disclosure control before showing them to anyone without access to
    personal data.
    """
    data = pool.select("person_ref").join(
        people.select("person_ref", "sex", "ethnic_category", "disability"),
        on="person_ref",
        how="left",
    )
    known_ethnicity = pl.col("ethnic_category").is_in(list(KNOWN_ETHNIC_CODES)).fill_null(False)
    rows = [("members", data.height, data.height)]
    for group, hit, known in (
        (
            "women",
            pl.col("sex") == "female",
            pl.col("sex").is_in(list(KNOWN_SEXES)),
        ),
        ("bme", pl.col("ethnic_category").is_in(list(BME_CODES)), known_ethnicity),
        (
            "disabled",
            pl.col("disability") == "yes",
            pl.col("disability").is_in(list(KNOWN_DISABILITY)),
        ),
    ):
        counted = data.select(
            (hit.fill_null(False) & known.fill_null(False)).sum().alias("hit"),
            known.fill_null(False).sum().alias("known"),
        ).row(0)
        rows.append((group, int(counted[0]), int(counted[1])))
    return pl.DataFrame(
        [
            (group, count, known, (count / known) if known and group != "members" else None)
            for group, count, known in rows
        ],
        schema={"group": pl.String, "count": pl.Int64, "known": pl.Int64, "share": pl.Float64},
        orient="row",
    )


def disclosed_figures(
    figures: pl.DataFrame, rule: DisclosureRule = DEFAULT_RULE
) -> list[dict[str, Any]]:
    """:func:`pool_figures` after disclosure control (the stability analytics' rule): each
    count suppressed (``*``) or rounded, each share suppressed when its count or its
    denominator is, else computed from the exact counts."""
    return [
        {
            "group": row["group"],
            "count": disclose_count(row["count"], rule),
            "known": disclose_count(row["known"], rule),
            "share": None
            if row["group"] == "members"
            else disclose_share(row["count"], row["known"], rule),
        }
        for row in figures.iter_rows(named=True)
    ]


def readiness_counts(pool: pl.DataFrame) -> pl.DataFrame:
    """[target_role_code, readiness, people]: pool members by target role and readiness."""
    return (
        pool.select("person_ref", "targets")
        .explode("targets")
        .drop_nulls("targets")
        .unnest("targets")
        .group_by("target_role_code", "readiness")
        .agg(pl.col("person_ref").n_unique().cast(pl.Int64).alias("people"))
        .sort("target_role_code", "readiness")
    )
