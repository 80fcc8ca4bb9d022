"""Who may see and change what (DESIGN section 8): the one module that decides scope.

Five roles. ``national`` sees every organisation and person and administers the service;
``regional`` sees the organisations of one NHS England region and the people appointed to
them; ``org_admin`` the same for one organisation; ``viewer`` sees aggregates only, after
disclosure control; ``individual`` sees and edits their own record (aspirations and
self-assessment) and the open opportunities.

A person is in a caller's scope when they hold or have held an appointment to a post of an
organisation in that caller's scope, or were added under one of its organisations (by an
import or the "Add a person" form, recorded in ``person_origins``; a regional import adds
under the region), or, for ``individual``, when they are the caller.
Whatever is out of scope answers exactly like a record that does not exist: every refusal
here raises :class:`NotFoundError`, which the application turns into the same 404 page (or JSON)
that a missing record gets.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_, select, true
from sqlalchemy.orm import Session

from talentboard.db.models import (
    Appointment,
    Opportunity,
    Organisation,
    Person,
    PersonOrigin,
    Post,
)
from talentboard.ingest.scope import AddedUnder, ImportScope


class NotFoundError(Exception):
    """The record does not exist, or the caller may not know that it does."""


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in user (or API token holder) a request acts for."""

    user_id: int
    username: str
    role: str
    region_code: str | None = None
    ods_code: str | None = None
    person_ref: int | None = None


class Capability(enum.StrEnum):
    SIGNED_IN = "signed_in"
    VIEW_AGGREGATES = "view_aggregates"
    # Outcome fits are figures across many organisations: not for one organisation's team.
    VIEW_OUTCOMES = "view_outcomes"
    VIEW_ORGANISATIONS = "view_organisations"
    VIEW_PERSONAL = "view_personal"
    VIEW_OWN_RECORD = "view_own_record"
    EDIT_REGISTER = "edit_register"
    EDIT_TALENT = "edit_talent"
    EDIT_OWN_RECORD = "edit_own_record"
    VIEW_OPPORTUNITIES = "view_opportunities"
    MANAGE_OPPORTUNITIES = "manage_opportunities"
    RUN_MATCHING = "run_matching"
    BUDDYING = "buddying"
    RUN_BUDDYING = "run_buddying"
    IMPORT_DATA = "import_data"
    ADMINISTER = "administer"


_C = Capability
_STAFF = frozenset(
    {
        _C.SIGNED_IN,
        _C.VIEW_AGGREGATES,
        _C.VIEW_ORGANISATIONS,
        _C.VIEW_PERSONAL,
        _C.EDIT_REGISTER,
        _C.EDIT_TALENT,
        _C.VIEW_OPPORTUNITIES,
        _C.MANAGE_OPPORTUNITIES,
    }
)

GRANTS: dict[str, frozenset[Capability]] = {
    # Buddying pairs organisations across every region, so only the national team runs it.
    "national": _STAFF
    | {
        _C.RUN_MATCHING,
        _C.BUDDYING,
        _C.RUN_BUDDYING,
        _C.IMPORT_DATA,
        _C.ADMINISTER,
        _C.VIEW_OUTCOMES,
    },
    "regional": _STAFF | {_C.RUN_MATCHING, _C.BUDDYING, _C.IMPORT_DATA, _C.VIEW_OUTCOMES},
    "org_admin": _STAFF | {_C.IMPORT_DATA},
    "viewer": frozenset(
        {_C.SIGNED_IN, _C.VIEW_AGGREGATES, _C.VIEW_ORGANISATIONS, _C.VIEW_OUTCOMES}
    ),
    "individual": frozenset(
        {_C.SIGNED_IN, _C.VIEW_OWN_RECORD, _C.EDIT_OWN_RECORD, _C.VIEW_OPPORTUNITIES}
    ),
}


def can(principal: Principal, capability: Capability) -> bool:
    return capability in GRANTS.get(principal.role, frozenset())


def require(principal: Principal, capability: Capability) -> None:
    """Refuse, as if the page did not exist, when the role lacks ``capability``."""
    if not can(principal, capability):
        raise NotFoundError


def exact_figures(principal: Principal) -> bool:
    """Whether counts are shown exactly; everyone else sees them after disclosure control."""
    return can(principal, Capability.VIEW_PERSONAL)


def organisation_filter(principal: Principal) -> ColumnElement[bool]:
    """The organisations in the caller's scope, as a condition on ``Organisation``."""
    if principal.role == "individual":
        return false()
    if principal.ods_code is not None and principal.role in ("org_admin", "viewer"):
        return Organisation.ods_code == principal.ods_code
    if principal.region_code is not None and principal.role in ("regional", "viewer"):
        return Organisation.region_code == principal.region_code
    if principal.role in ("national", "viewer"):
        return true()
    return false()


