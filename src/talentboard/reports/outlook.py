"""The outlook: a forecast's fan charts, its figures at the horizon and the backtest's
coverage, as charts and tables for the board report and the web page.

Everything here reads the JSON documents of ``talentboard.forecast`` (``forecast_json``
and ``backtest_json``, docs/forecast.md) as they are given: published documents
(``exact=False``) have already passed disclosure control, a withheld figure being
``"*"``, and this module only lays them out (a withheld figure becomes ``SUPPRESSED``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import polars as pl

from talentboard.reference import regions
from talentboard.reports.charts.fan import fan_chart
from talentboard.reports.model import (
    SUPPRESSED,
    Cell,
    ChartSpec,
    Column,
    ColumnKind,
    Section,
    Table,
)
from talentboard.reports.presenters import format_cell, format_date

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = [
    "CHARTED",
    "MEASURES",
    "OUTLOOK_SHEETS",
    "Outlook",
    "backtest_origins",
    "backtest_table",
    "coverage_table",
    "fan_charts",
    "first_record",
    "horizon_table",
    "outlook_for",
    "outlook_section",
]

MEASURES: Final[dict[str, tuple[str, ColumnKind]]] = {
    "exec_departures": ("Executive departures (cumulative)", "count"),
    "exec_vacancy_rate": ("Executive vacancy rate", "share"),
    "interim_cover_share": ("Executive posts covered by an interim", "share"),
    "appointments_needed": ("Executive appointments needed (cumulative)", "count"),
    "ready_now_cover": ("Vacancies filled by a named ready-now successor", "share"),
    "bme_share_board_voting": ("BME share of voting board members", "share"),
}
"""The forecast's measures, in the order the tables list them, with label and kind."""

CHARTED: Final = ("exec_vacancy_rate", "bme_share_board_voting")
"""The measures drawn as fan charts."""

OUTLOOK_SHEETS: Final = {
    "outlook_exec_vacancy_rate": "Outlook vacancy rate",
    "outlook_bme_share_board_voting": "Outlook BME share",
}
"""The workbook's sheets of the report's fan charts' figures, by chart name."""

_FIGURES = ("mean", "p05", "p25", "p50", "p75", "p95")


def _month_end(text: str) -> dt.date:
    year, month = (int(part) for part in text.split("-"))
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _cell(value: Any) -> Cell:
    if isinstance(value, str):
        return SUPPRESSED
    if value is None:
        return None
    return float(value)


def monthly_frame(document: Mapping[str, Any], measure: str) -> pl.DataFrame:
    """One measure month by month: ``month`` and the figures, a withheld figure null with
    a ``<figure>_suppressed`` flag."""
    names = [n for n in _FIGURES if n in document["monthly"][0][measure]]
    columns: dict[str, list[Any]] = {"month": []}
    for name in names:
        columns[name] = []
        columns[f"{name}_suppressed"] = []
    for row in document["monthly"]:
        columns["month"].append(_month_end(row["month"]))
        for name in names:
            value = row[measure].get(name)
            columns[name].append(None if isinstance(value, str) else value)
            columns[f"{name}_suppressed"].append(isinstance(value, str))
    schema = {"month": pl.Date} | {
        key: pl.Boolean if key.endswith("_suppressed") else pl.Float64 for key in columns
    }
    return pl.DataFrame(columns, schema=schema | {"month": pl.Date})


def _description(document: Mapping[str, Any], measure: str, where: str) -> str:
    label, kind = MEASURES[measure]
    last = document["measures"][measure]
    figures = [format_cell(_cell(last.get(n)), kind) for n in ("p50", "p05", "p95")]
    month = _month_end(document["monthly"][-1]["month"]).strftime("%B %Y")
    if "*" in figures or "–" in figures:
        at_end = "The figures at the horizon are withheld or have no value."
    else:
        at_end = (
            f"By the end of {month} the median is "
            f"{figures[0]}, with a 90% interval from {figures[1]} to {figures[2]}."
        )
    start = format_date(dt.date.fromisoformat(document["as_at"]))
    return (
        f"{label} {where}, forecast month by month from {start} over "
        f"{document['replications']:,} simulations. {at_end}"
    )


