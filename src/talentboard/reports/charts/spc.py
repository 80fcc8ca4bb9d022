"""The SPC (XmR) chart, drawn the NHS Making Data Count way."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import polars as pl

from talentboard.reports import palette
from talentboard.reports.charts.base import drawn_once, finish
from talentboard.reports.model import ChartSpec, Column, ColumnKind, Table, table_from_frame
from talentboard.reports.presenters import mid_sentence

if TYPE_CHECKING:
    import altair as alt

__all__ = ["SPC_POINT_LABELS", "ValueKind", "spc_chart"]

ValueKind = Literal["share", "number", "years"]

SPC_POINT_LABELS: dict[str, str] = {
    "common_cause": "Common cause variation",
    "special_cause_improving": "Special cause: improvement",
    "special_cause_concerning": "Special cause: concern",
    "special_cause_neither": "Special cause: neither improvement nor concern",
}
"""Point types of an SPC chart (``stability.spc.Variation``) and their legend labels."""

_SPC_COLOURS = (
    palette.SPC_COMMON,
    palette.SPC_IMPROVEMENT,
    palette.SPC_CONCERN,
    palette.SPC_NEITHER,
)
_SPC_SHAPES = ("circle", "square", "diamond", "triangle-up")


def _axis_format(kind: ValueKind) -> str:
    # Monthly shares move by tenths of a percent: whole percents would repeat on the axis.
    return {"share": ".1%", "number": ",.0f", "years": ".1f"}[kind]


def _column_kind(kind: ValueKind) -> ColumnKind:
    kinds: dict[ValueKind, ColumnKind] = {"share": "share", "number": "number", "years": "years"}
    return kinds[kind]


def _month_base(data: pl.DataFrame) -> alt.Chart:
    import altair as alt

    return alt.Chart(data).encode(
        x=alt.X(
            "month:T",
            title="Month",
            axis=alt.Axis(format="%b %Y", labelAngle=0, labelOverlap="greedy", tickCount=6),
        )
    )


def _points(base: alt.Chart, measure: str, fmt: str) -> alt.Chart:
    """The monthly points, coloured and shaped by their type of variation."""
    import altair as alt

    labels = list(SPC_POINT_LABELS.values())
    points: alt.Chart = base.mark_point(filled=True, size=55, opacity=1).encode(
        y=alt.Y("value:Q"),
        color=alt.Color(
            "variation:N",
            scale=alt.Scale(domain=labels, range=list(_SPC_COLOURS)),
            legend=alt.Legend(title=None, columns=2),
        ),
        shape=alt.Shape("variation:N", scale=alt.Scale(domain=labels, range=list(_SPC_SHAPES))),
        tooltip=[
            alt.Tooltip("month:T", title="Month", format="%B %Y"),
            alt.Tooltip("value:Q", title=measure, format=fmt),
            alt.Tooltip("variation:N", title="Variation"),
        ],
    )
    return points


def _layers(
    data: pl.DataFrame, measure: str, kind: ValueKind, target: float | None
) -> list[alt.Chart]:
    """Process limits, mean, the line through the months, its points, then any target."""
    import altair as alt

    fmt = _axis_format(kind)
    base = _month_base(data)
    y_title = alt.Y(
        "value:Q", title=measure, axis=alt.Axis(format=fmt), scale=alt.Scale(zero=False)
    )
    limits = [
        base.mark_line(color=palette.NHS_MID_GREY, strokeDash=[5, 4], strokeWidth=1.5).encode(
            y=alt.Y(f"{field}:Q")
        )
        for field in ("lower_limit", "upper_limit")
    ]
    mean = base.mark_line(color="#000000", strokeWidth=1.5).encode(y=alt.Y("mean:Q"))
    line = base.mark_line(color=palette.SPC_COMMON, strokeWidth=1.5).encode(y=y_title)
    layers: list[alt.Chart] = [*limits, mean, line, _points(base, measure, fmt)]
    if target is not None:
        layers.append(
            drawn_once(alt.Chart(data))
            .mark_rule(color=palette.SPC_TARGET, strokeDash=[2, 2], strokeWidth=1.5)
            .encode(y=alt.datum(target))
        )
    return layers


def _series_table(
    data: pl.DataFrame, name: str, title: str, measure: str, kind: ValueKind
) -> Table:
    value_kind = _column_kind(kind)
    return table_from_frame(
        data,
        (
            Column("month", "Month", "date"),
            Column("value", measure, value_kind),
            Column("mean", "Mean", value_kind),
            Column("lower_limit", "Lower process limit", value_kind),
            Column("upper_limit", "Upper process limit", value_kind),
            Column("variation", "Variation", "text"),
        ),
        name=name,
        caption=f"{title}: monthly values, mean, process limits and variation",
    )


def spc_chart(
    series: pl.DataFrame,
    *,
    name: str,
    title: str,
    measure: str,
    variation: str,
    assurance: str,
    kind: ValueKind = "share",
    target: float | None = None,
    description: str | None = None,
) -> ChartSpec:
    """An XmR chart drawn the NHS Making Data Count way.

    ``series`` columns: ``month`` (date), ``value``, ``mean``, ``lower_limit``,
    ``upper_limit`` (floats; ``value`` null where withheld) and ``point_type``
    (``stability.spc.Variation`` of the point, a key of ``SPC_POINT_LABELS``; null where
    ``value`` is). ``variation`` and
    ``assurance`` are the sentences behind the variation and assurance icons (see
    ``reports.wording``); they go in the subtitle. ``kind`` says how values read
    (``share`` as a percentage). A ``target``, when given, is drawn as a red dashed line.
    """
    data = series.with_columns(
        pl.col("point_type").replace_strict(SPC_POINT_LABELS, default=None).alias("variation")
    )

    def draw() -> alt.LayerChart | alt.FacetChart:
        import altair as alt

        layers = _layers(data, measure, kind, target)
        return alt.layer(*layers, width=palette.WIDTH, height=palette.HEIGHT)

    key = (
        "Black line: mean. Dashed grey lines: process limits (mean ± 2.66 × the mean "
        "moving range)." + (" Red dotted line: target." if target is not None else "")
    )
    text = description or (
        f"Statistical process control chart of {mid_sentence(measure)} by month. "
        f"{variation} {assurance}"
    )
    return finish(
        draw,
        name=name,
        title=title,
        subtitle=(variation, assurance, key),
        description=text,
        table=_series_table(data, name, title, measure, kind),
    )
