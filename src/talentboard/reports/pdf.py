"""The report as a PDF, through WeasyPrint, from the same HTML the browser shows.

The print styles (``@page`` A4, page numbers, a page break before each section) live in
the report stylesheet. WeasyPrint needs Pango (Debian ``libpango-1.0-0`` and
``libpangoft2-1.0-0``). The text is set in the fonts the package ships (Arimo and
Cousine, in ``web/static/vendor/fonts``, declared by ``web/static/app/fonts.css`` for the
web pages and the PDF alike) and embedded, so the PDF does not depend on the machine's
fonts; the only files it reads are those fonts, the only other URLs it reads are the
``data:`` URLs of the charts
(``render_html(..., charts="image")``), and any other reference fails the rendering.
Each ``h1``-``h3`` heading becomes a PDF bookmark.

The fonts ship as WOFF2, and decompressing the five of them took about 0.4 s of every
PDF, so each is decompressed once and kept as TrueType in ``font_cache()``
(``$XDG_CACHE_HOME/talentboard/fonts``, else ``~/.cache/talentboard/fonts``), named by
the hash of the WOFF2 file it came from: a changed font file is decompressed afresh,
the PDF is the same with or without the cache, and deleting the folder is always safe.
Where the folder cannot be written, fonts are decompressed for each PDF.

Python's cycle collector is paused while WeasyPrint works (``_collector_paused``).
WeasyPrint makes hundreds of thousands of short-lived objects, which set off hundreds
of collections, and in ``talentboard report`` each of the full ones walks every object
the command has loaded too (the register, Polars, Altair): about 0.3 s of a national
PDF, an eighth of WeasyPrint's time, went on collections. Paused, the cycles WeasyPrint
leaves wait until the PDF is written, and then one collection of the youngest
generation (where everything made meanwhile still is) frees them.
"""

from __future__ import annotations

import gc
import hashlib
import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from fontTools.ttLib import woff2  # type: ignore[import-untyped]
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from talentboard.reports.html import render_html
from talentboard.reports.model import Report

__all__ = ["FONTS", "font_cache", "font_data", "html_to_pdf", "render_pdf"]

# The web app serves the same files, so pages and PDF share one copy (make setup).
STATIC = (Path(__file__).parent.parent / "web" / "static").resolve()
FONTS = STATIC / "vendor" / "fonts"
FONT_FACES = STATIC / "app" / "fonts.css"

# A chart as an image is sized as report.css sizes one as inline SVG.
_CHART_IMAGES = ".chart-image img { max-width: 100%; height: auto; }"


def font_cache() -> Path:
    """The folder decompressed fonts are kept in (see the module's docstring)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "talentboard" / "fonts"


def _keep(path: Path, content: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as out:
            out.write(content)
        # A reader sees the whole file or none, even with several reports at once.
        Path(out.name).replace(path)
    except OSError:
        return


def font_data(path: Path) -> bytes:
    """The font file at ``path`` as WeasyPrint reads it: a WOFF2 font as the TrueType
    font it decompresses to, from ``font_cache()`` when it was decompressed before."""
    packed = path.read_bytes()
    if packed[:4] != b"wOF2":
        return packed
    kept = font_cache() / f"{hashlib.sha256(packed).hexdigest()}.ttf"
    try:
        return kept.read_bytes()
    except OSError:
        pass
    out = BytesIO()
    woff2.decompress(BytesIO(packed), out)
    font = out.getvalue()
    _keep(kept, font)
    return font


class _PackageFontsOnly(URLFetcher):  # type: ignore[misc]
    """Reads the package's font files and ``data:`` URLs (the content is in the URL
    itself) and refuses every other URL, so a stray external reference fails instead of
    being fetched."""

    def fetch(self, url: str, headers: object = None) -> object:
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        path = Path(url2pathname(parts.path)).resolve()
        if parts.scheme == "file" and path.parent == FONTS:
            return URLFetcherResponse(url, body=font_data(path))
        shown = url if len(url) <= 80 else f"{url[:77]}..."
        raise FatalURLFetchingError(f"the report refers to {shown}: it must be self-contained")


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off for the block, then back on, if it was on, with
    one collection of the youngest generation.

    The switch is the process's: with two PDFs drawn at once (web app threads), the
    first to finish turns it back on, which costs the other time, never correctness;
    it is only left off when it was off before.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
            # What the block made is all in the youngest generation: its cycles go
            # now, among them the FontConfiguration whose finaliser deletes the
            # fonts' temporary folder (``talentboard report`` ends without a
            # collection, and before this left a folder behind in the temporary
            # directory for every PDF).
            gc.collect(0)


def html_to_pdf(html: str) -> bytes:
    """A self-contained HTML document as PDF bytes, set in the package's fonts."""
    if not (FONTS / "arimo-latin-400-normal.woff2").is_file():
        raise FileNotFoundError(f"the report fonts are missing from {FONTS}: run 'make setup'")
    with _collector_paused():
        fetcher = _PackageFontsOnly(fail_on_errors=True)
        font_config = FontConfiguration()
        fonts = CSS(
            string=FONT_FACES.read_text("utf-8"),
            base_url=FONT_FACES.parent.as_uri() + "/",
            url_fetcher=fetcher,
            font_config=font_config,
        )
        charts = CSS(string=_CHART_IMAGES, font_config=font_config)
        document = HTML(string=html, url_fetcher=fetcher, base_url=None)
        pdf: bytes = document.write_pdf(stylesheets=[fonts, charts], font_config=font_config)
        del document, fonts, charts, font_config, fetcher
    return pdf


def render_pdf(report: Report, drawn: Mapping[str, str] | None = None) -> bytes:
    """The report as PDF bytes, its charts as images (``reports.html``; ``drawn``: the
    charts' SVGs already rendered, by name)."""
    return html_to_pdf(render_html(report, charts="image", printed=True, drawn=drawn))
