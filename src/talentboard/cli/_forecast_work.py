"""The work of ``talentboard forecast`` once its options are checked: read, run, print."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import polars as pl
import typer
from rich.console import Console
from rich.table import Table

from talentboard.cli.app import CliError, engine_for, session_factory
from talentboard.cli.options import print_json
from talentboard.forecast import ForecastInputError, check_inputs
from talentboard.forecast.scenario import (
    BASELINE,
    Scenario,
    ScenarioError,
    load_scenario,
    load_sweep,
)
from talentboard.forecast.simulate import MEASURES
from talentboard.frames.register import RegisterFrames, load_register
from talentboard.frames.talent import load_successors

__all__ = ["backtest", "forecast", "sweep", "target"]

LABELS = {
    "exec_departures": "Executive departures (cumulative)",
    "exec_vacancy_rate": "Executive vacancy rate",
    "interim_cover_share": "Interim cover share",
    "appointments_needed": "Appointments needed (cumulative)",
    "ready_now_cover": "Vacancies filled by a ready-now successor",
    "bme_share_board_voting": "BME share of voting board members",
}
COUNTS = ("exec_departures", "appointments_needed")


@contextmanager
def _frames(db: str | None, at: dt.date) -> Iterator[tuple[RegisterFrames, pl.DataFrame]]:
    engine = engine_for(db)
    try:
        with session_factory(engine)() as session:
            register = load_register(session)
            successors = load_successors(session, at)
        yield register, successors
    finally:
        engine.dispose()


def _scenario(path: str | None) -> Scenario:
    if path is None:
        return BASELINE
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        raise CliError(str(exc), 2) from exc


def _checked(register: RegisterFrames, at: dt.date, horizon: int, replications: int) -> None:
    try:
        check_inputs(register, at, horizon, replications)
    except ForecastInputError as exc:
        raise CliError(str(exc), 2) from exc


def _shown(measure: str, value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if measure in COUNTS:
        return f"{value:,.1f}" if measure else str(value)
    return f"{100 * value:.1f}%"


def _table(title: str, measures: dict[str, dict[str, Any]]) -> Table:
    table = Table(title=title)
    for column in ("Measure", "Mean", "5th", "50th", "95th"):
        table.add_column(column, justify="left" if column == "Measure" else "right")
    for name in MEASURES:
        figures = measures[name]
        table.add_row(
            LABELS[name], *(_shown(name, figures[k]) for k in ("mean", "p05", "p50", "p95"))
        )
    return table


def _print_document(document: dict[str, Any]) -> None:
    console = Console()
    title = (
        f"Forecast as at {document['as_at']}, {document['horizon_months']} months ahead "
        f"({document['replications']:,} replications, seed {document['seed']}, "
        f"scenario {document['scenario']['name']})"
    )
    console.print(_table(title, document["measures"]))
    for group in document["groups"]:
        ((key, code),) = group["key"].items()
        console.print(_table(f"{key} {code}", group["measures"]))


def forecast(
    db: str | None,
    at: Any,
    horizon_months: int,
    replications: int,
    seed: int,
    scenario_path: str | None,
    by: str | None,
    level: str,
    *,
    exact: bool,
    as_json: bool,
) -> None:
    from talentboard.forecast import forecast_frames

    scenario = _scenario(scenario_path)
    with _frames(db, at) as (register, successors):
        _checked(register, at, horizon_months, replications)
        document = forecast_frames(
            register,
            successors,
            as_at=at,
            horizon_months=horizon_months,
            replications=replications,
            seed=seed,
            scenario=scenario,
            by=by,
            level=level,
            exact=exact,
        )
    if as_json:
        print_json(document)
    else:
        _print_document(document)


def target(
    db: str | None,
    at: Any,
    measure: str,
    value: float,
    by: dt.date,
    replications: int,
    seed: int,
    scenario_path: str | None,
    *,
    as_json: bool,
) -> None:
    from talentboard.forecast.run import prepare
    from talentboard.forecast.target import horizon_for, search_target

    scenario = _scenario(scenario_path)
    try:
        horizon = horizon_for(at, by)
    except ValueError as exc:
        raise CliError(str(exc), 2) from exc
    if horizon > 120:
        raise CliError(f"--by {by.isoformat()}: more than 120 months after --at", 2)
    with _frames(db, at) as (register, successors):
        _checked(register, at, horizon, replications)
        setup = prepare(register, successors, at, horizon)
        result = search_target(
            setup,
            measure,
            value,
            by,
            replications,
            seed,
            scenario,
            progress=None if as_json else lambda line: typer.echo(line, err=True),
        )
    document = result.to_json()
    if as_json:
        print_json(document)
        return
    typer.echo(
        f"Target: {measure} {'at least' if result.lever.higher else 'at most'} {value:.1%} "
        f"by {by.isoformat()} (from {at.isoformat()}, {horizon} months), moving {result.lever.key}."
    )
    for answer in document["answers"]:
        chance = f"{answer['probability']:.0%}"
        if not answer["reachable"]:
            typer.echo(f"With {chance} probability: not reachable within the lever's range.")
            continue
        typer.echo(
            f"With {chance} probability: {result.lever.key} = {answer['value']:.4f} "
            f"(chance {answer['chance']:.1%}). Trajectory (mean, 5th-95th percentile):"
        )
        for row in answer["monthly"]:
            figures = row[measure]
            typer.echo(
                f"  {row['month']}  {_shown(measure, figures['mean'])}  "
                f"({_shown(measure, figures['p05'])} - {_shown(measure, figures['p95'])})"
            )


def backtest(
    db: str | None,
    origins: list[dt.date],
    horizon_months: int,
    replications: int,
    seed: int,
    by: str,
    *,
    as_json: bool,
) -> None:
    from talentboard.forecast.backtest import backtest as run_backtest

    with _frames(db, max(origins)) as (register, successors):
        for origin in origins:
            _checked(register, origin, horizon_months, replications)
        result = run_backtest(
            register,
            successors,
            origins=origins,
            horizon_months=horizon_months,
            replications=replications,
            seed=seed,
            by=by,
        )
    document = result.to_json()
    if as_json:
        print_json(document)
        return
    table = Table(title=f"Backtest, {horizon_months} months ahead, by {by}")
    for column in (
        "Origin",
        "Measure",
        "Group",
        "Actual",
        "Mean",
        "90% interval",
        "Covered",
        "Naive",
    ):
        table.add_column(column)
    for row in document["rows"]:
        m = row["measure"]
        table.add_row(
            row["origin"],
            m,
            row["group"],
            _shown(m, row["actual"]),
            _shown(m, row["mean"]),
            f"{_shown(m, row['p05'])} - {_shown(m, row['p95'])}",
            {True: "yes", False: "no", None: "–"}[row["covered"]],
            _shown(m, row["naive"]),
        )
    console = Console()
    console.print(table)
    coverage = document["coverage"]
    mae = document["mae"]
    console.print(
        f"Coverage of the 90% intervals ({by}-by-origin cells): "
        + ", ".join(f"{k} {v:.0%}" for k, v in coverage.items() if v is not None)
    )
    if mae["forecast"] is not None:
        console.print(
            f"Mean absolute error of exec_departures: forecast {mae['forecast']:.2f}, "
            f"naive {mae['naive']:.2f}"
            + (f" ({mae['reduction']:.0%} lower)" if mae["reduction"] is not None else "")
        )


def sweep(
    db: str | None,
    at: Any,
    path: str,
    cluster: str | None,
    horizon_months: int,
    replications: int,
    seed: int,
    by: str | None,
    level: str,
    *,
    as_json: bool,
) -> None:
    from talentboard.forecast.run import prepare
    from talentboard.forecast.sweep import DaskMissingError
    from talentboard.forecast.sweep import sweep as run_sweep

    try:
        scenarios = load_sweep(path)
    except ScenarioError as exc:
        raise CliError(str(exc), 2) from exc
    with _frames(db, at) as (register, successors):
        _checked(register, at, horizon_months, replications)
        setup = prepare(register, successors, at, horizon_months, by=by, level=level)
    try:
        results = run_sweep(setup, scenarios, replications, seed, address=cluster)
    except DaskMissingError as exc:
        raise CliError(str(exc)) from exc
    documents = [r.to_json(exact=True) | {"level": level} for r in results]
    if as_json:
        print_json({"scenarios": documents})
        return
    for document in documents:
        _print_document(document)
