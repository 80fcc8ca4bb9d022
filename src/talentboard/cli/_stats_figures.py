"""The figures of ``talentboard stats`` once the register is read: compute, format, print.

Imported by ``cli._stats_work`` while it reads the register (the analysis libraries load
meanwhile), not when the application is built for ``--help``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any

import polars as pl
from rich.console import Console
from rich.table import Table

from talentboard.cli.app import CliError
from talentboard.cli.stats import SERIES_MONTHS, OutputFormat
from talentboard.formulas import escape_csv
from talentboard.frames.register import RegisterFrames
from talentboard.stability.board import (
    FIGURE_LABELS,
    FIGURE_NAMES,
    BoardFigures,
    board_figures,
    board_figures_by,
)
from talentboard.stability.cox import CoxFitError
from talentboard.stability.groups import group_labels, prepare_board
from talentboard.stability.hazard import HazardModel, departure_model
from talentboard.stability.metrics import BY_NAME, SHARES, SHORT_LABELS, frame_columns
from talentboard.stability.series import SERIES_METRICS, monthly_series, series_charts
from talentboard.stability.spc import XmrChart

__all__ = ["answer"]


def _chart_dict(chart: XmrChart, dates: list[str]) -> dict[str, Any]:
    return {
        "higher_is_better": chart.higher_is_better,
        "mean": chart.mean,
        "mean_moving_range": chart.mean_moving_range,
        "lower_limit": chart.lower_limit,
        "upper_limit": chart.upper_limit,
        "target": chart.target,
        "variation": chart.variation,
        "assurance": chart.assurance,
        "points": [
            {"as_at": day, "value": value, "special_cause": list(rules), "side": side}
            for day, value, rules, side in zip(
                dates, chart.values, chart.rules, chart.sides, strict=True
            )
        ],
    }


def _series_payload(series: Any, charts: dict[str, XmrChart]) -> dict[str, Any]:
    payload = {}
    for metric in SERIES_METRICS:
        rows = series.filter(series[metric].is_not_null())
        dates = [d.isoformat() for d in rows["as_at"].to_list()]
        payload[metric] = _chart_dict(charts[metric], dates)
    return payload


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _years(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} years"


def _display(name: str, figures: BoardFigures) -> str:
    value = getattr(figures, name)
    if name in SHARES:
        return _percent(value)
    unit = BY_NAME[name].unit
    if unit == "years":
        return _years(value)
    if unit == "interval":
        low, high = value
        if low is None and high is None:
            return "–"
        upper = "not reached" if high is None else f"{high:.2f}"
        lower = "–" if low is None else f"{low:.2f}"
        return f"{lower} to {upper} years"
    if unit == "points":
        return "–" if value is None else f"{value:+.1f} percentage points"
    if value is None:
        return "– (needs spells in both groups)"
    return f"chi-squared {value.statistic:.2f}, p = {value.p_value:.3f}"


def _print_tables(
    console: Console,
    figures: BoardFigures,
    by: str | None,
    groups: dict[str, BoardFigures],
    labels: dict[str, str],
) -> None:
    table = Table(title=f"Board stability as at {figures.as_at:%d %B %Y}")
    table.add_column("Figure")
    table.add_column("Value", justify="right")
    for name in FIGURE_NAMES:
        table.add_row(FIGURE_LABELS[name], _display(name, figures))
    console.print(table)
    console.print(
        "The snapshot (how long current holders have served so far) is biased both ways: "
        "long spells are over-represented on any date, and spells in progress count only "
        "to date. The Kaplan-Meier median counts every spell, finished or not "
        "(docs/metrics.md)."
    )
    if by is None:
        return
    detail = Table(title=f"By {by.replace('_', ' ')}")
    detail.add_column("Organisation" if by == "org" else by.replace("_", " ").capitalize())
    for name in SHORT_LABELS:
        detail.add_column(SHORT_LABELS[name], justify="right")
    for code, group in groups.items():
        cells = []
        for name in SHORT_LABELS:
            value = getattr(group, name)
            if name == "tenure_logrank_challenged":
                cells.append("–" if value is None else f"{value.p_value:.3f}")
            elif value is None:
                cells.append("–")
            elif name in SHARES:
                cells.append(f"{100 * value:.1f}")
            elif name == "wres9_gap_pp":
                cells.append(f"{value:+.1f}")
            else:
                cells.append(f"{value:.2f}")
        detail.add_row(code if by == "org" else labels[code], *cells)
    console.print(detail)


def _level_label(factor: str, level: str, frames: RegisterFrames) -> str:
    """A factor level in plain English (role labels, region names, "Segment 3")."""
    if factor == "professional_background":
        return level.replace("_", " ").capitalize()
    return group_labels(factor, [level], frames)[0]


def _print_model(console: Console, model: HazardModel, frames: RegisterFrames) -> None:
    def label(factor: str, level: str) -> str:
        return _level_label(factor, level, frames)

    table = Table(
        title=(
            f"Departure hazard model: {model.spells} executive spells, "
            f"{model.departures} departures"
        )
    )
    for column in ("Factor", "Level", "Against", "Hazard ratio", "95% interval", "p"):
        table.add_column(column, justify="right" if column[0] in "H9p" else "left")
    for r in model.ratios:
        table.add_row(
            r.factor.replace("_", " "),
            label(r.factor, r.level),
            label(r.factor, r.reference),
            f"{r.hazard_ratio:.2f}",
            f"{r.lower:.2f} to {r.upper:.2f}",
            f"{r.p_value:.3f}",
        )
    console.print(table)
    for factor, levels in model.pooled.items():
        console.print(
            f"{factor.replace('_', ' ')}: {', '.join(label(factor, v) for v in levels)} pooled "
            f"with {label(factor, model.references[factor])} (too few departures to estimate)."
        )
    for factor, levels in model.aliased.items():
        console.print(
            f"{factor.replace('_', ' ')}: {', '.join(label(factor, v) for v in levels)} not "
            "estimated (the other factors already determine it)."
        )


def _print_series(console: Console, charts: dict[str, XmrChart]) -> None:
    table = Table(title=f"Monthly series ({SERIES_MONTHS} months), SPC")
    for column in ("Figure", "Latest", "Mean", "Process limits", "Variation", "Assurance"):
        table.add_column(column)
    for metric, chart in charts.items():
        limits = (
            "–"
            if chart.lower_limit is None or chart.upper_limit is None
            else f"{_percent(chart.lower_limit)} to {_percent(chart.upper_limit)}"
        )
        table.add_row(
            FIGURE_LABELS[metric],
            _percent(chart.values[-1]) if chart.values else "–",
            _percent(chart.mean),
            limits,
            (chart.variation or "–").replace("_", " "),
            (chart.assurance or "no target").replace("_", " "),
        )
    console.print(table)


def _csv_rows(figures: BoardFigures) -> list[Any]:
    values = figures.figures()
    row: list[Any] = []
    for name in FIGURE_NAMES:
        value = values[name]
        if BY_NAME[name].unit == "interval":
            row.extend(value)
        elif name == "tenure_logrank_challenged":
            row.extend([None, None] if value is None else [value["statistic"], value["p_value"]])
        else:
            row.append(value)
    return row


def _csv_header() -> list[str]:
    return ["as_at", "dimension", "group", "label", *frame_columns()]


@dataclass(frozen=True)
class _Results:
    """What ``stats`` worked out, for whichever output format is asked for."""

    frames: RegisterFrames
    as_at: dt.date
    truncation: dt.date | None
    dimension: str | None
    overall: BoardFigures
    groups: dict[str, BoardFigures]
    labels: dict[str, str]
    hazard: HazardModel | None
    monthly: pl.DataFrame | None
    charts: dict[str, XmrChart]


def _work_out(
    frames: RegisterFrames,
    as_at: dt.date,
    truncation: dt.date | None,
    dimension: str | None,
    *,
    model: bool,
    series: bool,
) -> _Results:
    board = prepare_board(frames)
    overall = board_figures(board, as_at, observed_from=truncation)
    groups = (
        board_figures_by(board, as_at, dimension, observed_from=truncation) if dimension else {}
    )
    labels = dict(zip(groups, group_labels(dimension, list(groups), frames), strict=True))
    hazard = None
    if model:
        try:
            hazard = departure_model(board, as_at, observed_from=truncation)
        except CoxFitError as exc:
            raise CliError(f"the departure hazard model cannot be fitted: {exc}") from exc
    monthly = monthly_series(board, as_at, months=SERIES_MONTHS) if series else None
    # The board's BME share is charted against the workforce's, its target.
    targets = (
        None
        if overall.bme_share_workforce is None
        else {"bme_share_board_voting": overall.bme_share_workforce}
    )
    return _Results(
        frames=frames,
        as_at=as_at,
        truncation=truncation,
        dimension=dimension,
        overall=overall,
        groups=groups,
        labels=labels,
        hazard=hazard,
        monthly=monthly,
        charts=series_charts(monthly, targets=targets) if monthly is not None else {},
    )


def _json_text(results: _Results) -> str:
    payload: dict[str, Any] = results.overall.as_dict()
    if results.dimension:
        payload["by"] = {
            results.dimension: {code: f.figures() for code, f in results.groups.items()}
        }
    if results.truncation is not None:
        payload["observed_from"] = results.truncation.isoformat()
    if results.hazard is not None:
        payload["hazard_model"] = results.hazard.as_dict()
    if results.monthly is not None:
        payload["series"] = _series_payload(results.monthly, results.charts)
    return json.dumps(payload, indent=2, allow_nan=False) + "\n"


def _csv_text(results: _Results) -> str:
    """One table: the hazard model, else the monthly series, else the figures by group."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if results.hazard is not None:
        writer.writerow(
            ["factor", "level", "reference", "hazard_ratio", "lower", "upper", "p_value"]
        )
        for r in results.hazard.ratios:
            writer.writerow(
                [r.factor, r.level, r.reference, r.hazard_ratio, r.lower, r.upper, r.p_value]
            )
    elif results.monthly is not None:
        writer.writerow(["as_at", *SERIES_METRICS])
        for row in results.monthly.iter_rows():
            writer.writerow([row[0].isoformat(), *row[2:]])
    else:
        as_at = results.as_at.isoformat()
        writer.writerow(_csv_header())
        writer.writerow([as_at, "all", "all", "All organisations", *_csv_rows(results.overall)])
        for code, figures in results.groups.items():
            # A group's label is an organisation's name: text, never a formula.
            writer.writerow(
                [
                    as_at,
                    results.dimension,
                    escape_csv(code),
                    escape_csv(results.labels[code]),
                    *_csv_rows(figures),
                ]
            )
    return buffer.getvalue()


def _print_rich(results: _Results) -> None:
    # Piped output is not wrapped to a terminal's width: the table by group is wide.
    console = Console() if Console().is_terminal else Console(width=220)
    _print_tables(console, results.overall, results.dimension, results.groups, results.labels)
    if results.truncation is not None:
        console.print(f"Tenure observed from {results.truncation:%d %B %Y} (left truncation).")
    if results.hazard is not None:
        _print_model(console, results.hazard, results.frames)
    if results.charts:
        _print_series(console, results.charts)


def answer(
    frames: RegisterFrames,
    as_at: dt.date,
    truncation: dt.date | None,
    dimension: str | None,
    output: OutputFormat,
    *,
    model: bool,
    series: bool,
) -> str | None:
    """Work the figures out from ``frames``: the text to print in ``output``'s format, or
    None when the figures were printed as tables (to a terminal or not)."""
    results = _work_out(frames, as_at, truncation, dimension, model=model, series=series)
    if output is OutputFormat.table:
        _print_rich(results)
        return None
    return _TEXTS[output](results)


_TEXTS = {
    OutputFormat.json: _json_text,
    OutputFormat.csv: _csv_text,
}