def ods_codes_in_scope(session: Session, principal: Principal) -> frozenset[str] | None:
    """The ODS codes in scope, or None for every organisation."""
    condition = organisation_filter(principal)
    if condition.compare(true()):
        return None
    codes = session.scalars(select(Organisation.ods_code).where(condition))
    return frozenset(codes)


def person_filter(principal: Principal) -> ColumnElement[bool]:
    """The people whose personal data the caller may see, as a condition on ``Person``."""
    if can(principal, Capability.VIEW_PERSONAL):
        if principal.role == "national":
            return true()
        appointed_in_scope = (
            select(Appointment.person_ref)
            .join(Post, Post.id == Appointment.post_ref)
            .join(Organisation, Organisation.ods_code == Post.ods_code)
            .where(organisation_filter(principal))
        )
        return or_(Person.id.in_(appointed_in_scope), Person.id.in_(added_in_scope(principal)))
    if can(principal, Capability.VIEW_OWN_RECORD) and principal.person_ref is not None:
        return Person.id == principal.person_ref
    return false()


def added_in_scope(principal: Principal) -> Select[int]:
    """The people added under an organisation in the caller's scope (or, by a regional
    import, under their region): seen by those who added them whether or not an
    appointment places them there yet (``PersonOrigin``)."""
    in_scope = select(Organisation.ods_code).where(organisation_filter(principal))
    added: ColumnElement[bool] = PersonOrigin.ods_code.in_(in_scope)
    if principal.role == "regional" and principal.region_code is not None:
        added = or_(added, PersonOrigin.region_code == principal.region_code)
    return select(PersonOrigin.person_ref).where(added)


def person_in_scope(session: Session, principal: Principal, person_ref: int) -> bool:
    found = session.scalar(
        select(Person.id).where(Person.id == person_ref, person_filter(principal))
    )
    return found is not None


def visible_person(session: Session, principal: Principal, person_id: str) -> Person:
    """The person with external id ``person_id``, if the caller may see them."""
    person = session.scalar(
        select(Person).where(Person.person_id == person_id, person_filter(principal))
    )
    if person is None:
        raise NotFoundError
    return person


def editable_person(session: Session, principal: Principal, person_id: str) -> Person:
    """The person, if the caller may change their register record (details, appointments)."""
    require(principal, Capability.EDIT_REGISTER)
    return visible_person(session, principal, person_id)


def talent_editable_person(session: Session, principal: Principal, person_id: str) -> Person:
    """The person, if the caller may change their talent record (profile, assessments)."""
    person = visible_person(session, principal, person_id)
    if can(principal, Capability.EDIT_TALENT):
        return person
    raise NotFoundError


def own_person(session: Session, principal: Principal, person_id: str) -> Person:
    """The person, if they are the caller and the caller may edit their own record."""
    require(principal, Capability.EDIT_OWN_RECORD)
    person = visible_person(session, principal, person_id)
    if person.id != principal.person_ref:
        raise NotFoundError
    return person


def visible_organisation(session: Session, principal: Principal, ods_code: str) -> Organisation:
    """The organisation, if it is in the caller's scope."""
    require(principal, Capability.VIEW_ORGANISATIONS)
    organisation = session.scalar(
        select(Organisation).where(
            Organisation.ods_code == ods_code, organisation_filter(principal)
        )
    )
    if organisation is None:
        raise NotFoundError
    return organisation


def editable_organisation(session: Session, principal: Principal, ods_code: str) -> Organisation:
    """The organisation, if the caller may change its register (posts and appointments)."""
    require(principal, Capability.EDIT_REGISTER)
    return visible_organisation(session, principal, ods_code)


def opportunity_filter(principal: Principal) -> ColumnElement[bool]:
    """Opportunities the caller sees: everyone may see those open to them to apply for."""
    if not can(principal, Capability.VIEW_OPPORTUNITIES):
        return false()
    return true()


def visible_opportunity(session: Session, principal: Principal, opportunity_id: str) -> Opportunity:
    require(principal, Capability.VIEW_OPPORTUNITIES)
    opportunity = session.scalar(
        select(Opportunity).where(Opportunity.opportunity_id == opportunity_id)
    )
    if opportunity is None:
        raise NotFoundError
    return opportunity


