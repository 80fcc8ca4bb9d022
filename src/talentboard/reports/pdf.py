"""The report as a PDF, through WeasyPrint, from the same HTML the browser shows.

The print styles (``@page`` A4, page numbers, a page break before each section) live in
the report stylesheet. WeasyPrint needs Pango (Debian ``libpango-1.0-0`` and
``libpangoft2-1.0-0``). The text is set in the fonts the package ships (Arimo and
Cousine, in ``web/static/vendor/fonts``, declared by ``templates/fonts.css``) and
embedded, so the PDF does not depend on the machine's fonts; the only files it reads
are those fonts, and any other reference fails the rendering. Each ``h1``-``h3``
heading becomes a PDF bookmark.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from talentboard.reports.html import render_html
from talentboard.reports.model import Report

__all__ = ["FONTS", "html_to_pdf", "render_pdf"]

# The web app serves the same files, so pages and PDF share one copy (make setup).
FONTS = (Path(__file__).parent.parent / "web" / "static" / "vendor" / "fonts").resolve()


class _PackageFontsOnly(URLFetcher):  # type: ignore[misc]
    """Reads the package's font files and refuses every other URL, so a stray external
    reference fails instead of being fetched."""

    def fetch(self, url: str, headers: object = None) -> object:
        parts = urlsplit(url)
        if parts.scheme == "file" and Path(url2pathname(parts.path)).resolve().parent == FONTS:
            return super().fetch(url, headers)
        raise FatalURLFetchingError(f"the report refers to {url}: it must be self-contained")


def html_to_pdf(html: str) -> bytes:
    """A self-contained HTML document as PDF bytes, set in the package's fonts."""
    if not (FONTS / "arimo-latin-400-normal.woff2").is_file():
        raise FileNotFoundError(f"the report fonts are missing from {FONTS}: run 'make setup'")
    fetcher = _PackageFontsOnly(fail_on_errors=True)
    font_config = FontConfiguration()
    fonts = CSS(
        string=files("talentboard.reports").joinpath("templates/fonts.css").read_text("utf-8"),
        base_url=FONTS.as_uri() + "/",
        url_fetcher=fetcher,
        font_config=font_config,
    )
    document = HTML(string=html, url_fetcher=fetcher, base_url=None)
    pdf: bytes = document.write_pdf(stylesheets=[fonts], font_config=font_config)
    return pdf


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes."""
    return html_to_pdf(render_html(report))
