"""The board report's "Outcomes" section, in the document, the HTML, the PDF and the workbook.

The register and indicator rows are those of tests/outcomes/registers.py, whose fits
tests/outcomes/test_models.py checks against statsmodels.
"""

from __future__ import annotations

import io
from dataclasses import replace

import openpyxl
import pytest
from markupsafe import escape
from pypdf import PdfReader

from talentboard.frames.outcomes import IndicatorFrames, catalogue_frame
from talentboard.outcomes import OutcomeInputs, fit_outcome
from talentboard.reports import build_report, render
from talentboard.reports.html import render_html
from talentboard.reports.model import Report
from talentboard.reports.outcomes import DEMO_NOTE, printed_rows
from tests.outcomes.registers import T, generated_register, indicator_rows


@pytest.fixture(scope="module")
def report() -> Report:
    indicators = IndicatorFrames(catalogue_frame(), indicator_rows())
    return build_report(generated_register(), T, indicators=indicators, demo=True)


def _fit(exposure: str) -> object:
    inputs = OutcomeInputs(
        generated_register(), IndicatorFrames(catalogue_frame(), indicator_rows())
    )
    return fit_outcome(inputs, "staff_engagement", exposure, T)


def test_the_section_ends_the_report_with_every_pair(report: Report) -> None:
    section = report.sections[-1]
    assert (section.name, section.heading) == ("outcomes", "Outcomes")
    assert DEMO_NOTE in section.paragraphs
    headline = _fit("ceo_changes_3y")
    assert any(
        p.startswith("After adjusting for organisation kind and size, each additional chief")
        and f"{abs(headline.coefficient):.3g}" in p  # type: ignore[attr-defined]
        for p in section.paragraphs
    )
    (table,) = section.tables
    assert len(table.rows) == 12 * 5
    row = next(
        r
        for r in table.rows
        if r[:2] == ("Staff engagement (NHS Staff Survey)", "Executive posts vacant")
    )
    fit = _fit("exec_vacancy_share")
    assert row[2:8] == (
        fit.coefficient,  # type: ignore[attr-defined]
        fit.ci_low,  # type: ignore[attr-defined]
        fit.ci_high,  # type: ignore[attr-defined]
        fit.p_value,  # type: ignore[attr-defined]
        24,
        5,
    )
    morale = next(r for r in table.rows if r[0] == "Morale (NHS Staff Survey theme)")
    assert morale[2] is None
    assert str(morale[8]).startswith("too few organisations to fit: 0")
    assert [c.name for c in section.charts] == ["outcomes_chart"]


def test_each_pair_is_fitted_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The headline pair's chart and sentence take the table's fit: 12 indicators times
    5 exposures is 60 fits, not 61."""
    import talentboard.outcomes.analysis as analysis
    import talentboard.reports.outcomes as section

    fitted: list[tuple[str, str]] = []
    real = analysis.fit_outcome

    def counted(inputs: OutcomeInputs, indicator: str, exposure: str, *args: object) -> object:
        fitted.append((indicator, exposure))
        return real(inputs, indicator, exposure, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(analysis, "fit_outcome", counted)
    monkeypatch.setattr(section, "fit_outcome", counted)
    indicators = IndicatorFrames(catalogue_frame(), indicator_rows())
    built = section.outcomes_section(OutcomeInputs(generated_register(), indicators), T, demo=True)
    assert len(fitted) == 60
    assert len(set(fitted)) == 60
    assert [c.name for c in built.charts] == ["outcomes_chart"]


def test_html_pdf_and_workbook_carry_the_section(report: Report) -> None:
    page = render(report, "html").decode()
    assert '<h2 id="outcomes-heading">Outcomes</h2>' in page
    workbook = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))
    assert "Outcomes" in workbook.sheetnames
    sheet = workbook["Outcomes"]
    assert sheet.max_row >= 61
    # The PDF of the section alone (the whole report's PDF is tested elsewhere, and slow).
    alone = replace(report, sections=report.sections[-1:], workbook=())
    second_level = PdfReader(io.BytesIO(render(alone, "pdf"))).outline[1]
    assert isinstance(second_level, list)
    titles = [item.title for item in second_level if not isinstance(item, list)]
    assert "Outcomes" in titles


def test_the_printed_table_keeps_the_significant_and_the_ten_strongest() -> None:
    """Twelve of fourteen pairs fitted. The ten smallest p-values are 0.02 (row 4), 0.04
    (1), 0.15 (8), 0.25 (9), 0.3 (3), 0.35 (10), 0.45 (11), 0.55 (12), 0.6 (5) and 0.7 (6);
    0.9 (row 0) and 0.8 (7) are left out with the two not fitted (2, 13)."""
    p = [0.9, 0.04, None, 0.3, 0.02, 0.6, 0.7, 0.8, 0.15, 0.25, 0.35, 0.45, 0.55, None]
    printed = printed_rows(p)
    assert printed.rows == (1, 3, 4, 5, 6, 8, 9, 10, 11, 12)
    assert printed.note.startswith(
        "This printed report shows 10 of the 14 pairs: those with a p-value below 0.05 and, "
        "of the 12 fitted, the 10 with the smallest p-values."
    )
    assert "The other 4 (2 with no figure) are in the Excel report" in printed.note
    # Twelve significant pairs are all shown, more than ten; the 0.5s are not.
    many = printed_rows([0.5, *[0.001 * k for k in range(1, 13)], 0.5, 0.5])
    assert many.rows == tuple(range(1, 13))


def test_only_the_pdf_shortens_the_outcomes_table(report: Report) -> None:
    """The generated register's table has 60 rows; the page the PDF is made from shows
    the rows ``printed_rows`` picks and its note, the web page every row."""
    (table,) = report.sections[-1].tables
    assert table.printed is not None
    assert len(table.printed.rows) < len(table.rows) == 60
    alone = replace(report, sections=report.sections[-1:], workbook=())
    full = render_html(alone)
    printed = render_html(alone, charts="image", printed=True)
    body = full[full.index('<table id="outcomes_pairs"') :]
    shown = printed[printed.index('<table id="outcomes_pairs"') :]
    assert body[: body.index("</table>")].count("<tr") == 61
    assert shown[: shown.index("</table>")].count("<tr") == len(table.printed.rows) + 1
    assert str(escape(table.printed.note)) in printed
    assert str(escape(table.printed.note)) not in full
