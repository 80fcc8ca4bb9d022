"""The reports page and downloads: an area for each scope, an organisation's own report with
its exact figures for those who may see them, and the download's ready signal."""

from __future__ import annotations

import io
import os
import re
from typing import Any

import openpyxl
import pytest
from fastapi import FastAPI
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from talentboard.db.models import Organisation
from talentboard.reports import svg
from talentboard.reports.chart_process import KeptChartProcess
from talentboard.web.routes import reports as reports_route
from tests.web.conftest import ClientFor
from tests.web.test_cache_changes import _alice_leaves_through_the_form
from tests.web.world import World


def _areas(page: str) -> list[str]:
    select = re.search(r'<select[^>]*name="area".*?</select>', page, re.S)
    assert select, "no area choice on the page"
    return re.findall(r'<option value="([^"]+)"', select.group(0))


def _open_organisations(session: Session, region: str | None = None) -> list[str]:
    """The open organisations (of ``region``), by name: the order the page lists them."""
    query = select(Organisation).where(Organisation.closed_on.is_(None))
    if region is not None:
        query = query.where(Organisation.region_code == region)
    ordered = session.scalars(query.order_by(Organisation.name, Organisation.ods_code))
    return [f"org:{o.ods_code}" for o in ordered]


def test_each_role_is_offered_the_areas_it_may_see(
    client_for: ClientFor, world: World, session: Session
) -> None:
    """England and the regions in scope, then each open organisation in scope whose
    exact figures the caller may see (its own report); an organisation administrator has
    their own organisation and its region; a viewer no organisation's own report."""
    national = _areas(client_for("national").get("/reports").text)
    assert national[:8] == ["england", "Y56", "Y58", "Y59", "Y60", "Y61", "Y62", "Y63"]
    assert national[8:] == _open_organisations(session)
    assert "org:R1H" in national
    closed = session.scalars(select(Organisation).where(Organisation.closed_on.is_not(None)))
    assert not {f"org:{o.ods_code}" for o in closed} & set(national)
    regional = _areas(client_for("regional").get("/reports").text)
    assert regional == ["Y56", *_open_organisations(session, "Y56")]
    assert 20 < len(regional) < len(national)
    org_admin = client_for("org_admin").get("/reports").text
    assert _areas(org_admin) == ["org:R1H", "Y56"]
    assert "Barts Health NHS Trust (exact figures" in org_admin
    viewer = _areas(client_for("viewer").get("/reports").text)
    assert viewer[0] == "england"
    assert not [area for area in viewer if area.startswith("org:")]


def test_a_regional_user_has_a_trust_of_their_region_and_no_other(
    client_for: ClientFor, world: World
) -> None:
    """The organisations offered are the ones whose report the download gives them."""
    client = client_for("regional")
    mine = client.get("/reports/board.html", params={"org": "R1H"})
    assert mine.status_code == 200
    assert "Barts Health" in mine.text
    # Leeds Teaching Hospitals is in North East and Yorkshire (Y63), not London.
    assert client.get("/reports/board.html", params={"org": "RR8"}).status_code == 404


