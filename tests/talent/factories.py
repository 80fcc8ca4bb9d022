"""Small factories for talent tests: each adds one row and returns it (flushed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from talentboard.db.models import (
    Appointment,
    Assessment,
    CareerConversation,
    DevelopmentAction,
    FitAndProperCheck,
    Person,
    Post,
    ReadinessReview,
    SuccessionPlan,
    Successor,
    TalentProfile,
)
from talentboard.reference import roles

ROLE = {r.code: r for r in roles()}


def post(session: Session, post_id: str, ods_code: str, role_code: str, **kw: Any) -> Post:
    role = ROLE[role_code]
    row = Post(
        post_id=post_id,
        ods_code=ods_code,
        role_code=role_code,
        title=kw.pop("title", role.label),
        level=kw.pop("level", role.level if role.level != "other" else "middle"),
        executive=kw.pop("executive", role.executive),
        voting=kw.pop("voting", role.voting),
        **kw,
    )
    session.add(row)
    session.flush()
    return row


def person(session: Session, person_id: str, **kw: Any) -> Person:
    row = Person(
        person_id=person_id,
        given_name=kw.pop("given_name", person_id.title()),
        family_name=kw.pop("family_name", "Example"),
        **kw,
    )
    session.add(row)
    session.flush()
    return row


def appoint(
    session: Session,
    who: Person,
    where: Post,
    start: dt.date,
    end: dt.date | None = None,
    kind: str = "substantive",
    **kw: Any,
) -> Appointment:
    row = Appointment(
        person_ref=who.id,
        post_ref=where.id,
        start_date=start,
        end_date=end,
        appointment_type=kind,
        **kw,
    )
    session.add(row)
    session.flush()
    return row


def profile(session: Session, who: Person, **kw: Any) -> TalentProfile:
    row = TalentProfile(person_ref=who.id, **kw)
    session.add(row)
    session.flush()
    return row


def readiness(
    session: Session, of: TalentProfile, role_code: str, value: str, on: dt.date
) -> ReadinessReview:
    row = ReadinessReview(
        profile_ref=of.id, target_role_code=role_code, readiness=value, reviewed_on=on
    )
    session.add(row)
    session.flush()
    return row


def rate(
    session: Session,
    who: Person,
    framework: str,
    domain: str,
    relation: str,
    score: int | None,
    on: dt.date,
    rater_id: str = "",
) -> Assessment:
    row = Assessment(
        person_ref=who.id,
        framework=framework,
        domain_code=domain,
        rater_relation=relation,
        rater_id=rater_id,
        score=score,
        assessed_on=on,
    )
    session.add(row)
    session.flush()
    return row


def plan(
    session: Session,
    for_post: Post,
    successors: list[tuple[Person, str, bool]],
    on: dt.date,
) -> SuccessionPlan:
    row = SuccessionPlan(post_ref=for_post.id, reviewed_on=on)
    session.add(row)
    session.flush()
    for who, ready, emergency in successors:
        session.add(
            Successor(
                plan_ref=row.id,
                person_ref=who.id,
                readiness=ready,
                emergency_cover=emergency,
                reviewed_on=on,
            )
        )
    session.flush()
    return row


def conversation(
    session: Session, who: Person, on: dt.date, actions: tuple[dict[str, Any], ...] = (), **kw: Any
) -> CareerConversation:
    row = CareerConversation(person_ref=who.id, held_on=on, **kw)
    session.add(row)
    session.flush()
    for action in actions:
        session.add(DevelopmentAction(conversation_ref=row.id, **action))
    session.flush()
    return row


def check(
    session: Session,
    who: Person,
    check_type: str,
    on: dt.date,
    outcome: str = "satisfactory",
    next_due: dt.date | None = None,
) -> FitAndProperCheck:
    row = FitAndProperCheck(
        person_ref=who.id,
        check_type=check_type,
        outcome=outcome,
        checked_on=on,
        next_due_on=next_due,
    )
    session.add(row)
    session.flush()
    return row
