"""Who may be offered what: the eligibility rules of DESIGN section 7, one at a time.

At date ``t`` a candidate and an opportunity form an **eligible pair** when every rule
holds, in this order (the first that fails is the reason a pair is ineligible):

1. ``ended``: the opportunity has not ended (``ends_on`` empty or after ``t``);
2. ``level``: the person's level at ``t`` is one of the opportunity's levels (a person
   who holds no post at ``t`` has no level, so fails);
3. ``region``: the host organisation's region is one the person will work in (their
   ``willing_regions``; empty means the region of their own organisation);
4. ``consent``: a host other than the person's own organisation only with
   ``cross_org_consent``;
5. ``own_organisation``: a secondment or stretch assignment is never hosted by the
   person's own organisation.

Each rule is a Polars expression over a *pair frame* (a candidate's columns from
:data:`~talentboard.matching.inputs.CANDIDATE_SCHEMA` beside an offer's from
:data:`~talentboard.matching.inputs.OFFER_SCHEMA`), true where the rule holds, and has a
sentence that says why a pair fails it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from talentboard.reference import regions

PLACEMENT_KINDS = ("secondment", "stretch_assignment")
"""Opportunity kinds that must be hosted away from the person's own organisation."""

_KIND_WORDS = {
    "secondment": "a secondment",
    "stretch_assignment": "a stretch assignment",
    "board_shadowing": "board shadowing",
    "project": "a project",
    "mentoring": "mentoring",
    "coaching": "coaching",
    "programme_place": "a programme place",
}


def kind_words(kind: str) -> str:
    """An opportunity kind as words ("a stretch assignment")."""
    return _KIND_WORDS.get(kind, kind.replace("_", " "))


def region_name(code: str | None) -> str:
    """An NHS England region's name with its code ("London (Y56)")."""
    if code is None:
        return "no region"
    names = {r.code: r.name for r in regions()}
    return f"{names[code]} ({code})" if code in names else code


def not_ended(at: dt.date) -> pl.Expr:
    """Rule 1: the opportunity has not ended at ``at``."""
    return pl.col("ends_on").is_null() | (pl.col("ends_on") > at)


def level_included() -> pl.Expr:
    """Rule 2: the person's level is one of the opportunity's levels."""
    return (
        pl.col("levels").list.contains(pl.col("level")).fill_null(False)
        & pl.col("level").is_not_null()
    )


def region_willing() -> pl.Expr:
    """Rule 3: the host's region is one the person will work in."""
    return (
        pl.col("willing_regions").list.contains(pl.col("host_region_code")).fill_null(False)
        & pl.col("host_region_code").is_not_null()
    )


def consent_for_other_host() -> pl.Expr:
    """Rule 4: another organisation hosts only with the person's cross-organisation consent."""
    same_host = (pl.col("host_ods_code") == pl.col("ods_code")).fill_null(False)
    return same_host | pl.col("cross_org_consent").fill_null(False)


def placement_away_from_own() -> pl.Expr:
    """Rule 5: a secondment or stretch assignment is not hosted by the person's own org."""
    placement = pl.col("kind").is_in(PLACEMENT_KINDS)
    same_host = (pl.col("host_ods_code") == pl.col("ods_code")).fill_null(False)
    return ~(placement & same_host)


def _ended_words(pair: Mapping[str, Any], at: dt.date) -> str:
    return f"{pair['opportunity_id']} ended on {pair['ends_on'].isoformat()}"


def _level_words(pair: Mapping[str, Any], at: dt.date) -> str:
    levels = " or ".join(pair["levels"]) or "no level"
    if pair["level"] is None:
        return (
            f"{pair['opportunity_id']} is open to {levels} level; the person holds no post "
            f"on {at.isoformat()}"
        )
    return (
        f"{pair['opportunity_id']} is open to {levels} level; the person is at "
        f"{pair['level']} level"
    )


def _region_words(pair: Mapping[str, Any], at: dt.date) -> str:
    willing = ", ".join(region_name(r) for r in pair["willing_regions"]) or "none recorded"
    return (
        f"{pair['opportunity_id']} is hosted in {region_name(pair['host_region_code'])}, not a "
        f"region the person will work in ({willing})"
    )


