"""Opportunities (list, create, edit) and matching: run a round, read the proposals with
their reasons, accept or decline them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard.db.models import MatchProposal, MatchRun, Opportunity, Organisation, Person
from talentboard.matching.assignment import InfeasibleAllocationError
from talentboard.matching.services import run_opportunity_match
from talentboard.matching.store import DecisionError, decide_proposal
from talentboard.web import audit
from talentboard.web.analysis import shown_date
from talentboard.web.csrf import FIELD, csrf_token
from talentboard.web.deps import FormDep, SessionDep, client_address, requires
from talentboard.web.editing import STALE_MESSAGE, StaleEditError, parse_version, save_edit
from talentboard.web.forms.base import Field, FormResult, parse_form, raw_from_values
from talentboard.web.forms.opportunities import opportunity_fields
from talentboard.web.forms.pages import form_page
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
from talentboard.web.presenters.formatting import counted, date
from talentboard.web.presenters.opportunities import (
    opportunity_filter_options,
    opportunity_rows,
    opportunity_summary,
    proposal_rows,
)
from talentboard.web.queries import OpportunitySearch, find_opportunities, organisation_names
from talentboard.web.templating import flash, render

router = APIRouter(include_in_schema=False)

Viewer = Annotated[Principal, Depends(requires(Capability.VIEW_OPPORTUNITIES))]
Manager = Annotated[Principal, Depends(requires(Capability.MANAGE_OPPORTUNITIES))]
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
    search = OpportunitySearch(q or None, kind or None, region or None, status or None)
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
        },
    )


def _opportunity_form(
    request: Request,
    title: str,
    action: str,
    fields: tuple[Field, ...],
    raw: dict[str, Any],
    result: FormResult | None = None,
    version: int | None = None,
    status: int = 200,
) -> Response:
    return form_page(
        request,
        title=title,
        action=action,
        fields=fields,
        raw=raw,
        result=result,
        version=version,
        back={"href": "/opportunities", "text": "Back to opportunities"},
        status=status,
    )


def _check_opportunity(session: Session, principal: Principal, result: FormResult) -> None:
    values = result.values
    if values.get("host_ods_code") and not host_in_scope(
        session, principal, values["host_ods_code"]
    ):
        result.errors["host_ods_code"] = "Select an organisation you manage"
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if starts and ends and ends < starts:
        result.errors["ends_on"] = "The end date must be the same as or after the start date"


@router.get("/opportunities/new", response_class=HTMLResponse)
def new_opportunity(request: Request, session: SessionDep, principal: Manager) -> Response:
    fields = opportunity_fields(_hosts(session, principal), new=True)
    return _opportunity_form(
        request,
        "Add an opportunity",
        "/opportunities/new",
        fields,
        raw_from_values(fields, {"capacity": 1, "status": "open"}),
    )


@router.post("/opportunities/new", response_class=HTMLResponse)
def create_opportunity(
    request: Request, session: SessionDep, principal: Manager, form: FormDep
) -> Response:
    fields = opportunity_fields(_hosts(session, principal), new=True)
    result = parse_form(fields, form)
    _check_opportunity(session, principal, result)
    if result.values.get("opportunity_id") and session.scalar(
        select(Opportunity.id).where(Opportunity.opportunity_id == result.values["opportunity_id"])
    ):
        result.errors["opportunity_id"] = (
            "An opportunity with this ID already exists: choose another ID"
        )
    if not result.ok:
        return _opportunity_form(
            request,
            "Add an opportunity",
            "/opportunities/new",
            fields,
            result.raw,
            result,
            status=400,
        )
    opportunity = Opportunity(**result.values)
    session.add(opportunity)
    session.flush()
    audit.record(
        session,
        username=principal.username,
        action="create",
        entity="opportunity",
        key=opportunity.opportunity_id,
        source=client_address(request),
    )
    session.commit()
    return RedirectResponse(f"/opportunities/{opportunity.opportunity_id}", status_code=303)


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
    audit.record(
        session,
        username=principal.username,
        action="list",
        entity=entity,
        source=client_address(request),
        detail={"people": sorted(set(people))},
    )
    session.commit()


def _proposal_head(can_decide: bool) -> list[dict[str, str]]:
    texts = ["Person", "Opportunity", "Score", "Why", "Status"] + (
        ["Decision"] if can_decide else []
    )
    return [{"text": t} for t in texts]


def _opportunity_values(found: Opportunity, fields: tuple[Field, ...]) -> dict[str, Any]:
    return raw_from_values(fields, {f.name: getattr(found, f.name) for f in fields})


@router.get("/opportunities/{opportunity_id}/edit", response_class=HTMLResponse)
def edit_opportunity(
    request: Request, opportunity_id: str, session: SessionDep, principal: Manager
) -> Response:
    found = manageable_opportunity(session, principal, opportunity_id)
    fields = opportunity_fields(_hosts(session, principal), new=False)
    return _opportunity_form(
        request,
        f"Change {found.title}",
        f"/opportunities/{opportunity_id}/edit",
        fields,
        _opportunity_values(found, fields),
        version=found.version,
    )


@router.post("/opportunities/{opportunity_id}/edit", response_class=HTMLResponse)
def save_opportunity(
    request: Request, opportunity_id: str, session: SessionDep, principal: Manager, form: FormDep
) -> Response:
    found = manageable_opportunity(session, principal, opportunity_id)
    fields = opportunity_fields(_hosts(session, principal), new=False)
    action = f"/opportunities/{opportunity_id}/edit"
    result = parse_form(fields, form)
    _check_opportunity(session, principal, result)
    if not result.ok:
        return _opportunity_form(
            request, f"Change {found.title}", action, fields, result.raw, result, found.version, 400
        )
    try:
        save_edit(session, found, parse_version(form.get("version")), result.values)
    except StaleEditError:
        return _opportunity_form(
            request,
            f"Change {found.title}",
            action,
            fields,
            _opportunity_values(found, fields),
            FormResult(errors={"version": STALE_MESSAGE}),
            found.version,
            409,
        )
    audit.record(
        session,
        username=principal.username,
        action="update",
        entity="opportunity",
        key=opportunity_id,
        source=client_address(request),
    )
    session.commit()
    return RedirectResponse(f"/opportunities/{opportunity_id}", status_code=303)


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
        flash(request, f"Matching could not allocate the places: {exc}")
        return RedirectResponse("/matching", status_code=303)
    audit.record(
        session,
        username=principal.username,
        action="run",
        entity="match_run",
        key=str(run_ref),
        source=client_address(request),
        detail={
            "as_at": as_at.isoformat(),
            "region": region,
            "assignments": result.assignments.height,
        },
    )
    session.commit()
    flash(
        request,
        f"Matching proposed {result.assignments.height} placement(s); "
        f"{result.unassigned.height} candidate(s) were not placed.",
    )
    return RedirectResponse("/matching", status_code=303)


@router.post("/matching/proposals/{proposal_id}/decide")
def decide(
    request: Request, proposal_id: int, session: SessionDep, principal: Matcher, form: FormDep
) -> Response:
    proposal = session.get(MatchProposal, proposal_id)
    if proposal is None:
        raise NotFoundError
    person = session.scalar(
        select(Person).where(Person.id == proposal.person_ref, person_filter(principal))
    )
    if person is None:
        raise NotFoundError
    decision = str(form.get("decision", ""))
    try:
        decided = decide_proposal(session, proposal_id, decision, decided_by=principal.username)
    except DecisionError as exc:
        flash(request, f"The decision was not recorded: {exc}.")
        return RedirectResponse("/matching", status_code=303)
    audit.record(
        session,
        username=principal.username,
        action="decide",
        entity="match_proposal",
        key=str(proposal_id),
        source=client_address(request),
        detail={"person": person.person_id, "status": decided.status},
    )
    session.commit()
    flash(request, f"Proposal for {person.given_name} {person.family_name}: {decided.status}.")
    return RedirectResponse("/matching", status_code=303)
