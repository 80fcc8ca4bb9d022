"""Backing up the whole database to a portable archive, and restoring one into an empty database.

A backup reads every table of the SQLAlchemy metadata (so a table a new migration adds is
included with nothing else to change) inside one transaction that sees one snapshot: on
PostgreSQL ``REPEATABLE READ, READ ONLY``; on SQLite one read transaction, which in WAL mode
sees the database as it was when it first read, while writers carry on. The archive is
written beside its destination and renamed into place only when complete.

A restore checks the whole archive before it touches the target: the manifest, every
table file against its SHA-256 checksum and row count, and that this talentboard knows the
archive's schema revision. It then refuses a target that holds any data, and in one
transaction creates the schema at the archive's revision, loads every table in
dependency order (``COPY`` on PostgreSQL), sets PostgreSQL's sequences past the restored
ids, and migrates to the newest revision. Any failure rolls all of it back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DataError, IntegrityError

from talentboard import __version__
from talentboard.db.archive import (
    MANIFEST,
    TABLES_FOLDER,
    ArchiveError,
    Manifest,
    TableEntry,
    column_spec,
    encode_line,
    encoder,
    read_manifest,
    read_rows,
    sql_type,
    verify,
)
from talentboard.db.migrate import alembic_config, head_revision
from talentboard.db.models import Base
from talentboard.progress import SILENT, Reporter

__all__ = [
    "ArchiveError",
    "RestoreRefusedError",
    "RestoreResult",
    "check_archive",
    "restore",
    "take_backup",
]

INSERT_BATCH = 2000
STREAM_BATCH = 5000
VERSION_TABLE = "alembic_version"


class RestoreRefusedError(Exception):
    """The target database cannot take the archive (it holds data); nothing was written."""


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    migrated_to: str


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection in one read-only transaction that sees one snapshot of the database."""
    if engine.dialect.name == "postgresql":
        connection = engine.connect().execution_options(isolation_level="REPEATABLE READ")
        with connection as conn, conn.begin():
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            yield conn
        return
    with engine.connect() as conn, conn.begin():
        yield conn


def _select(table: sa.Table) -> sa.Select[Any]:
    # JSON is read as its stored text, so a JSON null and an SQL NULL stay apart.
    columns = [
        sa.cast(c, sa.Text).label(c.name) if isinstance(c.type, sa.JSON) else c
        for c in table.columns
    ]
    statement = sa.select(*columns)
    return statement.order_by(*table.primary_key.columns) if table.primary_key else statement


def _rows_in_order(conn: Connection, table: sa.Table) -> Iterable[Any]:
    """Every row, by primary key (text in code-point order, whatever the collation).

    Whole-number keys sort alike everywhere, so those rows stream from the database in
    batches; rows keyed by text are sorted here.
    """
    keys = [i for i, c in enumerate(table.columns) if c.primary_key]
    if keys and all(isinstance(table.columns[i].type, sa.Integer) for i in keys):
        return conn.execution_options(yield_per=STREAM_BATCH).execute(_select(table))
    rows = list(conn.execute(_select(table)))
    rows.sort(key=lambda r: tuple(r[i] for i in keys) if keys else tuple(map(repr, r)))
    return rows


def _write_lines(out: IO[bytes], digest: Any, lines: list[bytes]) -> int:
    """Write and hash ``lines``, then empty the list; how many there were."""
    chunk = b"".join(lines)
    digest.update(chunk)
    out.write(chunk)
    written = len(lines)
    lines.clear()
    return written


