"""Data access for the pages: queries named for what they fetch, always filtered by scope.

No figure is computed here: these fetch records (filtered through ``permissions``) for the
pages to list; every statistic comes from the analysis packages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from talentboard.db.models import (
    Appointment,
    BuddyPairing,
    Opportunity,
    Organisation,
    PerformanceRating,
    Person,
    Post,
    Setting,
)
from talentboard.frames.register import RegisterFrames
from talentboard.web.permissions import Principal, organisation_filter

DEMO_AS_AT_KEYS = ("demo_as_at", "as_at")


def configured_as_at(session: Session) -> dt.date | None:
    """The date set for figures to be shown "as at" (the loaded demo's), if any."""
    for key in DEMO_AS_AT_KEYS:
        setting = session.get(Setting, key)
        if setting is not None:
            try:
                return dt.date.fromisoformat(setting.value)
            except ValueError:
                continue
    return None


def default_as_at(session: Session) -> dt.date:
    """The date figures are shown "as at": the loaded demo's date if any, else today."""
    return configured_as_at(session) or dt.date.today()


def segments_at(
    session: Session, at: dt.date, ods_codes: Sequence[str] | None = None
) -> dict[str, int | None]:
    """Each organisation's oversight segment at ``at``: that of its latest rating effective
    on or before ``at`` (DESIGN section 5)."""
    latest = (
        select(PerformanceRating.ods_code, func.max(PerformanceRating.effective_from).label("d"))
        .where(PerformanceRating.effective_from <= at)
        .group_by(PerformanceRating.ods_code)
        .subquery()
    )
    query = select(PerformanceRating.ods_code, PerformanceRating.oversight_segment).join(
        latest,
        (latest.c.ods_code == PerformanceRating.ods_code)
        & (latest.c.d == PerformanceRating.effective_from),
    )
    if ods_codes is not None:
        query = query.where(PerformanceRating.ods_code.in_(list(ods_codes)))
    return {row.ods_code: row.oversight_segment for row in session.execute(query)}


@dataclass(frozen=True, slots=True)
class OrganisationSearch:
    text: str | None = None
    region_code: str | None = None
    kind: str | None = None
    segment: int | None = None


def find_organisations(
    session: Session, principal: Principal, search: OrganisationSearch, at: dt.date
) -> list[tuple[Organisation, int | None]]:
    """Organisations in scope matching the search, with their segment at ``at``, by name."""
    query = select(Organisation).where(organisation_filter(principal))
    if search.text:
        pattern = f"%{search.text.lower()}%"
        query = query.where(
            or_(
                func.lower(Organisation.name).like(pattern),
                func.lower(Organisation.ods_code).like(pattern),
            )
        )
    if search.region_code:
        query = query.where(Organisation.region_code == search.region_code)
    if search.kind:
        query = query.where(Organisation.kind == search.kind)
    organisations = session.scalars(query.order_by(Organisation.name)).all()
    segments = segments_at(session, at, [o.ods_code for o in organisations])
    found = [(o, segments.get(o.ods_code)) for o in organisations]
    if search.segment is not None:
        found = [(o, s) for o, s in found if s == search.segment]
    return found


@dataclass(frozen=True, slots=True)
class OpportunitySearch:
    text: str | None = None
    kind: str | None = None
    region_code: str | None = None
    status: str | None = "open"


def find_opportunities(session: Session, search: OpportunitySearch) -> list[Opportunity]:
    """Opportunities matching the search (part of the title, kind, the host's region and
    status), by title. Opportunities are open to every organisation, so none is out of
    anyone's scope."""
    query = select(Opportunity).order_by(Opportunity.title, Opportunity.opportunity_id)
    if search.text:
        query = query.where(func.lower(Opportunity.title).like(f"%{search.text.lower()}%"))
    if search.kind:
        query = query.where(Opportunity.kind == search.kind)
    if search.region_code:
        query = query.join(Organisation, Organisation.ods_code == Opportunity.host_ods_code).where(
            Organisation.region_code == search.region_code
        )
    if search.status:
        query = query.where(Opportunity.status == search.status)
    return list(session.scalars(query))


def board_posts(session: Session, ods_code: str, at: dt.date) -> list[Post]:
    """The organisation's board posts existing at ``at``, executives first, by title."""
    query = (
        select(Post)
        .where(
            Post.ods_code == ods_code,
            Post.level == "board",
            or_(Post.established_from.is_(None), Post.established_from <= at),
            or_(Post.established_to.is_(None), Post.established_to > at),
        )
        .order_by(Post.executive.desc(), Post.title)
    )
    return list(session.scalars(query))


def post_holders(
    session: Session, post_refs: Sequence[int], at: dt.date
) -> dict[int, list[tuple[Person, Appointment]]]:
    """The people whose appointments cover ``at`` in each post."""
    rows = session.execute(
        select(Appointment, Person)
        .join(Person, Person.id == Appointment.person_ref)
        .where(
            Appointment.post_ref.in_(list(post_refs)),
            Appointment.start_date <= at,
            or_(Appointment.end_date.is_(None), Appointment.end_date > at),
        )
        .order_by(Appointment.start_date)
    ).all()
    holders: dict[int, list[tuple[Person, Appointment]]] = {}
    for appointment, person in rows:
        holders.setdefault(appointment.post_ref, []).append((person, appointment))
    return holders


def board_history(session: Session, ods_code: str) -> list[tuple[Appointment, Person, Post]]:
    """Every appointment ever made to the organisation's board posts."""
    rows = session.execute(
        select(Appointment, Person, Post)
        .join(Post, Post.id == Appointment.post_ref)
        .join(Person, Person.id == Appointment.person_ref)
        .where(Post.ods_code == ods_code, Post.level == "board")
        .order_by(Appointment.start_date)
    ).all()
    return [(a, p, post) for a, p, post in rows]


def register_frames_for_posts(
    session: Session, posts: Sequence[Post], appointments: Sequence[Appointment]
) -> RegisterFrames:
    """A register holding only these posts and appointments, for the analysis functions."""
    return RegisterFrames.from_rows(
        posts=[
            {
                "post_ref": p.id,
                "post_id": p.post_id,
                "ods_code": p.ods_code,
                "role_code": p.role_code,
                "title": p.title,
                "level": p.level,
                "executive": p.executive,
                "voting": p.voting,
                "established_from": p.established_from,
                "established_to": p.established_to,
            }
            for p in posts
        ],
        appointments=[
            {
                "appointment_ref": a.id,
                "person_ref": a.person_ref,
                "post_ref": a.post_ref,
                "start_date": a.start_date,
                "end_date": a.end_date,
                "appointment_type": a.appointment_type,
                "end_reason": a.end_reason,
            }
            for a in appointments
        ],
    )


def organisation_names(session: Session) -> dict[str, str]:
    """Every organisation's name by ODS code."""
    rows = session.execute(select(Organisation.ods_code, Organisation.name))
    return {row.ods_code: row.name for row in rows}


def buddy_pairings_of(session: Session, ods_code: str) -> list[tuple[BuddyPairing, str, str]]:
    """The organisation's buddy pairings not declined, newest first, with both names."""
    challenged = aliased(Organisation)
    strong = aliased(Organisation)
    rows = session.execute(
        select(BuddyPairing, challenged.name, strong.name)
        .join(challenged, challenged.ods_code == BuddyPairing.challenged_ods_code)
        .join(strong, strong.ods_code == BuddyPairing.strong_ods_code)
        .where(
            or_(
                BuddyPairing.challenged_ods_code == ods_code,
                BuddyPairing.strong_ods_code == ods_code,
            ),
            BuddyPairing.status != "declined",
        )
        .order_by(BuddyPairing.id.desc())
    ).all()
    return [(pairing, c, s) for pairing, c, s in rows]
