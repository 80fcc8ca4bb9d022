"""The score of an eligible pair: whole points, each term kept so it can be shown.

For a person and an opportunity the score adds these terms (``docs/matching.md`` works an
example through):

- ``gaps``: for each domain the opportunity develops in which the person has a gap
  against a target role (:func:`talentboard.talent.assessments.development_gaps`): when
  others have rated the domain (evidence ``others``, an assessed gap),
  ``points_per_gap_level`` points per scale point of gap, rounded half up to a whole point
  per domain; when nobody but the person has rated it (evidence ``self_only`` or
  ``none``, where the gap is the whole expected level), a flat ``unrated_domain``: the
  opportunity gives a chance to show that domain, but no assessment says how far off it
  is;
- ``readiness``: how well the kind of opportunity suits the person's readiness for that
  target role (:data:`READINESS_FIT`: a stretch assignment or secondment tests someone
  ``ready_now``; board shadowing, projects and programmes build towards ``ready_1_2y``;
  programmes, mentoring and coaching lay foundations for later);
- ``aspirations``: ``planned_kind`` points when the person's aspirational development plan
  names this kind of opportunity, and ``growth_wanted`` points when the kind gives the
  growth they asked for in their career conversation (:data:`GROWTH_KINDS`);
- ``breadth``: ``new_kind`` points when the host is a kind of organisation the person has
  never worked in, and ``new_context`` points when the host is challenged (segment 3 or
  worse) and the person has never worked in a challenged organisation, or strong
  (segment 1 or 2) and they have only worked in challenged ones;
- ``positive_action``: off unless configured. Under the Equality Act 2010 s.158 it adds
  ``points`` for a member of a configured under-represented group; when used it is
  always shown. It is never used for vacancy shortlists.

``gaps`` and ``readiness`` depend on the target role: a person with several target roles
is scored on the one giving the most points (ties: the role that comes first in the
readiness order, then by role code), and that role is named in the reasons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl

from talentboard import vocab
from talentboard.matching.inputs import CHALLENGED_FROM
from talentboard.reference import BME_CODES

READINESS_FIT: Mapping[str, Mapping[str, int]] = {
    "ready_now": {
        "stretch_assignment": 30,
        "secondment": 30,
        "project": 20,
        "programme_place": 15,
        "board_shadowing": 10,
        "coaching": 10,
        "mentoring": 5,
    },
    "ready_1_2y": {
        "board_shadowing": 30,
        "project": 25,
        "programme_place": 25,
        "secondment": 20,
        "stretch_assignment": 15,
        "coaching": 15,
        "mentoring": 15,
    },
    "ready_3_5y": {
        "programme_place": 25,
        "mentoring": 25,
        "coaching": 20,
        "board_shadowing": 15,
        "project": 15,
        "secondment": 5,
        "stretch_assignment": 0,
    },
    "not_yet": {
        "mentoring": 20,
        "coaching": 20,
        "programme_place": 15,
        "project": 10,
        "board_shadowing": 5,
        "secondment": 0,
        "stretch_assignment": 0,
    },
}
"""Points for the fit of an opportunity kind with readiness for the target role."""

GROWTH_KINDS: Mapping[str, tuple[str, ...]] = {
    "depth": ("coaching", "mentoring", "programme_place"),
    "breadth": ("secondment", "project", "board_shadowing"),
    "stretch": ("stretch_assignment", "board_shadowing", "secondment"),
}
"""The opportunity kinds that give each kind of growth (Scope for Growth)."""

POSITIVE_ACTION_GROUPS: Mapping[str, str] = {
    "bme": "people from Black and minority ethnic backgrounds",
    "disabled": "disabled people",
    "women": "women",
}
"""The under-represented groups positive action may name, with their description."""


def group_member(group: str) -> pl.Expr:
    """True for people (a people frame) in a positive-action group; unknown is not a member."""
    if group == "bme":
        return pl.col("ethnic_category").is_in(sorted(BME_CODES)).fill_null(False)
    if group == "disabled":
        return (pl.col("disability") == "yes").fill_null(False)
    if group == "women":
        return (pl.col("sex") == "female").fill_null(False)
    raise ValueError(
        f"unknown group {group!r}: choose from {', '.join(sorted(POSITIVE_ACTION_GROUPS))}"
    )


@dataclass(frozen=True)
class PositiveAction:
    """Positive action (Equality Act 2010 s.158): ``points`` for members of ``groups``."""

    groups: tuple[str, ...]
    points: int

    def __post_init__(self) -> None:
        for group in self.groups:
            group_member(group)
        if self.points < 0:
            raise ValueError("positive action points must not be negative")


@dataclass(frozen=True)
class ScoringWeights:
    """The points each score term gives; the defaults are documented in docs/matching.md."""

    points_per_gap_level: int = 10
    unrated_domain: int = 5
    planned_kind: int = 20
    growth_wanted: int = 10
    new_kind: int = 10
    new_context: int = 10
    readiness_fit: Mapping[str, Mapping[str, int]] = field(default_factory=lambda: READINESS_FIT)
    positive_action: PositiveAction | None = None


TERMS = ("gaps", "readiness", "aspirations", "breadth", "positive_action")
"""The score terms, in the order they are shown."""

SCORED_SCHEMA: dict[str, pl.DataType] = {
    "person_ref": pl.Int64(),
    "opportunity_ref": pl.Int64(),
    "target_role_code": pl.String(),
    "readiness": pl.String(),
    "covered_domains": pl.List(pl.String()),
    "covered_points": pl.List(pl.Int64()),
    "covered_assessed": pl.List(pl.Boolean()),
    "planned": pl.Boolean(),
    "growth_wanted": pl.String(),
    "growth_met": pl.Boolean(),
    "new_kind": pl.Boolean(),
    "new_context": pl.String(),
    "positive_action_groups": pl.List(pl.String()),
    "gaps": pl.Int64(),
    "readiness_points": pl.Int64(),
    "aspirations": pl.Int64(),
    "breadth": pl.Int64(),
    "positive_action": pl.Int64(),
    "score": pl.Int64(),
}

_PAIR = ["person_ref", "opportunity_ref"]
"""The columns that identify a pair."""


def gap_points(gaps: pl.DataFrame, per_level: int, unrated: int) -> pl.DataFrame:
    """Whole points per (person, target role, domain) with a gap.

    An assessed gap (evidence ``others``; a frame without an ``evidence`` column counts as
    assessed) gives ``gap * per_level`` rounded half up; a domain with a gap but no rating
    from others gives ``unrated``. Returns [person_ref, target_role_code, domain_code,
    points, assessed].
    """
    assessed = (
        (pl.col("evidence") == "others").fill_null(False)
        if "evidence" in gaps.columns
        else pl.lit(True)
    )
    return (
        gaps.filter(pl.col("gap") > 0)
        .with_columns(assessed.alias("assessed"))
        .select(
            "person_ref",
            "target_role_code",
            "domain_code",
            pl.when(pl.col("assessed"))
            .then((pl.col("gap") * per_level + 0.5).floor())
            .otherwise(pl.lit(unrated))
            .cast(pl.Int64)
            .alias("points"),
            "assessed",
        )
        .filter(pl.col("points") > 0)
    )


def _readiness_table(weights: ScoringWeights) -> pl.DataFrame:
    rows = [
        (readiness, kind, points)
        for readiness, by_kind in weights.readiness_fit.items()
        for kind, points in by_kind.items()
    ]
    return pl.DataFrame(
        rows,
        schema={"readiness": pl.String(), "kind": pl.String(), "readiness_points": pl.Int64()},
        orient="row",
    )


def _growth_table() -> pl.DataFrame:
    rows = [(growth, kind) for growth, kinds in GROWTH_KINDS.items() for kind in kinds]
    return pl.DataFrame(
        rows, schema={"growth_wanted": pl.String(), "kind": pl.String()}, orient="row"
    ).with_columns(pl.lit(True).alias("growth_met"))


def positive_action_groups(people: pl.DataFrame, action: PositiveAction | None) -> pl.DataFrame:
    """[person_ref, positive_action_groups]: the configured groups each person is in."""
    schema = {"person_ref": pl.Int64(), "positive_action_groups": pl.List(pl.String())}
    if action is None or not action.groups:
        return pl.DataFrame(schema=schema)
    flags = people.select(
        "person_ref", *[group_member(g).alias(g) for g in sorted(set(action.groups))]
    )
    return (
        flags.unpivot(index="person_ref", variable_name="group", value_name="member")
        .filter(pl.col("member"))
        .group_by("person_ref")
        .agg(pl.col("group").sort().alias("positive_action_groups"))
        .cast(schema)  # type: ignore[arg-type]
    )


def score_pairs(
    pairs: pl.DataFrame,
    targets: pl.DataFrame,
    gaps: pl.DataFrame,
    aspirations: pl.DataFrame,
    experience: pl.DataFrame,
    weights: ScoringWeights,
    groups: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Score every pair; one row per pair with each term (columns ``SCORED_SCHEMA``).

    ``pairs``: eligible pairs [person_ref, opportunity_ref, kind, develops, host_kind,
    host_segment]; ``targets``: [person_ref, target_role_code, readiness]; ``gaps``:
    [person_ref, target_role_code, domain_code, gap]; ``aspirations``:
    :data:`~talentboard.matching.inputs.ASPIRATION_SCHEMA`; ``experience``:
    :data:`~talentboard.matching.inputs.EXPERIENCE_SCHEMA`; ``groups``: the output of
    :func:`positive_action_groups` (needed only with positive action).
    """
    base = pairs.select(*_PAIR, "kind", "develops", "host_kind", "host_segment").with_row_index(
        "_pair"
    )
    best_target = _best_target(base, targets, gaps, weights)
    scored = _pair_facts(base, best_target, aspirations, experience)
    scored = _with_positive_action(scored, groups, weights)
    return (
        _with_points(scored, weights).sort("_pair").select(list(SCORED_SCHEMA)).cast(SCORED_SCHEMA)  # type: ignore[arg-type]
    )


