"""A mapping file: which of a file's columns holds each canonical column, and its values.

The file is TOML (docs/data-formats.md, "Your own columns: mapping files")::

    kind = "people"
    [columns]            # canonical column = the file's header
    person_id = "Employee Number"
    [constants]          # canonical column = a value for every row
    disability = "no"
    [values.professional_background]   # the file's value = the canonical value
    "Nursing and Midwifery Registered" = "nursing"

A mapping is checked against its kind before any file is read, and against the file's
header once it is: a mistake in the mapping itself is a :class:`MappingError` naming the
mapping file and the key at fault, never a row problem.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping as AnyMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from talentboard.ingest.schema import Column, Kind

ISO = "YYYY-MM-DD"
UK = "DD/MM/YYYY"
DATE_FORMATS = (ISO, UK)
TOP_KEYS = ("kind", "sheet", "date_format", "columns", "constants", "values")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


class MappingError(ValueError):
    """A mapping that cannot be used: ``source`` is the mapping file, ``key`` the key at fault."""

    def __init__(self, source: str, key: str, reason: str) -> None:
        super().__init__(f"{source}: {key}: {reason}")
        self.source = source
        self.key = key
        self.reason = reason


def fold(text: str) -> str:
    """Text compared ignoring case and runs of spaces."""
    return " ".join(text.lower().split())


def toml_key(*parts: str) -> str:
    """A dotted TOML key, quoting the parts that are not bare keys."""
    return ".".join(p if _BARE_KEY.match(p) else toml_string(p) for p in parts)


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c >= " " or c == "\t" else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'


@dataclass(frozen=True)
class ColumnMap:
    """How a file's layout maps onto the columns of ``kind``.

    ``columns``: canonical column -> the file's header; ``constants``: canonical column ->
    the text every row gets ("" for empty); ``values``: canonical column -> the file's
    value -> the canonical value. ``source`` names the mapping in messages.
    """

    kind: str
    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    sheet: str | None = None
    date_format: str = ISO
    source: str = "mapping"

    def as_dict(self) -> dict[str, Any]:
        """The mapping as plain data (what a saved mapping stores)."""
        data: dict[str, Any] = {"kind": self.kind}
        if self.sheet:
            data["sheet"] = self.sheet
        if self.date_format != ISO:
            data["date_format"] = self.date_format
        data["columns"] = dict(self.columns)
        data["constants"] = dict(self.constants)
        data["values"] = {c: dict(v) for c, v in self.values.items() if v}
        return data

    def to_toml(self) -> str:
        """The mapping as a TOML file that :func:`parse_mapping` reads back unchanged."""
        lines = [f"kind = {toml_string(self.kind)}"]
        if self.sheet:
            lines.append(f"sheet = {toml_string(self.sheet)}")
        if self.date_format != ISO:
            lines.append(f"date_format = {toml_string(self.date_format)}")
        lines += ["", "[columns]"]
        lines += [f"{toml_key(c)} = {toml_string(h)}" for c, h in self.columns.items()]
        lines += ["", "[constants]"]
        lines += [f"{toml_key(c)} = {toml_string(v)}" for c, v in self.constants.items()]
        for column, table in self.values.items():
            if table:
                lines += ["", f"[{toml_key('values', column)}]"]
                lines += [f"{toml_key(k)} = {toml_string(v)}" for k, v in table.items()]
        return "\n".join(lines) + "\n"


def _text(source: str, key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    raise MappingError(source, key, "must be text (in quotes)")


def _table(source: str, key: str, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise MappingError(source, key, "must be a table ([" + key + "])")
    return value


def from_data(data: AnyMapping[str, Any], source: str) -> ColumnMap:
    """A mapping from plain data (a parsed TOML file or a saved mapping); not yet checked."""
    for key in data:
        if key not in TOP_KEYS:
            raise MappingError(source, key, "not a mapping key: use " + ", ".join(TOP_KEYS))
    if "kind" not in data:
        raise MappingError(source, "kind", "missing: name the kind the mapping is for")
    kind = _text(source, "kind", data["kind"]).strip().lower()
    columns = {
        str(c): _text(source, toml_key("columns", c), h).strip()
        for c, h in _table(source, "columns", data.get("columns")).items()
    }
    constants = {
        str(c): _text(source, toml_key("constants", c), v).strip()
        for c, v in _table(source, "constants", data.get("constants")).items()
    }
    values: dict[str, dict[str, str]] = {}
    for column, table in _table(source, "values", data.get("values")).items():
        key = toml_key("values", column)
        values[str(column)] = {
            str(k): _text(source, toml_key("values", column, k), v).strip()
            for k, v in _table(source, key, table).items()
        }
    sheet = data.get("sheet")
    date_format = _text(source, "date_format", data.get("date_format", ISO)).strip().upper()
    return ColumnMap(
        kind=kind,
        columns=columns,
        constants=constants,
        values=values,
        sheet=_text(source, "sheet", sheet) if sheet is not None else None,
        date_format=date_format,
        source=source,
    )


def parse_mapping(text: str, source: str = "mapping") -> ColumnMap:
    """The mapping in TOML ``text``; ``source`` names it in messages. Not yet checked."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(source, "(the file)", f"not valid TOML: {exc}") from exc
    return from_data(data, source)