def fan_charts(
    document: Mapping[str, Any], *, where: str, prefix: str = "outlook", label: str = ""
) -> tuple[ChartSpec, ...]:
    """The fan charts of ``CHARTED`` for one forecast document."""
    charts = []
    for measure in CHARTED:
        title, kind = MEASURES[measure]
        charts.append(
            fan_chart(
                monthly_frame(document, measure),
                name=f"{prefix}_{measure}",
                title=f"{title}{label}",
                value_label=title,
                kind=kind,
                description=_description(document, measure, where),
            )
        )
    return tuple(charts)


def _interval(figures: Mapping[str, Any], kind: ColumnKind) -> str:
    low, high = _cell(figures.get("p05")), _cell(figures.get("p95"))
    if low is SUPPRESSED or high is SUPPRESSED:
        return "*"
    if low is None or high is None:
        return "–"
    return f"{format_cell(low, kind)} to {format_cell(high, kind)}"


def horizon_table(
    documents: Sequence[tuple[str, Mapping[str, Any]]], *, name: str = "outlook_horizon"
) -> Table:
    """Each measure at the horizon: the mean and 90% interval of each (label, document)
    pair side by side (a baseline, and a scenario to compare with it)."""
    columns = [Column("measure", "Measure")]
    for label, _ in documents:
        columns += [Column(f"{label}_mean", f"{label}: mean", "text")]
        columns += [Column(f"{label}_interval", f"{label}: 90% interval", "text")]
    rows = []
    for measure, (title, kind) in MEASURES.items():
        row: list[Cell] = [title]
        for _, document in documents:
            figures = document["measures"][measure]
            row += [format_cell(_cell(figures.get("mean")), kind), _interval(figures, kind)]
        rows.append(tuple(row))
    months = documents[0][1]["horizon_months"]
    return Table(
        name=name,
        caption=f"The forecast {months} months ahead",
        columns=tuple(columns),
        rows=tuple(rows),
        notes=(
            "The 90% interval holds nine in ten of the simulated futures; * is a figure "
            "withheld because it rests on a small number of posts.",
        ),
        sheet="Outlook",
    )


def _group_name(code: str) -> str:
    if code == "all":
        return "England"
    return {r.code: r.name for r in regions()}.get(code, code)


def coverage_table(backtest: Mapping[str, Any], groups: Collection[str] | None = None) -> Table:
    """How often the backtest's 90% intervals covered what happened, per measure, over
    the group-by-origin cells of ``groups`` (every group but the total when None)."""
    cells = [
        row
        for row in backtest["rows"]
        if row["covered"] is not None
        and (row["group"] in groups if groups is not None else row["group"] != "all")
    ]
    rows: list[tuple[Cell, ...]] = []
    for measure in (*dict.fromkeys(r["measure"] for r in backtest["rows"]), None):
        mine = [r for r in cells if measure is None or r["measure"] == measure]
        covered = sum(1 for r in mine if r["covered"])
        label = "All measures" if measure is None else MEASURES[measure][0]
        rows.append((label, covered, len(mine), covered / len(mine) if mine else None))
    origins = ", ".join(format_date(dt.date.fromisoformat(o)) for o in backtest["origins"])
    return Table(
        name="outlook_coverage",
        caption="Backtest: how often the 90% interval covered what happened",
        columns=(
            Column("measure", "Measure"),
            Column("covered", "Covered", "count"),
            Column("cells", "Forecasts checked", "count"),
            Column("share", "Share covered", "share"),
        ),
        rows=tuple(rows),
        notes=(
            f"Forecasts made {backtest['horizon_months']} months ahead from {origins}, on "
            "the register as it stood then, compared with what happened; one forecast per "
            "region and date. About nine in ten should be covered.",
        ),
        sheet="Backtest",
    )


