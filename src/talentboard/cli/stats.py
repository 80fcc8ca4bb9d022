"""``talentboard stats``: the board stability figures at a date (docs/metrics.md).

Exact figures for an administrator's use; anything published to people without
personal-data access goes through ``talentboard.stability.disclosure`` first.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated, Any

import typer

from talentboard.cli.app import CliError, app
from talentboard.cli.options import DbOption, at_option, format_option, parse_date

__all__ = ["stats"]

SERIES_MONTHS = 24


class Dimension(enum.StrEnum):
    role = "role"
    region = "region"
    org_kind = "org_kind"
    segment = "segment"
    org = "org"


class OutputFormat(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _dates(at: str | None, observed_from: str | None) -> tuple[dt.date, dt.date | None]:
    """``--at`` (default today) and ``--observed-from``, which cannot come after it."""
    as_at = parse_date(at, "--at") if at is not None else dt.date.today()
    truncation = parse_date(observed_from, "--observed-from") if observed_from else None
    if truncation is not None and truncation > as_at:
        raise CliError(
            f"--observed-from ({truncation.isoformat()}) is after --at ({as_at.isoformat()})", 2
        )
    return as_at, truncation


def _kept_answer(db: str | None, question: tuple[Any, ...]) -> str | None:
    """The output kept for ``question`` beside a current snapshot of a SQLite database,
    found from the file alone (``frames.kept``): the command then loads neither SQLAlchemy
    nor Polars."""
    from talentboard.config import database_url
    from talentboard.frames import kept

    path = kept.sqlite_path(database_url(db))
    if path is None or not kept.snapshots_enabled():
        return None
    folder = kept.current_sqlite_snapshot(path)
    return kept.answer(folder, question) if folder is not None else None


@app.command()
def stats(
    at: Annotated[
        str | None, at_option("As-at date, YYYY-MM-DD or DD/MM/YYYY (default: today).")
    ] = None,
    by: Annotated[
        Dimension | None, typer.Option(help="Break the figures down by this dimension.")
    ] = None,
    output: Annotated[OutputFormat, format_option()] = OutputFormat.table,
    observed_from: Annotated[
        str | None,
        typer.Option(
            help="Data collected from this date: earlier spells enter the tenure estimate "
            "at it (left truncation).",
        ),
    ] = None,
    model: Annotated[
        bool, typer.Option("--model", help="Fit the departure hazard model (Cox).")
    ] = False,
    series: Annotated[
        bool, typer.Option("--series", help="Monthly series with SPC (XmR) charts.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Board stability figures: vacancy, tenure, turnover and diversity (docs/metrics.md)."""
    as_at, truncation = _dates(at, observed_from)
    if output is OutputFormat.csv and model and series:
        raise CliError("--format csv prints one table: use --model or --series, not both", 2)
    dimension = by.value if by is not None else None
    question = (
        "stats",
        as_at.isoformat(),
        truncation.isoformat() if truncation is not None else None,
        dimension,
        output.value,
        model,
        series,
    )
    if output is not OutputFormat.table:
        # Piped output is the same on every run over the same data: it may have been kept.
        answer = _kept_answer(db, question)
        if answer is not None:
            typer.echo(answer, nl=False)
            return
    from talentboard.cli import _stats_work

    _stats_work.run(
        db, as_at, truncation, dimension, output, model=model, series=series, question=question
    )