def read_mapping(path: Path) -> ColumnMap:
    """The mapping file at ``path``, not yet checked."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise MappingError(path.name, "(the file)", "file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(path.name, "(the file)", f"cannot be read: {exc}") from exc
    return parse_mapping(text, path.name)


def _allowed(column: Column, text: str) -> str | None:
    """Why ``text`` is not a value of ``column`` ("" is an empty cell), or None when it is."""
    if not text:
        return "a value is required" if column.required else None
    _, reasons = column.type.parse(pl.Series(column.name, [text], dtype=pl.String))
    reason = reasons[0]
    return None if reason is None else str(reason)


def check_mapping(mapping: ColumnMap, kind: Kind) -> None:
    """Raise :class:`MappingError` for the first key of ``mapping`` that ``kind`` refuses."""
    source = mapping.source
    if mapping.kind != kind.name:
        raise MappingError(source, "kind", f"is {mapping.kind!r}, but the file is {kind.name}")
    if mapping.date_format not in DATE_FORMATS:
        raise MappingError(source, "date_format", "must be " + " or ".join(DATE_FORMATS))
    names = {c.name: c for c in kind.columns}
    listed = ", ".join(kind.column_names)
    for section, table in (
        ("columns", mapping.columns),
        ("constants", mapping.constants),
        ("values", mapping.values),
    ):
        for name in table:
            if name not in names:
                raise MappingError(
                    source, toml_key(section, name), f"not a column of {kind.name}: use {listed}"
                )
    for name, header in mapping.columns.items():
        if not header:
            raise MappingError(source, toml_key("columns", name), "names no column")
        if name in mapping.constants:
            raise MappingError(
                source, toml_key("constants", name), "given in both [columns] and [constants]"
            )
    for name, value in mapping.constants.items():
        reason = _allowed(names[name], value)
        if reason:
            raise MappingError(
                source, toml_key("constants", name), f"{value!r} is not allowed: {reason}"
            )
    for name, table in mapping.values.items():
        if name not in mapping.columns:
            raise MappingError(
                source, toml_key("values", name), "the column is not mapped in [columns]"
            )
        for given, value in table.items():
            reason = _allowed(names[name], value) if value else None
            if reason:
                raise MappingError(
                    source,
                    toml_key("values", name, given),
                    f"maps to {value!r}, which is not allowed for {name}: {reason}",
                )
    for column in kind.columns:
        if not column.extra and column.name not in mapping.columns | mapping.constants:
            raise MappingError(
                source,
                toml_key("columns", column.name),
                "missing: name the file's column that holds it, or give it in [constants] "
                '("" leaves it empty)',
            )


def header_positions(mapping: ColumnMap, header: list[str], file: str) -> dict[str, int]:
    """Where each mapped column is in ``header`` (ignoring case and surrounding spaces).

    Raises :class:`MappingError` for a mapped header the file does not have.
    """
    where: dict[str, int] = {}
    for index, cell in enumerate(header):
        where.setdefault(fold(cell), index)
    positions: dict[str, int] = {}
    for name, wanted in mapping.columns.items():
        found = where.get(fold(wanted))
        if found is None:
            shown = ", ".join(repr(h.strip()) for h in header if h.strip())
            raise MappingError(
                mapping.source,
                toml_key("columns", name),
                f"{wanted!r} is not a column of {file} (its columns: {shown})",
            )
        positions[name] = found
    return positions
