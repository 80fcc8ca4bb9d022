"""Reports: the board report for England, a region or one organisation, as HTML, PDF or
Excel.

A report for England or a region has passed disclosure control, so anyone who may see
aggregates may download one; the region is limited to the caller's own. A report for one
organisation has its exact figures, so only people who see that organisation's exact
figures (docs/access.md: ``national``, its region's ``regional`` users, its ``org_admin``)
may have it.

A download that takes a while says so: the form's button reads "Preparing your report…"
(``static/app/download.js``) until the response sets the ``report_ready`` cookie to the
token the form sent; without script, the page's note says what to expect. A failure
answers the service's error page with its reference (``web.failures``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from talentboard.db.models import Organisation
from talentboard.reference import regions
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
    exact_figures,
    narrowed,
    organisation_filter,
)
from talentboard.web.presenters.formatting import date
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
FORMAT_LABELS = {
    "html": "Web page",
    "pdf": "PDF",
    "xlsx": "Excel workbook",
}
READY_COOKIE = "report_ready"
_TOKEN = re.compile(r"[0-9a-f]{16,64}")
ENGLAND = "england"


def _own_organisation(session: SessionDep, principal: Principal) -> Organisation | None:
    """The organisation whose exact figures the caller may have a report of, when the
    caller's scope is one organisation."""
    scope = analysis_scope(principal)
    if scope.ods_code is None or not exact_figures(principal):
        return None
    return session.get(Organisation, scope.ods_code)


def _areas(session: SessionDep, principal: Principal) -> list[dict[str, Any]]:
    """The areas the caller may have a report for, as select items (value, text)."""
    scope = analysis_scope(principal)
    items: list[dict[str, Any]] = []
    organisation = _own_organisation(session, principal)
    if organisation is not None:
        items.append(
            {
                "value": f"org:{organisation.ods_code}",
                "text": f"{organisation.name} (exact figures, for your organisation's use)",
            }
        )
    region = scope.region_code
    if scope.ods_code is not None:
        found = session.get(Organisation, scope.ods_code)
        region = found.region_code if found else None
        if region is None:
            return items
    if region is None and scope.ods_code is None:
        items.append({"value": ENGLAND, "text": "England"})
    for r in regions():
        if region in (None, r.code):
            items.append({"value": r.code, "text": f"{r.name} region"})
    if scope.ods_code is None and exact_figures(principal):
        # National and regional users may also have any open organisation's own report
        # in their scope (docs/access.md), as its administrator may.
        for found in session.scalars(
            select(Organisation)
            .where(organisation_filter(principal), Organisation.closed_on.is_(None))
            .order_by(Organisation.name, Organisation.ods_code)
        ):
            items.append(
                {
                    "value": f"org:{found.ods_code}",
                    "text": f"{found.name} (exact figures, for the organisation's own use)",
                }
            )
    return items


@router.get("", response_class=HTMLResponse)
def reports(request: Request, session: SessionDep, principal: Reader) -> Response:
    areas = _areas(session, principal)
    return render(
        request,
        "reports/index.jinja",
        {
            "title": "Reports",
            "as_at": date(shown_date(request, session)),
            "areas": areas,
            "formats": [{"value": k, "text": v} for k, v in FORMAT_LABELS.items()],
        },
    )


@router.get("/download")
def download(
    principal: Reader,
    area: str = ENGLAND,
    format: str = "pdf",
    ready: str | None = None,
) -> Response:
    """The form's answer: the report's own address, for the area and format chosen."""
    if format not in FORMATS:
        raise NotFoundError
    query: dict[str, str] = {}
    if area.startswith("org:"):
        query["org"] = area.removeprefix("org:")
    elif area != ENGLAND:
        query["region"] = area
    if ready is not None and _TOKEN.fullmatch(ready):
        query["ready"] = ready
    target = f"/reports/board.{format}" + (f"?{urlencode(query)}" if query else "")
    return RedirectResponse(target, status_code=303)


def _report_scope(
    session: SessionDep, principal: Principal, region: str | None, org: str | None
) -> tuple[str | None, str | None]:
    """(region code, ODS code) of the report asked for, within the caller's scope."""
    scope = analysis_scope(principal)
    if org:
        organisation = session.get(Organisation, org)
        if organisation is None or not exact_figures(principal):
            raise NotFoundError
        if scope.ods_code not in (None, organisation.ods_code):
            raise NotFoundError
        if scope.region_code not in (None, organisation.region_code):
            raise NotFoundError
        return None, organisation.ods_code
    if scope.ods_code is not None:
        organisation = session.get(Organisation, scope.ods_code)
        scope = AnalysisScope(region_code=organisation.region_code if organisation else None)
    return narrowed(scope, None, region or None).region_code, None


@router.get("/board.{extension}")
def board_report(
    request: Request,
    extension: str,
    session: SessionDep,
    principal: Reader,
    region: str | None = None,
    org: str | None = None,
    ready: str | None = None,
) -> Response:
    if extension not in FORMATS:
        raise NotFoundError
    region_code, ods_code = _report_scope(session, principal, region, org)
    as_at = shown_date(request, session)
    frames = register(request, session)
    found = indicators(request, session)
    demo = demo_loaded(session)
    # The outlook (a forecast and its backtest) takes seconds: kept with the data. It is
    # forecast for England or a region, not for one organisation.
    outlook = (
        None
        if ods_code is not None
        else cached(
            request,
            session,
            ("outlook", as_at, region_code),
            lambda: outlook_for(session, as_at, region_code=region_code),
        )
    )
    # Building and drawing a national PDF takes a while: no transaction is held open
    # meanwhile (what it needs is read), and the download's audit event is written
    # afterwards in a short transaction of its own, which waits its turn behind other
    # writers (``db.engine``).
    session.commit()

    def draw() -> bytes:
        report = build_report(
            frames,
            as_at,
            region_code=region_code,
            ods_code=ods_code,
            indicators=found,
            demo=demo,
            outlook=outlook,
        )
        # The charts render in the worker's chart process (``reports.chart_process``),
        # so that this worker's other requests are not held up meanwhile.
        charts = request.app.state.chart_process.get() if extension != "xlsx" else None
        return render_report(report, extension, charts)

    # The file depends on the area, the date and the data alone (nothing of the caller's,
    # whose right to it was checked above), so it is kept with the data: the board pack a
    # dozen people download drawn once, and a second click while it is drawn waits for
    # that drawing rather than starting another. Any change to the data draws it afresh.
    content = cached(
        request, session, ("board_report", extension, as_at, region_code, ods_code), draw
    )
    audit.by(
        request,
        session,
        principal,
        "export",
        "board_report",
        f"board.{extension}",
        {"region": region_code, "org": ods_code, "as_at": as_at.isoformat()},
    )
    session.commit()
    area = ods_code or region_code or "england"
    name = f"board-report-{area.lower()}-{as_at.isoformat()}.{extension}"
    disposition = "inline" if extension == "html" else "attachment"
    response = Response(
        content,
        media_type=FORMATS[extension],
        headers={
            "Content-Disposition": f'{disposition}; filename="{name}"',
            # The report is a document with its own inline styles and SVG charts, and no
            # script at all.
            "Content-Security-Policy": REPORT_POLICY,
        },
    )
    if ready is not None and _TOKEN.fullmatch(ready):
        # Tells the page that asked (download.js) that the file has arrived; it holds
        # only the random token the page made, and lasts a minute.
        response.set_cookie(
            READY_COOKIE,
            ready,
            max_age=60,
            path="/reports",
            samesite="strict",
            secure=request.url.scheme == "https",
        )
    return response
