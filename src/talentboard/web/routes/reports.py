"""Reports: the board report for England or a region, as HTML, PDF or Excel.

Every figure in a report has passed disclosure control, so anyone who may see aggregates
may download one; the region is limited to the caller's own.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from talentboard.db.models import Organisation
from talentboard.reports import build_report
from talentboard.reports import render as render_report
from talentboard.reports.outlook import outlook_for
from talentboard.web import audit
from talentboard.web.analysis import cached, register, shown_date
from talentboard.web.deps import SessionDep, requires
from talentboard.web.permissions import (
    AnalysisScope,
    Capability,
    NotFoundError,
    Principal,
    analysis_scope,
    narrowed,
)
from talentboard.web.presenters.formatting import date, region_name
from talentboard.web.presenters.talent import region_options
from talentboard.web.routes.outcomes import demo_loaded, indicators
from talentboard.web.templating import render

router = APIRouter(prefix="/reports", include_in_schema=False)

Reader = Annotated[Principal, Depends(requires(Capability.VIEW_AGGREGATES))]
REPORT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("", response_class=HTMLResponse)
def reports(request: Request, session: SessionDep, principal: Reader) -> Response:
    scope = analysis_scope(principal)
    fixed = scope.region_code
    if scope.ods_code is not None:
        organisation = session.get(Organisation, scope.ods_code)
        fixed = organisation.region_code if organisation else None
    return render(
        request,
        "reports/index.jinja",
        {
            "title": "Reports",
            "as_at": date(shown_date(request, session)),
            "fixed_region": region_name(fixed) if fixed else None,
            "regions": region_options(None),
        },
    )


@router.get("/board.{extension}")
def board_report(
    request: Request,
    extension: str,
    session: SessionDep,
    principal: Reader,
    region: str | None = None,
) -> Response:
    if extension not in FORMATS:
        raise NotFoundError
    scope = analysis_scope(principal)
    if scope.ods_code is not None:
        organisation = session.get(Organisation, scope.ods_code)
        scope = AnalysisScope(region_code=organisation.region_code if organisation else None)
    region_code = narrowed(scope, None, region or None).region_code
    as_at = shown_date(request, session)
    frames = register(request, session)
    found = indicators(request, session)
    demo = demo_loaded(session)
    # The outlook (a forecast and its backtest) takes seconds: kept with the data.
    outlook = cached(
        request,
        session,
        ("outlook", as_at, region_code),
        lambda: outlook_for(session, as_at, region_code=region_code),
    )
    # Building and drawing a national PDF takes a while: no transaction is held open
    # meanwhile (what it needs is read), and the download's audit event is written
    # afterwards in a short transaction of its own, which waits its turn behind other
    # writers (``db.engine``).
    session.commit()
    report = build_report(
        frames, as_at, region_code=region_code, indicators=found, demo=demo, outlook=outlook
    )
    content = render_report(report, extension)
    audit.by(
        request,
        session,
        principal,
        "export",
        "board_report",
        f"board.{extension}",
        {"region": region_code, "as_at": as_at.isoformat()},
    )
    session.commit()
    name = f"board-report-{region_code or 'england'}-{as_at.isoformat()}.{extension}"
    disposition = "inline" if extension == "html" else "attachment"
    return Response(
        content,
        media_type=FORMATS[extension],
        headers={
            "Content-Disposition": f'{disposition}; filename="{name}"',
            # The report is a document with its own inline styles and SVG charts, and no
            # script at all.
            "Content-Security-Policy": REPORT_POLICY,
        },
    )
