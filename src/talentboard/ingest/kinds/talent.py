"""Talent management: talent-pool readiness, framework assessments and succession plans."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl

from talentboard import vocab
from talentboard.db.models import (
    Assessment,
    ReadinessReview,
    SuccessionPlan,
    Successor,
    TalentProfile,
)
from talentboard.db.models.talent import FRAMEWORK_CODES
from talentboard.ingest.agreement import disagreeing
from talentboard.ingest.cells import Boolean, Code, CodeList, Date, Integer, Text
from talentboard.ingest.kinds.register import PERSON, POST
from talentboard.ingest.report import Problem
from talentboard.ingest.schema import ROW, Column, Kind, RuleContext
from talentboard.ingest.tables import OneTable, ParentChildMapping, TableMapping
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


def one_profile_per_review(context: RuleContext) -> Iterable[Problem]:
    """Rows of one person reviewed on one date must agree on what describes the person."""
    return disagreeing(
        context,
        ["person_id", "reviewed_on"],
        {
            "willing_regions": "a person has one set of willing regions",
            "cross_org_consent": "consent is given by the person, not per role",
        },
        named="person and reviewed_on",
    )


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
    mapping=ParentChildMapping(
        parent=TableMapping(
            TalentProfile,
            key=("person_ref",),
            columns=("willing_regions", "cross_org_consent", "reviewed_on"),
            references=(PERSON,),
            defaults=PROFILE_DEFAULTS,
        ),
        child=TableMapping(
            ReadinessReview,
            key=("profile_ref", "target_role_code", "reviewed_on"),
            columns=("readiness",),
        ),
        link="profile_ref",
        dated_by="reviewed_on",
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
    mapping=OneTable(Assessment),
)


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
    mapping=ParentChildMapping(
        parent=TableMapping(
            SuccessionPlan, key=("post_ref",), columns=("reviewed_on",), references=(POST,)
        ),
        child=TableMapping(
            Successor,
            key=("plan_ref", "person_ref"),
            columns=("readiness", "emergency_cover", "reviewed_on"),
            references=(PERSON,),
        ),
        link="plan_ref",
        dated_by="reviewed_on",
    ),
)
