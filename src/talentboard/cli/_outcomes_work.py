"""The work of ``talentboard outcomes`` once its options are parsed: read, fit, print.

Imported by the command when it runs, not when the application is built for ``--help``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

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
from talentboard.outcomes.wording import association_sentence

__all__ = ["outcome_json", "run"]

MODELS = {"ols_hc3": CROSS_SECTION, "panel": PANEL}
FIGURES = ("coefficient", "std_error", "ci_low", "ci_high", "p_value", "r_squared")


def _inputs(db: str | None) -> OutcomeInputs:
    engine = engine_for(db)
    try:
        with Session(engine) as session:
            return OutcomeInputs(snapshot.register(session), load_indicators(session))
    finally:
        engine.dispose()


def outcome_json(fit: OutcomeFit) -> dict[str, Any]:
    """The contract's object, with a figure that is not a number as null."""
    return {
        key: None if isinstance(value, float) and not math.isfinite(value) else value
        for key, value in fit.as_dict().items()
    }


def _unfitted(
    indicator: str, exposure: str, at: dt.date, model: str, reason: str
) -> dict[str, Any]:
    return {
        "indicator": indicator,
        "exposure": exposure,
        "as_at": at.isoformat(),
        "model": model,
        "n_orgs": None,
        "n_excluded": None,
        **dict.fromkeys(FIGURES),
        "adjusted_for": None,
        "reason": reason,
    }


def run(
    db: str | None, indicator: str, exposure: str, at: dt.date, model: str, output: str
) -> None:
    inputs = _inputs(db)
    model = MODELS[model]
    try:
        check_choices(inputs, indicator, exposure, model)
    except UnknownChoiceError as exc:
        raise CliError(str(exc), exit_code=2) from exc
    if exposure != "all":
        try:
            fit = fit_outcome(inputs, indicator, exposure, at, model)
        except FitError as exc:
            raise CliError(f"{indicator} on {exposure}: {exc}", exit_code=2) from exc
        _print(inputs, [fit], [], output)
        return
    fits: list[OutcomeFit] = []
    failed: list[tuple[str, str]] = []
    for name in exposure_names():
        try:
            fits.append(fit_outcome(inputs, indicator, name, at, model))
        except FitError as exc:
            failed.append((name, str(exc)))
    if not fits:
        reasons = "; ".join(f"{name}: {reason}" for name, reason in failed)
        raise CliError(f"{indicator}: no exposure can be fitted ({reasons})", exit_code=2)
    if output == "json":
        by_name = {f.exposure: outcome_json(f) for f in fits}
        by_name |= {n: _unfitted(indicator, n, at, model, r) for n, r in failed}
        typer.echo(json.dumps([by_name[n] for n in exposure_names()], indent=2))
        return
    _print(inputs, fits, failed, output)


def _print(
    inputs: OutcomeInputs, fits: list[OutcomeFit], failed: list[tuple[str, str]], output: str
) -> None:
    if output == "json":
        typer.echo(json.dumps(outcome_json(fits[0]), indent=2))
        return
    console = Console(highlight=False)
    table = Table(
        "exposure",
        "coefficient",
        "95% interval",
        "p",
        "R²",
        "orgs",
        "left out",
        title=f"{fits[0].indicator} at {fits[0].as_at.isoformat()} ({fits[0].model})",
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
    definition = inputs.indicators.definitions.filter(pl.col("code") == fits[0].indicator).row(
        0, named=True
    )
    for fit in fits:
        console.print(association_sentence(fit, definition["name"], definition["unit"]))
