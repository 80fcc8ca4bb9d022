"""Talent management: talent-pool readiness, framework assessments and succession plans."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard import vocab
from talentboard.db.models import (
    Assessment,
    Person,
    Post,
    ReadinessReview,
    SuccessionPlan,
    Successor,
    TalentProfile,
)
from talentboard.db.models.talent import FRAMEWORK_CODES
from talentboard.ingest.cells import Boolean, Code, CodeList, Date, Integer, Text
from talentboard.ingest.kinds.register import PERSON, POST
from talentboard.ingest.report import Problem, TableCounts
from talentboard.ingest.schema import ROW, Column, Kind, RuleContext
from talentboard.ingest.tables import (
    TableMapping,
    query_frame,
    query_frame_in,
    upsert,
    upsert_children,
)
from talentboard.progress import Reporter
from talentboard.reference import REGION_CODES, ROLE_CODES, framework, frameworks

# Every domain (LCF) and dimension (HLM) code of the shipped frameworks.
DOMAIN_CODES = tuple(
    dict.fromkeys(code for name in FRAMEWORK_CODES for code in framework(name).domain_codes)
)
PROFILE_DEFAULTS: dict[str, Any] = {
    "timeframe": None,
    "impact": None,
    "growth": None,
    "programmes": [],
}


def _ids(
    session: Session, model: type[TalentProfile | SuccessionPlan], by: str, values: list[int]
) -> pl.DataFrame:
    column = getattr(model, by)
    return query_frame_in(session, select(model.id, column), column, values)


@dataclass(frozen=True)
class TalentMapping:
    """Talent rows: one profile per person, and a readiness review per row.

    The profile takes ``willing_regions`` and ``cross_org_consent`` from the person's row
    with the latest ``reviewed_on``, and that date, unless the stored profile was reviewed
    later still; readiness reviews are kept as a history keyed by person, target role and
    date.
    """

    @property
    def tables(self) -> tuple[str, ...]:
        return ("talent_profiles", "readiness_reviews")

    def load(
        self,
        session: Session,
        rows: pl.DataFrame,
        present: frozenset[str],
        *,
        write: bool,
        progress: Reporter,
    ) -> dict[str, TableCounts]:
        latest = (
            rows.sort("person_ref", "reviewed_on", ROW)
            .group_by("person_ref", maintain_order=True)
            .last()
            .select("person_ref", "willing_regions", "cross_org_consent", "reviewed_on")
        )
        stored = query_frame_in(
            session,
            select(TalentProfile.person_ref, TalentProfile.reviewed_on.label("stored_on")),
            TalentProfile.person_ref,
            latest["person_ref"].to_list(),
        )
        newer = latest.join(stored, on="person_ref").filter(
            pl.col("stored_on") > pl.col("reviewed_on")
        )
        profiles = upsert(
            session,
            TalentProfile,
            latest.join(newer, on="person_ref", how="anti"),
            key=("person_ref",),
            compare=("willing_regions", "cross_org_consent", "reviewed_on"),
            defaults=PROFILE_DEFAULTS,
            write=write,
            progress=progress,
        ) + TableCounts(unchanged=newer.height)
        ids = _ids(session, TalentProfile, "person_ref", latest["person_ref"].to_list())
        reviews = rows.join(ids.rename({"id": "profile_ref"}), on="person_ref", how="left").select(
            "profile_ref", "target_role_code", "reviewed_on", "readiness"
        )
        readiness = upsert_children(
            session,
            ReadinessReview,
            reviews,
            parent="profile_ref",
            key=("profile_ref", "target_role_code", "reviewed_on"),
            compare=("readiness",),
            write=write,
            progress=progress,
        )
        return {"talent_profiles": profiles, "readiness_reviews": readiness}

    def export(self, session: Session) -> pl.DataFrame:
        statement = (
            select(
                Person.person_id,
                ReadinessReview.target_role_code,
                ReadinessReview.readiness,
                TalentProfile.willing_regions,
                TalentProfile.cross_org_consent,
                ReadinessReview.reviewed_on,
            )
            .join(TalentProfile, TalentProfile.id == ReadinessReview.profile_ref)
            .join(Person, Person.id == TalentProfile.person_ref)
        )
        return query_frame(session, statement)


def one_profile_per_review(context: RuleContext) -> Iterable[Problem]:
    """Rows of one person reviewed on one date must agree on what describes the person."""
    problems: list[Problem] = []
    group = ["person_id", "reviewed_on"]
    for column, why in (
        ("willing_regions", "a person has one set of willing regions"),
        ("cross_org_consent", "consent is given by the person, not per role"),
    ):
        readable = context.raw.select(ROW, pl.col(column).is_null().alias("_empty"))
        rows = (
            context.frame.join(readable, on=ROW)
            .filter(
                pl.col("person_id").is_not_null()
                & pl.col("reviewed_on").is_not_null()
                & (pl.col("_empty") | pl.col(column).is_not_null())
            )
            .with_columns(
                pl.col(column).first().over(group).alias("_first"),
                pl.col(ROW).first().over(group).alias("_first_row"),
            )
        )
        differing = rows.filter(~pl.col(column).eq_missing(pl.col("_first"))).select(
            ROW,
            pl.format(
                "differs from row {} for the same person and reviewed_on; {}",
                pl.col("_first_row"),
                pl.lit(why),
            ).alias("reason"),
        )
        problems.extend(context.problems(differing, column))
    return problems


TALENT = Kind(
    name="talent",
    summary="The talent pool: one row per person and target role, with readiness as reviewed.",
    columns=(
        Column("person_id", Text(64), "The person in the talent pool.", required=True),
        Column(
            "target_role_code",
            Code(ROLE_CODES, noun="role code"),
            "A role the person aspires to.",
            required=True,
        ),
        Column(
            "readiness",
            Code(vocab.READINESS),
            "Readiness for the target role.",
            required=True,
        ),
        Column(
            "willing_regions",
            CodeList(REGION_CODES, noun="region code"),
            "NHS England regions the person will work in.",
            when_empty=[],
            empty_means="the region of the person's own organisation",
        ),
        Column(
            "cross_org_consent",
            Boolean(),
            "Consent to be considered by other organisations.",
            when_empty=False,
            empty_means="`false`",
        ),
        Column("reviewed_on", Date(), "The date of the talent review.", required=True),
    ),
    key=("person_id", "target_role_code", "reviewed_on"),
    references=(PERSON,),
    rules=(one_profile_per_review,),
    rule_docs=(
        "`willing_regions` and `cross_org_consent` describe the person, not the role: rows "
        "of the same person with the same `reviewed_on` must agree on them. The person's "
        "profile takes them from the row with the latest `reviewed_on` (unless the stored "
        "profile was reviewed later); readiness is kept for every date as a history.",
    ),
    mapping=TalentMapping(),
    examples=(
        {
            "person_id": "P0001",
            "target_role_code": "chief_executive",
            "readiness": "ready_1_2y",
            "willing_regions": "Y56;Y59",
            "cross_org_consent": "true",
            "reviewed_on": "2025-05-14",
        },
        {
            "person_id": "P0002",
            "target_role_code": "operations_director",
            "readiness": "ready_now",
            "willing_regions": "Y56",
            "cross_org_consent": "false",
            "reviewed_on": "2025-05-14",
        },
    ),
)


def framework_scale(context: RuleContext) -> Iterable[Problem]:
    """Each domain belongs to the row's framework, and each score is on its scale."""
    problems: list[Problem] = []
    empty_score = context.raw.select(ROW, pl.col("score").is_null().alias("_empty"))
    frame = context.frame.join(empty_score, on=ROW)
    for code in FRAMEWORK_CODES:
        scheme = frameworks()[code]
        rows = frame.filter(pl.col("framework") == code)
        low, high = min(scheme.scores), max(scheme.scores)
        wrong_domain = rows.filter(
            pl.col("domain_code").is_not_null() & ~pl.col("domain_code").is_in(scheme.domain_codes)
        ).select(
            ROW,
            pl.lit(
                f"not one of the {code} {scheme.units}: " + ", ".join(scheme.domain_codes)
            ).alias("reason"),
        )
        problems.extend(context.problems(wrong_domain, "domain_code"))
        off_scale = rows.filter(
            pl.col("score").is_not_null() & ~pl.col("score").is_in(scheme.scores)
        ).select(ROW, pl.lit(f"not on the {code} scale ({low}-{high})").alias("reason"))
        problems.extend(context.problems(off_scale, "score"))
        if None not in {score for score, _ in scheme.scale}:
            missing = rows.filter(pl.col("_empty")).select(
                ROW, pl.lit(f"a value is required for {code} ({low}-{high})").alias("reason")
            )
            problems.extend(context.problems(missing, "score"))
    return problems


