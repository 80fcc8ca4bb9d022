"""The JSON API under /api: bearer tokens, the same scope rules as the pages."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from sqlalchemy import select

from talentboard.db.models import MatchProposal, MatchRun, Opportunity, Person
from talentboard.forecast import ForecastInputError, ScenarioError, forecast_json
from talentboard.forecast.scenario import scenario_from_mapping
from talentboard.outcomes import CROSS_SECTION, PANEL, FitError, UnknownChoiceError
from talentboard.outcomes.contract import outcome_answer
from talentboard.talent import services
from talentboard.web import audit
from talentboard.web.analysis import (
    cached,
    register,
    scoped,
    shown_date,
    stats_json,
    succession_view,
)
from talentboard.web.deps import SessionDep, api_requires
from talentboard.web.permissions import (
    Capability,
    NotFoundError,
    Principal,
    analysis_scope,
    exact_figures,
    narrowed,
    person_filter,
    visible_organisation,
    visible_person,
)
from talentboard.web.presenters.api import organisation_json, person_json
from talentboard.web.presenters.vacancies import shortlist_json
from talentboard.web.queries import (
    OrganisationSearch,
    find_organisations,
    segments_at,
)
from talentboard.web.routes.forecast import scenario_key
from talentboard.web.routes.outcomes import outcome_inputs
from talentboard.web.routes.vacancies import audit_shortlist, visible_shortlist

# What any operation may answer besides its own result: documented so that clients (and
# the schema checks in tests/hardening) know every status code the API gives.
_ERROR = {"application/json": {"schema": {"type": "object", "properties": {"detail": {}}}}}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "A parameter that cannot be used", "content": _ERROR},
    401: {"description": "No token, or a token that is not valid", "content": _ERROR},
    404: {
        "description": "Not found, outside the token holder's scope, or not for their role",
        "content": _ERROR,
    },
}

router = APIRouter(prefix="/api", tags=["api"], responses=ERROR_RESPONSES)

Organisations = Annotated[Principal, Depends(api_requires(Capability.VIEW_ORGANISATIONS))]
Personal = Annotated[Principal, Depends(api_requires(Capability.SIGNED_IN))]
Aggregates = Annotated[Principal, Depends(api_requires(Capability.VIEW_AGGREGATES))]
Succession = Annotated[Principal, Depends(api_requires(Capability.VIEW_PERSONAL))]
Matching = Annotated[Principal, Depends(api_requires(Capability.RUN_MATCHING))]
Outcomes = Annotated[Principal, Depends(api_requires(Capability.VIEW_OUTCOMES))]
AsAt = Annotated[dt.date | None, Query(description="As-at date (default: the data's date).")]


class OutcomeModel(StrEnum):
    ols_hc3 = "ols_hc3"
    panel = "panel"


class Dimension(StrEnum):
    role = "role"
    region = "region"
    org_kind = "org_kind"
    segment = "segment"
    org = "org"


@router.get("/stats", summary="The board stability figures of DESIGN section 5")
def stats(
    request: Request,
    session: SessionDep,
    principal: Aggregates,
    at: AsAt = None,
    by: Annotated[Dimension | None, Query(description="Break the figures down.")] = None,
) -> dict[str, Any]:
    """The same JSON as ``talentboard stats --format json``, for the organisations in the
    token holder's scope; without personal-data access, after disclosure control (a
    withheld figure is null)."""
    as_at = at or shown_date(request, session)
    frames = scoped(register(request, session), analysis_scope(principal))
    return stats_json(frames, as_at, by.value if by else None, exact=exact_figures(principal))


class ForecastBy(StrEnum):
    region = "region"
    org = "org"
    role = "role"
    segment = "segment"


class ForecastLevel(StrEnum):
    board = "board"
    senior = "senior"
    middle = "middle"
    frontline = "frontline"
    all = "all"


Lever = Annotated[float | None, Query(description="A scenario key (docs/forecast.md).")]
API_MAX_REPLICATIONS = 10_000


@router.get("/forecast", summary="Forecast of vacancies, cover and board diversity ahead")
def forecast(
    request: Request,
    session: SessionDep,
    principal: Aggregates,
    at: AsAt = None,
    horizon_months: Annotated[int, Query(ge=1, le=120, description="Months ahead.")] = 36,
    replications: Annotated[
        int, Query(ge=100, le=API_MAX_REPLICATIONS, description="Simulations (100-10,000).")
    ] = 1000,
    seed: Annotated[int, Query(ge=0, description="Random seed.")] = 1,
    by: Annotated[ForecastBy | None, Query(description="Break the figures down.")] = None,
    level: Annotated[ForecastLevel, Query(description="The posts simulated.")] = (
        ForecastLevel.board
    ),
    turnover_multiplier: Lever = None,
    time_to_fill_multiplier: Lever = None,
    talent_pool_growth: Lever = None,
    pool_appointment_share: Lever = None,
    bme_share_external: Lever = None,
    bme_share_appointments: Lever = None,
) -> dict[str, Any]:
    """The same JSON as ``talentboard forecast --format json`` (docs/forecast.md), for the
    posts in the token holder's scope; without personal-data access, after disclosure
    control (a withheld figure is ``"*"``). The scenario is given as its keys."""
    scope = analysis_scope(principal)
    levers = {
        "turnover_multiplier": turnover_multiplier,
        "time_to_fill_multiplier": time_to_fill_multiplier,
        "talent_pool_growth": talent_pool_growth,
        "pool_appointment_share": pool_appointment_share,
        "bme_share_external": bme_share_external,
        "bme_share_appointments": bme_share_appointments,
    }
    given = {key: value for key, value in levers.items() if value is not None}
    as_at = at or shown_date(request, session)
    exact = exact_figures(principal)
    try:
        scenario = scenario_from_mapping({"name": "scenario", **given}) if given else None
        key = ("forecast-api", as_at, horizon_months, replications, seed, by, level, scope)
        return cached(
            request,
            session,
            (*key, exact, scenario_key(scenario)),
            lambda: forecast_json(
                session,
                as_at=as_at,
                horizon_months=horizon_months,
                replications=replications,
                seed=seed,
                scenario=scenario,
                by=by.value if by else None,
                level=level.value,
                region=scope.region_code,
                org=scope.ods_code,
                exact=exact,
            ),
        )
    except (ForecastInputError, ScenarioError) as exc:
        # The messages name the command's options ("--at"): here they are parameters.
        detail = str(exc).replace("--at ", "at=", 1)
        raise HTTPException(status_code=400, detail=detail) from exc


@router.get("/succession", summary="Succession coverage and risk of critical posts")
def succession(
    request: Request,
    session: SessionDep,
    principal: Succession,
    at: AsAt = None,
    org: Annotated[str | None, Query(description="One organisation's ODS code.")] = None,
    region: Annotated[str | None, Query(description="One region's code.")] = None,
) -> dict[str, Any]:
    """The same JSON as ``talentboard succession --format json``, within the holder's scope."""
    scope = narrowed(analysis_scope(principal), org, region)
    as_at = at or shown_date(request, session)
    try:
        view = succession_view(request, session, as_at, scope.ods_code, scope.region_code)
    except services.UnknownScopeError as exc:
        raise NotFoundError from exc
    return view.report.to_json()


