"""What every chart shares: the finishing step (title, description, theme).

Specs are built without Altair's JSON-schema validation, which cost more than the rest
of building them (about half a second per report, and most of redrawing the web
dashboard's trends after an edit). The tests validate every chart the code builds
against the Vega-Lite schema instead (tests/reports/test_chart_schema.py).

A chart is drawn, and Altair imported, only when its spec is first read: a workbook
builds every chart's table but draws none, and importing Altair alone took about 0.2 s.
Sizes, title and description are given without Altair's ``properties()``, which copies
the whole chart and checks each value against the schema again: that took about half
of what an SPC chart cost the web dashboard.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from talentboard.reports import palette
from talentboard.reports.model import ChartSpec, Table

if TYPE_CHECKING:
    import altair as alt

__all__ = ["CATEGORY_DASHES", "drawn_once", "finish"]

CATEGORY_DASHES = ([1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [10, 4], [4, 1])
"""Line dashes that tell categories apart without colour, in order."""


def drawn_once(chart: alt.Chart) -> alt.Chart:
    """``chart`` reduced to one row, for a mark drawn once (a reference line at a
    ``datum`` value): on all the chart's rows such a mark is drawn once per row, a
    thousand identical lines over a survival curve's thousand steps. The chart keeps
    its one dataset."""
    return chart.transform_aggregate(rows="count()")


def finish(
    draw: Callable[[], alt.Chart | alt.LayerChart | alt.FacetChart],
    *,
    name: str,
    title: str,
    subtitle: Sequence[str],
    description: str,
    table: Table,
) -> ChartSpec:
    """The chart ``draw`` draws, with its title, description and table; it is drawn and
    made into its Vega-Lite spec when the spec is first read."""
    lines = list(subtitle)

    def spec() -> dict[str, Any]:
        drawn: dict[str, Any] = draw().to_dict(validate=False)
        drawn["title"] = {"text": title, "subtitle": lines}
        drawn["description"] = description
        drawn["config"] = palette.theme()
        return drawn

    return ChartSpec(name=name, title=title, description=description, table=table, build=spec)
