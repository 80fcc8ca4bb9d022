"""The backup archive: a zip of one JSON-lines file per table and a manifest.

An archive holds::

    manifest.json                what is inside, with a SHA-256 checksum per table
    tables/<table>.jsonl         one line per row: a JSON array, in the manifest's column order

The manifest names the format and its version, the schema revision (Alembic) of the
database the rows came from, when and from which kind of database it was taken, and for
each table, in an order that puts every table after the tables it refers to: its file,
row count, SHA-256 of the file's bytes, primary key and columns with their types.

Each value is written in one way whatever the database, so the same data gives the same
bytes from SQLite and PostgreSQL (docs/backup-and-restore.md lists the encodings):
booleans, integers and SQL NULL are JSON's own; a float is the shortest decimal that reads
back as the same float (``"NaN"``, ``"Infinity"``, ``"-Infinity"`` as strings); a date is
``YYYY-MM-DD``; a date-time with a time zone is in UTC with its offset (SQLite keeps none,
and talentboard stores UTC there); a JSON column holds its document as text, so a JSON
``null`` and an SQL NULL stay apart; binary data is base64.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import json
import math
import uuid
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa

FORMAT = "talentboard-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
TABLES_FOLDER = "tables"

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST",
    "ArchiveError",
    "ColumnSpec",
    "Manifest",
    "TableEntry",
    "column_spec",
    "decoder",
    "encode_line",
    "encoder",
    "read_manifest",
    "read_rows",
    "verify",
]


class ArchiveError(Exception):
    """The archive cannot be used: damaged, incomplete, of a newer kind; the message says why."""


@dataclass(frozen=True)
class ColumnSpec:
    """A column as the archive records it: name, type tag and whether it may be NULL."""

    name: str
    type: str
    nullable: bool = True

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "nullable": self.nullable}


@dataclass(frozen=True)
class TableEntry:
    name: str
    file: str
    rows: int
    sha256: str
    primary_key: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "file": self.file,
            "rows": self.rows,
            "sha256": self.sha256,
            "primary_key": list(self.primary_key),
            "columns": [c.as_json() for c in self.columns],
        }


@dataclass(frozen=True)
class Manifest:
    schema_revision: str
    created_at: str
    source: str
    talentboard_version: str
    tables: tuple[TableEntry, ...]
    format_version: int = FORMAT_VERSION

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": self.format_version,
            "schema_revision": self.schema_revision,
            "created_at": self.created_at,
            "source": self.source,
            "talentboard_version": self.talentboard_version,
            "tables": [t.as_json() for t in self.tables],
        }


# Type tags, most specific first: the first class a column's type is an instance of wins.
_TAGS: tuple[tuple[type[sa.types.TypeEngine[Any]], str], ...] = (
    (sa.Boolean, "boolean"),
    (sa.Integer, "integer"),
    (sa.Float, "float"),
    (sa.Numeric, "decimal"),
    (sa.DateTime, "datetime"),
    (sa.Date, "date"),
    (sa.Time, "time"),
    (sa.JSON, "json"),
    (sa.LargeBinary, "binary"),
    (sa.Uuid, "uuid"),
    (sa.String, "string"),
)


def column_spec(column: sa.Column[Any]) -> ColumnSpec:
    """The archive's description of ``column``; a type it cannot keep exactly is an error."""
    kind = column.type
    for cls, tag in _TAGS:
        if isinstance(kind, cls):
            if tag == "datetime" and getattr(kind, "timezone", False):
                tag = "datetime_tz"
            if tag == "float" and getattr(kind, "asdecimal", False):
                tag = "decimal"
            if tag == "decimal" and not getattr(kind, "asdecimal", True):
                tag = "float"
            return ColumnSpec(column.name, tag, bool(column.nullable))
    raise ArchiveError(
        f"column {column.table.name}.{column.name} has type {kind!r}, which a backup "
        "cannot keep exactly yet (talentboard.db.archive)"
    )


def sql_type(tag: str) -> sa.types.TypeEngine[Any]:
    """The generic SQLAlchemy type to bind values of ``tag`` with on restore."""
    types: dict[str, sa.types.TypeEngine[Any]] = {
        "boolean": sa.Boolean(),
        "integer": sa.BigInteger(),
        "float": sa.Float(),
        "decimal": sa.Numeric(asdecimal=True),
        "datetime": sa.DateTime(),
        "datetime_tz": sa.DateTime(timezone=True),
        "date": sa.Date(),
        "time": sa.Time(),
        "json": sa.JSON(),
        "binary": sa.LargeBinary(),
        "uuid": sa.Uuid(),
        "string": sa.String(),
    }
    try:
        return types[tag]
    except KeyError as exc:
        raise ArchiveError(f"unknown column type {tag!r} in the manifest") from exc


