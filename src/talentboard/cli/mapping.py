"""``talentboard mapping suggest``: a starting mapping for a file in your own layout."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from talentboard.cli.app import CliError, app
from talentboard.cli.data import KindArgument, _kind

mapping_app = typer.Typer(help="Mappings: import and export files in your own columns and values.")
app.add_typer(mapping_app, name="mapping")


@mapping_app.command("suggest")
def suggest_command(
    kind: KindArgument,
    file: Annotated[
        Path, typer.Argument(help="Your CSV or Excel file of KIND.", show_default=False)
    ],
    out: Annotated[
        Path,
        typer.Option("--out", metavar="MAP.toml", help="The mapping file to write."),
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace MAP.toml if it exists.")] = False,
) -> None:
    """Match FILE's headers to the columns of KIND and list the values left to map.

    Headers match ignoring case, spaces and punctuation, or as common synonyms (the
    Electronic Staff Record's among them). Values that carry an NHS Data Dictionary code
    or label, sex and yes/no words and dates map by themselves; every other value of a
    code column is listed in MAP.toml for you to fill in.
    """
    from talentboard.ingest import get_kind
    from talentboard.ingest.mapping import suggest
    from talentboard.ingest.read import ReadError, read_table

    name = _kind(kind)
    if out.exists() and not force:
        raise CliError(f"{out} already exists: choose another name, or add --force", 2)
    try:
        table = read_table(file, sheet=name)
    except ReadError as exc:
        raise CliError(f"{file.name}: {exc}", exit_code=2) from exc
    suggestion = suggest(get_kind(name), table, file.name)
    out.write_text(suggestion.to_toml(), encoding="utf-8")
    columns = suggestion.mapping.columns
    typer.echo(f"Wrote {out}: {len(columns)} columns of {name} found in {file.name}")
    for canonical, header in columns.items():
        typer.echo(f"  {canonical} = {header!r}")
    for canonical in suggestion.missing:
        typer.echo(f"  {canonical}: no column matched")
    for header in suggestion.unused:
        typer.echo(f"  {header!r}: matches no column; not read")
    for canonical, values in suggestion.unmapped.items():
        listed = ", ".join(f"{v!r} ({n})" for v, n in values)
        typer.echo(f"Values of {columns[canonical]!r} to map in [values.{canonical}]: {listed}")