@router.get("/matching/proposals", summary="Match proposals for people in scope")
def proposals(
    session: SessionDep,
    principal: Matching,
    status: Annotated[str | None, Query(description="proposed, accepted or declined.")] = None,
) -> dict[str, Any]:
    """Every stored proposal for a person in the token holder's scope, newest run first,
    with its score and reasons."""
    query = (
        select(MatchProposal, MatchRun, Person, Opportunity)
        .join(MatchRun, MatchRun.id == MatchProposal.run_ref)
        .join(Person, Person.id == MatchProposal.person_ref)
        .join(Opportunity, Opportunity.id == MatchProposal.opportunity_ref)
        .where(person_filter(principal))
        .order_by(MatchProposal.run_ref.desc(), MatchProposal.id)
    )
    if status:
        query = query.where(MatchProposal.status == status)
    return {
        "proposals": [
            {
                "proposal": p.id,
                "run": run.id,
                "as_at": run.as_at.isoformat(),
                "person_id": person.person_id,
                "opportunity_id": o.opportunity_id,
                "score": p.score,
                "reasons": list(p.reasons),
                "status": p.status,
                "decided_by": p.decided_by,
            }
            for p, run, person, o in session.execute(query).all()
        ]
    }


@router.get("/posts/{post_id}/shortlist", summary="A post's vacancy shortlist (404 outside scope)")
def post_shortlist(
    post_id: str, request: Request, session: SessionDep, principal: Succession, at: AsAt = None
) -> dict[str, Any]:
    """The ranked candidates for the post with their score, framework fit, breadth and
    reasons, and the ready people left out and why (``talentboard.matching.services.
    shortlist_for_post``). People outside the holder's scope are counted in
    ``shortlist_not_shown`` and ``excluded_not_shown``, not named."""
    as_at = at or shown_date(request, session)
    found, view = visible_shortlist(session, principal, post_id, as_at)
    audit_shortlist(session, request, principal, post_id, view)
    return shortlist_json(found, view)


