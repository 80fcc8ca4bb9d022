"""The Outcomes page: leadership stability against outcome indicators (aggregates only).

National, regional and viewer roles; the fits are over the organisations in the caller's
scope, and the page names no organisation.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from talentboard.db.models import Setting
from talentboard.frames.outcomes import IndicatorFrames, load_indicators
from talentboard.outcomes import OutcomeInputs, exposure_names
from talentboard.web.analysis import cached, register, scoped, shown_date, where
from talentboard.web.deps import SessionDep, requires
from talentboard.web.permissions import (
    AnalysisScope,
    Capability,
    NotFoundError,
    Principal,
    analysis_scope,
    exact_figures,
)
from talentboard.web.presenters.outcomes import (
    DEFAULT_EXPOSURE,
    DEFAULT_INDICATOR,
    Choice,
    outcomes_view,
)
from talentboard.web.templating import render

router = APIRouter(prefix="/outcomes", include_in_schema=False)

Reader = Annotated[Principal, Depends(requires(Capability.VIEW_OUTCOMES))]


def indicators(request: Request, session: Session) -> IndicatorFrames:
    """The indicator definitions and values, kept while the data is unchanged."""
    return cached(request, session, "indicators", lambda: load_indicators(session))


def outcome_inputs(request: Request, session: Session, scope: AnalysisScope) -> OutcomeInputs:
    """The caller's register and the indicators, kept while the data is unchanged."""
    return cached(
        request,
        session,
        ("outcomes", scope),
        lambda: OutcomeInputs(
            scoped(register(request, session), scope), indicators(request, session)
        ),
    )


def demo_loaded(session: Session) -> bool:
    return session.get(Setting, "demo_as_at") is not None


@router.get("", response_class=HTMLResponse)
def outcomes(
    request: Request,
    session: SessionDep,
    principal: Reader,
    indicator: str = DEFAULT_INDICATOR,
    exposure: str = DEFAULT_EXPOSURE,
) -> Response:
    scope = analysis_scope(principal)
    inputs = outcome_inputs(request, session, scope)
    if indicator not in inputs.indicators.codes() or exposure not in exposure_names():
        raise NotFoundError
    at = shown_date(request, session)
    exact = exact_figures(principal)
    view = cached(
        request,
        session,
        ("outcomes_view", scope, at, indicator, exposure, exact),
        lambda: outcomes_view(
            inputs,
            at,
            Choice(indicator, exposure),
            demo=demo_loaded(session),
            where=where(scope),
            exact=exact,
        ),
    )
    return render(request, "outcomes/index.jinja", view)
