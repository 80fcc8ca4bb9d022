"""The PDF report turned into pages: page count, headings and what each page says.

pypdf reads the document outline (WeasyPrint makes a bookmark of every heading) and
pypdfium2 extracts each page's text and renders pages to images.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from talentboard.reports import build_report, render
from tests.reports.registers import T, report_register

ROOT = Path(__file__).parents[2]

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


def _fonts(resources: DictionaryObject) -> dict[str, DictionaryObject]:
    """The fonts a page's resources use, those of its form XObjects included (the charts
    are drawn in them), keyed by base font name less the subset tag (``ABCDEF+``)."""
    found = {}
    for font in resources.get("/Font", DictionaryObject()).values():
        font = font.get_object()
        found[str(font["/BaseFont"]).split("+", 1)[-1]] = font
    for xobject in resources.get("/XObject", DictionaryObject()).values():
        inner = xobject.get_object().get("/Resources")
        if inner is not None:
            found |= _fonts(inner.get_object())
    return found


def test_the_pdf_embeds_the_package_fonts_and_no_other(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    fonts: dict[str, DictionaryObject] = {}
    for page in reader.pages:
        fonts |= _fonts(page["/Resources"].get_object())
    # Body text, bold headings and figures, and the metric names set as code: each in
    # the package's own copy (its CSS family names), none in a font of the machine.
    assert sorted(fonts) == ["talentboard-arimo", "talentboard-arimo-Bold", "talentboard-cousine"]
    for name, font in fonts.items():
        (descendant,) = font["/DescendantFonts"]
        descriptor = descendant.get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{name} is not embedded"


def test_the_pdf_is_the_same_where_the_machine_has_no_fonts(pdf: bytes, tmp_path: Path) -> None:
    """Rendered again where fontconfig finds no font at all, the PDF is the same byte for
    byte: nothing in it comes from the fonts a machine happens to have."""
    config = tmp_path / "fonts.conf"
    config.write_text(f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>")
    out = tmp_path / "report.pdf"
    code = (
        "import sys\n"
        "from talentboard.reports import build_report, render\n"
        "from tests.reports.registers import T, report_register\n"
        "pdf = render(build_report(report_register().frames(), T), 'pdf')\n"
        "open(sys.argv[1], 'wb').write(pdf)\n"
    )
    environment = {**os.environ, "FONTCONFIG_FILE": str(config)}
    subprocess.run([sys.executable, "-c", code, str(out)], cwd=ROOT, env=environment, check=True)
    assert out.read_bytes() == pdf


def test_the_headline_figures_are_two_equal_columns(pdf: bytes) -> None:
    """The headline figures sit in two columns of equal width, in reading order: the
    label of each odd-numbered figure at the left margin, each even-numbered one's at
    the middle of the text block plus half the gap (report.css, ``.headlines``)."""
    document = pdfium.PdfDocument(pdf)
    try:
        pages = [document[i].get_textpage() for i in range(len(document))]
        (page,) = [p for p in pages if p.get_text_range().lstrip().startswith("Headline figures")]
        labels = ["Organisations with an executive vacancy", "Executive vacancy rate"]
        labels += ["Interim cover", "Median tenure of executive directors"]
        lefts = []
        for label in labels:
            searcher = page.search(label, match_case=True, match_whole_word=True)
            found = searcher.get_next()
            assert found is not None, label
            lefts.append(page.get_charbox(found[0])[0])
        width, _ = document[0].get_size()
    finally:
        document.close()
    mm = 72 / 25.4
    margin, text_width = 16 * mm, width - 32 * mm
    # 5px of border and 0.8rem of padding before the label; 0.8rem of gap (10pt print).
    inset = 5 * 0.75 + 0.8 * 10
    first, second = margin + inset, margin + (text_width + 0.8 * 10) / 2 + inset
    assert lefts == pytest.approx([first, second, first, second], abs=1.0)
