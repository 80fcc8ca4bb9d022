"""``talentboard forecast``: vacancies, pipeline cover and board diversity ahead
(docs/forecast.md), with ``target``, ``backtest`` and ``sweep``.

Options are checked here (exit 2 with the option named); the work is in
``talentboard.cli._forecast_work``, imported when a command runs.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from talentboard.cli.app import CliError, app
from talentboard.cli.options import DbOption, Format, at_option, format_option, parse_date

__all__ = ["forecast_app"]

# ``talentboard.forecast`` limits, written out so that ``--help`` loads no analysis
# (tests/forecast/test_cli.py checks they agree).
MIN_REPLICATIONS = 100
MAX_REPLICATIONS = 1_000_000
MAX_HORIZON_MONTHS = 120


class By(StrEnum):
    region = "region"
    org = "org"
    role = "role"
    segment = "segment"


class Level(StrEnum):
    board = "board"
    senior = "senior"
    middle = "middle"
    frontline = "frontline"
    all = "all"


class TargetMeasure(StrEnum):
    bme_share_board_voting = "bme_share_board_voting"
    exec_vacancy_rate = "exec_vacancy_rate"


forecast_app = typer.Typer(
    name="forecast",
    help="Forecast vacancies, pipeline cover and board diversity (Monte Carlo).",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(forecast_app, name="forecast")

AtOption = Annotated[str | None, at_option("The as-at date (default today; 'demo').")]
HorizonOption = Annotated[
    int, typer.Option("--horizon-months", help=f"Months ahead, 1 to {MAX_HORIZON_MONTHS}.")
]
ReplicationsOption = Annotated[
    int,
    typer.Option(
        "--replications", help=f"Replications, {MIN_REPLICATIONS:,} to {MAX_REPLICATIONS:,}."
    ),
]
SeedOption = Annotated[
    int, typer.Option("--seed", help="Random seed: the same seed, the same run.")
]
LevelOption = Annotated[
    Level,
    typer.Option(
        "--level",
        help="Posts simulated: board (executive measures), senior, middle, frontline, all.",
    ),
]
ScenarioOption = Annotated[
    str | None, typer.Option("--scenario", help="A scenario TOML file (docs/forecast.md).")
]


def check_run(horizon_months: int, replications: int) -> None:
    """The contract's limits, before anything is read."""
    if not 1 <= horizon_months <= MAX_HORIZON_MONTHS:
        raise CliError(
            f"--horizon-months {horizon_months}: must be between 1 and {MAX_HORIZON_MONTHS}", 2
        )
    if not MIN_REPLICATIONS <= replications <= MAX_REPLICATIONS:
        raise CliError(
            f"--replications {replications}: must be between {MIN_REPLICATIONS:,} and "
            f"{MAX_REPLICATIONS:,}",
            2,
        )


def _at(at: str | None) -> object:
    import datetime as dt

    return dt.date.today() if at is None else parse_date(at, "--at")


@forecast_app.callback()
def forecast_command(
    ctx: typer.Context,
    at: AtOption = None,
    horizon_months: HorizonOption = 36,
    replications: ReplicationsOption = 1000,
    seed: SeedOption = 1,
    scenario: ScenarioOption = None,
    by: Annotated[By | None, typer.Option("--by", help="Break the figures down.")] = None,
    level: LevelOption = Level.board,
    published: Annotated[
        bool,
        typer.Option(
            "--published", help="Apply disclosure control, as for figures shown to viewers."
        ),
    ] = False,
    output: Annotated[Format, format_option()] = Format.table,
    db: DbOption = None,
) -> None:
    """Forecast the measures month by month (mean and 5th, 50th, 95th percentiles)."""
    if ctx.invoked_subcommand is not None:
        return
    check_run(horizon_months, replications)
    from talentboard.cli import _forecast_work

    _forecast_work.forecast(
        db,
        _at(at),
        horizon_months,
        replications,
        seed,
        scenario,
        by.value if by else None,
        level.value,
        exact=not published,
        as_json=output is Format.json,
    )


@forecast_app.command("target")
def target_command(
    measure: Annotated[TargetMeasure, typer.Argument(help="The measure to reach.")],
    value: Annotated[float, typer.Option("--value", help="The target value (a fraction).")],
    by: Annotated[str, typer.Option("--by", help="The date to reach it by.")],
    at: AtOption = None,
    replications: ReplicationsOption = 1000,
    seed: SeedOption = 1,
    scenario: ScenarioOption = None,
    output: Annotated[Format, format_option()] = Format.table,
    db: DbOption = None,
) -> None:
    """The least change that reaches a target with 50% and 80% probability."""
    if not 0.0 <= value <= 1.0:
        raise CliError(f"--value {value}: a share between 0 and 1", 2)
    check_run(1, replications)
    from talentboard.cli import _forecast_work

    _forecast_work.target(
        db,
        _at(at),
        measure.value,
        value,
        parse_date(by, "--by"),
        replications,
        seed,
        scenario,
        as_json=output is Format.json,
    )


@forecast_app.command("backtest")
def backtest_command(
    origins: Annotated[
        str, typer.Option("--origins", help="Origin dates, separated by commas.")
    ] = "2022-09-30,2023-09-30,2024-09-30",
    horizon_months: HorizonOption = 12,
    replications: ReplicationsOption = 1000,
    seed: SeedOption = 1,
    by: Annotated[By, typer.Option("--by", help="Groups compared.")] = By.region,
    output: Annotated[Format, format_option()] = Format.table,
    db: DbOption = None,
) -> None:
    """Forecast from the register as it stood at past dates, and compare with what happened."""
    check_run(horizon_months, replications)
    dates = [parse_date(o, "--origins") for o in origins.split(",") if o.strip()]
    if not dates:
        raise CliError("--origins: give at least one date", 2)
    from talentboard.cli import _forecast_work

    _forecast_work.backtest(
        db, dates, horizon_months, replications, seed, by.value, as_json=output is Format.json
    )


@forecast_app.command("sweep")
def sweep_command(
    scenarios: Annotated[str, typer.Argument(help="A TOML file of [[scenario]] tables.")],
    cluster: Annotated[
        str | None,
        typer.Option("--cluster", help="Dask scheduler address (default: a LocalCluster)."),
    ] = None,
    at: AtOption = None,
    horizon_months: HorizonOption = 36,
    replications: ReplicationsOption = 1000,
    seed: SeedOption = 1,
    by: Annotated[By | None, typer.Option("--by", help="Break the figures down.")] = None,
    level: LevelOption = Level.board,
    output: Annotated[Format, format_option()] = Format.table,
    db: DbOption = None,
) -> None:
    """Run every scenario of a file on Dask distributed, each (scenario, batch) one task."""
    check_run(horizon_months, replications)
    from talentboard.cli import _forecast_work

    _forecast_work.sweep(
        db,
        _at(at),
        scenarios,
        cluster,
        horizon_months,
        replications,
        seed,
        by.value if by else None,
        level.value,
        as_json=output is Format.json,
    )
