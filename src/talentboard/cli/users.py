"""``talentboard users``: add, list and disable users of the web application; API tokens."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer

from talentboard.cli.app import CliError, DbOption, app, engine_for
from talentboard.db import session_factory
from talentboard.web import audit
from talentboard.web.accounts import (
    AccountError,
    add_demo_accounts,
    add_user,
    create_token,
    disable_user,
    list_users,
)

users = typer.Typer(help="Manage the users of the web application and their API tokens.")
app.add_typer(users, name="users")


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _read_password(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CliError(f"cannot read the password file {path}: {exc.strerror}", 2) from exc
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise CliError(f"the password file {path} is empty", 2)
    return lines[0]


@users.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The username.")],
    role: Annotated[str, typer.Option(help="national, regional, org_admin, viewer or individual.")],
    password_file: Annotated[
        Path, typer.Option("--password-file", help="A file whose first line is the password.")
    ],
    region: Annotated[
        str | None, typer.Option(help="NHS England region code (regional, viewer).")
    ] = None,
    org: Annotated[str | None, typer.Option(help="ODS code (org_admin, viewer).")] = None,
    person: Annotated[str | None, typer.Option(help="Person ID (individual).")] = None,
    db: DbOption = None,
) -> None:
    """Add a user; the password is read from a file so it never appears in a command line."""
    password = _read_password(password_file)
    engine = engine_for(db)
    with session_factory(engine).begin() as session:
        try:
            user = add_user(
                session,
                name,
                role=role,
                password=password,
                region_code=region,
                ods_code=org,
                person_id=person,
            )
        except AccountError as exc:
            raise CliError(str(exc), 2) from exc
        audit.record(
            session,
            username=_actor(),
            action="user_created",
            entity="user",
            key=user.username,
            source="cli",
            detail={"role": role},
        )
    typer.echo(f"Added {name} ({role}).")


@users.command("list")
def list_(db: DbOption = None) -> None:
    """List the users, their roles, scopes and whether they are active."""
    engine = engine_for(db)
    with session_factory(engine)() as session:
        rows = list_users(session)
        typer.echo("username\trole\tregion\torganisation\tperson\tactive")
        for user in rows:
            person = str(user.person_ref) if user.person_ref is not None else ""
            typer.echo(
                f"{user.username}\t{user.role}\t{user.region_code or ''}\t{user.ods_code or ''}"
                f"\t{person}\t{'yes' if user.active else 'no'}"
            )


@users.command("disable")
def disable(
    name: Annotated[str, typer.Argument(help="The username.")], db: DbOption = None
) -> None:
    """Disable a user: they can no longer sign in, and their API tokens are revoked."""
    engine = engine_for(db)
    with session_factory(engine).begin() as session:
        try:
            disable_user(session, name)
        except AccountError as exc:
            raise CliError(str(exc), 2) from exc
        audit.record(
            session,
            username=_actor(),
            action="user_disabled",
            entity="user",
            key=name,
            source="cli",
        )
    typer.echo(f"Disabled {name}; their API tokens are revoked.")


@users.command("token")
def token(name: Annotated[str, typer.Argument(help="The username.")], db: DbOption = None) -> None:
    """Make a new API token for a user and print it, as the last line; only a hash is kept."""
    engine = engine_for(db)
    with session_factory(engine).begin() as session:
        try:
            value = create_token(session, name)
        except AccountError as exc:
            raise CliError(str(exc), 2) from exc
        audit.record(
            session,
            username=_actor(),
            action="token_created",
            entity="user",
            key=name,
            source="cli",
        )
    typer.echo(f"New API token for {name} (shown once; send it as 'Authorization: Bearer TOKEN'):")
    typer.echo(value)


@users.command("demo")
def demo(db: DbOption = None) -> None:
    """Add one user of each role over the demo data, and print how to sign in as each."""
    engine = engine_for(db)
    with session_factory(engine).begin() as session:
        try:
            accounts = add_demo_accounts(session)
        except AccountError as exc:
            raise CliError(str(exc)) from exc
        for account in accounts:
            audit.record(
                session,
                username=_actor(),
                action="user_created",
                entity="user",
                key=account.username,
                source="cli",
                detail={"role": account.role, "demo": True},
            )
    typer.echo("Demo sign-in details (new passwords, shown once):")
    for account in accounts:
        typer.echo(
            f"  {account.role:<11} username {account.username:<16} "
            f"password {account.password}  ({account.scope})"
        )
