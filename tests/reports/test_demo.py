"""The national demo report, rendered once: figures, disclosure and the PDF's pages.

Generating the national demo takes seconds, so it is done once, on SQLite (the report is
built from frames, so the backend does not change it; test_report.py covers both).
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from talentboard.demo import DEMO_AS_AT, generate_demo
from talentboard.frames import load_register
from talentboard.reports import build_report, render
from talentboard.reports.model import SUPPRESSED, Report
from talentboard.stability.board import figures_frame
from tests.reports.test_chart_schema import assert_valid_vega_lite
from tests.reports.test_pdf import SECTIONS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(sqlite_engine: Engine) -> Iterator[tuple[Report, dict[str, object]]]:
    connection = sqlite_engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        generate_demo(session, "national", seed=1)
        frames = load_register(session)
        exact = figures_frame(frames, DEMO_AS_AT).row(0, named=True)
        yield build_report(frames, DEMO_AS_AT), exact
    finally:
        session.close()
        outer.rollback()
        connection.close()


def test_demo_headlines_are_the_national_figures(demo: tuple[Report, dict[str, object]]) -> None:
    report, exact = demo
    heads = {h.metric: h for h in report.headlines()}
    for metric in (
        "orgs_with_exec_vacancy_share",
        "exec_vacancy_rate",
        "interim_cover_share",
        "median_tenure_years",
        "appointed_within_3y_share",
        "bme_share_board_voting",
        "wres9_gap_pp",
    ):
        # Sums may be added in another order: equal to the last few bits.
        assert heads[metric].value == pytest.approx(exact[metric], rel=1e-12), metric
    assert heads["orgs_with_exec_vacancy_share"].sentence.startswith(
        "4 in 10 organisations in England"
    )


def test_every_demo_chart_is_valid_vega_lite(demo: tuple[Report, dict[str, object]]) -> None:
    report, _ = demo
    assert len(report.charts()) == 8
    for chart in report.charts():
        assert_valid_vega_lite(chart)


def test_demo_report_renders_in_all_formats(demo: tuple[Report, dict[str, object]]) -> None:
    report, _ = demo
    html = render(report, "html").decode("utf-8")
    assert html.count("<svg") == len(report.charts())
    # Organisation-level figures rest on small teams: the workbook's hotspots withhold
    # some; a column withheld for all 20 on the page is left out there, with a note.
    hotspots = next(t for s in report.sections for t in s.tables if t.name == "hotspots")
    assert len(hotspots.rows) == 20
    assert "exec_vacancy_rate" not in [c.key for c in hotspots.columns]
    assert any("left out" in note for note in hotspots.notes)
    every = next(t for t in report.workbook if t.name == "hotspots_all")
    assert SUPPRESSED in every.column("exec_vacancy_rate")

    pdf = PdfReader(io.BytesIO(render(report, "pdf")))
    assert len(pdf.pages) >= 12
    second_level = pdf.outline[1]
    assert isinstance(second_level, list)
    assert [i.title for i in second_level if not isinstance(i, list)] == SECTIONS

    workbook = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))
    assert workbook["Hotspots"].max_row > 200  # every trust with executive posts