def _consent_words(pair: Mapping[str, Any], at: dt.date) -> str:
    return (
        f"{pair['opportunity_id']} is hosted by another organisation ({pair['host_ods_code']}) "
        "and the person has not consented to be considered across organisations"
    )


def _own_words(pair: Mapping[str, Any], at: dt.date) -> str:
    return (
        f"{pair['opportunity_id']} is {kind_words(pair['kind'])} hosted by the person's own "
        f"organisation ({pair['host_ods_code']}); it must be taken elsewhere"
    )


@dataclass(frozen=True)
class Rule:
    """One eligibility rule: a code, the expression that holds where it is met, and words."""

    code: str
    holds: Callable[[dt.date], pl.Expr]
    words: Callable[[Mapping[str, Any], dt.date], str]


RULES: tuple[Rule, ...] = (
    Rule("ended", not_ended, _ended_words),
    Rule("level", lambda at: level_included(), _level_words),
    Rule("region", lambda at: region_willing(), _region_words),
    Rule("consent", lambda at: consent_for_other_host(), _consent_words),
    Rule("own_organisation", lambda at: placement_away_from_own(), _own_words),
)
RULE_CODES = tuple(rule.code for rule in RULES)


def eligible(at: dt.date) -> pl.Expr:
    """True where every rule holds."""
    return pl.all_horizontal([rule.holds(at) for rule in RULES])


def first_failed_rule(at: dt.date) -> pl.Expr:
    """The code of the first rule a pair fails, null for an eligible pair."""
    expr: pl.Expr = pl.lit(None, dtype=pl.String())
    for rule in reversed(RULES):
        expr = pl.when(~rule.holds(at)).then(pl.lit(rule.code)).otherwise(expr)
    return expr


def ineligibility(pair: Mapping[str, Any], at: dt.date) -> str | None:
    """Why one pair is not eligible, in words (None when it is eligible).

    ``pair`` holds a pair frame's columns for one candidate and one offer.
    """
    code = pl.DataFrame([dict(pair)]).select(first_failed_rule(at)).item()
    if code is None:
        return None
    rule = next(r for r in RULES if r.code == code)
    return rule.words(pair, at)


def pair_frame(candidates: pl.DataFrame, offers: pl.DataFrame) -> pl.DataFrame:
    """Every candidate beside every offer: the plain cross product, for small inputs."""
    return candidates.join(offers, how="cross")


def level_region_rows(candidates: pl.DataFrame, offers: pl.DataFrame) -> pl.DataFrame:
    """Candidate-offer rows that can meet rules 2 and 3, found by a join on (level, region).

    Each row holds the candidate's and the offer's columns plus ``_c`` and ``_o``, their
    positions in the inputs. Rules are not applied here.
    """
    by_level = (
        offers.with_row_index("_o")
        .with_columns(pl.col("levels").list.unique().alias("_level"))
        .explode("_level")
    )
    by_region = (
        candidates.with_row_index("_c")
        .filter(pl.col("level").is_not_null())
        .with_columns(pl.col("willing_regions").list.unique().alias("_region"))
        .explode("_region")
    )
    return (
        by_region.join(
            by_level,
            left_on=["level", "_region"],
            right_on=["_level", "host_region_code"],
            how="inner",
        )
        .with_columns(pl.col("_region").alias("host_region_code"))
        .drop("_region")
    )


def eligible_pairs(candidates: pl.DataFrame, offers: pl.DataFrame, at: dt.date) -> pl.DataFrame:
    """The eligible pairs: the rows of the cross product where every rule holds.

    Built without the whole cross product: candidates are joined to offers on (level,
    region), which rules 2 and 3 require, and every rule is then applied to the joined
    rows, so the result is exactly the filtered cross product, in candidate order then
    offer order, with the candidate's columns followed by the offer's.
    """
    columns = [*candidates.columns, *[c for c in offers.columns if c not in candidates.columns]]
    rows = level_region_rows(candidates, offers.filter(not_ended(at)).with_row_index("_live"))
    return rows.filter(eligible(at)).sort("_c", "_live").select(columns)