def _write_table(
    conn: Connection, table: sa.Table, archive: zipfile.ZipFile, progress: Reporter
) -> TableEntry:
    progress.start(f"Backing up {table.name}")
    specs = tuple(column_spec(c) for c in table.columns)
    encode = encoder(specs)
    name = f"{TABLES_FOLDER}/{table.name}.jsonl"
    digest = hashlib.sha256()
    count = 0
    info = zipfile.ZipInfo(name, date_time=dt.datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as out:
        lines: list[bytes] = []
        for row in _rows_in_order(conn, table):
            lines.append(encode_line(encode(row)))
            if len(lines) == STREAM_BATCH:
                count += _write_lines(out, digest, lines)
        count += _write_lines(out, digest, lines)
    progress.advance(count)
    return TableEntry(
        name=table.name,
        file=name,
        rows=count,
        sha256=digest.hexdigest(),
        primary_key=tuple(c.name for c in table.primary_key.columns),
        columns=specs,
    )


def take_backup(
    engine: Engine,
    path: Path,
    *,
    progress: Reporter = SILENT,
    metadata: sa.MetaData = Base.metadata,
) -> Manifest:
    """Write every table of ``metadata`` to the archive ``path``, from one snapshot.

    The database must be at the newest schema revision (the tables are read as this
    version of talentboard describes them). The file is readable by its owner only: it
    holds personal data and password hashes.
    """
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with _snapshot(engine) as conn:
            revision = MigrationContext.configure(conn).get_current_revision()
            if revision is None:
                raise ArchiveError("the database has no talentboard schema to back up")
            if revision != head_revision():
                raise ArchiveError(
                    f"the database is at schema revision {revision}, not {head_revision()}: "
                    "run 'talentboard db upgrade' first"
                )
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
                entries = tuple(
                    _write_table(conn, table, zf, progress) for table in metadata.sorted_tables
                )
                manifest = Manifest(
                    schema_revision=revision,
                    created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    source=engine.dialect.name,
                    talentboard_version=__version__,
                    tables=entries,
                )
                zf.writestr(MANIFEST, json.dumps(manifest.as_json(), indent=2) + "\n")
                zf.close()
                raw.flush()
                os.fsync(raw.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def check_archive(path: Path) -> Manifest:
    """The archive's manifest once every check passes; ``ArchiveError`` says what failed."""
    manifest = read_manifest(path)
    script = ScriptDirectory.from_config(alembic_config())
    try:
        known = script.get_revision(manifest.schema_revision)
    except CommandError:
        known = None
    if known is None:
        raise ArchiveError(
            f"{path}: the archive is at schema revision {manifest.schema_revision}, which this "
            f"talentboard does not know (its newest is {head_revision()}); restore it with a "
            "newer talentboard"
        )
    verify(path, manifest)
    return manifest


def _target_state(engine: Engine, manifest: Manifest) -> bool:
    """Whether the target needs the schema created; refuses a target holding anything."""
    with engine.connect() as conn:
        names = sa.inspect(conn).get_table_names()
        if not names:
            return True
        revision = MigrationContext.configure(conn).get_current_revision()
        if revision != manifest.schema_revision:
            found = f"schema revision {revision}" if revision else f"table {sorted(names)[0]}"
            raise RestoreRefusedError(
                f"the target database is not empty (it has {found}); restore into a new, "
                "empty database"
            )
        quote = conn.dialect.identifier_preparer.quote
        for name in sorted(set(names) - {VERSION_TABLE}):
            if conn.execute(sa.text(f"SELECT 1 FROM {quote(name)} LIMIT 1")).first():
                raise RestoreRefusedError(
                    f"the target database is not empty (table {name} has rows); restore into "
                    "a new, empty database (one 'talentboard init' has not filled)"
                )
    return False


def _check_tables(conn: Connection, manifest: Manifest) -> None:
    inspector = sa.inspect(conn)
    present = set(inspector.get_table_names()) - {VERSION_TABLE}
    archived = {t.name for t in manifest.tables}
    if present != archived:
        missing = sorted(present - archived) or sorted(archived - present)
        side = "the archive lacks" if present - archived else "the schema has no"
        raise ArchiveError(
            f"the archive does not match schema revision {manifest.schema_revision}: "
            f"{side} table {missing[0]}"
        )
    for entry in manifest.tables:
        columns = {c["name"] for c in inspector.get_columns(entry.name)}
        if columns != {c.name for c in entry.columns}:
            raise ArchiveError(
                f"the archive's columns of {entry.name} do not match schema revision "
                f"{manifest.schema_revision}"
            )


def _copy(conn: Connection, path: Path, entry: TableEntry, progress: Reporter) -> None:
    """Load a table into PostgreSQL with ``COPY``, many times faster than ``INSERT``."""
    import psycopg

    quote = conn.dialect.identifier_preparer.quote
    columns = ", ".join(quote(c.name) for c in entry.columns)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(f"COPY {quote(entry.name)} ({columns}) FROM STDIN") as copy:
            for done, row in enumerate(read_rows(path, entry, json_as_text=True), start=1):
                copy.write_row(tuple(row.values()))
                if done % INSERT_BATCH == 0:
                    progress.advance(INSERT_BATCH)
    except psycopg.Error as exc:
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ArchiveError(f"the database refused the archive's rows: {detail}") from exc
    finally:
        cursor.close()
    progress.advance(entry.rows % INSERT_BATCH)


def _insert(conn: Connection, path: Path, entry: TableEntry, progress: Reporter) -> None:
    progress.start(f"Restoring {entry.name}", entry.rows)
    if conn.dialect.driver == "psycopg":
        _copy(conn, path, entry, progress)
        return
    table = sa.table(entry.name, *(sa.column(c.name, sql_type(c.type)) for c in entry.columns))
    rows = read_rows(path, entry)
    while batch := list(islice(rows, INSERT_BATCH)):
        conn.execute(table.insert(), batch)
        progress.advance(len(batch))


def _reset_sequences(conn: Connection, manifest: Manifest) -> None:
    """Set each PostgreSQL sequence behind an id column past the highest restored id."""
    if conn.dialect.name != "postgresql":
        return
    quote = conn.dialect.identifier_preparer.quote
    for entry in manifest.tables:
        for column in entry.primary_key:
            sequence = conn.execute(
                sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": quote(entry.name), "column": column},
            ).scalar()
            if sequence is None:
                continue
            conn.execute(
                sa.text(
                    f"SELECT setval(:sequence, COALESCE(MAX({quote(column)}), 1), "
                    f"MAX({quote(column)}) IS NOT NULL) FROM {quote(entry.name)}"
                ),
                {"sequence": sequence},
            )


def restore(engine: Engine, path: Path, *, progress: Reporter = SILENT) -> RestoreResult:
    """Load the archive ``path`` into the empty database of ``engine``, all or nothing.

    Raises ``ArchiveError`` for an archive that is damaged, truncated, of a schema this
    talentboard does not know, or that the database refuses, and ``RestoreRefusedError``
    for a target that is not empty; in each case nothing is written.
    """
    progress.start(f"Checking {path.name}")
    manifest = check_archive(path)
    create = _target_state(engine, manifest)
    try:
        with engine.begin() as conn:
            if create:
                command.upgrade(alembic_config(conn), manifest.schema_revision)
            _check_tables(conn, manifest)
            for entry in manifest.tables:
                _insert(conn, path, entry, progress)
            _reset_sequences(conn, manifest)
            progress.start("Migrating to the newest schema")
            command.upgrade(alembic_config(conn), "head")
    except (IntegrityError, DataError) as exc:
        cause = getattr(exc, "orig", None) or exc
        lines = str(cause).strip().splitlines()
        detail = lines[0] if lines else type(cause).__name__
        raise ArchiveError(f"the database refused the archive's rows: {detail}") from exc
    return RestoreResult(manifest, head_revision())
