"""The report as a PDF, through WeasyPrint, from the same HTML the browser shows.

The print styles (``@page`` A4, page numbers, a page break before each section) live in
the report stylesheet. WeasyPrint needs Pango (Debian ``libpango-1.0-0`` and
``libpangoft2-1.0-0``) and a sans-serif font (``fonts-dejavu-core`` or
``fonts-liberation``); it fetches nothing, since the HTML has no external assets. Each
``h1``-``h3`` heading becomes a PDF bookmark.
"""

from __future__ import annotations

from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from talentboard.reports.html import render_html
from talentboard.reports.model import Report

__all__ = ["html_to_pdf", "render_pdf"]


class _NoFetching(URLFetcher):  # type: ignore[misc]
    """Refuses every URL, so a stray external reference fails instead of being fetched."""

    def fetch(self, url: str, headers: object = None) -> object:
        raise FatalURLFetchingError(f"the report refers to {url}: it must be self-contained")


def html_to_pdf(html: str) -> bytes:
    """A self-contained HTML document as PDF bytes; any external reference is refused."""
    document = HTML(string=html, url_fetcher=_NoFetching(fail_on_errors=True), base_url=None)
    pdf: bytes = document.write_pdf()
    return pdf


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes."""
    return html_to_pdf(render_html(report))
