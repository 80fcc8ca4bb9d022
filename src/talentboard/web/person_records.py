"""Fetching one person's records for their page (the caller has already been checked), and
auditing what is done with them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard.db.models import (
    Appointment,
    Assessment,
    CareerConversation,
    DevelopmentAction,
    FitAndProperCheck,
    MatchProposal,
    Opportunity,
    Organisation,
    Person,
    Post,
    ReadinessReview,
    TalentProfile,
)
from talentboard.talent import schemas
from talentboard.web import audit
from talentboard.web.permissions import Principal


def audit_person(
    session: Session, request: Request, principal: Principal, action: str, key: str, **detail: Any
) -> None:
    """Add an audit event for `action` on the person whose person_id is `key`."""
    audit.by(request, session, principal, action, "person", key, detail)


def appointments_of(
    session: Session, person: Person
) -> list[tuple[Appointment, Post, Organisation]]:
    rows = session.execute(
        select(Appointment, Post, Organisation)
        .join(Post, Post.id == Appointment.post_ref)
        .join(Organisation, Organisation.ods_code == Post.ods_code)
        .where(Appointment.person_ref == person.id)
        .order_by(Appointment.start_date.desc())
    ).all()
    return [(a, p, o) for a, p, o in rows]


def profile_of(session: Session, person: Person) -> TalentProfile | None:
    return session.scalar(select(TalentProfile).where(TalentProfile.person_ref == person.id))


def readiness_of(session: Session, profile: TalentProfile | None) -> Sequence[ReadinessReview]:
    if profile is None:
        return []
    return session.scalars(
        select(ReadinessReview)
        .where(ReadinessReview.profile_ref == profile.id)
        .order_by(ReadinessReview.reviewed_on.desc(), ReadinessReview.target_role_code)
    ).all()


def conversations_of(
    session: Session, person: Person
) -> tuple[Sequence[CareerConversation], dict[int, list[DevelopmentAction]]]:
    conversations = session.scalars(
        select(CareerConversation)
        .where(CareerConversation.person_ref == person.id)
        .order_by(CareerConversation.held_on.desc())
    ).all()
    actions: dict[int, list[DevelopmentAction]] = {}
    if conversations:
        for action in session.scalars(
            select(DevelopmentAction)
            .where(DevelopmentAction.conversation_ref.in_([c.id for c in conversations]))
            .order_by(DevelopmentAction.due_on, DevelopmentAction.id)
        ):
            actions.setdefault(action.conversation_ref, []).append(action)
    return conversations, actions


def ratings_of(session: Session, person: Person) -> Sequence[Assessment]:
    return session.scalars(
        select(Assessment)
        .where(Assessment.person_ref == person.id)
        .order_by(
            Assessment.assessed_on.desc(),
            Assessment.framework,
            Assessment.domain_code,
            Assessment.rater_relation,
        )
    ).all()


def assessments_frame(ratings: Sequence[Assessment]) -> pl.DataFrame:
    """The person's ratings in the assessments schema the talent functions take."""
    return schemas.frame(
        schemas.ASSESSMENTS,
        [
            {
                "person_ref": a.person_ref,
                "framework": a.framework,
                "domain_code": a.domain_code,
                "rater_relation": a.rater_relation,
                "rater_id": a.rater_id,
                "score": a.score,
                "assessed_on": a.assessed_on,
            }
            for a in ratings
        ],
    )


def targets_frame(reviews: Sequence[ReadinessReview], person: Person) -> pl.DataFrame:
    """The person's target roles (latest review per role) in the targets schema."""
    latest: dict[str, ReadinessReview] = {}
    for review in sorted(reviews, key=lambda r: r.reviewed_on):
        latest[review.target_role_code] = review
    return schemas.frame(
        schemas.TARGETS,
        [
            {
                "person_ref": person.id,
                "target_role_code": r.target_role_code,
                "readiness": r.readiness,
                "reviewed_on": r.reviewed_on,
            }
            for r in latest.values()
        ],
    )


def fppt_checks_of(session: Session, person: Person) -> Sequence[FitAndProperCheck]:
    return session.scalars(
        select(FitAndProperCheck)
        .where(FitAndProperCheck.person_ref == person.id)
        .order_by(FitAndProperCheck.checked_on.desc())
    ).all()


def proposals_of(session: Session, person: Person) -> list[tuple[MatchProposal, Opportunity]]:
    rows = session.execute(
        select(MatchProposal, Opportunity)
        .join(Opportunity, Opportunity.id == MatchProposal.opportunity_ref)
        .where(MatchProposal.person_ref == person.id)
        .order_by(MatchProposal.id.desc())
    ).all()
    return [(p, o) for p, o in rows]