def _float_out(value: Any) -> Any:
    number = float(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    return number


def _float_in(value: Any) -> float:
    if isinstance(value, str):
        if value not in ("NaN", "Infinity", "-Infinity"):
            raise ValueError(f"{value!r} is not a number")
        return float(value.replace("Infinity", "inf"))
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{value!r} is not a number")
    return float(value)


def _utc_out(value: dt.datetime) -> str:
    aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).isoformat()


def _utc_in(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone")
    return parsed.astimezone(dt.UTC)


def _int_in(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{value!r} is not a whole number")
    return value


def _bool_in(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{value!r} is not true or false")
    return value


def _str_in(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not text")
    return value


def _json_in(value: Any) -> Any:
    document = json.loads(_str_in(value))
    # A JSON null stays a JSON null; SQL NULL is the missing value, handled by the caller.
    return sa.JSON.NULL if document is None else document


_ENCODERS: dict[str, Callable[[Any], Any]] = {
    "boolean": bool,
    "integer": int,
    "float": _float_out,
    "decimal": lambda v: str(decimal.Decimal(v)),
    "datetime": lambda v: v.isoformat(),
    "datetime_tz": _utc_out,
    "date": lambda v: v.isoformat(),
    "time": lambda v: v.isoformat(),
    # Read as the stored text; written back out in one canonical spelling.
    "json": lambda v: json.dumps(json.loads(v) if isinstance(v, str) else v),
    "binary": lambda v: base64.b64encode(bytes(v)).decode("ascii"),
    "uuid": str,
    "string": str,
}

_DECODERS: dict[str, Callable[[Any], Any]] = {
    "boolean": _bool_in,
    "integer": _int_in,
    "float": _float_in,
    "decimal": lambda v: decimal.Decimal(_str_in(v)),
    "datetime": lambda v: dt.datetime.fromisoformat(_str_in(v)),
    "datetime_tz": lambda v: _utc_in(_str_in(v)),
    "date": lambda v: dt.date.fromisoformat(_str_in(v)),
    "time": lambda v: dt.time.fromisoformat(_str_in(v)),
    "json": _json_in,
    "binary": lambda v: base64.b64decode(_str_in(v), validate=True),
    "uuid": lambda v: uuid.UUID(_str_in(v)),
    "string": _str_in,
}


def encoder(columns: Sequence[ColumnSpec]) -> Callable[[Sequence[Any]], list[Any]]:
    """A function turning a database row (in ``columns`` order) into the archive's values."""
    funcs = [_ENCODERS[c.type] for c in columns]

    def encode(row: Sequence[Any]) -> list[Any]:
        return [None if v is None else f(v) for f, v in zip(funcs, row, strict=True)]

    return encode


_LINE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def encode_line(values: list[Any]) -> bytes:
    """One row of a table file: a compact JSON array and a newline, in UTF-8."""
    return (_LINE.encode(values) + "\n").encode("utf-8")


def _json_text(value: Any) -> str:
    json.loads(_str_in(value))
    return str(value)


def decoder(
    entry: TableEntry, *, json_as_text: bool = False
) -> Callable[[int, bytes], dict[str, Any]]:
    """A function turning line ``number`` of the table's file into a row to insert.

    A JSON column's SQL NULL becomes ``sa.null()`` (SQLAlchemy would write ``None`` as a
    JSON null), and a column the archive says is not nullable refuses NULL. With
    ``json_as_text``, a JSON document stays the text it is (checked), and SQL NULL ``None``:
    for PostgreSQL's ``COPY``.
    """
    specs = entry.columns
    funcs = [_json_text if json_as_text and c.type == "json" else _DECODERS[c.type] for c in specs]
    json_null = None if json_as_text else sa.null()

    def decode(number: int, line: bytes) -> dict[str, Any]:
        where = f"{entry.file}, line {number}"
        try:
            values = json.loads(line)
        except ValueError as exc:
            raise ArchiveError(f"{where}: not a JSON array ({exc})") from exc
        if not isinstance(values, list) or len(values) != len(specs):
            raise ArchiveError(f"{where}: expected {len(specs)} values")
        row: dict[str, Any] = {}
        for spec, func, value in zip(specs, funcs, values, strict=True):
            if value is None:
                if not spec.nullable:
                    raise ArchiveError(f"{where}, column {spec.name}: empty but required")
                row[spec.name] = json_null if spec.type == "json" else None
                continue
            try:
                row[spec.name] = func(value)
            except (ValueError, TypeError) as exc:
                raise ArchiveError(f"{where}, column {spec.name}: {exc}") from exc
        return row

    return decode


def _entry(raw: Any, index: int) -> TableEntry:
    try:
        columns = tuple(
            ColumnSpec(str(c["name"]), str(c["type"]), bool(c.get("nullable", True)))
            for c in raw["columns"]
        )
        entry = TableEntry(
            name=str(raw["name"]),
            file=str(raw["file"]),
            rows=int(raw["rows"]),
            sha256=str(raw["sha256"]),
            primary_key=tuple(str(c) for c in raw.get("primary_key", [])),
            columns=columns,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ArchiveError(f"{MANIFEST}: table entry {index + 1} is incomplete ({exc})") from exc
    for column in columns:
        sql_type(column.type)
    return entry


def _open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise ArchiveError(f"{path}: file not found") from exc
    except IsADirectoryError as exc:
        raise ArchiveError(f"{path}: is a folder, not a backup archive") from exc
    except zipfile.BadZipFile as exc:
        raise ArchiveError(
            f"{path}: not a complete backup archive (damaged or truncated: {exc})"
        ) from exc


def read_manifest(path: Path) -> Manifest:
    """The archive's manifest, checked for form (not yet against the table files)."""
    with _open(path) as archive:
        try:
            raw = json.loads(archive.read(MANIFEST))
        except KeyError as exc:
            raise ArchiveError(f"{path}: no {MANIFEST}; not a talentboard backup") from exc
        except (ValueError, zipfile.BadZipFile, OSError) as exc:
            raise ArchiveError(f"{path}: {MANIFEST} is damaged ({exc})") from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ArchiveError(f"{path}: not a talentboard backup ({MANIFEST} names no {FORMAT})")
    version = raw.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ArchiveError(
            f"{path}: archive format version {version} is newer than this talentboard reads "
            f"({FORMAT_VERSION}); restore it with the talentboard that made it, or a newer one"
        )
    try:
        tables = tuple(_entry(t, i) for i, t in enumerate(raw["tables"]))
        return Manifest(
            schema_revision=str(raw["schema_revision"]),
            created_at=str(raw["created_at"]),
            source=str(raw["source"]),
            talentboard_version=str(raw.get("talentboard_version", "")),
            tables=tables,
            format_version=version,
        )
    except (KeyError, TypeError) as exc:
        raise ArchiveError(f"{path}: {MANIFEST} is incomplete (no {exc})") from exc


def _lines(stream: IO[bytes]) -> Iterator[bytes]:
    yield from stream


def verify(path: Path, manifest: Manifest) -> None:
    """Check every table file against its SHA-256 checksum and row count in the manifest."""
    with _open(path) as archive:
        for entry in manifest.tables:
            digest = hashlib.sha256()
            rows = 0
            try:
                with archive.open(entry.file) as stream:
                    for line in _lines(stream):
                        digest.update(line)
                        rows += 1
            except KeyError as exc:
                raise ArchiveError(f"{path}: {entry.file} is missing from the archive") from exc
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise ArchiveError(f"{path}: {entry.file} is damaged ({exc})") from exc
            if digest.hexdigest() != entry.sha256:
                raise ArchiveError(
                    f"{path}: {entry.file} does not match its SHA-256 checksum in the manifest "
                    "(the archive is damaged or was changed)"
                )
            if rows != entry.rows:
                raise ArchiveError(
                    f"{path}: {entry.file} holds {rows:,} rows; the manifest says {entry.rows:,}"
                )


def read_rows(
    path: Path, entry: TableEntry, *, json_as_text: bool = False
) -> Iterator[dict[str, Any]]:
    """The rows of one table, decoded for insertion (checked with :func:`verify` first)."""
    decode = decoder(entry, json_as_text=json_as_text)
    with _open(path) as archive, archive.open(entry.file) as stream:
        for number, line in enumerate(_lines(stream), start=1):
            yield decode(number, line)