def _best_target(
    base: pl.DataFrame, targets: pl.DataFrame, gaps: pl.DataFrame, weights: ScoringWeights
) -> pl.DataFrame:
    """Per pair, the target role giving the most gap and readiness points (see the module)."""
    readiness_order = pl.DataFrame(
        {"readiness": list(vocab.READINESS), "_rank": list(range(len(vocab.READINESS)))},
        schema={"readiness": pl.String(), "_rank": pl.Int64()},
    )
    return (
        _readiness_per_target(base, targets, weights)
        .join(_covered_domains(base, gaps, weights), on=[*_PAIR, "target_role_code"], how="left")
        .with_columns(pl.col("gaps").fill_null(0))
        .join(readiness_order, on="readiness", how="left")
        .with_columns((pl.col("gaps") + pl.col("readiness_points")).alias("_role_points"))
        .sort(
            [*_PAIR, "_role_points", "_rank", "target_role_code"],
            descending=[False, False, True, False, False],
            nulls_last=True,
        )
        .unique(_PAIR, keep="first", maintain_order=True)
        .drop("_role_points", "_rank", "kind")
    )


def _readiness_per_target(
    base: pl.DataFrame, targets: pl.DataFrame, weights: ScoringWeights
) -> pl.DataFrame:
    """Per pair and target role of the person, the readiness and its fit points."""
    return (
        base.select(*_PAIR, "kind")
        .join(targets.select("person_ref", "target_role_code", "readiness"), on="person_ref")
        .join(_readiness_table(weights), on=["readiness", "kind"], how="left")
        .with_columns(pl.col("readiness_points").fill_null(0))
    )


