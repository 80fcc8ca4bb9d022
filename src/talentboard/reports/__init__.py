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
        from talentboard.reports.pdf import render_pdf

        return render_pdf(report)
    if kind == "xlsx":
        from talentboard.reports.xlsx import render_xlsx

        return render_xlsx(report)
    raise ValueError(f"unknown report format {kind!r}: html, pdf or xlsx")
