"""The board report: one document model, rendered to HTML, PDF and XLSX, and the chart
specifications the web app shows too.

``build_report`` turns the register frames into a ``Report`` for a date and optional
region, every figure taken from ``talentboard.stability`` and passed through its
disclosure control; ``render`` turns the report into the bytes of a file.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from talentboard.reports.build import build_report
    from talentboard.reports.chart_process import ChartProcess
    from talentboard.reports.model import Report

__all__ = ["Format", "Report", "build_report", "render"]

Format = Literal["html", "pdf", "xlsx"]


def __getattr__(name: str) -> Any:
    # Loaded on first use, so the light modules here (``chart_process``) can be imported
    # without Polars and the figures behind the report.
    if name == "build_report":
        from talentboard.reports.build import build_report

        return build_report
    if name == "Report":
        from talentboard.reports.model import Report

        return Report
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render(report: Report, kind: str, charts: ChartProcess | None = None) -> bytes:
    """The report as the bytes of an ``html``, ``pdf`` or ``xlsx`` file. ``charts``: a
    process started earlier to render the charts in (``reports.chart_process``); without
    one they are rendered here."""
    if kind == "html":
        from talentboard.reports.html import render_html

        return render_html(report, drawn=_drawn(report, charts).result()).encode("utf-8")
    if kind == "pdf":
        drawn = _drawn(report, charts)
        # WeasyPrint is imported while the charts render, in the process when there is one.
        from talentboard.reports.pdf import render_pdf

        return render_pdf(report, drawn=drawn.result())
    if kind == "xlsx":
        from talentboard.reports.xlsx import render_xlsx

        return render_xlsx(report)
    raise ValueError(f"unknown report format {kind!r}: html, pdf or xlsx")


def _drawn(report: Report, charts: ChartProcess | None) -> Future[dict[str, str]]:
    """The report's charts as SVG, by name: rendered in ``charts`` when given (the caller
    goes on meanwhile), else here and now. A name used twice is left to be rendered where
    it is placed."""
    from talentboard.reports.svg import render_svg

    every = [c for s in report.sections for c in s.charts]
    names = [c.name for c in every]
    specs = {c.name: c.spec for c in every if names.count(c.name) == 1}
    if charts is not None:
        return charts.submit(specs)
    done: Future[dict[str, str]] = Future()
    done.set_result({name: render_svg(spec) for name, spec in specs.items()})
    return done
