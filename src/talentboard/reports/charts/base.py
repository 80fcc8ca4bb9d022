"""What every chart shares: the finishing step (title, description, theme, validation)."""

from __future__ import annotations

from collections.abc import Sequence

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
    """The chart as a validated Vega-Lite spec with its title, description and table."""
    spec = chart.properties(
        title=alt.Title(text=title, subtitle=list(subtitle)),
        description=description,
    ).to_dict(validate=True)
    spec["config"] = palette.theme()
    return ChartSpec(name=name, title=title, description=description, spec=spec, table=table)
