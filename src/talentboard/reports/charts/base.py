"""What every chart shares: the finishing step (title, description, theme).

Specs are built without Altair's JSON-schema validation, which cost more than the rest
of building them (about half a second per report, and most of redrawing the web
dashboard's trends after an edit). The tests validate every chart the code builds
against the Vega-Lite schema instead (tests/reports/test_chart_schema.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt

from talentboard.reports import palette
from talentboard.reports.model import ChartSpec, Table

__all__ = ["CATEGORY_DASHES", "finish"]

CATEGORY_DASHES = ([1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [10, 4], [4, 1])
"""Line dashes that tell categories apart without colour, in order."""


def finish(
    chart: alt.Chart | alt.LayerChart | alt.FacetChart,
    *,
    name: str,
    title: str,
    subtitle: Sequence[str],
    description: str,
    table: Table,
) -> ChartSpec:
    """The chart with its title, description and table; its Vega-Lite spec is made when
    first read."""
    lines = list(subtitle)

    def spec() -> dict[str, Any]:
        built: dict[str, Any] = chart.properties(
            title=alt.Title(text=title, subtitle=lines),
            description=description,
        ).to_dict(validate=False)
        built["config"] = palette.theme()
        return built

    return ChartSpec(name=name, title=title, description=description, table=table, build=spec)
