"""The board report: one document model, rendered to HTML, PDF and XLSX, and the chart
specifications the web app shows too.

``build_report`` turns the register frames into a ``Report`` for a date and optional
region, every figure taken from ``talentboard.stability`` and passed through its
disclosure control; ``render`` turns the report into the bytes of a file.
"""

from __future__ import annotations

from typing import Literal

from talentboard.reports.build import build_report
from talentboard.reports.model import Report

__all__ = ["Format", "Report", "build_report", "render"]

Format = Literal["html", "pdf", "xlsx"]


def render(report: Report, kind: str) -> bytes:
    """The report as the bytes of an ``html``, ``pdf`` or ``xlsx`` file."""
    if kind == "html":
        from talentboard.reports.html import render_html

        return render_html(report).encode("utf-8")
    if kind == "pdf":
        return _render_pdf(report)
    if kind == "xlsx":
        from talentboard.reports.xlsx import render_xlsx

        return render_xlsx(report)
    raise ValueError(f"unknown report format {kind!r}: html, pdf or xlsx")


def _render_pdf(report: Report) -> bytes:
    """The PDF, its charts rendered to SVG on a thread while WeasyPrint is imported.

    vl-convert renders outside Python's interpreter lock, so the import (half a second)
    and the rendering (a second for nine charts) overlap on a second core.
    """
    from concurrent.futures import ThreadPoolExecutor

    from talentboard.reports.svg import render_svg

    charts = [c for s in report.sections for c in s.charts]
    names = [c.name for c in charts]
    # By name: a name used twice is left to be rendered where it is placed.
    specs = {c.name: c.spec for c in charts if names.count(c.name) == 1}
    with ThreadPoolExecutor(max_workers=1) as pool:
        drawn = pool.submit(lambda: {name: render_svg(spec) for name, spec in specs.items()})
        from talentboard.reports.pdf import render_pdf

        return render_pdf(report, drawn=drawn.result())
