"""Exit reasons over time."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import polars as pl

from talentboard.reports import palette
from talentboard.reports.charts.base import finish
from talentboard.reports.model import ChartSpec, Column, Table, table_from_frame

if TYPE_CHECKING:
    import altair as alt

__all__ = ["exit_reasons_chart"]


def exit_reasons_chart(
    exits: pl.DataFrame,
    *,
    reasons: Sequence[str],
    name: str = "exit_reasons",
    title: str = "Why executive spells ended",
    description: str | None = None,
    combined: str | None = None,
) -> ChartSpec:
    """Stacked bars of spells ended per period, split by exit reason.

    ``exits`` columns: ``period`` (label, drawn in row order of first appearance),
    ``end_reason`` (label, one of ``reasons``, which sets the colour order) and
    ``spells`` (count, null where withheld). The table has one row per period and one
    column per reason. ``combined``, when given, is the reason label of counts withheld
    by disclosure control and added together; it is drawn in grey.
    """
    periods: list[str] = list(dict.fromkeys(str(p) for p in exits["period"].to_list()))
    colours = [
        palette.NHS_MID_GREY
        if reason == combined
        else palette.CATEGORICAL[i % len(palette.CATEGORICAL)]
        for i, reason in enumerate(reasons)
    ]

    def draw() -> alt.Chart:
        import altair as alt

        bars = (
            alt.Chart(exits)
            .transform_filter("isValid(datum.spells)")
            .mark_bar(stroke="#FFFFFF", strokeWidth=0.5)
            .encode(
                x=alt.X("period:O", title=None, sort=periods, axis=alt.Axis(labelAngle=0)),
                y=alt.Y("sum(spells):Q", title="Executive spells ended", stack="zero"),
                color=alt.Color(
                    "end_reason:N",
                    title="Reason",
                    scale=alt.Scale(domain=list(reasons), range=colours),
                    legend=alt.Legend(title=None, columns=3),
                ),
                order=alt.Order("reason_order:Q"),
                tooltip=[
                    alt.Tooltip("period:O", title="Period"),
                    alt.Tooltip("end_reason:N", title="Reason"),
                    alt.Tooltip("spells:Q", title="Spells ended", format=",.0f"),
                ],
            )
            .transform_calculate(
                reason_order=f"indexof({json.dumps(list(reasons))}, datum.end_reason)"
            )
        )
        chart: alt.Chart = bars.properties(width=palette.WIDTH, height=palette.HEIGHT)
        return chart

    text = description or (
        "Stacked bar chart of executive spells that ended in each period, coloured by the "
        "recorded reason; forced exits (dismissed or forced out) are one of the reasons."
    )
    return finish(
        draw,
        name=name,
        title=title,
        subtitle=("Executive spells ended in each period, by the reason recorded.",),
        description=text,
        table=_exit_table(exits, periods, reasons, name=name, title=title),
    )


def _exit_table(
    exits: pl.DataFrame, periods: list[str], reasons: Sequence[str], *, name: str, title: str
) -> Table:
    flag = "spells_suppressed"
    cells: dict[tuple[str, str], Any] = {}
    for record in exits.iter_rows(named=True):
        suppressed = bool(record.get(flag))
        cells[(str(record["period"]), str(record["end_reason"]))] = (
            record["spells"],
            suppressed,
        )
    wide: dict[str, list[Any]] = {"period": periods}
    for index, reason in enumerate(reasons):
        values, flags = [], []
        for period in periods:
            value, suppressed = cells.get((period, reason), (0, False))
            values.append(value)
            flags.append(suppressed)
        wide[f"r{index}"] = values
        wide[f"r{index}_suppressed"] = flags
    frame = pl.DataFrame(wide, strict=False)
    columns = (
        Column("period", "Period", "text"),
        *(Column(f"r{i}", reason, "count") for i, reason in enumerate(reasons)),
    )
    return table_from_frame(
        frame, columns, name=name, caption=f"{title}: spells ended by period and reason"
    )
