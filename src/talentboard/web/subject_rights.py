"""Data subject rights: a copy of everything held about a person, and erasure.

Erasure anonymises rather than deletes the register: the person's appointments stay, so
the stability figures of past years do not change, but nothing identifies them any more.
Their name, identifiers and special category data are cleared, and every talent record
about them (profile, readiness, conversations and plans, assessments, succession entries,
Fit and Proper Person checks, appraisals, references, match proposals) is deleted. Their
user accounts are disabled and their API tokens revoked. The audit trail is kept,
including the erasure itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from talentboard.db.models import (
    ApiToken,
    Appointment,
    AppraisalRecord,
    Assessment,
    AuditEvent,
    BoardMemberReference,
    CareerConversation,
    DevelopmentAction,
    FitAndProperCheck,
    MatchProposal,
    Person,
    Post,
    ReadinessReview,
    Successor,
    TalentProfile,
    User,
)

# Talent records held against a person, deleted on erasure (readiness reviews go with the
# profile, by cascade).
PERSON_RECORDS: tuple[Any, ...] = (
    CareerConversation,
    TalentProfile,
    Assessment,
    Successor,
    FitAndProperCheck,
    AppraisalRecord,
    MatchProposal,
)
ERASED_GIVEN_NAME = "Erased"
ERASED_FAMILY_NAME = "record"


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _row(record: Any, *skip: str) -> dict[str, Any]:
    columns = record.__table__.columns
    return {c.key: _plain(getattr(record, c.key)) for c in columns if c.key not in skip}


# What names or identifies someone else in a person's record: left out of the copy a
# person downloads for themselves (the data protection officer's copy keeps them, to be
# weighed as the law asks before it is given).
OTHER_PEOPLE = {
    "assessments": ("rater_id",),
    "career_conversations": ("held_with",),
    "fit_and_proper_checks": ("checked_by",),
    "appraisals": ("appraiser",),
    "audit_events": ("username",),
}
OWN_COPY_NOTE = (
    "Your own copy of what talentboard holds about you. Names and identifiers of other "
    "people (who rated you, who held a conversation or check with you, who opened your "
    "record) are left out; your organisation's data protection officer can answer a "
    "subject access request in full."
)


def own_copy(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` (``subject_access``) without what identifies other people."""
    copy: dict[str, Any] = {"note": OWN_COPY_NOTE, **document}
    for section, keys in OTHER_PEOPLE.items():
        copy[section] = [
            {k: v for k, v in row.items() if k not in keys} for row in document[section]
        ]
    return copy


def subject_access(session: Session, person: Person) -> dict[str, Any]:
    """Everything held about ``person``, as one JSON-ready document."""
    ref = person.id

    def rows(model: Any, *where: Any) -> list[dict[str, Any]]:
        return [_row(r, "id") for r in session.scalars(select(model).where(*where))]

    profile = session.scalar(select(TalentProfile).where(TalentProfile.person_ref == ref))
    conversations = session.scalars(
        select(CareerConversation).where(CareerConversation.person_ref == ref)
    ).all()
    appointments = session.execute(
        select(Appointment, Post)
        .join(Post, Post.id == Appointment.post_ref)
        .where(Appointment.person_ref == ref)
    ).all()
    return {
        "person": _row(person, "id"),
        "appointments": [
            {"post_id": post.post_id, "ods_code": post.ods_code, **_row(a, "id", "person_ref")}
            for a, post in appointments
        ],
        "talent_profile": _row(profile, "id") if profile else None,
        "readiness_reviews": (
            rows(ReadinessReview, ReadinessReview.profile_ref == profile.id) if profile else []
        ),
        "career_conversations": [
            {
                **_row(c, "id"),
                "development_actions": rows(
                    DevelopmentAction, DevelopmentAction.conversation_ref == c.id
                ),
            }
            for c in conversations
        ],
        "assessments": rows(Assessment, Assessment.person_ref == ref),
        "succession_entries": rows(Successor, Successor.person_ref == ref),
        "fit_and_proper_checks": rows(FitAndProperCheck, FitAndProperCheck.person_ref == ref),
        "appraisals": rows(AppraisalRecord, AppraisalRecord.person_ref == ref),
        "match_proposals": rows(MatchProposal, MatchProposal.person_ref == ref),
        "user_accounts": [
            {"username": u.username, "role": u.role, "active": u.active}
            for u in session.scalars(select(User).where(User.person_ref == ref))
        ],
        "audit_events": [
            {
                "at": _plain(e.at),
                "username": e.username,
                "action": e.action,
                "source": e.source,
            }
            for e in session.scalars(
                select(AuditEvent)
                .where(AuditEvent.entity == "person", AuditEvent.entity_key == person.person_id)
                .order_by(AuditEvent.at)
            )
        ],
    }


def erase(session: Session, person: Person) -> dict[str, int]:
    """Anonymise ``person`` and delete their talent records; how many rows of each went."""
    ref = person.id
    conversations = select(CareerConversation.id).where(CareerConversation.person_ref == ref)
    appointments = select(Appointment.id).where(Appointment.person_ref == ref)
    # Children first: actions belong to conversations, references to appointments.
    targets: list[tuple[Any, Any]] = [
        (DevelopmentAction, DevelopmentAction.conversation_ref.in_(conversations)),
        (BoardMemberReference, BoardMemberReference.appointment_ref.in_(appointments)),
    ]
    for model in PERSON_RECORDS:
        targets.append((model, model.person_ref == ref))
    removed: dict[str, int] = {}
    for model, condition in targets:
        result = session.execute(
            delete(model).where(condition).execution_options(synchronize_session=False)
        )
        removed[model.__tablename__] = int(result.rowcount)  # type: ignore[attr-defined]
    session.execute(
        update(Appointment)
        .where(Appointment.person_ref == ref)
        .values(exit_notes=None)
        .execution_options(synchronize_session=False)
    )
    accounts = select(User.id).where(User.person_ref == ref)
    session.execute(
        update(ApiToken)
        .where(ApiToken.user_ref.in_(accounts))
        .values(revoked=True)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(User)
        .where(User.person_ref == ref)
        .values(active=False)
        .execution_options(synchronize_session=False)
    )
    person.given_name = ERASED_GIVEN_NAME
    person.family_name = ERASED_FAMILY_NAME
    person.employee_number = None
    person.ethnic_category = None
    person.sex = None
    person.disability = None
    person.professional_background = None
    person.birth_year = None
    person.version = person.version + 1
    session.flush()
    session.expire_all()
    return removed