@router.get("/organisations", summary="Organisations in the token holder's scope")
def organisations(
    request: Request,
    session: SessionDep,
    principal: Organisations,
    q: Annotated[str | None, Query(description="Part of the name or ODS code.")] = None,
    region: Annotated[str | None, Query(description="NHS England region code.")] = None,
    kind: Annotated[str | None, Query(description="Organisation kind.")] = None,
    segment: Annotated[int | None, Query(ge=1, le=5, description="Oversight segment.")] = None,
    at: Annotated[
        dt.date | None, Query(description="As-at date (default: the data's date).")
    ] = None,
) -> dict[str, Any]:
    as_at = at or shown_date(request, session)
    found = find_organisations(
        session, principal, OrganisationSearch(q, region, kind, segment), as_at
    )
    return {
        "as_at": as_at.isoformat(),
        "organisations": [organisation_json(o, s) for o, s in found],
    }


@router.get("/organisations/{ods_code}", summary="One organisation (404 outside scope)")
def organisation(
    request: Request,
    ods_code: str,
    session: SessionDep,
    principal: Organisations,
    at: Annotated[
        dt.date | None, Query(description="As-at date (default: the data's date).")
    ] = None,
) -> dict[str, Any]:
    as_at = at or shown_date(request, session)
    found = visible_organisation(session, principal, ods_code)
    segment = segments_at(session, as_at, [ods_code]).get(ods_code)
    return {"as_at": as_at.isoformat(), **organisation_json(found, segment)}


@router.get("/people/{person_id}", summary="One person's record (404 outside scope)")
def person(
    person_id: str, request: Request, session: SessionDep, principal: Personal
) -> dict[str, Any]:
    found = visible_person(session, principal, person_id)
    body = person_json(session, found)
    audit.by(request, session, principal, "read", "person", person_id, {"via": "api"})
    session.commit()
    return body


@router.get("/outcomes", summary="An outcome indicator fitted on leadership exposures")
def outcomes(
    request: Request,
    session: SessionDep,
    principal: Outcomes,
    indicator: Annotated[str, Query(description="An indicator code, e.g. staff_engagement.")],
    exposure: Annotated[str, Query(description="An exposure name, or all.")],
    at: AsAt = None,
    model: Annotated[OutcomeModel, Query(description="ols_hc3 or panel.")] = OutcomeModel.ols_hc3,
) -> Any:
    """The same JSON as ``talentboard outcomes --format json``, fitted over the
    organisations in the token holder's scope: one object, or a list for ``exposure=all``.
    An unknown indicator or exposure, or too little data to fit, answers 400 with the
    reason."""
    inputs = outcome_inputs(request, session, analysis_scope(principal))
    chosen = PANEL if model is OutcomeModel.panel else CROSS_SECTION
    try:
        return outcome_answer(
            inputs, indicator, exposure, at or shown_date(request, session), chosen
        )
    except (UnknownChoiceError, FitError) as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
