"""The report built from the hand-built register of registers.py, through the database.

Figures are checked against the stability functions on the same register, and the
disclosure outcomes against the counts worked out in registers.py.
"""

from __future__ import annotations

import io
import re

import openpyxl
import polars as pl
import pytest
from sqlalchemy.orm import Session

from talentboard.frames import RegisterFrames
from talentboard.reports import build_report, render
from talentboard.reports.exits import COMBINED
from talentboard.reports.methods import CONVENTIONS, DEFINITIONS
from talentboard.reports.model import SUPPRESSED
from talentboard.reports.presenters import format_cell
from talentboard.reports.xlsx import HEADER_ROW
from talentboard.stability.board import figures_frame
from talentboard.stability.groups import prepare_board
from tests.reports.registers import T, report_register


@pytest.fixture
def frames(session: Session) -> RegisterFrames:
    return report_register().save(session)


def _exact(frames: RegisterFrames, by: str | None = None) -> pl.DataFrame:
    return figures_frame(prepare_board(frames), T, by=by)


def test_headline_figures_are_the_stability_figures_published(frames: RegisterFrames) -> None:
    report = build_report(frames, T)
    exact = _exact(frames).row(0, named=True)
    heads = {h.metric: h for h in report.headlines()}
    vacancy = heads["exec_vacancy_rate"]
    assert vacancy.value == exact["exec_vacancy_rate"] == 9 / 48
    assert (vacancy.numerator, vacancy.denominator) == (10, 50)  # 9 and 48, rounded to 5
    orgs = heads["orgs_with_exec_vacancy_share"]
    assert orgs.value == exact["orgs_with_exec_vacancy_share"] == 0.75
    # 0.75 exact, published as 10 of 10: the sentence says the counts are rounded and the
    # share exact, so "8 in 10" beside "10 of 10" reads right.
    assert orgs.sentence == (
        "8 in 10 organisations in England have at least one executive director post "
        "without a substantive holder (10 of 10, counts rounded to the nearest 5; the share "
        "is worked from the exact counts)."
    )
    assert vacancy.sentence.endswith(
        "(10 of 50 posts, counts rounded to the nearest 5; the share is worked from the exact "
        "counts)."
    )
    for metric in ("median_tenure_years", "bme_share_board_voting", "turnover_rate_12m"):
        assert heads[metric].value == pytest.approx(exact[metric], rel=1e-12)
    # 3 posts under interim cover and 2 forced exits: small counts, withheld with their shares.
    interim = heads["interim_cover_share"]
    assert (interim.value, interim.numerator) == (SUPPRESSED, SUPPRESSED)
    assert interim.sentence.startswith("Withheld")
    forced = heads["forced_exit_share_12m"]
    assert (forced.value, forced.numerator, forced.denominator) == (SUPPRESSED, SUPPRESSED, 15)
    assert report.scope == "England"


def test_a_regional_report_covers_the_region_only(frames: RegisterFrames) -> None:
    report = build_report(frames, T, region_code="Y56")
    london = _exact(frames, by="region").filter(pl.col("group") == "Y56").row(0, named=True)
    heads = {h.metric: h for h in report.headlines()}
    for metric in ("exec_vacancy_rate", "orgs_with_exec_vacancy_share", "median_tenure_years"):
        assert heads[metric].value == pytest.approx(london[metric], rel=1e-12)
    assert heads["exec_vacancy_rate"].value == 9 / 40
    assert heads["orgs_with_exec_vacancy_share"].sentence.startswith(
        "9 in 10 organisations in the London region"
    )
    assert report.scope == "London region"
    by_group = {t.sheet: t for t in report.workbook}["By organisation kind"]
    assert by_group.column("label") == ("Acute",)


def test_html_report_shows_figures_disclosure_and_methods(frames: RegisterFrames) -> None:
    report = build_report(frames, T)
    html = render(report, "html").decode("utf-8")
    exact = _exact(frames).row(0, named=True)
    for metric, kind in (
        ("orgs_with_exec_vacancy_share", "share"),
        ("exec_vacancy_rate", "share"),
        ("bme_share_board_voting", "share"),
        ("turnover_rate_12m", "share"),
    ):
        assert _headline_value(html, metric) == format_cell(exact[metric], kind)
    assert _headline_value(html, "median_tenure_years") == (
        f"{exact['median_tenure_years']:.1f} years"
    )
    assert _headline_value(html, "interim_cover_share") == "*"
    assert _headline_value(html, "forced_exit_share_12m") == "*"
    assert "18.8%" in html  # 9 / 48
    for definition in (*CONVENTIONS, *DEFINITIONS):
        assert f'id="def-{definition.name}"' in html
    assert 'id="methods-heading">Appendix A: methods and definitions</h2>' in html
    # The by-role table withholds the chief operating officers' interim count (3).
    table = re.search(r'<table id="by_role">(.*?)</table>', html, re.S)
    assert table is not None
    row = re.search(r'<th scope="row">Chief operating officer</th>(.*?)</tr>', table.group(1), re.S)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    assert [re.sub(r"<[^>]+>", "", c).strip() for c in cells[:4]] == ["10", "10", "75.0%", "*"]


