"""Opportunities (list, create, edit) and matching: run a round, read the proposals with
their reasons, accept or decline them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard.db.models import MatchProposal, MatchRun, Opportunity, Organisation, Person
from talentboard.matching.assignment import InfeasibleAllocationError
from talentboard.matching.services import run_opportunity_match
from talentboard.matching.store import decide_proposal
from talentboard.web import audit
from talentboard.web.analysis import shown_date
from talentboard.web.csrf import FIELD, csrf_token
from talentboard.web.deps import SessionDep, requires
from talentboard.web.forms.base import FormResult
from talentboard.web.forms.opportunities import opportunity_fields
from talentboard.web.permissions import (
    Capability,
    NotFoundError,
    Principal,
    analysis_scope,
    can,
    host_in_scope,
    manageable_opportunity,
    organisation_filter,
    person_filter,
    visible_opportunity,
)
from talentboard.web.presenters.formatting import counted, date, region_name
from talentboard.web.presenters.opportunities import (
    opportunity_filter_options,
    opportunity_rows,
    opportunity_summary,
    proposal_rows,
)
from talentboard.web.queries import OpportunitySearch, find_opportunities, organisation_names
from talentboard.web.records import (
    AuditEntry,
    DecisionKind,
    Edit,
    Imported,
    Page,
    RecordKind,
    acted,
    mount,
    mount_decision,
)
from talentboard.web.templating import render, told

router = APIRouter(include_in_schema=False)

Viewer = Annotated[Principal, Depends(requires(Capability.VIEW_OPPORTUNITIES))]
Matcher = Annotated[Principal, Depends(requires(Capability.RUN_MATCHING))]
PROPOSALS_SHOWN = 100


def _hosts(session: Session, principal: Principal) -> tuple[tuple[str, str], ...]:
    rows = session.execute(
        select(Organisation.ods_code, Organisation.name)
        .where(organisation_filter(principal))
        .order_by(Organisation.name)
    )
    return tuple((row.ods_code, f"{row.name} ({row.ods_code})") for row in rows)


@router.get("/opportunities", response_class=HTMLResponse)
def opportunities(
    request: Request,
    session: SessionDep,
    principal: Viewer,
    q: str | None = None,
    kind: str | None = None,
    region: str | None = None,
    status: str | None = "open",
) -> Response:
    own = _own_region(session, principal)
    # No region asked for: the caller's own region first; "Any region" asks for "" instead.
    chosen = own if region is None else region or None
    search = OpportunitySearch(q or None, kind or None, chosen, status or None)
    found = find_opportunities(session, search)
    return render(
        request,
        "opportunities/index.jinja",
        {
            "title": "Opportunities",
            "rows": opportunity_rows(found, organisation_names(session)),
            "found": counted(len(found), "opportunity", "opportunities"),
            "q": q or "",
            **opportunity_filter_options(search.kind, search.region_code, search.status),
            "can_manage": can(principal, Capability.MANAGE_OPPORTUNITIES),
            "can_match": can(principal, Capability.RUN_MATCHING),
            "can_shortlist": can(principal, Capability.VIEW_PERSONAL),
            "own_region": region_name(own) if own and chosen == own else None,
        },
    )


def _own_region(session: Session, principal: Principal) -> str | None:
    """The region of the caller's scope: theirs, or their organisation's (None for
    national users and individuals, who see every region by default)."""
    if principal.region_code:
        return principal.region_code
    if principal.ods_code:
        organisation = session.get(Organisation, principal.ods_code)
        return organisation.region_code if organisation else None
    return None


def _check_opportunity(edit: Edit, result: FormResult) -> None:
    """The host is an organisation the editor manages; a new opportunity's ID is new."""
    values = result.values
    if values.get("host_ods_code") and not host_in_scope(
        edit.session, edit.principal, values["host_ods_code"]
    ):
        result.errors["host_ods_code"] = "Select an organisation you manage"
    if (
        edit.record is None
        and values.get("opportunity_id")
        and edit.session.scalar(
            select(Opportunity.id).where(Opportunity.opportunity_id == values["opportunity_id"])
        )
    ):
        result.errors["opportunity_id"] = (
            "An opportunity with this ID already exists: choose another ID"
        )


def _as_row(edit: Edit, values: dict[str, Any]) -> dict[str, Any]:
    """A changed opportunity keeps its ID, which its form does not show."""
    known = {"opportunity_id": edit.record.opportunity_id} if edit.record is not None else {}
    return known | values


OPPORTUNITY = RecordKind[Opportunity](
    noun="opportunity",
    capability=Capability.MANAGE_OPPORTUNITIES,
    new_path="/opportunities/new",
    edit_path="/opportunities/{opportunity_id}/edit",
    find=lambda edit: manageable_opportunity(
        edit.session, edit.principal, edit.path["opportunity_id"]
    ),
    fields=lambda edit: opportunity_fields(
        _hosts(edit.session, edit.principal), new=edit.record is None
    ),
    initial=lambda edit: {"capacity": 1, "status": "open"},
    page=lambda edit: Page(
        title="Add an opportunity" if edit.record is None else f"Change {edit.record.title}",
        back={"href": "/opportunities", "text": "Back to opportunities"},
    ),
    check=_check_opportunity,
    imported=Imported("opportunities", lambda edit, values: [_as_row(edit, values)]),
    create=lambda edit, values: edit.add(Opportunity(**values)),
    audit=lambda edit, action, found: AuditEntry("opportunity", found.opportunity_id),
    done=lambda edit, found: f"/opportunities/{found.opportunity_id}",
)
mount(router, OPPORTUNITY)


