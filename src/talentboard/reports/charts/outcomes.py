"""An outcome indicator against a leadership exposure: the organisations, the fitted line
and its 95% interval band (docs/metrics.md, "Outcomes")."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from talentboard.outcomes import OutcomeFit
from talentboard.reports import palette
from talentboard.reports.charts.base import finish
from talentboard.reports.model import ChartSpec, Column, table_from_frame

if TYPE_CHECKING:
    import altair as alt

__all__ = ["outcome_chart", "peer_strip_chart"]

TABLE_POINTS = 5


def outcome_chart(
    fit: OutcomeFit,
    *,
    name: str,
    indicator_label: str,
    exposure_label: str,
    points: bool = True,
) -> ChartSpec:
    """A scatter of one point per organisation (unnamed), the fitted mean with other terms
    at their means, and its 95% interval as a shaded band.

    Without ``points`` only the line and band are drawn: for a reader who sees figures
    after disclosure control, since a point is one organisation's exact figures and its
    published indicator value can name it.
    """
    dots_data = fit.points.select("x", "y")
    line = fit.line

    def draw() -> alt.LayerChart | alt.FacetChart:
        import altair as alt

        x = alt.X("x:Q", title=exposure_label, scale=alt.Scale(nice=False, zero=False))
        band = (
            alt.Chart(line)
            .mark_area(opacity=0.2, color=palette.NHS_BLUE)
            .encode(x=x, y=alt.Y("lower:Q", title=indicator_label), y2=alt.Y2("upper:Q"))
        )
        fitted = (
            alt.Chart(line)
            .mark_line(color=palette.NHS_DARK_BLUE, strokeWidth=2)
            .encode(x=x, y=alt.Y("fitted:Q"))
        )
        dots = (
            alt.Chart(dots_data)
            .mark_circle(size=36, opacity=0.6, color=palette.NHS_DARK_GREY)
            .encode(x=x, y=alt.Y("y:Q", scale=alt.Scale(zero=False)))
        )
        layers = (dots, band, fitted) if points else (band, fitted)
        return alt.layer(*layers, width=palette.WIDTH, height=palette.HEIGHT)

    step = max(1, (line.height - 1) // (TABLE_POINTS - 1))
    shown = line.gather_every(step)
    table = table_from_frame(
        shown,
        (
            Column("x", exposure_label, "number"),
            Column("fitted", f"Fitted {indicator_label.lower()}", "number"),
            Column("lower", "95% interval, lower", "number"),
            Column("upper", "95% interval, upper", "number"),
        ),
        name=name,
        caption=f"The fitted line: {indicator_label} at values of {exposure_label.lower()}",
    )
    return finish(
        draw,
        name=name,
        title=f"{indicator_label} against {exposure_label.lower()}",
        subtitle=(
            (f"Each dot is an organisation ({fit.n_orgs}); " if points else "")
            + "the line is the fitted association after adjusting for kind and size, the "
            "band its 95% interval.",
        ),
        description=(
            f"{'A scatter' if points else 'The fitted line'} of {indicator_label.lower()} "
            f"against {exposure_label.lower()} for {fit.n_orgs} organisations"
            + (
                ", with the fitted line and its 95% interval band."
                if points
                else ", with its 95% interval band; organisations' own points are not shown."
            )
        ),
        table=table,
    )


def peer_strip_chart(strip: pl.DataFrame, *, name: str, organisation: str) -> ChartSpec:
    """Every organisation's latest value of each indicator nationally, one strip per
    indicator on its own scale, the organisation's own value marked.

    ``strip`` columns: ``indicator`` (its name), ``value``, ``own`` (the organisation's).
    """
    order = list(dict.fromkeys(strip["indicator"].to_list()))

    def draw() -> alt.FacetChart:
        import altair as alt

        ticks = (
            alt.Chart(strip)
            .mark_tick(thickness=2)
            .encode(
                x=alt.X("value:Q", title=None, scale=alt.Scale(zero=False)),
                color=alt.Color(
                    "own:N",
                    scale=alt.Scale(
                        domain=[False, True], range=[palette.NHS_MID_GREY, palette.NHS_DARK_PINK]
                    ),
                    legend=None,
                ),
                size=alt.Size(
                    "own:N", scale=alt.Scale(domain=[False, True], range=[12, 30]), legend=None
                ),
            )
            .properties(width=palette.WIDTH, height=18)
        )
        faceted: alt.FacetChart = ticks.facet(
            row=alt.Row(
                "indicator:N",
                title=None,
                sort=order,
                header=alt.Header(labelAngle=0, labelAlign="left", labelLimit=260),
            )
        ).resolve_scale(x="independent")
        return faceted

    own = strip.filter(pl.col("own")).select("indicator", "value")
    table = table_from_frame(
        own,
        (Column("indicator", "Indicator"), Column("value", f"{organisation}", "number")),
        name=name,
        caption=f"{organisation}'s latest value of each indicator",
    )
    return finish(
        draw,
        name=name,
        title="Where the organisation sits nationally",
        subtitle=(
            "Each grey mark is an organisation's latest value; the coloured mark is this "
            "organisation's. Each indicator has its own scale.",
        ),
        description=(
            f"Strip plots of every organisation's latest value of each indicator, with "
            f"{organisation}'s value marked."
        ),
        table=table,
    )
