"""Offline rendering of chart specifications to SVG with vl-convert.

vl-convert carries the Vega and Vega-Lite JavaScript inside its wheel, so rendering
needs no browser and no network. To make sure nothing is ever fetched, a spec that
names data by URL is refused before rendering, and vl-convert is told that no base URL
is allowed. Text is left as SVG text in the theme's font stack (the package's Arimo,
then Arial), so no font is downloaded either.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import vl_convert as vlc

from talentboard.reports.model import ChartSpec

__all__ = ["VL_VERSION", "RemoteDataError", "check_no_urls", "render_svg"]

# The Vega-Lite release Altair's schema targets, e.g. "v6.4.1" -> "6.4"; vl-convert
# bundles it, so the SVG matches what the web app draws from the same spec.
VL_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


class RemoteDataError(ValueError):
    """A chart specification asked for data or an image by URL."""


def check_no_urls(node: Any, path: str = "spec") -> None:
    """Refuse ``node`` (a chart specification) if it names data or an image by URL."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "url" and isinstance(value, str):
                raise RemoteDataError(f"{path}.url: charts must carry their data inline")
            check_no_urls(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            check_no_urls(value, f"{path}[{index}]")


def render_svg(chart: ChartSpec | dict[str, Any]) -> str:
    """The chart as a standalone SVG document, rendered offline."""
    spec = chart.spec if isinstance(chart, ChartSpec) else chart
    check_no_urls(spec)
    svg: str = vlc.vegalite_to_svg(spec, vl_version=VL_VERSION, allowed_base_urls=[])
    return svg
