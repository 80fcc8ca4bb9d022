"""The talent pool: members in scope with filters, their group figures and the 3x3 grid."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from talentboard.talent import services
from talentboard.web import audit
from talentboard.web.analysis import pool_filter, shown_date, talent_context, talent_grid
from talentboard.web.deps import SessionDep, requires
from talentboard.web.permissions import Capability, Principal, analysis_scope
from talentboard.web.presenters.formatting import counted, date
from talentboard.web.presenters.talent import (
    figure_rows,
    grid_rows,
    pagination,
    pool_filter_options,
    pool_rows,
)
from talentboard.web.queries import organisation_names
from talentboard.web.templating import render

router = APIRouter(prefix="/talent", include_in_schema=False)

PAGE_SIZE = 50

Reader = Annotated[Principal, Depends(requires(Capability.VIEW_PERSONAL))]


def _chosen(**values: str | None) -> dict[str, tuple[str, ...]]:
    return {name: (value,) for name, value in values.items() if value}


@router.get("", response_class=HTMLResponse)
def talent_pool(
    request: Request,
    session: SessionDep,
    principal: Reader,
    target_role: str | None = None,
    readiness: str | None = None,
    level: str | None = None,
    willing_region: str | None = None,
    programme: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    as_at = shown_date(request, session)
    chosen = _chosen(
        target_role_code=target_role,
        readiness=readiness,
        level=level,
        willing_region=willing_region,
        programme_code=programme,
    )
    context = talent_context(request, session, as_at)
    view = services.talent_pool(context, pool_filter(analysis_scope(principal), **chosen))
    names = organisation_names(session)
    shown = view.members["person_id"].to_list()
    audit.by(
        request,
        session,
        principal,
        "list",
        "talent_pool",
        None,
        {
            "people": shown[:500],
            "count": len(shown),
            "filters": {k: v[0] for k, v in chosen.items()},
        },
    )
    session.commit()
    return render(
        request,
        "talent/pool.jinja",
        {
            "title": "Talent pool",
            "as_at": date(as_at),
            "rows": pool_rows(view.members.slice((page - 1) * PAGE_SIZE, PAGE_SIZE), names),
            "pagination": pagination(request, page, view.members.height, PAGE_SIZE),
            "found": counted(view.members.height, "person", "people"),
            "figures": figure_rows(view.figures),
            "grid": grid_rows(talent_grid(context, view.members)),
            **pool_filter_options(chosen),
        },
    )