def _covered_domains(
    base: pl.DataFrame, gaps: pl.DataFrame, weights: ScoringWeights
) -> pl.DataFrame:
    """Per pair and target role, the gap domains the opportunity develops and their points."""
    domain_points = gap_points(gaps, weights.points_per_gap_level, weights.unrated_domain)
    return (
        base.select(*_PAIR, pl.col("develops").list.unique().alias("domain_code"))
        .explode("domain_code")
        .join(domain_points, on=["person_ref", "domain_code"])
        .sort("domain_code")
        .group_by(*_PAIR, "target_role_code")
        .agg(
            pl.col("domain_code").alias("covered_domains"),
            pl.col("points").alias("covered_points"),
            pl.col("assessed").alias("covered_assessed"),
            pl.col("points").sum().alias("gaps"),
        )
    )


def _pair_facts(
    base: pl.DataFrame,
    best_target: pl.DataFrame,
    aspirations: pl.DataFrame,
    experience: pl.DataFrame,
) -> pl.DataFrame:
    """The pairs with their best target role and what the other terms are scored on."""
    return (
        base.join(best_target, on=_PAIR, how="left")
        .join(aspirations, on="person_ref", how="left")
        .join(_growth_table(), on=["growth_wanted", "kind"], how="left")
        .join(experience, on="person_ref", how="left")
        .with_columns(
            pl.col("gaps").fill_null(0),
            pl.col("readiness_points").fill_null(0),
            pl.col("covered_domains").fill_null(pl.lit([], dtype=pl.List(pl.String()))),
            pl.col("covered_points").fill_null(pl.lit([], dtype=pl.List(pl.Int64()))),
            pl.col("covered_assessed").fill_null(pl.lit([], dtype=pl.List(pl.Boolean()))),
            pl.col("planned_kinds").list.contains(pl.col("kind")).fill_null(False).alias("planned"),
            pl.col("growth_met").fill_null(False),
            (
                pl.col("host_kind").is_not_null()
                & ~pl.col("kinds").list.contains(pl.col("host_kind")).fill_null(False)
            ).alias("new_kind"),
            _new_context().alias("new_context"),
        )
    )


