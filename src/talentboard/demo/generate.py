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
from talentboard.db.seed import load_reference_indicators, load_reference_organisations
from talentboard.demo.assessments import AssessmentRows, build_assessments
from talentboard.demo.calibration import DEMO_AS_AT
from talentboard.demo.governance import GovernanceRows, build_governance
from talentboard.demo.opportunities import build_opportunities
from talentboard.demo.organisations import (
    OrganisationPlan,
    Trust,
    load_trusts,
    plan_organisations,
)
from talentboard.demo.register import (
    Register,
    appointment_rows,
    build_register,
    person_rows,
    post_rows,
)
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
from talentboard.demo.succession import SuccessionRows, build_succession
from talentboard.demo.talent import TalentRows, build_talent_pool, current_spells
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


@dataclass(frozen=True, slots=True)
class _DemoRows:
    """Everything the demo writes, built before anything is written."""

    trusts: list[Trust]
    plan: OrganisationPlan
    register: Register
    appointments: list[dict[str, object]]
    pool: TalentRows
    assessed: AssessmentRows
    succession: SuccessionRows
    opportunities: list[dict[str, object]]
    governance: GovernanceRows


def _region_code(scale: str, region: str | None) -> str | None:
    """The region the demo covers (None: all of England), checked against ``scale``."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}, not {scale!r}")
    if region is not None and scale != "region":
        raise ValueError("a region can only be given with the 'region' scale")
    region_code = (region or DEFAULT_REGION) if scale == "region" else None
    if region_code is not None and region_code not in REGION_CODES:
        raise ValueError(
            f"unknown NHS England region {region_code!r}: use one of {', '.join(REGION_CODES)}"
        )
    return region_code


def _make_room(session: Session, replace: bool, progress: Reporter) -> None:
    """Refuse to write over held data unless ``replace``; when replacing, clear it first."""
    held = {name: count for name, count in holdings(session).items() if count}
    if held and not replace:
        listed = ", ".join(f"{count:,} {name}" for name, count in held.items())
        raise DemoRefusedError(f"the database already holds {listed}: use --replace to clear them")
    if held or replace:
        progress.start("Clearing the register and talent tables")
        clear_demo_tables(session)
        session.flush()


def _build_rows(
    session: Session, scale: str, seed: int, region_code: str | None, progress: Reporter
) -> _DemoRows:
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
    return _DemoRows(
        trusts, plan, register, appointments, pool, assessed, succession, opportunities, governance
    )


def _write_rows(session: Session, built: _DemoRows, progress: Reporter) -> None:
    update_organisations(session, built.plan.bme_shares, built.plan.cqc_updates)
    writes = (
        (PerformanceRating, built.plan.new_ratings, "Performance history"),
        (Post, post_rows(built.register), "Posts"),
        (Person, person_rows(built.register), "People"),
        (Appointment, built.appointments, "Appointments"),
        (TalentProfile, built.pool.profiles, "Talent profiles"),
        (ReadinessReview, built.pool.readiness, "Readiness reviews"),
        (CareerConversation, built.pool.conversations, "Career conversations"),
        (DevelopmentAction, built.pool.actions, "Development actions"),
        (Assessment, built.assessed.assessments, "Assessments"),
        (AppraisalRecord, built.assessed.appraisals, "Appraisals"),
        (SuccessionPlan, built.succession.plans, "Succession plans"),
        (Successor, built.succession.successors, "Successors"),
        (Opportunity, built.opportunities, "Opportunities"),
        (FitAndProperCheck, built.governance.checks, "Fit and proper person checks"),
        (BoardMemberReference, built.governance.references, "Board member references"),
    )
    with bulk_loading(session):
        for model, rows, label in writes:
            insert_rows(session, model, rows, progress, label)
    reset_sequences(session)


def _summary(scale: str, seed: int, region_code: str | None, built: _DemoRows) -> DemoSummary:
    return DemoSummary(
        scale=scale,
        seed=seed,
        region_code=region_code,
        as_at=DEMO_AS_AT.isoformat(),
        organisations=len(built.trusts),
        performance_ratings=len(built.plan.new_ratings),
        posts=len(built.register.posts),
        people=len(built.register.people),
        appointments=len(built.appointments),
        talent_profiles=len(built.pool.profiles),
        readiness_reviews=len(built.pool.readiness),
        career_conversations=len(built.pool.conversations),
        assessments=len(built.assessed.assessments),
        succession_plans=len(built.succession.plans),
        successors=len(built.succession.successors),
        opportunities=len(built.opportunities),
        fit_and_proper_checks=len(built.governance.checks),
        appraisal_records=len(built.assessed.appraisals),
    )


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
    region_code = _region_code(scale, region)
    load_reference_organisations(session)
    # The real published indicators of the shipped trusts, so that the demo's Outcomes page
    # has something to fit (the closed trusts they also cover are left to `init`).
    load_reference_indicators(session, closed=False)
    _make_room(session, replace, progress)
    built = _build_rows(session, scale, seed, region_code, progress)
    _write_rows(session, built, progress)
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
    return _summary(scale, seed, region_code, built)