def manageable_opportunity(
    session: Session, principal: Principal, opportunity_id: str
) -> Opportunity:
    """The opportunity, if the caller may change it: its host is in their scope."""
    require(principal, Capability.MANAGE_OPPORTUNITIES)
    opportunity = visible_opportunity(session, principal, opportunity_id)
    if not host_in_scope(session, principal, opportunity.host_ods_code):
        raise NotFoundError
    return opportunity


def host_in_scope(session: Session, principal: Principal, ods_code: str) -> bool:
    """Whether an organisation in the caller's scope may host an opportunity."""
    found = session.scalar(
        select(Organisation.ods_code).where(
            Organisation.ods_code == ods_code, organisation_filter(principal)
        )
    )
    return found is not None


def visible_post(session: Session, principal: Principal, post_id: str) -> Post:
    """The post, if the caller may see personal data about it (its organisation is in scope).

    Who may be named on a page about the post is decided separately, per person, by
    :func:`visible_by_ref`.
    """
    require(principal, Capability.VIEW_PERSONAL)
    post = session.scalar(select(Post).where(Post.post_id == post_id))
    if post is None or not host_in_scope(session, principal, post.ods_code):
        raise NotFoundError
    return post


def visible_by_ref(
    session: Session, principal: Principal, person_refs: list[int]
) -> frozenset[int]:
    """Which of ``person_refs`` the caller may see."""
    if not person_refs:
        return frozenset()
    rows = session.scalars(
        select(Person.id).where(Person.id.in_(person_refs), person_filter(principal))
    )
    return frozenset(rows)


# Organisations and their oversight segments are NHS England's reference data: only the
# national team loads them, so an organisation cannot move itself or rate itself. Indicator
# definitions hold for every organisation, so they are the national team's too.
NATIONAL_IMPORTS = frozenset({"organisations", "performance", "indicator-definitions"})


def data_scope(session: Session, principal: Principal) -> ImportScope | None:
    """The organisations whose rows the caller may import and export (None: every one).

    ``org_admin`` imports and exports its organisation's rows, ``regional`` its region's;
    rows outside are refused on import and left out of exports.
    """
    require(principal, Capability.IMPORT_DATA)
    if principal.role == "national":
        return None
    codes = ods_codes_in_scope(session, principal)
    if codes is None:
        raise NotFoundError
    if principal.role == "org_admin":
        return ImportScope(codes, "organisation", AddedUnder(ods_code=principal.ods_code))
    return ImportScope(codes, "region", AddedUnder(region_code=principal.region_code))


def mapping_owner(principal: Principal) -> str:
    """Whose saved mappings the caller lists, uses and saves: their organisation's
    (``org:<ODS code>``), their region's (``region:<code>``) or the national team's."""
    require(principal, Capability.IMPORT_DATA)
    if principal.role == "national":
        return "national"
    if principal.role == "regional" and principal.region_code:
        return f"region:{principal.region_code}"
    if principal.role == "org_admin" and principal.ods_code:
        return f"org:{principal.ods_code}"
    raise NotFoundError


def may_import(principal: Principal, kind: str) -> bool:
    """Whether the caller may import files of ``kind`` (within their data scope)."""
    return can(principal, Capability.IMPORT_DATA) and (
        principal.role == "national" or kind not in NATIONAL_IMPORTS
    )


RouteGuard = Callable[..., Any]


def capability_of(guard: RouteGuard) -> Capability | None:
    """The capability a route guard made by ``talentboard.web.deps.requires`` checks."""
    value = getattr(guard, "capability", None)
    return value if isinstance(value, Capability) else None


@dataclass(frozen=True, slots=True)
class AnalysisScope:
    """The caller's scope as the analysis services take it (both None: everywhere)."""

    ods_code: str | None = None
    region_code: str | None = None


def analysis_scope(principal: Principal) -> AnalysisScope:
    """Where the caller's figures and lists come from; raises NotFoundError for a role that
    sees no organisation (an individual)."""
    if principal.role == "individual":
        raise NotFoundError
    if principal.ods_code is not None and principal.role in ("org_admin", "viewer"):
        return AnalysisScope(ods_code=principal.ods_code)
    if principal.region_code is not None and principal.role in ("regional", "viewer"):
        return AnalysisScope(region_code=principal.region_code)
    return AnalysisScope()


def narrowed(scope: AnalysisScope, ods_code: str | None, region_code: str | None) -> AnalysisScope:
    """The caller's scope narrowed by filters they chose; a filter outside it is refused."""
    if scope.ods_code is not None:
        if ods_code not in (None, scope.ods_code):
            raise NotFoundError
        return scope
    if scope.region_code is not None and region_code not in (None, scope.region_code):
        raise NotFoundError
    return AnalysisScope(ods_code=ods_code, region_code=region_code or scope.region_code)
