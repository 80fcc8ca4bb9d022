"""``talentboard audit``: list the audit trail of reads and changes."""

from __future__ import annotations

from typing import Annotated

import typer

from talentboard.cli.app import CliError, app, engine_for, session_factory
from talentboard.cli.options import DbOption, format_option, print_json


@app.command("audit")
def audit_command(
    output: Annotated[str, format_option("table or json (one JSON array).")] = "table",
    username: Annotated[str | None, typer.Option("--user", help="Only this user's events.")] = None,
    entity: Annotated[
        str | None, typer.Option(help="Only events about this kind of record (person, user, ...).")
    ] = None,
    key: Annotated[
        str | None, typer.Option(help="Only events about this record (a person ID, ODS code).")
    ] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many, newest first.")] = None,
    db: DbOption = None,
) -> None:
    """List who saw or changed what, when and from where, newest first."""
    if output not in ("table", "json"):
        raise CliError(f"unknown format {output!r}: use table or json", 2)
    from talentboard.web.audit import AuditFilter, as_json, list_events

    engine = engine_for(db)
    with session_factory(engine)() as session:
        events = [
            as_json(e)
            for e in list_events(
                session, AuditFilter(username=username, entity=entity, key=key, limit=limit)
            )
        ]
    if output == "json":
        print_json(events)
        return
    typer.echo("at\tusername\taction\tentity\tkey\tsource")
    for e in events:
        typer.echo(
            f"{e['at']}\t{e['username'] or ''}\t{e['action']}\t{e['entity']}\t{e['key'] or ''}"
            f"\t{e['source'] or ''}"
        )
