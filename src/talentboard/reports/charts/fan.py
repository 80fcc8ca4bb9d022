"""Fan charts of a forecast: the median month by month inside its 50% and 90% intervals."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from talentboard.reports import palette
from talentboard.reports.charts.base import finish
from talentboard.reports.model import ChartSpec, Column, ColumnKind, Table, table_from_frame

if TYPE_CHECKING:
    import altair as alt

__all__ = ["fan_chart"]


def fan_chart(
    monthly: pl.DataFrame,
    *,
    name: str,
    title: str,
    value_label: str,
    kind: ColumnKind,
    description: str,
) -> ChartSpec:
    """A fan chart: the 90% interval (``p05`` to ``p95``) shaded light, the 50% interval
    (``p25`` to ``p75``, when the frame has them) darker, the median as a line and the
    mean as a dashed line.

    ``monthly`` columns: ``month`` (the month end, a date), ``mean``, ``p05``, ``p50``,
    ``p95`` and optionally ``p25`` and ``p75``; a withheld value is null with a
    ``<column>_suppressed`` flag beside it. ``kind`` is ``share`` (drawn as a percentage)
    or ``count``.
    """
    quartiles = "p25" in monthly.columns and "p75" in monthly.columns
    axis_format = ".0%" if kind == "share" else ",d"

    def draw() -> alt.LayerChart | alt.FacetChart:
        import altair as alt

        base = alt.Chart(monthly).encode(
            x=alt.X("month:T", title="Month", axis=alt.Axis(format="%b %Y", labelAngle=0))
        )
        value = alt.Y(
            "p95:Q",
            title=value_label,
            axis=alt.Axis(format=axis_format),
            scale=alt.Scale(zero=True),
        )
        layers: list[alt.Chart] = [
            base.mark_area(color=palette.NHS_LIGHT_BLUE, opacity=0.35).encode(
                y=value, y2=alt.Y2("p05:Q")
            )
        ]
        if quartiles:
            layers.append(
                base.mark_area(color=palette.NHS_BLUE, opacity=0.35).encode(
                    y=alt.Y("p75:Q"), y2=alt.Y2("p25:Q")
                )
            )
        tooltip = [
            alt.Tooltip("month:T", title="Month", format="%B %Y"),
            alt.Tooltip("p50:Q", title="Median", format=".1%" if kind == "share" else ",.0f"),
            alt.Tooltip(
                "p05:Q", title="5th percentile", format=".1%" if kind == "share" else ",.0f"
            ),
            alt.Tooltip(
                "p95:Q", title="95th percentile", format=".1%" if kind == "share" else ",.0f"
            ),
        ]
        layers.append(
            base.mark_line(color=palette.NHS_DARK_BLUE, strokeWidth=2).encode(
                y=alt.Y("p50:Q"), tooltip=tooltip
            )
        )
        layers.append(
            base.mark_line(color=palette.NHS_TEXT, strokeWidth=1.5, strokeDash=[6, 3]).encode(
                y=alt.Y("mean:Q")
            )
        )
        return alt.layer(*layers, width=palette.WIDTH, height=palette.HEIGHT)

    bands = "the darker band the 50% interval and the lighter band the 90% interval"
    return finish(
        draw,
        name=name,
        title=title,
        subtitle=(
            "The solid line is the median of the simulations and the dashed line their mean;",
            bands if quartiles else "the shaded band is the 90% interval.",
        ),
        description=description,
        table=_table(monthly, name, title, kind),
    )


def _table(monthly: pl.DataFrame, name: str, title: str, kind: ColumnKind) -> Table:
    shown = monthly.with_columns(pl.col("month").dt.strftime("%B %Y").alias("month_label"))
    return table_from_frame(
        shown,
        (
            Column("month_label", "Month", "text"),
            Column("mean", "Mean", kind),
            Column("p50", "Median", kind),
            Column("p05", "90% interval from", kind),
            Column("p95", "90% interval to", kind),
        ),
        name=name,
        caption=f"{title}: the forecast month by month",
    )