def no_eligible_reasons(
    candidates: pl.DataFrame, offers: pl.DataFrame, at: dt.date
) -> pl.DataFrame:
    """For candidates with no eligible pair: how many offers each rule excluded, in words.

    Returns [person_ref, reason, ended, level, region, consent, own_organisation], the
    counts of offers whose first failed rule is that one (they add up to the offers on
    offer). Counted per group rather than over the cross product, so the work grows with
    candidates plus offers.
    """
    n_offers = offers.height
    live = offers.filter(not_ended(at))
    n_ended = n_offers - live.height
    levels = live.select(pl.col("levels").list.unique().alias("level"), "host_region_code")
    levels = levels.explode("level")
    at_level = levels.group_by("level").agg(pl.len().cast(pl.Int64).alias("_at_level"))
    at_level_region = levels.group_by("level", "host_region_code").agg(
        pl.len().cast(pl.Int64).alias("_n")
    )
    in_region = (
        candidates.select(
            "person_ref",
            "level",
            pl.col("willing_regions").list.unique().alias("host_region_code"),
        )
        .explode("host_region_code")
        .join(at_level_region, on=["level", "host_region_code"])
        .group_by("person_ref")
        .agg(pl.col("_n").sum().alias("_in_region"))
    )
    later = (
        level_region_rows(candidates, live)
        .with_columns(first_failed_rule(at).alias("_rule"))
        .group_by("person_ref")
        .agg(
            (pl.col("_rule") == "consent").sum().cast(pl.Int64).alias("consent"),
            (pl.col("_rule") == "own_organisation").sum().cast(pl.Int64).alias("own_organisation"),
            pl.col("_rule").is_null().sum().cast(pl.Int64).alias("_eligible"),
        )
    )
    counts = (
        candidates.select("person_ref", pl.col("level").alias("person_level"), "willing_regions")
        .join(at_level, left_on="person_level", right_on="level", how="left")
        .join(in_region, on="person_ref", how="left")
        .join(later, on="person_ref", how="left")
        .with_columns(pl.col(c).fill_null(0) for c in ("_at_level", "_in_region", "consent"))
        .with_columns(pl.col(c).fill_null(0) for c in ("own_organisation", "_eligible"))
        .filter(pl.col("_eligible") == 0)
        .with_columns(
            pl.lit(n_ended, dtype=pl.Int64).alias("ended"),
            (pl.lit(live.height) - pl.col("_at_level")).cast(pl.Int64).alias("level"),
            (pl.col("_at_level") - pl.col("_in_region")).cast(pl.Int64).alias("region"),
        )
    )
    rows = [
        {
            "person_ref": row["person_ref"],
            "reason": _no_eligible_words(row, n_offers, at),
            **{code: row[code] for code in RULE_CODES},
        }
        for row in counts.iter_rows(named=True)
    ]
    schema = {"person_ref": pl.Int64(), "reason": pl.String()} | {
        code: pl.Int64() for code in RULE_CODES
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def _are(n: int) -> str:
    return f"{n} is" if n == 1 else f"{n} are"


def _no_eligible_words(row: Mapping[str, Any], n_offers: int, at: dt.date) -> str:
    if n_offers == 0:
        return "no opportunity is on offer"
    parts = []
    if row["ended"]:
        parts.append(f"{row['ended']} had ended")
    if row["level"]:
        where = (
            f"the person holds no post on {at.isoformat()}"
            if row["person_level"] is None
            else f"the person is at {row['person_level']} level"
        )
        parts.append(f"{_are(row['level'])} for other levels ({where})")
    if row["region"]:
        willing = ", ".join(region_name(r) for r in row["willing_regions"]) or "none recorded"
        parts.append(
            f"{_are(row['region'])} hosted outside the regions the person will work in ({willing})"
        )
    if row["consent"]:
        parts.append(
            f"{_are(row['consent'])} hosted by another organisation and the person has not "
            "consented to be considered across organisations"
        )
    if row["own_organisation"]:
        parts.append(
            f"{_are(row['own_organisation'])} a secondment or stretch assignment in the "
            "person's own organisation"
        )
    return f"no eligible opportunity among the {n_offers} on offer: " + "; ".join(parts)
