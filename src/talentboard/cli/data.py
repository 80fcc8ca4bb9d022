"""``talentboard import``, ``export`` and ``template``: data in and out as CSV or Excel.

An invalid file exits with code 2 and nothing written; every bad row is listed on stderr
(up to a screenful; ``--errors-out`` writes them all as CSV). A database failure during
the load exits with code 1, everything rolled back. ``--mapping MAP.toml`` reads or writes
a file in the user's own layout (``talentboard mapping suggest`` writes a first one); a
mapping that cannot be used exits with code 2, naming the mapping file and the key.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from talentboard.cli.app import CliError, app, engine_for, session_factory
from talentboard.cli.options import DbOption

if TYPE_CHECKING:
    from talentboard.ingest import ImportResult, Problem
    from talentboard.ingest.mapping import ColumnMap

SCREEN_LIMIT = 50

# The import kinds in load order, named here so that ``--help`` need not load their schemas
# (tests/cli/test_startup.py checks them against ``talentboard.ingest.KINDS``).
KIND_NAMES = (
    "organisations",
    "performance",
    "posts",
    "people",
    "appointments",
    "talent",
    "assessments",
    "succession",
    "opportunities",
    "conversations",
    "fppt",
    "appraisals",
    "indicator-definitions",
    "indicators",
)

KindArgument = Annotated[
    str,
    typer.Argument(
        metavar="KIND",
        help="What the file holds: " + ", ".join(KIND_NAMES) + ".",
        show_default=False,
    ),
]


MappingOption = Annotated[
    Path | None,
    typer.Option(
        "--mapping",
        metavar="MAP.toml",
        help="A mapping file: the file is in your own columns and values (see "
        "'talentboard mapping suggest').",
    ),
]


def _mapping(path: Path | None, kind: str) -> ColumnMap | None:
    """The mapping file at ``path``, checked against ``kind``; exit 2 when it is unusable."""
    if path is None:
        return None
    from talentboard.ingest import get_kind
    from talentboard.ingest.mapping import MappingError, check_mapping, read_mapping

    try:
        mapping = read_mapping(path)
        check_mapping(mapping, get_kind(kind))
    except MappingError as exc:
        raise CliError(str(exc), exit_code=2) from exc
    return mapping


def _kind(name: str) -> str:
    from talentboard.ingest import UnknownKindError, get_kind

    try:
        return get_kind(name).name
    except UnknownKindError as exc:
        raise CliError(str(exc), exit_code=2) from exc


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def _show_problems(problems: Sequence[Problem], errors_out: Path | None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=True, highlight=False)
    shown = problems[:SCREEN_LIMIT]
    if console.is_terminal:
        table = Table("row", "column", "value", "reason", title=f"Problems in {problems[0].file}")
        for p in shown:
            table.add_row(
                "" if p.row is None else str(p.row), p.column or "", p.value or "", p.reason
            )
        console.print(table)
    else:
        for p in shown:
            typer.echo(p.as_line(), err=True)
    hidden = len(problems) - len(shown)
    if hidden:
        where = f"see {errors_out}" if errors_out else "see --errors-out FILE.csv"
        typer.echo(f"... and {hidden:,} more, {where}", err=True)


def _show_counts(result: ImportResult) -> None:
    report = result.report
    if result.dry_run:
        typer.echo(
            f"{report.file}: {report.rows:,} rows, all valid. Dry run: nothing written; "
            "an import would give:"
        )
    else:
        typer.echo(f"Imported {report.file} ({report.rows:,} rows as {report.kind}):")
    for table, counts in result.counts.items():
        typer.echo(
            f"  {table}: {counts.inserted:,} inserted, {counts.updated:,} updated, "
            f"{counts.unchanged:,} unchanged"
        )


@app.command("import")
def import_command(
    kind: KindArgument,
    file: Annotated[Path, typer.Argument(help="A CSV or Excel file.", show_default=False)],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row and count changes; write nothing.")
    ] = False,
    errors_out: Annotated[
        Path | None,
        typer.Option(
            "--errors-out",
            metavar="FILE.csv",
            help="Write every problem found to this CSV file (file,row,column,value,reason).",
        ),
    ] = None,
    mapping: MappingOption = None,
    db: DbOption = None,
) -> None:
    """Import a CSV or Excel file of KIND: every row is checked first; all or nothing."""
    from talentboard.db import writing
    from talentboard.ingest import import_file, write_errors
    from talentboard.ingest.mapping import MappingError
    from talentboard.progress import reporter

    name = _kind(kind)
    chosen = _mapping(mapping, name)
    engine = engine_for(db)
    # An import reads what is stored to check the file, then writes: on SQLite it takes the
    # write lock from the start, so another import or edit waits for it (and it for them).
    sessions = session_factory(engine if dry_run else writing(engine))
    try:
        with reporter() as progress, sessions() as session:
            result = import_file(
                session, name, file, dry_run=dry_run, progress=progress, mapping=chosen
            )
    except MappingError as exc:
        raise CliError(str(exc), exit_code=2) from exc
    finally:
        engine.dispose()
    report = result.report
    if errors_out is not None:
        write_errors(report.problems, errors_out)
    for warning in report.warnings:
        typer.echo(f"Warning: {warning.as_line()}", err=True)
    if not report.ok:
        _show_problems(report.problems, errors_out)
        where = f" in {_plural(report.bad_rows, 'row')}" if report.bad_rows else ""
        raise CliError(
            f"{report.file}: {_plural(len(report.problems), 'problem')}{where}; "
            "nothing was imported",
            exit_code=2,
        )
    if result.failure:
        raise CliError(f"{report.file}: {result.failure}", exit_code=1)
    _show_counts(result)


@app.command("export")
def export_command(
    kind: KindArgument,
    file: Annotated[
        Path, typer.Argument(help="The file to write: .csv or .xlsx.", show_default=False)
    ],
    mapping: MappingOption = None,
    db: DbOption = None,
) -> None:
    """Write every stored row of KIND to a CSV or Excel file that imports back unchanged.

    With --mapping, in the mapping's own columns and values, so that importing it with the
    same mapping changes nothing.
    """
    from talentboard.ingest import WriteError, export_kind

    name = _kind(kind)
    chosen = _mapping(mapping, name)
    engine = engine_for(db)
    try:
        with session_factory(engine)() as session:
            count = export_kind(session, name, file, mapping=chosen)
    except WriteError as exc:
        raise CliError(str(exc), exit_code=2) from exc
    finally:
        engine.dispose()
    typer.echo(f"Exported {count:,} rows of {name} to {file}")


@app.command("template")
def template_command(
    kind: KindArgument,
    file: Annotated[
        Path, typer.Argument(help="The file to write: .csv or .xlsx.", show_default=False)
    ],
) -> None:
    """Write the columns of KIND and two example rows, to fill in and import."""
    from talentboard.ingest import WriteError, write_template

    name = _kind(kind)
    try:
        write_template(name, file)
    except WriteError as exc:
        raise CliError(str(exc), exit_code=2) from exc
    typer.echo(f"Wrote the {name} template to {file}")
