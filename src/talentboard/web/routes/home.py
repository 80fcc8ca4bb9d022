"""The home page: the dashboard of the user's scope (an individual's own record), as at a
date the user may choose, with the figures by region for the whole of England."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard.db.models import Organisation, Person
from talentboard.forecast import first_record
from talentboard.web.analysis import cached, dashboard, kept_figures_by, register, shown_date
from talentboard.web.deps import SessionDep, requires
from talentboard.web.forms.base import Field, parse_form, raw_from_values, render_fields
from talentboard.web.permissions import (
    AnalysisScope,
    Capability,
    NotFoundError,
    Principal,
    analysis_scope,
    can,
    exact_figures,
    narrowed,
)
from talentboard.web.presenters.account import scope_description
from talentboard.web.presenters.formatting import date, region_name, region_names
from talentboard.web.presenters.stats import (
    BREAKDOWN_SORTS,
    breakdown_head,
    breakdown_rows,
    chart_views,
    headline_cards,
    region_figures,
    sort_regions,
)
from talentboard.web.templating import fragment, render

router = APIRouter(include_in_schema=False)

SignedIn = Annotated[Principal, Depends(requires(Capability.SIGNED_IN))]

AT_FIELD = Field(
    "at",
    "Date the figures are as at",
    kind="date",
    hint="For example, 31 3 2025. Leave it empty for the latest figures.",
)


@dataclass
class ChosenDate:
    """The date asked for (``at=YYYY-MM-DD`` in a link, or the form's day, month and year),
    the date shown and what is wrong with the one asked for."""

    shown: dt.date
    chosen: dt.date | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def _chosen_date(request: Request, session: Session) -> ChosenDate:
    latest = shown_date(request, session)
    params = request.query_params
    linked = params.get("at", "").strip()
    if linked:
        try:
            value: dt.date | None = dt.date.fromisoformat(linked)
        except ValueError:
            return ChosenDate(
                latest,
                raw=raw_from_values((AT_FIELD,), {}),
                error=f"{AT_FIELD.label} must be a real date",
            )
        raw = raw_from_values((AT_FIELD,), {"at": value})
    else:
        result = parse_form((AT_FIELD,), params)
        if not result.ok:
            return ChosenDate(latest, raw=result.raw, error=result.errors["at"])
        value, raw = result.values["at"], result.raw
    if value is None:
        return ChosenDate(latest, raw=raw_from_values((AT_FIELD,), {}))
    first = first_record(register(request, session))
    last = max(dt.date.today(), latest)
    if first is not None and value < first:
        error = (
            f"{AT_FIELD.label} must be on or after {date(first)}, the date of the register's "
            "first record"
        )
    elif value > last:
        error = f"{AT_FIELD.label} must be today or in the past"
    else:
        return ChosenDate(value, value, raw)
    return ChosenDate(latest, raw=raw, error=error)


def _scope(principal: Principal, region: str | None) -> AnalysisScope:
    """The caller's scope, narrowed to the region they chose (an unknown region or one
    outside their scope is not found)."""
    if region and region not in region_names():
        raise NotFoundError
    return narrowed(analysis_scope(principal), None, region or None)


def _by_region(
    request: Request, session: Session, chosen: ChosenDate, exact: bool
) -> dict[str, Any]:
    """The figures by region as ``talentboard stats --by region`` computes them, sorted as
    asked, with links to each region's dashboard at the same date."""
    params = request.query_params
    column = params.get("sort", "")
    column = column if column in BREAKDOWN_SORTS else "region"
    descending = params.get("order") == "descending"
    table = kept_figures_by(request, session, chosen.shown, "region", exact=exact)
    rows = sort_regions(region_figures(table, region_names()), column, descending)
    at = {"at": chosen.chosen.isoformat()} if chosen.chosen else {}
    return {
        "head": breakdown_head(column, descending, at),
        "rows": breakdown_rows(rows, at),
    }


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    session: SessionDep,
    principal: SignedIn,
    region: str | None = None,
) -> Response:
    if not can(principal, Capability.VIEW_AGGREGATES):
        person_id = session.scalar(
            select(Person.person_id).where(Person.id == principal.person_ref)
        )
        if person_id is not None:
            return RedirectResponse(f"/people/{person_id}", status_code=303)
        return render(request, "home/no_record.jinja", {"title": "Your record"})
    scope = _scope(principal, region)
    chosen = _chosen_date(request, session)
    as_at = chosen.shown
    exact = exact_figures(principal)
    organisation = session.get(Organisation, scope.ods_code) if scope.ods_code else None
    view = dashboard(
        request,
        session,
        scope,
        as_at,
        exact=exact,
        organisation_name=organisation.name if organisation else None,
    )
    national = scope == AnalysisScope()
    errors = {"at": chosen.error} if chosen.error else {}
    context = {
        "title": "Dashboard",
        "scope": scope_description(session, principal)
        if scope == analysis_scope(principal)
        else f"Organisations in the {region_name(scope.region_code)} region",
        "region": scope.region_code if scope != analysis_scope(principal) else None,
        "as_at": date(as_at),
        "date_fields": render_fields((AT_FIELD,), {"at": chosen.raw.get("at")}, errors),
        "errors": [{"text": chosen.error, "href": f"#{AT_FIELD.anchor}"}] if chosen.error else [],
        "exact": view.exact,
        "headlines": headline_cards(view.headlines),
        # Each chart with its table alternative depends on the data alone: rendered
        # once while the data is unchanged.
        "charts": cached(
            request,
            session,
            ("charts", scope, as_at, view.exact),
            lambda: [
                fragment("components/chart.jinja", "chart", chart)
                for chart in chart_views(view.charts)
            ],
        ),
        "undrawn_charts": view.undrawn,
        "by_region": _by_region(request, session, chosen, exact) if national else None,
        "back": {
            "href": "/?at=" + chosen.chosen.isoformat() if chosen.chosen else "/",
            "text": "Dashboard for England",
        }
        if scope != analysis_scope(principal)
        else None,
    }
    return render(
        request, "home/dashboard.jinja", context, status_code=400 if chosen.error else 200
    )