def backtest_table(backtest: Mapping[str, Any], groups: Collection[str] | None = None) -> Table:
    """The backtest row by row: origin, area, measure, actual, mean, interval, covered."""
    rows: list[tuple[Cell, ...]] = []
    for row in backtest["rows"]:
        if groups is not None and row["group"] not in groups:
            continue
        title, kind = MEASURES[row["measure"]]
        covered = {True: "Yes", False: "No", None: "–"}[row["covered"]]
        rows.append(
            (
                dt.date.fromisoformat(row["origin"]),
                _group_name(row["group"]),
                title,
                format_cell(_cell(row["actual"]), kind),
                format_cell(_cell(row["mean"]), kind),
                _interval(row, kind),
                covered,
                format_cell(_cell(row["naive"]), kind),
            )
        )
    return Table(
        name="outlook_backtest",
        caption="Backtest: each forecast against what happened",
        columns=(
            Column("origin", "Forecast from", "date"),
            Column("group", "Area"),
            Column("measure", "Measure"),
            Column("actual", "What happened"),
            Column("mean", "Forecast mean"),
            Column("interval", "90% interval"),
            Column("covered", "Covered"),
            Column("naive", "Last year repeated"),
        ),
        rows=tuple(rows),
        sheet="Backtest rows",
    )


def outlook_section(
    forecast: Mapping[str, Any],
    backtest: Mapping[str, Any] | None,
    *,
    where: str,
    groups: Collection[str] | None = None,
) -> Section:
    """The board report's "Outlook" section: the fan charts, the figures at the horizon
    and the backtest's coverage over ``groups``."""
    months = forecast["horizon_months"]
    paragraphs = [
        f"A forecast of the next {months} months {where}, from a simulation of every "
        "executive and voting board post run many times over: holders leave as people in "
        "comparable posts have left, vacancies last and are covered as they have been, "
        "and named ready-now successors fill them first. The bands hold the middle half "
        "and nine in ten of the simulated futures; the figures are published with the "
        "same disclosure control as the rest of the report."
    ]
    tables = [horizon_table([("Forecast", forecast)])]
    if backtest is not None:
        paragraphs.append(
            "How far to trust it: the same forecast made from earlier dates, on the register "
            "as it stood then, against what then happened."
        )
        tables.append(coverage_table(backtest, groups))
    return Section(
        "outlook",
        "Outlook",
        tuple(paragraphs),
        charts=fan_charts(forecast, where=where),
        tables=tuple(tables),
    )


@dataclass(frozen=True)
class Outlook:
    """The published forecast and backtest documents a report's "Outlook" shows, and the
    backtest groups that are the report's (its region's, or every region's)."""

    forecast: Mapping[str, Any]
    backtest: Mapping[str, Any] | None
    groups: tuple[str, ...] | None = None

    def section(self, where: str) -> Section:
        return outlook_section(self.forecast, self.backtest, where=where, groups=self.groups)


def backtest_origins(at: dt.date, first: dt.date | None, years: int = 3) -> list[dt.date]:
    """The backtest's origins: one, two and three years before ``at`` (a 12-month forecast
    from each is then over by ``at``), those on or after the first record, oldest first."""
    origins = []
    for back in range(years, 0, -1):
        year = at.year - back
        day = min(at.day, calendar.monthrange(year, at.month)[1])
        origin = dt.date(year, at.month, day)
        if first is None or origin >= first:
            origins.append(origin)
    return origins


REPORT_REPLICATIONS: Final = 500
BACKTEST_REPLICATIONS: Final = 200


def outlook_for(
    session: Session,
    at: dt.date,
    *,
    region_code: str | None = None,
    horizon_months: int = 36,
    replications: int = REPORT_REPLICATIONS,
    seed: int = 1,
) -> Outlook:
    """The published outlook of England or one region as at ``at``: the board-level
    forecast of its posts and the 12-month backtest by region (its own region's rows)."""
    from talentboard.forecast import backtest_json, forecast_json

    forecast = forecast_json(
        session,
        as_at=at,
        horizon_months=horizon_months,
        replications=replications,
        seed=seed,
        region=region_code,
        exact=False,
    )
    origins = backtest_origins(at, first_record(session))
    backtest = (
        backtest_json(
            session,
            origins=origins,
            horizon_months=12,
            replications=BACKTEST_REPLICATIONS,
            seed=seed,
            by="region",
            exact=False,
        )
        if origins
        else None
    )
    groups = None if region_code is None else (region_code,)
    return Outlook(forecast, backtest, groups)


def first_record(session: Session) -> dt.date | None:
    """The register's first record, as the forecast counts it: the earliest start."""
    from sqlalchemy import func, select

    from talentboard.db.models import Appointment

    return session.scalar(select(func.min(Appointment.start_date)))