def test_the_form_leads_to_the_report_of_the_area_and_format_chosen(
    client_for: ClientFor, world: World
) -> None:
    client = client_for("org_admin")
    token = "0123456789abcdef0123456789abcdef"
    answer = client.get(
        "/reports/download",
        params={"area": "org:R1H", "format": "xlsx", "ready": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/reports/board.xlsx?org=R1H&ready={token}"
    england = client_for("national").get(
        "/reports/download", params={"area": "england", "format": "pdf"}, follow_redirects=False
    )
    assert england.headers["location"] == "/reports/board.pdf"


def test_an_organisation_admin_gets_their_own_trust_with_exact_figures(
    client_for: ClientFor, world: World
) -> None:
    client = client_for("org_admin")
    token = "fedcba9876543210fedcba9876543210"
    response = client.get("/reports/board.xlsx", params={"org": "R1H", "ready": token})
    assert response.status_code == 200
    assert 'filename="board-report-r1h-' in response.headers["content-disposition"]
    assert "no-store" in response.headers["cache-control"]
    # The page that asked is told the file has come: the token it sent, for a minute.
    cookie = response.headers["set-cookie"]
    assert f"report_ready={token}" in cookie
    assert "Max-Age=60" in cookie
    assert "Path=/reports" in cookie
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook["By role"]
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[0]]
    header = next(r for r in rows if "Executive posts" in r)
    posts = header.index("Executive posts")
    by_role = {r[0]: r[posts] for r in rows[rows.index(header) + 1 :]}
    # Barts has two executive posts, one chief executive and one director of finance:
    # exact counts of 1, which a published report would withhold as *.
    assert by_role["Chief executive"] == 1
    assert by_role["Director of finance"] == 1
    page = client.get("/reports/board.html", params={"org": "R1H"})
    assert "Barts Health NHS Trust" in page.text
    assert "own use" in page.text
    # Another trust's exact figures are not theirs: as if it did not exist.
    assert client.get("/reports/board.html", params={"org": "R1K"}).status_code == 404


def test_exact_organisation_reports_follow_the_scope_of_exact_figures(
    client_for: ClientFor, world: World
) -> None:
    regional = client_for("regional")
    assert regional.get("/reports/board.html", params={"org": "R1K"}).status_code == 200
    assert regional.get("/reports/board.html", params={"org": "RA7"}).status_code == 404
    viewer = client_for("viewer")
    assert viewer.get("/reports/board.html", params={"org": "R1H"}).status_code == 404


def test_a_regional_user_downloads_the_regional_pdf(client_for: ClientFor, world: World) -> None:
    client = client_for("regional")
    response = client.get("/reports/board.pdf", params={"region": "Y56"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "London region" in text
    assert "report_ready" not in response.headers.get("set-cookie", "")
    assert client.get("/reports/board.pdf", params={"region": "Y58"}).status_code == 404


def test_a_download_that_cannot_be_answered_gets_the_styled_page(
    client_for: ClientFor, world: World
) -> None:
    client = client_for("regional")
    response = client.get("/reports/board.docx")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert 'class="nhsuk-header' in response.text


def test_a_report_is_drawn_once_while_the_data_is_unchanged(
    client_for: ClientFor,
    world: World,
    as_at: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Everyone asking for the same area's report while the data is unchanged gets the file
    drawn for the first; an edit draws it afresh, with the edit in it."""
    drawn: list[str | None] = []
    real = reports_route.build_report

    def counted(*args: Any, **kwargs: Any) -> Any:
        drawn.append(kwargs.get("ods_code"))
        return real(*args, **kwargs)

    monkeypatch.setattr(reports_route, "build_report", counted)
    barts = client_for("org_admin")
    first = barts.get("/reports/board.html", params={"org": "R1H"})
    assert first.status_code == 200
    # Barts has two executive posts; its chief executive post is held by Alice.
    assert "50.0%" in first.text
    again = client_for("national").get("/reports/board.html", params={"org": "R1H"})
    assert again.content == first.content
    assert drawn == ["R1H"]
    # Another format or area is another file.
    assert barts.get("/reports/board.xlsx", params={"org": "R1H"}).status_code == 200
    assert drawn == ["R1H", "R1H"]

    _alice_leaves_through_the_form(client_for, world)

    after = barts.get("/reports/board.html", params={"org": "R1H"})
    assert drawn == ["R1H", "R1H", "R1H"]
    assert "100.0%" in after.text
    assert after.content != first.content


def _charts_in(html: str) -> int:
    return len(re.findall(r"<svg\b", html))


def test_report_charts_render_in_the_workers_chart_process(
    app: FastAPI, client_for: ClientFor, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server keeps one chart process, which draws every chart (none is rendered in
    the server); one that has stopped is started again."""
    rendered_here: list[object] = []
    monkeypatch.setattr(svg, "render_svg", rendered_here.append)
    kept: KeptChartProcess = app.state.chart_process
    assert kept.current is None, "no process before the first report"
    client = client_for("national")
    assert client.get("/reports/board.xlsx").status_code == 200
    assert kept.current is None, "a workbook has no charts to draw"
    first = client.get("/reports/board.html")
    assert first.status_code == 200
    process = kept.current
    assert process is not None
    assert process.running
    assert process._process is not None
    assert process._process.pid != os.getpid()
    assert _charts_in(first.text) >= 3
    # The process dies: the next report starts another one.
    process._process.kill()
    process._process.wait()
    again = client.get("/reports/board.html", params={"region": "Y56"})
    assert again.status_code == 200
    assert _charts_in(again.text) >= 3
    assert kept.current is not process
    assert kept.current is not None
    assert kept.current.running
    assert rendered_here == []


def test_the_server_ends_its_chart_process_when_it_stops(
    app: FastAPI, client_for: ClientFor, world: World
) -> None:
    kept: KeptChartProcess = app.state.chart_process
    with TestClient(app) as running:
        running.cookies = client_for("national").cookies
        assert running.get("/reports/board.html").status_code == 200
        process = kept.current
        assert process is not None
        assert process.running
    assert not process.running
    assert kept.get() is None
    # Charts are then drawn in the server itself, as before.
    later = client_for("national").get("/reports/board.html", params={"region": "Y56"})
    assert later.status_code == 200
    assert _charts_in(later.text) >= 3
