"""``talentboard cache``: the register snapshots kept between commands (frames.snapshot)."""

from __future__ import annotations

import typer

from talentboard.cli.app import app

__all__ = ["cache_app"]

cache_app = typer.Typer(
    name="cache",
    help="The register snapshots kept between commands, which hold personal data.",
    no_args_is_help=True,
)
app.add_typer(cache_app, name="cache")


@cache_app.command("clear")
def clear_command() -> None:
    """Delete every register snapshot (deleting the folder by hand is as safe)."""
    from talentboard.frames import snapshot

    folder, count = snapshot.clear()
    typer.echo(f"Removed the register snapshots of {count} database(s) from {folder}.")


@cache_app.command("where")
def where_command() -> None:
    """Print the folder the register snapshots are kept in."""
    from talentboard.frames import kept

    typer.echo(str(kept.snapshot_dir()))
