"""``generate_demo``: the whole synthetic workforce, written in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from talentboard.db.models import (
    Appointment,
    AppraisalRecord,
    Assessment,
    BoardMemberReference,
    CareerConversation,
    DevelopmentAction,
    FitAndProperCheck,
    Opportunity,
    PerformanceRating,
    Person,
    Post,
    ReadinessReview,
    SuccessionPlan,
    Successor,
    TalentProfile,
)
from talentboard.db.seed import load_reference_organisations
from talentboard.demo.assessments import build_assessments
from talentboard.demo.calibration import DEMO_AS_AT
from talentboard.demo.governance import build_governance
from talentboard.demo.opportunities import build_opportunities
from talentboard.demo.organisations import load_trusts, plan_organisations
from talentboard.demo.register import appointment_rows, build_register, person_rows, post_rows
from talentboard.demo.store import (
    DemoRefusedError,
    bulk_loading,
    clear_demo_tables,
    first_ids,
    holdings,
    insert_rows,
    reset_sequences,
    update_organisations,
    write_settings,
)
from talentboard.demo.succession import build_succession
from talentboard.demo.talent import build_talent_pool, current_spells
from talentboard.progress import SILENT, Reporter
from talentboard.reference import REGION_CODES

__all__ = ["DEFAULT_REGION", "SCALES", "DemoRefusedError", "DemoSummary", "generate_demo"]

SCALES = ("region", "national", "all-levels")
DEFAULT_REGION = "Y60"


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What ``generate_demo`` wrote."""

    scale: str
    seed: int
    region_code: str | None
    as_at: str
    organisations: int
    performance_ratings: int
    posts: int
    people: int
    appointments: int
    talent_profiles: int
    readiness_reviews: int
    career_conversations: int
    assessments: int
    succession_plans: int
    successors: int
    opportunities: int
    fit_and_proper_checks: int
    appraisal_records: int


def generate_demo(
    session: Session,
    scale: str = "national",
    seed: int = 1,
    region: str | None = None,
    *,
    replace: bool = False,
    progress: Reporter = SILENT,
) -> DemoSummary:
    """Load a synthetic, reproducible leadership workforce over the real NHS trusts.

    ``scale``: ``region`` (the trusts of ``region``, default Y60 Midlands), ``national``
    (all trusts, board posts) or ``all-levels`` (national plus senior, middle and
    frontline leadership posts). The same seed and scale give the same database. Refuses
    (``DemoRefusedError``) when the database already holds people, posts or opportunities,
    unless ``replace`` is set, which first empties the register and talent tables.
    Works inside the caller's transaction: nothing is committed here.
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}, not {scale!r}")
    if region is not None and scale != "region":
        raise ValueError("a region can only be given with the 'region' scale")
    region_code = (region or DEFAULT_REGION) if scale == "region" else None
    if region_code is not None and region_code not in REGION_CODES:
        raise ValueError(
            f"unknown NHS England region {region_code!r}: use one of {', '.join(REGION_CODES)}"
        )
    load_reference_organisations(session)
    held = {name: count for name, count in holdings(session).items() if count}
    if held and not replace:
        listed = ", ".join(f"{count:,} {name}" for name, count in held.items())
        raise DemoRefusedError(f"the database already holds {listed}: use --replace to clear them")
    if held or replace:
        progress.start("Clearing the register and talent tables")
        clear_demo_tables(session)
        session.flush()

    ids = first_ids(session)
    trusts = load_trusts(session, region_code)
    plan = plan_organisations(session, trusts, seed)
    for index, rating in enumerate(plan.new_ratings):
        rating["id"] = ids["performance_ratings"] + index
    all_levels = scale == "all-levels"
    register = build_register(
        trusts,
        seed,
        all_levels=all_levels,
        first_post_ref=ids["posts"],
        first_person_ref=ids["people"],
        progress=progress,
    )
    appointments, last_appointment = appointment_rows(register.spells, ids["appointments"])
    current = current_spells(register)
    pool = build_talent_pool(register, seed, ids)
    assessed = build_assessments(current, pool.members, seed, ids)
    succession = build_succession(register.posts, register.serving(), pool.members, seed, ids)
    opportunities = build_opportunities(trusts, seed, ids, all_levels=all_levels)
    people = {p.ref: p for p in register.people}
    governance = build_governance(register.spells, people, last_appointment, seed, ids)

    update_organisations(session, plan.bme_shares, plan.cqc_updates)
    writes = (
        (PerformanceRating, plan.new_ratings, "Performance history"),
        (Post, post_rows(register), "Posts"),
        (Person, person_rows(register), "People"),
        (Appointment, appointments, "Appointments"),
        (TalentProfile, pool.profiles, "Talent profiles"),
        (ReadinessReview, pool.readiness, "Readiness reviews"),
        (CareerConversation, pool.conversations, "Career conversations"),
        (DevelopmentAction, pool.actions, "Development actions"),
        (Assessment, assessed.assessments, "Assessments"),
        (AppraisalRecord, assessed.appraisals, "Appraisals"),
        (SuccessionPlan, succession.plans, "Succession plans"),
        (Successor, succession.successors, "Successors"),
        (Opportunity, opportunities, "Opportunities"),
        (FitAndProperCheck, governance.checks, "Fit and proper person checks"),
        (BoardMemberReference, governance.references, "Board member references"),
    )
    with bulk_loading(session):
        for model, rows, label in writes:
            insert_rows(session, model, rows, progress, label)
    reset_sequences(session)
    write_settings(
        session,
        {
            "demo_as_at": DEMO_AS_AT.isoformat(),
            "demo_scale": scale,
            "demo_seed": str(seed),
            "demo_region": region_code or "",
        },
    )
    session.flush()
    return DemoSummary(
        scale=scale,
        seed=seed,
        region_code=region_code,
        as_at=DEMO_AS_AT.isoformat(),
        organisations=len(trusts),
        performance_ratings=len(plan.new_ratings),
        posts=len(register.posts),
        people=len(register.people),
        appointments=len(appointments),
        talent_profiles=len(pool.profiles),
        readiness_reviews=len(pool.readiness),
        career_conversations=len(pool.conversations),
        assessments=len(assessed.assessments),
        succession_plans=len(succession.plans),
        successors=len(succession.successors),
        opportunities=len(opportunities),
        fit_and_proper_checks=len(governance.checks),
        appraisal_records=len(assessed.appraisals),
    )
