"""The PDF report turned into pages: page count, headings and what each page says.

pypdf reads the document outline (WeasyPrint makes a bookmark of every heading) and
pypdfium2 extracts each page's text and renders pages to images.
"""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from talentboard.reports import build_report, render
from tests.reports.registers import T, report_register

SECTIONS = [
    "Contents",
    "Summary",
    "Headline figures",
    "Trends: statistical process control charts",
    "Tenure and time to fill",
    "Vacancy and interim cover by role",
    "By region and by oversight segment",
    "Diversity of boards against the workforce",
    "Why executives leave",
    "Hotspots",
    "Appendix A: methods and definitions",
    "Appendix B: disclosure control",
    "Appendix C: the data behind the charts",
]
# Sections the print stylesheet starts on a new page: with the cover, a lower bound.
NEW_PAGE = [
    "Headline figures",
    "Trends: statistical process control charts",
    "Appendix A: methods and definitions",
    "Appendix B: disclosure control",
    "Appendix C: the data behind the charts",
]


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render(build_report(report_register().frames(), T), "pdf")


def test_pdf_headings_are_bookmarks_in_order(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    top = reader.outline
    assert reader.get_destination_page_number(top[0]) == 0  # type: ignore[arg-type]
    assert top[0].title == "Leadership stability report"  # type: ignore[union-attr]
    second_level = top[1]
    assert isinstance(second_level, list)
    titles = [item.title for item in second_level if not isinstance(item, list)]
    assert titles == SECTIONS


def test_pdf_pages(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    document = pdfium.PdfDocument(pdf)
    try:
        pages = len(document)
        assert pages == len(reader.pages)
        assert pages >= 1 + len(NEW_PAGE)
        texts = [document[i].get_textpage().get_text_range() for i in range(pages)]
    finally:
        document.close()
    assert "Leadership stability report" in texts[0]
    assert "England · as at 30 September 2026" in texts[0]
    # Each section that starts a page is the first thing on its page (after nothing).
    starts = {text.lstrip().splitlines()[0].strip(): i for i, text in enumerate(texts)}
    found = [heading for heading in NEW_PAGE if heading in starts]
    assert found == NEW_PAGE
    assert sorted(starts[h] for h in NEW_PAGE) == [starts[h] for h in NEW_PAGE]
    # The footer numbers every page.
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {pages}" in text
    # Withheld values are visible in print too.
    headline_page = " ".join(texts[starts["Headline figures"]].split())
    assert "Interim cover" in headline_page
    assert "Withheld: the count behind this figure is too small to publish." in headline_page


def test_a_pdf_page_renders_to_an_image(pdf: bytes) -> None:
    document = pdfium.PdfDocument(pdf)
    try:
        width, height = document[0].get_size()
        image = document[0].render(scale=1).to_pil().convert("RGB")
    finally:
        document.close()
    # A4 is 210 x 297 mm: 595.3 x 841.9 points.
    assert (round(width, 1), round(height, 1)) == (595.3, 841.9)
    # The cover band is NHS Blue (#005EB8), within anti-aliasing.
    red, green, blue = image.getpixel((300, 100))  # type: ignore[misc]
    assert abs(red - 0x00) < 8
    assert abs(green - 0x5E) < 8
    assert abs(blue - 0xB8) < 8
