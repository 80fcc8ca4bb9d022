"""``talentboard users``: add, list and disable users of the web application; API tokens."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from talentboard.cli.app import CliError, app, engine_for, session_factory
from talentboard.cli.options import DbOption, org_option, region_option

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

users = typer.Typer(help="Manage the users of the web application and their API tokens.")
app.add_typer(users, name="users")


@contextmanager
def _accounts(db: str | None, exit_code: int = 2) -> Iterator[Session]:
    """One transaction on the accounts; an account error ends it with ``exit_code``."""
    from talentboard.web.accounts import AccountError

    engine = engine_for(db)
    with session_factory(engine).begin() as session:
        try:
            yield session
        except AccountError as exc:
            raise CliError(str(exc), exit_code) from exc


def _audit(session: Session, action: str, key: str, detail: dict[str, Any] | None = None) -> None:
    """Audit a change made from the command line, as the system user who ran it."""
    from talentboard.web import audit

    audit.record(
        session,
        username=f"cli:{getpass.getuser()}",
        action=action,
        entity="user",
        key=key,
        source="cli",
        detail=detail,
    )


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
        Path | None,
        typer.Option(
            "--password-file",
            help="A file whose first line is the password (not needed with --email).",
        ),
    ] = None,
    region: Annotated[
        str | None, region_option("NHS England region code (regional, viewer).")
    ] = None,
    org: Annotated[str | None, org_option("ODS code (org_admin, viewer).")] = None,
    person: Annotated[str | None, typer.Option(help="Person ID (individual).")] = None,
    email: Annotated[
        str | None,
        typer.Option(help="Email address, matched on single sign-on's verified email claim."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Add a user; the password is read from a file so it never appears in a command line.

    With --email and no --password-file, the user signs in only through single sign-on.
    """
    from talentboard.web.accounts import add_user

    password = _read_password(password_file) if password_file is not None else None
    with _accounts(db) as session:
        user = add_user(
            session,
            name,
            role=role,
            password=password,
            region_code=region,
            ods_code=org,
            person_id=person,
            email=email,
        )
        _audit(session, "user_created", user.username, {"role": role})
    typer.echo(f"Added {name} ({role}).")


@users.command("list")
def list_(db: DbOption = None) -> None:
    """List the users, their roles, scopes and whether they are active."""
    from talentboard.web.accounts import list_users, sign_in_methods

    engine = engine_for(db)
    with session_factory(engine)() as session:
        rows = list_users(session)
        typer.echo("username\trole\tregion\torganisation\tperson\tactive\tsigns in with")
        for user in rows:
            person = str(user.person_ref) if user.person_ref is not None else ""
            typer.echo(
                f"{user.username}\t{user.role}\t{user.region_code or ''}\t{user.ods_code or ''}"
                f"\t{person}\t{'yes' if user.active else 'no'}\t{sign_in_methods(user)}"
            )


@users.command("disable")
def disable(
    name: Annotated[str, typer.Argument(help="The username.")], db: DbOption = None
) -> None:
    """Disable a user: they can no longer sign in, and their API tokens are revoked."""
    from talentboard.web.accounts import disable_user

    with _accounts(db) as session:
        disable_user(session, name)
        _audit(session, "user_disabled", name)
    typer.echo(f"Disabled {name}; their API tokens are revoked.")


@users.command("token")
def token(name: Annotated[str, typer.Argument(help="The username.")], db: DbOption = None) -> None:
    """Make a new API token for a user and print it, as the last line; only a hash is kept."""
    from talentboard.web.accounts import create_token

    with _accounts(db) as session:
        value = create_token(session, name)
        _audit(session, "token_created", name)
    typer.echo(f"New API token for {name} (shown once; send it as 'Authorization: Bearer TOKEN'):")
    typer.echo(value)


@users.command("demo")
def demo(db: DbOption = None) -> None:
    """Add one user of each role over the demo data, and print how to sign in as each."""
    from talentboard.web.accounts import add_demo_accounts

    with _accounts(db, exit_code=1) as session:
        accounts = add_demo_accounts(session)
        for account in accounts:
            _audit(session, "user_created", account.username, {"role": account.role, "demo": True})
    typer.echo("Demo sign-in details (new passwords, shown once):")
    for account in accounts:
        typer.echo(
            f"  {account.role:<11} username {account.username:<16} "
            f"password {account.password}  ({account.scope})"
        )
