"""The three renderers on a hand-written report: structure, typed cells, suppression."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import openpyxl
import pypdfium2 as pdfium
from pypdf import PdfReader

from talentboard.reports import render
from talentboard.reports.methods import DEFINITIONS
from talentboard.reports.xlsx import HEADER_ROW
from tests.reports.documents import sample_report


class _Outline(HTMLParser):
    """Headings, table header scopes, external references and suppressed cells."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[str, str]] = []
        self.external: list[str] = []
        self.scopes: list[str | None] = []
        self.svgs = 0
        self.captions = 0
        self.tables = 0
        self._in: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("src", "href"):
            link = values.get(key)
            if link and not link.startswith("#"):
                self.external.append(link)
        if tag in ("h1", "h2", "h3"):
            self._in, self._text = tag, ""
        if tag == "th":
            self.scopes.append(values.get("scope"))
        self.svgs += tag == "svg"
        self.captions += tag == "caption"
        self.tables += tag == "table"

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self.headings.append((tag, self._text.strip()))
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text += data


def test_html_is_self_contained_and_structured() -> None:
    report = sample_report()
    html = render(report, "html").decode("utf-8")
    outline = _Outline()
    outline.feed(html)
    assert outline.external == []
    assert "<link" not in html
    assert "<script" not in html
    h1 = [text for tag, text in outline.headings if tag == "h1"]
    h2 = [text for tag, text in outline.headings if tag == "h2"]
    assert h1 == ["Leadership stability report"]
    assert h2 == [
        "Contents",
        "Summary",
        "Headline figures",
        "Trends",
        "Tenure",
        "Vacancy by role",
        "Diversity",
        "Appendix A: methods and definitions",
        "Appendix B: disclosure control",
        "Appendix C: the data behind the charts",
    ]
    # One inline SVG per chart, each chart's data as a captioned table in appendix C.
    assert outline.svgs == len(report.charts()) == 5
    assert outline.tables == outline.captions == 5 + 1
    assert set(outline.scopes) == {"col", "row"}
    # Headline value, sentence and definition are all on the page.
    assert "30.0%" in html
    assert "3 in 10 trusts" in html
    assert "2.1 years" in html
    # Every definition of the methods appendix is printed.
    for definition in DEFINITIONS:
        assert f"<code>{definition.name}</code>" in html
    # Labels are escaped, suppressed cells marked.
    assert "Segment &lt;3&gt;" in html
    assert "Segment <3>" not in html
    suppressed = re.findall(r'<td class="num suppressed"><abbr[^>]*>\*</abbr></td>', html)
    assert len(suppressed) == 2  # the vacant count and the vacancy rate of one role


def test_pdf_pages_and_headings() -> None:
    pdf = render(sample_report(), "pdf")
    reader = PdfReader(io.BytesIO(pdf))
    # Cover and contents, then each of five sections and three appendices on a new page.
    assert len(reader.pages) >= 9
    bookmarks = [item.title for item in reader.outline if not isinstance(item, list)]
    assert bookmarks[0] == "Leadership stability report"
    assert "Appendix A: methods and definitions" in _flatten(reader.outline)
    document = pdfium.PdfDocument(pdf)
    first = document[0].get_textpage().get_text_range()
    assert "Leadership stability report" in first
    assert "England · as at 30 September 2026" in first
    texts = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    assert any(t.lstrip().startswith("Headline figures") for t in texts)
    last_page = texts[-1]
    assert f"Page {len(document)} of {len(document)}" in last_page


def _flatten(outline: list[object]) -> list[str]:
    titles: list[str] = []
    for item in outline:
        if isinstance(item, list):
            titles.extend(_flatten(item))
        else:
            titles.append(item.title)  # type: ignore[attr-defined]
    return titles


def test_xlsx_sheets_and_typed_cells() -> None:
    report = sample_report()
    workbook = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))
    assert workbook.sheetnames == ["Headline figures", "By role", "Spc", "Methods"]
    headlines = workbook["Headline figures"]
    assert headlines["A1"].value.startswith("Headline figures: England")
    header = [c.value for c in headlines[HEADER_ROW]]
    assert header[:5] == ["Figure", "Name", "Value", "Count", "Out of"]
    first = list(headlines[HEADER_ROW + 1])
    assert [c.value for c in first[1:5]] == ["orgs_with_exec_vacancy_share", 0.3, 15, 50]
    assert first[2].number_format == "0.0%"
    second = [c.value for c in headlines[HEADER_ROW + 2]]
    assert second[2] == 2.14
    third = [c.value for c in headlines[HEADER_ROW + 3]]
    assert third[2:5] == ["*", "*", 20]

    roles = workbook["By role"]
    rows = [[c.value for c in row] for row in roles.iter_rows(min_row=HEADER_ROW)]
    assert rows == [
        ["Role", "Executive posts", "Vacant posts", "Vacancy rate", "Median tenure (years)"],
        ["Director of finance", 45, 10, 0.2222, 2.4],
        ["Director of operations", 40, "*", "*", None],
    ]
    assert roles.cell(HEADER_ROW + 1, 4).number_format == "0.0%"
    assert roles.cell(HEADER_ROW + 1, 2).number_format == "#,##0"
    assert "By_role" in roles.tables

    series = workbook["Spc"]
    month = series.cell(HEADER_ROW + 1, 1).value
    assert (month.year, month.month) == (2025, 1)  # a real date, not text

    methods = workbook["Methods"]
    names = [row[0].value for row in methods.iter_rows(min_row=HEADER_ROW + 1)]
    assert names == [d.name for d in report.methods]
