"""The work of ``talentboard outcomes`` once its options are parsed: read, fit, print.

Imported by the command when it runs, not when the application is built for ``--help``.
"""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from talentboard.cli.app import CliError, engine_for
from talentboard.frames import snapshot
from talentboard.frames.outcomes import load_indicators
from talentboard.outcomes import (
    CROSS_SECTION,
    PANEL,
    FitError,
    OutcomeFit,
    OutcomeInputs,
    UnknownChoiceError,
    check_choices,
    exposure_names,
    fit_outcome,
)
from talentboard.outcomes.contract import outcome_answer
from talentboard.outcomes.wording import association_sentence

__all__ = ["run"]

MODELS = {"ols_hc3": CROSS_SECTION, "panel": PANEL}


def _inputs(db: str | None) -> OutcomeInputs:
    engine = engine_for(db)
    try:
        with Session(engine) as session:
            return OutcomeInputs(snapshot.register(session), load_indicators(session))
    finally:
        engine.dispose()


def run(
    db: str | None, indicator: str, exposure: str, at: dt.date, model: str, output: str
) -> None:
    inputs = _inputs(db)
    model = MODELS[model]
    try:
        check_choices(inputs, indicator, exposure, model)
        if output == "json":
            answer = outcome_answer(inputs, indicator, exposure, at, model)
            typer.echo(json.dumps(answer, indent=2))
            return
        fits, failed = _fits(inputs, indicator, exposure, at, model)
    except UnknownChoiceError as exc:
        raise CliError(str(exc), exit_code=2) from exc
    except FitError as exc:
        prefix = "" if exposure == "all" else f"{indicator} on {exposure}: "
        raise CliError(f"{prefix}{exc}", exit_code=2) from exc
    _print_table(inputs, fits, failed)


def _fits(
    inputs: OutcomeInputs, indicator: str, exposure: str, at: dt.date, model: str
) -> tuple[list[OutcomeFit], list[tuple[str, str]]]:
    if exposure != "all":
        return [fit_outcome(inputs, indicator, exposure, at, model)], []
    fits: list[OutcomeFit] = []
    failed: list[tuple[str, str]] = []
    for name in exposure_names():
        try:
            fits.append(fit_outcome(inputs, indicator, name, at, model))
        except FitError as exc:
            failed.append((name, str(exc)))
    if not fits:
        reasons = "; ".join(f"{name}: {reason}" for name, reason in failed)
        raise FitError(f"{indicator}: no exposure can be fitted ({reasons})")
    return fits, failed


def _print_table(
    inputs: OutcomeInputs, fits: list[OutcomeFit], failed: list[tuple[str, str]]
) -> None:
    console = Console(highlight=False)
    first = fits[0]
    table = Table(
        "exposure",
        "coefficient",
        "95% interval",
        "p",
        "R²",
        "orgs",
        "left out",
        title=f"{first.indicator} at {first.as_at.isoformat()} ({first.model})",
    )
    for fit in fits:
        table.add_row(
            fit.exposure,
            f"{fit.coefficient:.4g}",
            f"{fit.ci_low:.4g} to {fit.ci_high:.4g}",
            f"{fit.p_value:.3g}",
            f"{fit.r_squared:.3f}",
            str(fit.n_orgs),
            str(fit.n_excluded),
        )
    for name, reason in failed:
        table.add_row(name, "-", reason, "", "", "", "")
    console.print(table)
    definitions = inputs.indicators.definitions
    definition = definitions.filter(pl.col("code") == first.indicator).row(0, named=True)
    for fit in fits:
        console.print(association_sentence(fit, definition["name"], definition["unit"]))
