"""The trends section: SPC charts of the monthly headline figures, and exits over time.

The monthly figures are ``stability.board.figures_frame`` at each month end up to the
report date (as ``stability.series.monthly_series`` takes them), kept with the counts
behind them so that disclosure control can withhold a month whose count is small; the
XmR charts are ``stability.series.series_charts`` of the exact series.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import polars as pl

from talentboard.reports.charts import spc_chart
from talentboard.reports.model import Cell, ChartSpec, Column, Table
from talentboard.reports.publish import publish_figures
from talentboard.reports.wording import assurance_sentence, variation_sentence
from talentboard.stability.board import figures_frame
from talentboard.stability.calendar import month_ends
from talentboard.stability.groups import BoardRegister
from talentboard.stability.series import SERIES_METRICS, series_charts
from talentboard.stability.spc import XmrChart

__all__ = ["SERIES_MONTHS", "SERIES_TITLES", "monthly_figures", "series_table", "trend_charts"]

SERIES_MONTHS: Final = 24

SERIES_TITLES: Final = {
    "exec_vacancy_rate": ("Executive vacancy rate", "Vacancy rate"),
    "interim_cover_share": ("Executive posts under interim cover", "Interim cover"),
    "turnover_rate_12m": ("Executive turnover over the previous 12 months", "Turnover"),
    "bme_share_board_voting": (
        "Black and minority ethnic share of voting board members",
        "BME share",
    ),
}


def monthly_figures(
    board: BoardRegister, at: dt.date, *, months: int = SERIES_MONTHS
) -> pl.DataFrame:
    """The overall figures and their counts at each month end up to ``at`` (column
    ``as_at``), oldest first: the rows ``monthly_series`` is made of, counts included."""
    parts = [
        figures_frame(board, day).with_columns(as_at=pl.lit(day, dtype=pl.Date))
        for day in month_ends(at, months)
    ]
    return pl.concat(parts).sort("as_at")


def _series_frame(published: pl.DataFrame, exact: pl.DataFrame, metric: str) -> pl.DataFrame:
    """One metric's chart frame: published values, and the exact series' XmR chart."""
    chart = _chart(exact, metric)
    # The chart leaves out months without a value (a zero denominator): line its points
    # up with the months that have one.
    has_value = exact[metric].is_not_null().to_list()
    point_types: list[str | None] = []
    index = 0
    for present in has_value:
        if present:
            point_types.append(chart.point_variation[index])
            index += 1
        else:
            point_types.append(None)
    suppressed = published[f"{metric}_suppressed"].to_list()
    return pl.DataFrame(
        {
            "month": published["as_at"],
            "value": published[metric],
            "mean": [chart.mean] * published.height,
            "lower_limit": [chart.lower_limit] * published.height,
            "upper_limit": [chart.upper_limit] * published.height,
            "point_type": [
                None if hidden else kind
                for kind, hidden in zip(point_types, suppressed, strict=True)
            ],
            "value_suppressed": suppressed,
        },
        schema={
            "month": pl.Date,
            "value": pl.Float64,
            "mean": pl.Float64,
            "lower_limit": pl.Float64,
            "upper_limit": pl.Float64,
            "point_type": pl.String,
            "value_suppressed": pl.Boolean,
        },
    )


def _chart(exact: pl.DataFrame, metric: str) -> XmrChart:
    series = exact.select("as_at", pl.lit("all").alias("group"), *SERIES_METRICS)
    return series_charts(series)[metric]


def trend_charts(exact: pl.DataFrame) -> tuple[ChartSpec, ...]:
    """An SPC chart per ``SERIES_METRICS`` figure, from ``monthly_figures`` rows."""
    published = publish_figures(exact)
    charts = []
    for metric in SERIES_METRICS:
        title, measure = SERIES_TITLES[metric]
        xmr = _chart(exact, metric)
        charts.append(
            spc_chart(
                _series_frame(published, exact, metric),
                name=f"spc_{metric}",
                title=title,
                measure=measure,
                variation=variation_sentence(xmr),
                assurance=assurance_sentence(xmr),
            )
        )
    return tuple(charts)


def series_table(charts: tuple[ChartSpec, ...]) -> Table:
    """All the SPC series in one long table (the workbook's *Series* sheet)."""
    columns = (
        Column("measure", "Measure", "text"),
        Column("month", "Month", "date"),
        Column("value", "Value", "share"),
        Column("mean", "Mean", "share"),
        Column("lower_limit", "Lower process limit", "share"),
        Column("upper_limit", "Upper process limit", "share"),
        Column("variation", "Variation", "text"),
    )
    rows: list[tuple[Cell, ...]] = []
    for chart in charts:
        keys = [c.key for c in chart.table.columns]
        for row in chart.table.rows:
            record = dict(zip(keys, row, strict=True))
            rows.append((chart.title, *(record[c.key] for c in columns[1:])))
    return Table(
        name="series",
        caption="Monthly series with their SPC mean, process limits and variation",
        columns=columns,
        rows=tuple(rows),
        sheet="Series",
    )
