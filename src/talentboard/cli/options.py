"""The options many commands share, defined once, with their parsing and checks.

The aliases (``AtOption``, ``FormatOption``, ``RegionOption``, ``OrgOption``, ``DbOption``)
are the common wording; a command whose option means something narrower passes its own help
text to the ``*_option`` function, so each command's ``--help`` says what it does there.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

import typer

from talentboard.cli.app import CliError
from talentboard.reference import REGION_CODES

__all__ = [
    "AtOption",
    "DbOption",
    "Format",
    "FormatOption",
    "OrgOption",
    "RegionOption",
    "Scope",
    "at_option",
    "check_codes",
    "check_region",
    "format_option",
    "org_option",
    "parse_as_at",
    "parse_date",
    "print_json",
    "region_option",
    "scope_options",
]


def at_option(help: str = "The date: YYYY-MM-DD, DD/MM/YYYY or 'demo' (default today).") -> Any:
    return typer.Option("--at", help=help, show_default=False)


def format_option(help: str = "Output format.") -> Any:
    return typer.Option("--format", help=help)


def region_option(help: str = "One NHS England region (e.g. Y56).") -> Any:
    return typer.Option("--region", help=help, show_default=False)


def org_option(help: str = "One organisation (ODS code).") -> Any:
    return typer.Option("--org", help=help, show_default=False)


class Format(StrEnum):
    table = "table"
    json = "json"


AtOption = Annotated[str | None, at_option()]
FormatOption = Annotated[Format, format_option()]
RegionOption = Annotated[str | None, region_option()]
OrgOption = Annotated[str | None, org_option()]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: TALENTBOARD_DATABASE_URL, else sqlite:///talentboard.db).",
        show_default=False,
    ),
]


# ``talentboard.demo.DEMO_AS_AT``, written out: importing the demo package loads its whole
# generator, most of a second (tests/cli/test_startup.py checks the two agree).
DEMO_AS_AT = dt.date(2026, 9, 30)


def parse_as_at(text: str | None) -> dt.date:
    """``--at``: ``YYYY-MM-DD``, ``DD/MM/YYYY``, ``demo`` (the demo's date) or today."""
    if text is None:
        return dt.date.today()
    if text.strip().lower() == "demo":
        return DEMO_AS_AT
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise CliError(f"--at {text!r}: not a date (use YYYY-MM-DD or DD/MM/YYYY)", exit_code=2)


def parse_date(text: str, option: str) -> dt.date:
    """An ISO (YYYY-MM-DD) or UK (DD/MM/YYYY) date; ``today``; ``demo`` (the demo's date).

    Stricter than :func:`parse_as_at` (every digit written out), and its errors name
    ``option``: ``stats`` takes two dates.
    """
    value = text.strip()
    if value == "today":
        return dt.date.today()
    if value == "demo":
        return DEMO_AS_AT
    try:
        if "/" in value:
            day, month, year = value.split("/")
            if len(year) != 4:
                raise ValueError(value)
            return dt.date(int(year), int(month), int(day))
        if len(value) != 10:
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CliError(
            f"{option}: {text!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)", 2
        ) from exc


def check_region(region: str | None) -> str | None:
    """``--region`` as given, if it is an NHS England region code."""
    if region is not None and region not in REGION_CODES:
        raise CliError(
            f"--region {region!r}: not an NHS England region code ({', '.join(REGION_CODES)})",
            exit_code=2,
        )
    return region


def check_codes(values: list[str] | None, allowed: tuple[str, ...], option: str) -> tuple[str, ...]:
    """The values of a repeatable option, each one of ``allowed``."""
    chosen = tuple(v.strip() for v in values or [])
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        raise CliError(f"{option} {unknown[0]!r}: not one of the known values", exit_code=2)
    return chosen


def print_json(document: Any) -> None:
    typer.echo(json.dumps(document, indent=2))


@dataclass(frozen=True)
class Scope:
    """A command's ``--at``, ``--org`` and ``--region``, as given."""

    at: str | None = None
    org: str | None = None
    region: str | None = None


_SCOPE_OPTIONS = (("at", AtOption), ("org", OrgOption), ("region", RegionOption))


def scope_options(command: Callable[..., None]) -> Callable[..., None]:
    """Give ``command`` the options ``--at``, ``--org`` and ``--region``, as its ``scope``.

    Typer reads a command's options from its signature, so the three take the place of the
    ``scope: Scope`` parameter there (each command keeps its order of options) and reach
    the command together, as one :class:`Scope`.
    """
    signature = inspect.signature(command, eval_str=True)
    parameters: list[inspect.Parameter] = []
    for parameter in signature.parameters.values():
        if parameter.name == "scope":
            parameters.extend(
                inspect.Parameter(name, parameter.kind, default=None, annotation=annotation)
                for name, annotation in _SCOPE_OPTIONS
            )
        else:
            parameters.append(parameter)

    @functools.wraps(command)
    def with_scope(
        at: str | None = None, org: str | None = None, region: str | None = None, **rest: Any
    ) -> None:
        command(scope=Scope(at, org, region), **rest)

    with_scope.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    with_scope.__annotations__ = {p.name: p.annotation for p in parameters} | {
        "return": signature.return_annotation
    }
    return with_scope