def _new_context() -> pl.Expr:
    """``challenged`` or ``strong`` when the host's context is new to the person, else null."""
    return (
        pl.when(
            (pl.col("host_segment") >= CHALLENGED_FROM) & ~pl.col("challenged").fill_null(False)
        )
        .then(pl.lit("challenged"))
        .when(
            (pl.col("host_segment") < CHALLENGED_FROM)
            & pl.col("challenged").fill_null(False)
            & ~pl.col("strong").fill_null(False)
        )
        .then(pl.lit("strong"))
        .otherwise(pl.lit(None, dtype=pl.String()))
    )


def _with_positive_action(
    scored: pl.DataFrame, groups: pl.DataFrame | None, weights: ScoringWeights
) -> pl.DataFrame:
    """The pairs with each person's positive-action groups and the points they give."""
    if groups is not None and weights.positive_action is not None:
        scored = scored.join(groups, on="person_ref", how="left")
        action_points = weights.positive_action.points
    else:
        scored = scored.with_columns(
            pl.lit(None, dtype=pl.List(pl.String())).alias("positive_action_groups")
        )
        action_points = 0
    return scored.with_columns(
        pl.col("positive_action_groups").fill_null(pl.lit([], dtype=pl.List(pl.String())))
    ).with_columns(
        pl.when(pl.col("positive_action_groups").list.len() > 0)
        .then(pl.lit(action_points, dtype=pl.Int64))
        .otherwise(pl.lit(0, dtype=pl.Int64))
        .alias("positive_action")
    )


def _with_points(scored: pl.DataFrame, weights: ScoringWeights) -> pl.DataFrame:
    """The pairs with the points of the aspirations and breadth terms, and the score."""
    return scored.with_columns(
        (
            pl.col("planned").cast(pl.Int64) * weights.planned_kind
            + pl.col("growth_met").cast(pl.Int64) * weights.growth_wanted
        ).alias("aspirations"),
        (
            pl.col("new_kind").cast(pl.Int64) * weights.new_kind
            + pl.col("new_context").is_not_null().cast(pl.Int64) * weights.new_context
        ).alias("breadth"),
    ).with_columns(
        (
            pl.col("gaps")
            + pl.col("readiness_points")
            + pl.col("aspirations")
            + pl.col("breadth")
            + pl.col("positive_action")
        ).alias("score")
    )
