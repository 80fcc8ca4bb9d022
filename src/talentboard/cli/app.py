"""The Typer application, its error handling and the database engine for commands.

Every command module is imported to build the application, for ``--help`` too, so the
modules of this package import SQLAlchemy, Polars and the rest only inside the commands
that use them (tests/cli/test_startup.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker
    from typer import _click


class _RootGroup(TyperGroup):
    """The root command group, whose ``--help`` flag costs nothing when unused.

    When a command's help is asked for (``talentboard stats --help``), the root's own
    ``--help`` flag is absent (None), and Typer would build its Pydantic-based converter for
    that None, loading Pydantic (a sixth of the time ``stats --help`` takes). A flag that is
    True or absent needs no conversion: it is given Typer's pass-through converter instead.
    """

    def get_help_option(self, ctx: _click.Context) -> Any:
        option = super().get_help_option(ctx)
        if option is not None and getattr(option, "_runtime_param", False) is None:
            try:
                from typer._coercion import PassThroughRuntimeParam
            except ImportError:  # pragma: no cover - another Typer: it converts as it likes
                return option
            option._runtime_param = PassThroughRuntimeParam(
                parameter_info=option.type_descriptor.parameter_info, annotation=bool
            )
        return option


app = typer.Typer(
    cls=_RootGroup,
    name="talentboard",
    help="Leadership stability analytics and talent management for the NHS in England.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

__all__ = [
    "CliError",
    "app",
    "describe",
    "end_process",
    "ending_early",
    "engine_for",
    "session_factory",
]

# Set by ``main`` when it runs as the process's entry (the console script, reading
# ``sys.argv``), never when a test or other code calls the commands in-process.
_EXIT_WHEN_DONE = {"enabled": False}


def ending_early(enabled: bool) -> None:
    """Let a long command end the process itself once its work is safely written."""
    _EXIT_WHEN_DONE["enabled"] = enabled


def end_process() -> None:
    """End the process at once with exit code 0, skipping the interpreter's teardown.

    Freeing the objects and modules a report has loaded (Polars frames, WeasyPrint's
    boxes, fonts) takes half a second to a second and does nothing for the user. Called
    by a command after its output file is written and closed and its database connections
    returned. Only when ``main`` is the process's entry (``ending_early``); otherwise it
    returns and the command ends as usual.
    """
    if not _EXIT_WHEN_DONE["enabled"]:
        return
    import os
    import sys

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


class CliError(Exception):
    """An error to report as one line, with its exit code (1 failure, 2 bad input)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def describe(exc: BaseException) -> str:
    """A one-line description of an unexpected error, without the SQL statement."""
    from sqlalchemy.exc import OperationalError, SQLAlchemyError

    if isinstance(exc, OperationalError):
        return f"the database could not be used: {str(exc.orig).strip().splitlines()[0]}"
    if isinstance(exc, SQLAlchemyError):
        return f"database error: {str(exc).splitlines()[0]}"
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def engine_for(db: str | None, **options: Any) -> Engine:
    """An engine for ``--db`` (``options`` go to ``create_engine``), checking the schema is
    there and current."""
    from sqlalchemy.exc import OperationalError

    from talentboard.db import revision
    from talentboard.db.engine import make_engine

    engine = make_engine(db, **options)
    try:
        current = revision.current(engine)
    except OperationalError as exc:
        raise CliError(describe(exc)) from exc
    if current is None:
        raise CliError("the database has no talentboard schema: run 'talentboard init' first")
    if current != revision.head():
        raise CliError("the database schema is out of date: run 'talentboard init' to migrate it")
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """``talentboard.db.session_factory``, imported when a command first opens a session."""
    from talentboard.db import session_factory as factory

    return factory(engine)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.")] = False,
) -> None:
    """Leadership stability analytics and talent management for the NHS in England."""
    if version:
        from talentboard import __version__

        typer.echo(f"talentboard {__version__}")
        raise typer.Exit