@router.get("/opportunities/{opportunity_id}", response_class=HTMLResponse)
def opportunity(
    request: Request, opportunity_id: str, session: SessionDep, principal: Viewer
) -> Response:
    found = visible_opportunity(session, principal, opportunity_id)
    host = session.get(Organisation, found.host_ods_code)
    rows = session.execute(
        select(MatchProposal, Person, Opportunity)
        .join(Person, Person.id == MatchProposal.person_ref)
        .join(Opportunity, Opportunity.id == MatchProposal.opportunity_ref)
        .where(MatchProposal.opportunity_ref == found.id, person_filter(principal))
        .order_by(MatchProposal.id.desc())
    ).all()
    can_decide = can(principal, Capability.RUN_MATCHING)
    _audit_list(
        session, request, principal, "opportunity_proposals", [p.person_id for _, p, _ in rows]
    )
    return render(
        request,
        "opportunities/opportunity.jinja",
        {
            "title": found.title,
            "opportunity": found,
            "summary": opportunity_summary(found, host.name if host else found.host_ods_code),
            "can_edit": can(principal, Capability.MANAGE_OPPORTUNITIES)
            and host_in_scope(session, principal, found.host_ods_code),
            "proposals": proposal_rows(
                [(p, person, o) for p, person, o in rows], FIELD, csrf_token(request), can_decide
            ),
            "proposal_head": _proposal_head(can_decide),
            "back": {"href": "/opportunities", "text": "Back to opportunities"},
        },
    )


def _audit_list(
    session: Session, request: Request, principal: Principal, entity: str, people: list[str]
) -> None:
    """A list showing people is a read of each of their records."""
    if not people:
        return
    audit.by(request, session, principal, "list", entity, None, {"people": sorted(set(people))})
    session.commit()


def _proposal_head(can_decide: bool) -> list[dict[str, str]]:
    texts = ["Person", "Opportunity", "Score", "Why", "Status"] + (
        ["Decision"] if can_decide else []
    )
    return [{"text": t} for t in texts]


@router.get("/matching", response_class=HTMLResponse)
def matching(request: Request, session: SessionDep, principal: Matcher) -> Response:
    run = session.scalar(
        select(MatchRun).where(MatchRun.kind == "opportunities").order_by(MatchRun.id.desc())
    )
    rows = session.execute(
        select(MatchProposal, Person, Opportunity)
        .join(Person, Person.id == MatchProposal.person_ref)
        .join(Opportunity, Opportunity.id == MatchProposal.opportunity_ref)
        .where(person_filter(principal))
        .order_by(MatchProposal.run_ref.desc(), MatchProposal.score.desc(), MatchProposal.id)
        .limit(PROPOSALS_SHOWN)
    ).all()
    _audit_list(session, request, principal, "match_proposals", [p.person_id for _, p, _ in rows])
    return render(
        request,
        "opportunities/matching.jinja",
        {
            "title": "Matching",
            "as_at": date(shown_date(request, session)),
            "latest": (
                f"The latest round ran on {date(run.created_at)} for {date(run.as_at)}"
                f"{' by ' + run.created_by if run.created_by else ''}."
                if run
                else "Matching has not been run yet."
            ),
            "proposals": proposal_rows(
                [(p, person, o) for p, person, o in rows], FIELD, csrf_token(request), True
            ),
            "proposal_head": _proposal_head(True),
            "limit": PROPOSALS_SHOWN,
        },
    )


@router.post("/matching/run")
def run_matching(request: Request, session: SessionDep, principal: Matcher) -> Response:
    as_at = shown_date(request, session)
    region = analysis_scope(principal).region_code
    try:
        result, run_ref = run_opportunity_match(
            session, as_at, region=region, created_by=principal.username
        )
    except InfeasibleAllocationError as exc:
        return told(request, f"Matching could not allocate the places: {exc}", "/matching")
    detail = {
        "as_at": as_at.isoformat(),
        "region": region,
        "assignments": result.assignments.height,
    }
    return acted(
        request,
        session,
        principal,
        ("run", AuditEntry("match_run", str(run_ref), detail)),
        f"Matching proposed {result.assignments.height} placement(s); "
        f"{result.unassigned.height} candidate(s) were not placed.",
        "/matching",
    )


def _proposal(edit: Edit) -> MatchProposal:
    """The proposal, if the person it proposes is in the caller's scope."""
    proposal = edit.session.get(MatchProposal, edit.path["proposal_id"])
    if proposal is None:
        raise NotFoundError
    person = edit.session.scalar(
        select(Person).where(Person.id == proposal.person_ref, person_filter(edit.principal))
    )
    if person is None:
        raise NotFoundError
    edit.found["person"] = person
    return proposal


def _told_decision(person: Person, decided: MatchProposal) -> str:
    return f"Proposal for {person.given_name} {person.family_name}: {decided.status}."


PROPOSAL_DECISION = DecisionKind[MatchProposal](
    noun="match proposal",
    capability=Capability.RUN_MATCHING,
    path="/matching/proposals/{proposal_id}/decide",
    back="/matching",
    entity="match_proposal",
    find=_proposal,
    decide=decide_proposal,
    detail=lambda edit, decided: {
        "person": edit.found["person"].person_id,
        "status": decided.status,
    },
    told=lambda edit, decided: _told_decision(edit.found["person"], decided),
)
mount_decision(router, PROPOSAL_DECISION)
