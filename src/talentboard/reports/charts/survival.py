"""Kaplan-Meier survival curves by group."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from talentboard.reports import palette
from talentboard.reports.charts.base import CATEGORY_DASHES, drawn_once, finish
from talentboard.reports.model import ChartSpec, Column, Table, table_from_frame
from talentboard.reports.presenters import mid_sentence

if TYPE_CHECKING:
    import altair as alt

__all__ = ["survival_chart"]


def survival_chart(
    curves: pl.DataFrame,
    medians: pl.DataFrame,
    *,
    name: str,
    title: str,
    group_label: str,
    x_max: float | None = None,
    description: str | None = None,
) -> ChartSpec:
    """Kaplan-Meier curves by group: step lines with their 95% confidence bands.

    ``curves`` columns: ``group`` (label), ``years``, ``survival``, ``lower``, ``upper``
    (the step function, one row per time, from time 0). ``medians`` columns: ``group``,
    ``spells`` (count), ``median_years``, ``median_lower``, ``median_upper``; its row
    order sets the legend order, and it is the chart's table. ``x_max`` cuts the time
    axis (years) so that a long tail does not squeeze the years that matter.
    """
    groups = [str(g) for g in medians["group"].to_list()]
    colours = [palette.CATEGORICAL[i % len(palette.CATEGORICAL)] for i in range(len(groups))]

    def draw() -> alt.LayerChart | alt.FacetChart:
        import altair as alt

        x_scale = alt.Scale(nice=False) if x_max is None else alt.Scale(domain=[0, x_max])
        base = alt.Chart(curves).encode(
            x=alt.X("years:Q", title="Years since the spell began", scale=x_scale),
        )
        half = (
            drawn_once(alt.Chart(curves))
            .mark_rule(color=palette.NHS_DARK_GREY, strokeDash=[3, 3])
            .encode(y=alt.datum(0.5))
        )
        return alt.layer(
            _bands(base, group_label, groups, colours),
            _lines(base, group_label, groups, colours),
            half,
            width=palette.WIDTH,
            height=palette.HEIGHT,
        )

    text = description or (
        f"Kaplan-Meier curves of the share of executive spells still going, by "
        f"{mid_sentence(group_label)}, with 95% confidence bands. The dotted line marks half: "
        "where a curve crosses it is that group's median tenure."
    )
    return finish(
        draw,
        name=name,
        title=title,
        subtitle=(
            "Each line is the share of spells still going after the years on the axis; "
            "shaded bands are 95% intervals.",
            "Where a line crosses the dotted 50% line is the median tenure.",
        ),
        description=text,
        table=_medians_table(medians, name, title, group_label),
    )


def _legend(group_label: str) -> alt.Legend:
    import altair as alt

    return alt.Legend(
        title=group_label,
        symbolType="stroke",
        symbolOpacity=1,
        symbolStrokeWidth=2.5,
        symbolSize=400,
    )


def _bands(base: alt.Chart, group_label: str, groups: list[str], colours: list[str]) -> alt.Chart:
    """The 95% confidence bands, shaded in each group's colour."""
    import altair as alt

    bands: alt.Chart = base.mark_area(interpolate="step-after", opacity=0.15, clip=True).encode(
        y=alt.Y("lower:Q"),
        y2=alt.Y2("upper:Q"),
        # Fill, colour and dash share field and title, so Vega-Lite draws one legend.
        fill=alt.Fill(
            "group:N",
            title=group_label,
            scale=alt.Scale(domain=groups, range=colours),
            legend=_legend(group_label),
        ),
    )
    return bands


def _lines(base: alt.Chart, group_label: str, groups: list[str], colours: list[str]) -> alt.Chart:
    """The survival step lines, told apart by dash as well as colour."""
    import altair as alt

    dashes = [CATEGORY_DASHES[i % len(CATEGORY_DASHES)] for i in range(len(groups))]
    legend = _legend(group_label)
    colour = alt.Color(
        "group:N", title=group_label, scale=alt.Scale(domain=groups, range=colours), legend=legend
    )
    lines: alt.Chart = base.mark_line(interpolate="step-after", strokeWidth=2, clip=True).encode(
        y=alt.Y(
            "survival:Q",
            title="Share still in post",
            axis=alt.Axis(format=".0%"),
            scale=alt.Scale(domain=[0, 1]),
        ),
        color=colour,
        # Same field and title as the colour: Vega-Lite merges the two into one legend.
        strokeDash=alt.StrokeDash(
            "group:N",
            title=group_label,
            scale=alt.Scale(domain=groups, range=dashes),
            legend=legend,
        ),
        tooltip=[
            alt.Tooltip("group:N", title=group_label),
            alt.Tooltip("years:Q", title="Years", format=".1f"),
            alt.Tooltip("survival:Q", title="Still in post", format=".0%"),
        ],
    )
    return lines


def _medians_table(medians: pl.DataFrame, name: str, title: str, group_label: str) -> Table:
    return table_from_frame(
        medians,
        (
            Column("group", group_label, "text"),
            Column("spells", "Spells", "count"),
            Column("median_years", "Median (years)", "years"),
            Column("median_lower", "95% interval from", "years"),
            Column("median_upper", "95% interval to", "years"),
        ),
        name=name,
        caption=f"{title}: Kaplan-Meier median years in post, with 95% intervals",
        notes=("A median shown as a dash was not reached: over half are still in post.",),
    )