ASSESSMENTS = Kind(
    name="assessments",
    summary=(
        "Ratings against a leadership framework: one row per person, framework, domain and rater."
    ),
    columns=(
        Column("person_id", Text(64), "The person assessed.", required=True),
        Column("framework", Code(FRAMEWORK_CODES), "The framework.", required=True),
        Column(
            "domain_code",
            Code(DOMAIN_CODES, noun="framework domain code"),
            "The framework's domain (LCF) or dimension (HLM).",
            required=True,
        ),
        Column(
            "rater_relation",
            Code(vocab.RATER_RELATIONS),
            "Who gave the rating, in relation to the person.",
            required=True,
        ),
        Column(
            "score",
            Integer(),
            "The rating on the framework's scale: lcf2024 1 (rarely or never) to 4 (almost "
            "always), empty for no chance to demonstrate; hlm 1 (essential) to 4 (exemplary).",
        ),
        Column("assessed_on", Date(), "The date of the assessment.", required=True),
        Column(
            "rater_id",
            Text(64),
            "Tells apart several raters of one relation (three peers).",
            extra=True,
            when_empty="",
            empty_means="a single rater of that relation",
        ),
    ),
    key=("person_id", "framework", "domain_code", "rater_relation", "rater_id", "assessed_on"),
    references=(PERSON,),
    rules=(framework_scale,),
    rule_docs=(
        "`domain_code` must be one of the domains of the row's `framework`; `score` must be "
        "on that framework's scale, and may be empty only where the scale has a 'no chance "
        "to demonstrate' point (lcf2024), so an hlm row needs a score.",
    ),
    mapping=TableMapping(
        Assessment,
        key=("person_ref", "framework", "domain_code", "rater_relation", "rater_id", "assessed_on"),
        columns=("score",),
        references=(PERSON,),
    ),
    examples=(
        {
            "person_id": "P0001",
            "framework": "lcf2024",
            "domain_code": "outcomes",
            "rater_relation": "self",
            "score": "3",
            "assessed_on": "2025-03-10",
            "rater_id": "",
        },
        {
            "person_id": "P0001",
            "framework": "lcf2024",
            "domain_code": "outcomes",
            "rater_relation": "peer",
            "score": "4",
            "assessed_on": "2025-03-10",
            "rater_id": "peer-1",
        },
    ),
)


