"""The home page: the dashboard of the user's scope (an individual's own record)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from talentboard.db.models import Organisation, Person
from talentboard.web.analysis import cached, dashboard, shown_date
from talentboard.web.deps import SessionDep, requires
from talentboard.web.permissions import (
    Capability,
    Principal,
    analysis_scope,
    can,
    exact_figures,
)
from talentboard.web.presenters.account import scope_description
from talentboard.web.presenters.formatting import date
from talentboard.web.presenters.stats import chart_views, headline_cards
from talentboard.web.templating import fragment, render

router = APIRouter(include_in_schema=False)

SignedIn = Annotated[Principal, Depends(requires(Capability.SIGNED_IN))]


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep, principal: SignedIn) -> Response:
    if not can(principal, Capability.VIEW_AGGREGATES):
        person_id = session.scalar(
            select(Person.person_id).where(Person.id == principal.person_ref)
        )
        if person_id is not None:
            return RedirectResponse(f"/people/{person_id}", status_code=303)
        return render(request, "home/no_record.jinja", {"title": "Your record"})
    scope = analysis_scope(principal)
    as_at = shown_date(request, session)
    organisation = session.get(Organisation, scope.ods_code) if scope.ods_code else None
    view = dashboard(
        request,
        session,
        scope,
        as_at,
        exact=exact_figures(principal),
        organisation_name=organisation.name if organisation else None,
    )
    return render(
        request,
        "home/dashboard.jinja",
        {
            "title": "Dashboard",
            "scope": scope_description(session, principal),
            "as_at": date(as_at),
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
        },
    )
