"""The ``talentboard`` command line: thin commands that parse, call and print.

Every module in this package registers its commands on the shared ``app`` when imported;
a new command group is a new module here, with nothing else to wire. A module whose name
starts with an underscore holds a command's work and is imported only when it runs.

Exit codes: 0 success, 1 failure, 2 bad input (an invalid file or option).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

import typer

from talentboard.cli.app import CliError, app, describe, ending_early

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "app" and not _module.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> None:
    """Console entry point: an error is one clear line, never a traceback."""
    # Polars' allocator (jemalloc) hands freed memory back to the system at once rather than
    # after ten seconds: a command is over in a few, and its peak is what a user sees.
    os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")
    # Run as the process's entry (arguments from sys.argv), a long command may end the
    # process once its output is written (cli/app.py, ``end_process``); called in-process
    # with its arguments, it never does.
    ending_early(argv is None)
    try:
        app(args=argv, prog_name="talentboard")
    except CliError as exc:
        typer.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - the last line of defence for a clean message
        typer.echo(f"Error: {describe(exc)}", err=True)
        sys.exit(1)
