"""The trends section: SPC charts of the monthly headline figures.

The monthly figures are ``stability.series.series_figures`` at each month end up to the
report date (the ``figures_frame`` figures that are charted, as ``monthly_series`` takes
them), kept with the counts behind them so that disclosure control can withhold a month
whose count is small.

What a trend publishes (``trend_series``):

* with disclosure control (the report, and the web app for people without personal-data
  access) a month whose figure is withheld is a gap in the line and ``*`` in the table;
* the mean, process limits, special causes and the variation and assurance sentences
  are ``reports.publish.published_xmr`` of the published months only: no moving range is
  taken across a gap, and no run, trend or window of three spans one. Nothing drawn or
  tabulated depends on a withheld value;
* a figure with fewer than ``MIN_SPC_MONTHS`` published months, or fewer than
  ``MIN_SPC_MONTHS - 1`` moving ranges between them, has no chart: its months are shown
  as a table, with a note saying why.

Without disclosure control the same rules apply to the exact series, whose only gaps are
the months where a figure has no denominator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

import polars as pl

from talentboard.reports.charts import spc_chart
from talentboard.reports.model import Cell, ChartSpec, Column, Table, table_from_frame
from talentboard.reports.presenters import mid_sentence
from talentboard.reports.publish import (
    MIN_SPC_MONTHS,
    PublishedXmr,
    publish_figures,
    published_xmr,
)
from talentboard.reports.wording import assurance_sentence, variation_sentence
from talentboard.stability.calendar import month_ends
from talentboard.stability.groups import BoardRegister
from talentboard.stability.series import SERIES_METRICS, series_figures
from talentboard.stability.spc import SpcRules

__all__ = [
    "MIN_SPC_MONTHS",
    "SERIES_MONTHS",
    "SERIES_TITLES",
    "SPC_DISCLOSURE",
    "Trend",
    "monthly_figures",
    "series_table",
    "trend_series",
]

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

SPC_DISCLOSURE: Final = (
    "In the trend charts a month whose figure is withheld is a gap in the line and * in "
    "the table. The mean, process limits and special causes are worked out from the "
    "published months only, with no moving range taken across a gap, so they tell nothing "
    "about a withheld month. A figure with fewer than "
    f"{MIN_SPC_MONTHS} published months (or fewer than {MIN_SPC_MONTHS - 1} moving ranges "
    "between consecutive published months) is shown as a table, without a mean or limits."
)
"""The rule for published SPC charts, in words (the report's disclosure appendix)."""

_NOT_ASSESSED: Final = (
    "Variation: not assessed: too few months are published to work out process limits.",
    "Assurance: not assessed without process limits.",
)


@dataclass(frozen=True)
class Trend:
    """One headline figure's monthly series as published.

    ``chart`` is its SPC chart, or None when too few months are published for a mean and
    limits; ``table`` is the chart's table, or the table shown in its place, with notes
    saying which months are withheld and what the statistics are worked out from.
    ``variation`` and ``assurance`` are the sentences behind the two icons, from the
    published months only; ``xmr`` holds the statistics themselves.
    """

    metric: str
    title: str
    measure: str
    chart: ChartSpec | None
    table: Table
    variation: str
    assurance: str
    xmr: PublishedXmr

    @property
    def name(self) -> str:
        return f"spc_{self.metric}"


def monthly_figures(
    board: BoardRegister, at: dt.date, *, months: int = SERIES_MONTHS
) -> pl.DataFrame:
    """The overall ``SERIES_METRICS`` and their counts at each month end up to ``at``
    (column ``as_at``), oldest first: the rows ``monthly_series`` is made of, counts
    included. Rows of ``figures_frame`` with an ``as_at`` column serve as well."""
    return series_figures(board, month_ends(at, months)).sort("as_at")


def trend_series(
    monthly: pl.DataFrame, *, disclose: bool = True, rules: SpcRules | None = None
) -> tuple[Trend, ...]:
    """A ``Trend`` per ``SERIES_METRICS`` figure, from ``monthly_figures`` rows.

    With ``disclose`` (the default) the rows go through ``publish_figures`` first and
    every statistic comes from the published months only; without it (people with
    personal-data access) from the exact series.
    """
    shown = publish_figures(monthly) if disclose else monthly
    return tuple(
        _trend(shown, metric, higher_is_better, rules)
        for metric, higher_is_better in SERIES_METRICS.items()
    )


def _months(count: int) -> str:
    return f"{count} month" if count == 1 else f"{count} months"


def _notes(xmr: PublishedXmr, withheld: int) -> tuple[str, ...]:
    published = len(xmr.positions)
    notes: list[str] = []
    if xmr.chart is None:
        notes.append(
            "Not drawn as a statistical process control chart: "
            f"{_months(published)} of {xmr.months} have a published value, with "
            f"{xmr.moving_ranges} moving ranges between consecutive ones; a mean and process "
            f"limits need at least {MIN_SPC_MONTHS} months and {MIN_SPC_MONTHS - 1} moving "
            "ranges."
        )
    elif published < xmr.months:
        notes.append(
            "The mean, process limits and variation are worked out from the "
            f"{_months(published)} with a published value only; no moving range spans a "
            "month without one."
        )
    if withheld:
        verb = "is" if withheld == 1 else "are"
        notes.append(
            f"{withheld} of the {xmr.months} months {verb} withheld (*): the figure rests on "
            "a count too small to publish."
        )
    return tuple(notes)


def _trend(
    shown: pl.DataFrame, metric: str, higher_is_better: bool, rules: SpcRules | None
) -> Trend:
    title, measure = SERIES_TITLES[metric]
    months: list[dt.date] = shown["as_at"].to_list()
    values: list[float | None] = shown[metric].to_list()
    flag = f"{metric}_suppressed"
    withheld = shown[flag].to_list() if flag in shown.columns else [False] * len(values)
    xmr = published_xmr(values, higher_is_better=higher_is_better, rules=rules)
    notes = _notes(xmr, sum(withheld))
    name = f"spc_{metric}"
    if xmr.chart is None:
        frame = pl.DataFrame(
            {"month": months, "value": values, "value_suppressed": withheld},
            schema={"month": pl.Date, "value": pl.Float64, "value_suppressed": pl.Boolean},
        )
        table = table_from_frame(
            frame,
            (Column("month", "Month", "date"), Column("value", measure, "share")),
            name=name,
            caption=f"{title}: monthly values",
            notes=notes,
        )
        variation, assurance = _NOT_ASSESSED
        return Trend(metric, title, measure, None, table, variation, assurance, xmr)
    variation = variation_sentence(xmr.chart)
    latest = xmr.positions[-1]
    if latest != len(months) - 1:
        variation += f" This reads {months[latest]:%B %Y}, the latest month published."
    assurance = assurance_sentence(xmr.chart)
    chart = spc_chart(
        _chart_frame(months, values, withheld, xmr),
        name=name,
        title=title,
        measure=measure,
        variation=variation,
        assurance=assurance,
        description=" ".join(
            (
                f"Statistical process control chart of {mid_sentence(measure)} by month.",
                variation,
                assurance,
                *notes,
            )
        ),
    )
    chart = replace(chart, table=replace(chart.table, notes=notes))
    return Trend(metric, title, measure, chart, chart.table, variation, assurance, xmr)


def _chart_frame(
    months: Sequence[dt.date],
    values: Sequence[float | None],
    withheld: Sequence[bool],
    xmr: PublishedXmr,
) -> pl.DataFrame:
    """The frame ``spc_chart`` draws: every month, a withheld one with a null value (a
    gap in the line) and its variation withheld too."""
    assert xmr.chart is not None
    count = len(months)
    point_types: list[str | None] = [None] * count
    for index, position in enumerate(xmr.positions):
        point_types[position] = xmr.chart.point_variation[index]
    return pl.DataFrame(
        {
            "month": months,
            "value": values,
            "mean": [xmr.chart.mean] * count,
            "lower_limit": [xmr.chart.lower_limit] * count,
            "upper_limit": [xmr.chart.upper_limit] * count,
            "point_type": point_types,
            "value_suppressed": withheld,
            "variation_suppressed": withheld,
        },
        schema={
            "month": pl.Date,
            "value": pl.Float64,
            "mean": pl.Float64,
            "lower_limit": pl.Float64,
            "upper_limit": pl.Float64,
            "point_type": pl.String,
            "value_suppressed": pl.Boolean,
            "variation_suppressed": pl.Boolean,
        },
    )


def series_table(trends: Sequence[Trend]) -> Table:
    """All the SPC series in one long table (the workbook's *Series* sheet); a figure
    shown as a table only has no mean, limits or variation."""
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
    for trend in trends:
        keys = [c.key for c in trend.table.columns]
        for row in trend.table.rows:
            record = dict(zip(keys, row, strict=True))
            rows.append((trend.title, *(record.get(c.key) for c in columns[1:])))
    return Table(
        name="series",
        caption="Monthly series with their SPC mean, process limits and variation",
        columns=columns,
        rows=tuple(rows),
        notes=(
            "Mean, limits and variation are worked out from the published months only; "
            f"a figure with fewer than {MIN_SPC_MONTHS} published months has none.",
        ),
        sheet="Series",
    )