def _headline_value(html: str, metric: str) -> str:
    found = re.search(rf'id="headline-{metric}">.*?<p class="headline-value">(.*?)</p>', html, re.S)
    assert found is not None, metric
    return found.group(1).strip()


def test_xlsx_report_has_a_sheet_per_table_with_typed_values(frames: RegisterFrames) -> None:
    report = build_report(frames, T)
    workbook = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))
    assert workbook.sheetnames == [
        "Headline figures",
        "By role",
        "By region",
        "By segment",
        "Hotspots",
        "Series",
        "Time to fill",
        "Exit reasons",
        "Forced exits",
        "Methods",
    ]
    exact = _exact(frames).row(0, named=True)
    headlines = {
        row[1].value: row for row in workbook["Headline figures"].iter_rows(min_row=HEADER_ROW + 1)
    }
    vacancy = headlines["exec_vacancy_rate"]
    assert [c.value for c in vacancy[2:5]] == [exact["exec_vacancy_rate"], 10, 50]
    assert vacancy[2].number_format == "0.0%"
    assert [c.value for c in headlines["interim_cover_share"][2:4]] == ["*", "*"]
    assert headlines["median_tenure_years"][2].value == exact["median_tenure_years"]

    by_role = _sheet_records(workbook["By role"])
    role_exact = _exact(frames, by="role").filter(pl.col("group") == "operations_director")
    coo = by_role["Chief operating officer"]
    assert coo["Executive posts"] == 10  # 12, rounded
    assert coo["Vacant executive posts"] == 10  # 9, rounded
    assert coo["Executive vacancy rate"] == role_exact["exec_vacancy_rate"][0] == 0.75
    assert coo["Posts under interim cover"] == "*"
    assert coo["Interim cover share"] == "*"

    by_region = _sheet_records(workbook["By region"])
    assert set(by_region) == {"London", "North West"}
    assert by_region["North West"]["Vacant executive posts"] == 0
    methods = [row[0].value for row in workbook["Methods"].iter_rows(min_row=HEADER_ROW + 1)]
    assert methods == [d.name for d in (*CONVENTIONS, *DEFINITIONS)]


def _sheet_records(sheet: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, dict[str, object]]:
    rows = list(sheet.iter_rows(min_row=HEADER_ROW, values_only=True))
    header = [str(h) for h in rows[0]]
    return {str(row[0]): dict(zip(header, row, strict=True)) for row in rows[1:]}


def test_every_table_cell_is_published(frames: RegisterFrames) -> None:
    """No count from 1 to 7 reaches any table of the report or workbook.

    The exit chart's combined segment is no count of people but the published total of its
    period less the counts published beside it (checked here), so it is left out."""
    report = build_report(frames, T)
    tables = [*report.workbook, *(c.table for c in report.charts())]
    tables += [t for s in report.sections for t in s.tables]
    exits = next(c.table for c in report.charts() if c.name == "exit_reasons")
    forced = next(t for t in tables if t.name == "forced_exits")
    for (period, *counts), (_, ended, *_) in zip(exits.rows, forced.rows, strict=True):
        *reasons, combined = counts
        assert combined == ended - sum(c for c in reasons if isinstance(c, int)), period
    for table in tables:
        for column in table.columns:
            if column.kind != "count" or column.key == "rank":
                continue
            if table is exits and column.label == COMBINED:
                continue
            for value in table.column(column.key):
                assert value is SUPPRESSED or value is None or value == 0 or value >= 8, (
                    table.name,
                    column.key,
                    value,
                )
                if isinstance(value, int) and value:
                    assert value % 5 == 0, (table.name, column.key, value)


def test_an_organisations_own_report_counts_its_workforce_in_the_singular(
    frames: RegisterFrames,
) -> None:
    """One organisation's report covers one organisation with workforce figures."""
    with_workforce = frames.organisations.filter(pl.col("bme_staff_share").is_not_null())
    code = with_workforce["ods_code"][0]
    report = build_report(frames, T, ods_code=code)
    heads = {h.metric: h for h in report.headlines()}
    assert heads["bme_share_workforce"].sentence.endswith(
        "(1 organisation with workforce figures)."
    )
