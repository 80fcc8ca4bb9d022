"""The register of a database reached without SQLAlchemy or psycopg: the quick start of a
command that only reads it (``talentboard stats``).

Loading SQLAlchemy and psycopg takes about a third of a second, a quarter of what ``stats``
spends on a large PostgreSQL database. A command that reads the register through the Arrow
reader (``frames.register.read_arrow``) needs neither: ``open_source`` opens the database
with the ADBC driver that reader uses, and the schema check, the write mark and the data
stamp (``db.stamp``) are read on that connection, with the very queries a session runs, so
a snapshot (``frames.snapshot``) found or written this way is the one a session finds.

Only plain database URLs are taken this way: ``sqlite:///PATH`` with no query, and
``postgresql://`` (``postgres://``, ``postgresql+psycopg://``) with a user, host, optional
port and database made of letters, digits, dots, dashes and underscores (a password too),
and parameters such as ``?sslmode=require`` (libpq reads them as psycopg does), each named
once with such a value. Anything else, a database that cannot be opened, or a schema that
is missing or not current gives None or False, and the command takes its usual path,
which explains the problem as it always has.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from talentboard.config import database_url
from talentboard.db import revision
from talentboard.db.filemark import sqlite_file_mark
from talentboard.db.stamp import (
    POSTGRESQL_HINT,
    REGISTER_TABLES,
    read_data_stamp,
    read_postgresql_mark,
)
from talentboard.frames import arrow_reads, kept
from talentboard.frames.register import Columns, RegisterFrames, Rows, read_arrow
from talentboard.frames.snapshot import RegisterSource

__all__ = ["PlainSource", "open_source", "plain_identity"]

log = logging.getLogger(__name__)

_NAME = r"[A-Za-z0-9_.-]+"
_POSTGRESQL = re.compile(
    rf"^postgresql\+psycopg://(?P<user>{_NAME})(?::(?P<password>[^@/?#\s]*))?"
    rf"@(?P<host>{_NAME})(?::(?P<port>[0-9]+))?/(?P<database>{_NAME})"
    rf"(?:\?(?P<query>[a-z_]+={_NAME}(?:&[a-z_]+={_NAME})*))?$"
)


def plain_identity(url: str) -> tuple[Literal["sqlite", "postgresql"], str, str] | None:
    """For a plain URL (module docstring): its dialect, what the Arrow reader opens (the
    SQLite file's real path, or a libpq URI) and the database's identity (the URL a
    session is made with, password left out, as SQLAlchemy renders it); else None."""
    url = database_url(url)
    path = kept.sqlite_path(url)
    if path is not None:
        real = os.path.realpath(path)
        return "sqlite", real, f"sqlite:///{real}"
    found = _POSTGRESQL.match(url)
    if found is None:
        return None
    user, password = found["user"], found["password"]
    port = f":{found['port']}" if found["port"] else ""
    place = f"{found['host']}{port}/{found['database']}"
    if found["query"]:
        pairs = [pair.split("=") for pair in found["query"].split("&")]
        if len({key for key, _ in pairs}) < len(pairs):
            return None
        # SQLAlchemy renders the parameters in the order of their names.
        place += "?" + "&".join(f"{key}={value}" for key, value in sorted(pairs))
    secret = f":{password}" if password is not None else ""
    hidden = ":***" if password is not None else ""
    return (
        "postgresql",
        f"postgresql://{user}{secret}@{place}",
        f"postgresql+psycopg://{user}{hidden}@{place}",
    )


class PlainSource(RegisterSource):
    """A plain database (module docstring) on one connection of the ADBC driver, opened
    with ``open_source``; close it (or use it as a context manager) when done."""

    dialect: Literal["sqlite", "postgresql"]

    def __init__(self, dialect: Literal["sqlite", "postgresql"], target: str, identity: str):
        self.dialect = dialect
        self._target = target
        self._identity = identity
        self._connection = _connect(dialect, target)

    def __enter__(self) -> PlainSource:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._connection.close()

    def one_row(self, sql: str) -> tuple[Any, ...]:
        """The first row ``sql`` gives, as plain Python values."""
        return arrow_reads.scalar_row(self._connection, sql)

    def schema_is_current(self) -> bool:
        """Whether the database holds the talentboard schema at this package's revision
        (``db.revision``); False as well when it cannot be told, or on any error."""
        if self.dialect == "sqlite":
            has_table = (
                "SELECT count(*) FROM sqlite_master "
                "WHERE type = 'table' AND name = 'alembic_version'"
            )
        else:
            has_table = "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() "
            has_table += "AND tablename = 'alembic_version'"
        try:
            if not self.one_row(has_table)[0]:
                return False
            versions = self.one_row(
                "SELECT count(*), min(version_num), max(version_num) FROM alembic_version"
            )
        except Exception as exc:  # noqa: BLE001 - the usual path reports it
            log.info("schema check on %s failed (%s): taking the usual path", self._identity, exc)
            return False
        count, low, high = versions
        return bool(count == 1 and low == high == revision.head())

    def arrow_reads_all(self) -> bool:
        # Its own connection, outside any transaction: it has written nothing.
        return True

    def identity(self) -> str:
        return self._identity

    def write_mark(self) -> Any:
        if self.dialect == "sqlite":
            return sqlite_file_mark(self._target)
        return read_postgresql_mark(self.one_row, REGISTER_TABLES)

    def register_stamp(self) -> tuple[Any, ...]:
        return read_data_stamp(self.one_row, REGISTER_TABLES).of(REGISTER_TABLES)

    def change_hint(self) -> Any:
        # As ``db.stamp.change_hint`` gives it for a session, so that either finds a
        # snapshot the other recorded; the function came with PostgreSQL 13.
        if self.dialect != "postgresql":
            return None
        try:
            snapshot, started = self.one_row(f"SELECT {POSTGRESQL_HINT}")
        except Exception as exc:  # noqa: BLE001 - no hint only costs the stamp's queries
            log.info("no change hint on %s (%s)", self._identity, exc)
            return None
        return ("snapshot", snapshot, started)

    def end_reads(self) -> None:
        # Each query ran on its own (autocommit): nothing to end.
        return None

    def load(self, columns: Columns | None, rows: Rows) -> RegisterFrames:
        return read_arrow(self.dialect, self._target, columns=columns, rows=rows)


def _connect(dialect: str, target: str) -> Any:
    if dialect == "sqlite":
        import adbc_driver_sqlite.dbapi

        uri = Path(target).as_uri() + "?mode=ro"
        return adbc_driver_sqlite.dbapi.connect(uri, autocommit=True)
    import adbc_driver_postgresql.dbapi

    return adbc_driver_postgresql.dbapi.connect(target, autocommit=True)


def open_source(url: str) -> PlainSource | None:
    """The database at ``url`` opened without SQLAlchemy, when it is a plain URL (module
    docstring) and can be opened; else None."""
    plain = plain_identity(url)
    if plain is None:
        return None
    dialect, target, identity = plain
    if dialect == "sqlite" and not os.path.isfile(target):
        return None
    try:
        return PlainSource(dialect, target, identity)
    except Exception as exc:  # noqa: BLE001 - the usual path reports it
        log.info("could not open %s directly (%s): taking the usual path", identity, exc)
        return None