@dataclass(frozen=True)
class SuccessionMapping:
    """Succession rows: one plan per post, reviewed on its latest entry's date; a successor
    per row, keyed by post and person."""

    @property
    def tables(self) -> tuple[str, ...]:
        return ("succession_plans", "successors")

    def load(
        self,
        session: Session,
        rows: pl.DataFrame,
        present: frozenset[str],
        *,
        write: bool,
        progress: Reporter,
    ) -> dict[str, TableCounts]:
        plans = rows.group_by("post_ref").agg(pl.col("reviewed_on").max())
        stored = query_frame_in(
            session,
            select(SuccessionPlan.post_ref, SuccessionPlan.reviewed_on.label("stored_on")),
            SuccessionPlan.post_ref,
            plans["post_ref"].to_list(),
        )
        plans = plans.join(stored, on="post_ref", how="left").select(
            "post_ref", pl.max_horizontal("reviewed_on", "stored_on").alias("reviewed_on")
        )
        plan_counts = upsert(
            session,
            SuccessionPlan,
            plans,
            key=("post_ref",),
            compare=("reviewed_on",),
            defaults={},
            write=write,
            progress=progress,
        )
        ids = _ids(session, SuccessionPlan, "post_ref", plans["post_ref"].to_list())
        successors = rows.join(ids.rename({"id": "plan_ref"}), on="post_ref", how="left").select(
            "plan_ref", "person_ref", "readiness", "emergency_cover", "reviewed_on"
        )
        successor_counts = upsert_children(
            session,
            Successor,
            successors,
            parent="plan_ref",
            key=("plan_ref", "person_ref"),
            compare=("readiness", "emergency_cover", "reviewed_on"),
            write=write,
            progress=progress,
        )
        return {"succession_plans": plan_counts, "successors": successor_counts}

    def export(self, session: Session) -> pl.DataFrame:
        statement = (
            select(
                Post.post_id,
                Person.person_id,
                Successor.readiness,
                Successor.emergency_cover,
                Successor.reviewed_on,
            )
            .join(SuccessionPlan, SuccessionPlan.id == Successor.plan_ref)
            .join(Post, Post.id == SuccessionPlan.post_ref)
            .join(Person, Person.id == Successor.person_ref)
        )
        return query_frame(session, statement)


SUCCESSION = Kind(
    name="succession",
    summary="Succession plans: one row per post and named successor.",
    columns=(
        Column("post_id", Text(64), "The post the plan covers.", required=True),
        Column("person_id", Text(64), "A named successor.", required=True),
        Column(
            "readiness",
            Code(vocab.READINESS),
            "The successor's readiness for the post.",
            required=True,
        ),
        Column(
            "emergency_cover",
            Boolean(),
            "Whether the successor is the emergency cover for the post.",
            when_empty=False,
            empty_means="`false`",
        ),
        Column("reviewed_on", Date(), "The date the entry was reviewed.", required=True),
    ),
    key=("post_id", "person_id"),
    references=(POST, PERSON),
    rule_docs=(
        "Each post has one plan, whose review date is the latest `reviewed_on` of its "
        "entries; a successor already named for the post is updated.",
    ),
    mapping=SuccessionMapping(),
    examples=(
        {
            "post_id": "RJ1-CEO",
            "person_id": "P0001",
            "readiness": "ready_1_2y",
            "emergency_cover": "true",
            "reviewed_on": "2025-05-14",
        },
        {
            "post_id": "RJ1-CEO",
            "person_id": "P0002",
            "readiness": "ready_3_5y",
            "emergency_cover": "false",
            "reviewed_on": "2025-05-14",
        },
    ),
)
