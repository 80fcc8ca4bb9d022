"""The three renderers on a hand-written report: structure, typed cells, suppression."""

from __future__ import annotations

import base64
import gc
import io
import re
import subprocess
import sys
import tempfile
from html import unescape
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest
from fontTools.ttLib import woff2
from pypdf import PdfReader
from weasyprint.urls import FatalURLFetchingError

from talentboard.reports import render
from talentboard.reports.html import render_html
from talentboard.reports.methods import DEFINITIONS
from talentboard.reports.pdf import FONTS, font_cache, font_data, html_to_pdf
from talentboard.reports.svg import render_svg
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


def _clip_ids(svg: str) -> str:
    """The SVG with its clip path ids, which vl-convert numbers on from each render,
    made alike."""
    return re.sub(r"clip\d+", "clip", svg)


def test_the_pdf_page_carries_each_chart_as_an_image_with_its_description() -> None:
    report = sample_report()
    page = render_html(report, charts="image")
    outline = _Outline()
    outline.feed(page)
    assert outline.svgs == 0
    images = re.findall(r'<img src="([^"]+)" alt="([^"]*)">', page)
    assert len(images) == len(report.charts())
    for (src, alt), chart in zip(images, report.charts(), strict=True):
        prefix = "data:image/svg+xml;base64,"
        assert src.startswith(prefix)
        drawn = base64.b64decode(src.removeprefix(prefix)).decode("utf-8")
        assert _clip_ids(drawn) == _clip_ids(render_svg(chart))
        assert unescape(alt) == chart.description
    # Nothing else is referred to, and the charts' data tables are there as on screen.
    assert [link for link in outline.external if not link.startswith("data:")] == []
    assert outline.tables == 5 + 1


@pytest.mark.parametrize(
    "url",
    [
        "http://192.0.2.1/chart.svg",
        "https://192.0.2.1/chart.svg",
        (Path(__file__).parent / "samples.py").as_uri(),
    ],
)
def test_the_pdf_refuses_any_url_but_data_and_the_fonts(url: str) -> None:
    with pytest.raises(FatalURLFetchingError, match="self-contained"):
        html_to_pdf(f'<html><body><img src="{url}" alt="a chart"></body></html>')


def test_the_pdf_reads_a_data_url() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    src = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    pdf = html_to_pdf(f'<html><body><img src="{src}" alt="a square"></body></html>')
    assert pdf.startswith(b"%PDF")


def test_weasyprint_works_with_the_cycle_collector_paused() -> None:
    """No collection while WeasyPrint works (each full one walked every object the
    command had loaded), then one of the youngest generation, and the collector on."""
    page = render_html(sample_report(), charts="image", printed=True)
    started: list[int] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(info["generation"])

    assert gc.isenabled()
    gc.callbacks.append(record)
    try:
        pdf = html_to_pdf(page)
    finally:
        gc.callbacks.remove(record)
    assert pdf.startswith(b"%PDF")
    assert gc.isenabled()
    assert started == [0]


def test_a_cycle_collector_switched_off_is_left_off() -> None:
    gc.disable()
    try:
        html_to_pdf("<html><body><p>Switched off</p></body></html>")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_no_temporary_font_folder_is_left_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WeasyPrint keeps the fonts of a PDF in a temporary folder that it deletes when
    its font configuration is freed: freed before html_to_pdf returns, not left to a
    collection that a command ending at once (cli.app.end_process) never has."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    html_to_pdf(render_html(sample_report(), charts="image", printed=True))
    assert list(tmp_path.iterdir()) == []


def test_a_font_is_decompressed_once_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    source = FONTS / "arimo-latin-400-normal.woff2"
    expected = BytesIO()
    woff2.decompress(BytesIO(source.read_bytes()), expected)
    assert font_data(source) == expected.getvalue()
    (kept,) = font_cache().iterdir()
    assert kept.parent == tmp_path / "talentboard" / "fonts"
    # Read back from the cache, not decompressed again.
    kept.write_bytes(b"kept")
    assert font_data(source) == b"kept"


def test_fonts_are_read_where_the_cache_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    font = font_data(FONTS / "cousine-latin-400-normal.woff2")
    assert font[:4] == b"\x00\x01\x00\x00"  # TrueType


def test_the_pdf_is_the_same_with_a_cold_and_a_warm_font_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    report = sample_report()
    cold = render(report, "pdf")
    assert len(list(font_cache().iterdir())) == 5
    assert render(report, "pdf") == cold


def test_a_workbook_is_written_without_drawing_a_chart() -> None:
    """Charts are drawn (and Altair imported) only when their spec is read."""
    code = (
        "import sys\n"
        "from talentboard.reports import build_report, render\n"
        "from tests.reports.registers import T, report_register\n"
        "render(build_report(report_register().frames(), T), 'xlsx')\n"
        "assert 'altair' not in sys.modules, 'altair was imported'\n"
    )
    root = Path(__file__).parents[2]
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True)
