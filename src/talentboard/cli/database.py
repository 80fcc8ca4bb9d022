"""``talentboard db``: the database schema's revision, and migrating it to the newest."""

from __future__ import annotations

from typing import Annotated

import typer

from talentboard.cli.app import CliError, app, describe
from talentboard.cli.options import DbOption

database = typer.Typer(help="The database schema: show its revision, migrate it.")
app.add_typer(database, name="db")


def _known(revision: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    from talentboard.db.migrate import alembic_config

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


def _revision(db: str | None) -> tuple[str | None, str]:
    """The database's revision (None: no talentboard schema) and its URL for messages."""
    from sqlalchemy.exc import OperationalError

    from talentboard.db import current_revision, make_engine

    engine = make_engine(db)
    try:
        return current_revision(engine), engine.url.render_as_string(hide_password=True)
    except OperationalError as exc:
        raise CliError(describe(exc)) from exc
    finally:
        engine.dispose()


@database.command("current")
def current_command(db: DbOption = None) -> None:
    """Show the database's schema revision and the newest this talentboard has."""
    from talentboard.db import head_revision

    revision, url = _revision(db)
    head = head_revision()
    if revision is None:
        state = "no talentboard schema (run 'talentboard init')"
    elif revision == head:
        state = f"{revision} (the newest)"
    elif _known(revision):
        state = f"{revision}; {head} is the newest: run 'talentboard db upgrade'"
    else:
        state = f"{revision}, newer than this talentboard knows (its newest is {head})"
    typer.echo(f"{url}: schema revision {state}")


@database.command("upgrade")
def upgrade_command(
    to: Annotated[
        str, typer.Option("--to", help="The revision to migrate to (default: the newest).")
    ] = "head",
    db: DbOption = None,
) -> None:
    """Apply the migrations the database has not had yet, in one transaction.

    Take a backup first ('talentboard backup'). A database with no talentboard schema gets
    the whole schema ('talentboard init' also loads the NHS organisations).
    """
    from talentboard.db import head_revision, make_engine, upgrade

    before, url = _revision(db)
    target = head_revision() if to == "head" else to
    if not _known(target):
        raise CliError(f"--to {to!r}: not a revision this talentboard knows", 2)
    if before is not None and not _known(before):
        raise CliError(
            f"{url} is at schema revision {before}, newer than this talentboard knows (its "
            f"newest is {head_revision()}): upgrade talentboard instead",
            2,
        )
    if before == target:
        typer.echo(f"{url}: already at schema revision {target}; nothing to do.")
        return
    engine = make_engine(db)
    try:
        upgrade(engine, target)
    finally:
        engine.dispose()
    start = f"revision {before}" if before else "an empty database"
    typer.echo(f"{url}: migrated from {start} to schema revision {target}.")
