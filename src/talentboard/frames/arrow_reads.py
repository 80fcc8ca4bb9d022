"""Reading tables as Arrow, straight into Polars, through ADBC (SQLite and PostgreSQL).

The DB-API drivers build a Python object for every value (about 15 million for the
all-levels demo), which is most of the time a register read takes. The ADBC drivers
(``adbc-driver-sqlite``, ``adbc-driver-postgresql``) hand back Arrow columns, which Polars
takes over without a Python object per value.

These readers open their own connections, so they see committed data only: the caller
decides when that is enough (``frames.register.load_register``).

- SQLite: the larger tables are split into ranges of their integer key, and the ranges are
  read on a few read-only connections in parallel (the driver releases the GIL while it
  steps through rows, and SQLite's own work per row is most of the cost). Each connection
  opens its read transaction before any range is read, so all of them read the database as
  it was within the few milliseconds it takes to open them. Each range comes back as one
  Arrow batch: the driver infers a column's type from the rows of its first batch, so a
  column whose first thousand values are empty would otherwise be typed as integer and fail
  on the first text after them.
- PostgreSQL: the same split, each connection in a ``REPEATABLE READ`` transaction that
  imports the first one's snapshot (``pg_export_snapshot``), so every range and table comes
  from one snapshot of the database; the driver fetches with ``COPY`` in binary format.
"""

from __future__ import annotations

import os
import queue
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

__all__ = ["SPLIT_ROWS", "TableQuery", "read_postgresql", "read_sqlite", "scalar_row"]

# Below this many rows a table is read in one piece: splitting it gains less than the
# connection it costs.
SPLIT_ROWS = 50_000
_BATCH_ROWS_OPTION = "adbc.sqlite.query.batch_rows"


@dataclass(frozen=True)
class TableQuery:
    """One table to read: its name, the select list, and the key it is ordered by.

    ``integer_key`` says the key is an integer (a table can then be split into key ranges);
    ``where``, a condition on the rows to read (such a table is read in one piece).
    """

    table: str
    select: str
    key: str
    integer_key: bool
    where: str = ""


def _fetch(cursor: Any, query: str, batch_rows: int | None = None) -> pl.DataFrame:
    if batch_rows is not None:
        cursor.adbc_statement.set_options(**{_BATCH_ROWS_OPTION: str(max(batch_rows, 1))})
    cursor.execute(query)
    frame: pl.DataFrame = cursor.fetch_polars()
    return frame


def scalar_row(connection: Any, query: str) -> tuple[Any, ...]:
    """The first row ``query`` gives on an ADBC ``connection``, as Python values."""
    with closing(connection.cursor()) as cursor:
        # Through Polars: the DB-API fetch methods of ADBC need pyarrow, which Polars does not.
        return _fetch(cursor, query).row(0)


@dataclass(frozen=True)
class _Part:
    name: str
    query: str
    rows: int


def _parts(
    name: str, spec: TableQuery, connection: Any, pieces: int, split_rows: int, *, count: bool
) -> list[_Part]:
    """The queries that read ``spec``: one per key range when the table is large enough.
    ``count``: a table read in one piece with a condition has its rows counted first."""
    ordered = f"SELECT {spec.select} FROM {spec.table}"
    if spec.where:
        chosen = f"FROM {spec.table} WHERE {spec.where}"
        rows = scalar_row(connection, f"SELECT count(*) {chosen}")[0] if count else 0
        return [_Part(name, f"SELECT {spec.select} {chosen} ORDER BY {spec.key}", int(rows))]
    if not spec.integer_key:
        (rows,) = scalar_row(connection, f"SELECT count(*) FROM {spec.table}")
        return [_Part(name, f"{ordered} ORDER BY {spec.key}", int(rows))]
    bounds = f"SELECT min({spec.key}), max({spec.key}) FROM {spec.table}"
    low, high = scalar_row(connection, bounds)
    if low is None or high is None:
        return [_Part(name, f"{ordered} ORDER BY {spec.key}", 0)]
    # Keys are database ids, dense enough that the key span stands in for the row count.
    span = int(high) - int(low) + 1
    pieces = max(1, min(pieces, span // split_rows))
    width = span // pieces + 1
    parts = []
    for piece in range(pieces):
        start = int(low) + piece * width
        end = min(start + width, int(high) + 1)
        query = f"{ordered} WHERE {spec.key} >= {start} AND {spec.key} < {end} ORDER BY {spec.key}"
        parts.append(_Part(name, query, end - start))
    return parts


def _read_parts(
    tables: dict[str, TableQuery],
    first: Any,
    connect: Callable[[], Any],
    workers: int,
    split_rows: int,
    *,
    batch_rows: bool,
) -> dict[str, pl.DataFrame]:
    """Read every table, the large ones in key ranges, on ``workers`` connections at once;
    ``first`` is an open connection and ``connect`` opens the others, each reading the same
    data as ``first``."""
    parts: list[_Part] = []
    for name, spec in tables.items():
        parts += _parts(name, spec, first, workers, split_rows, count=batch_rows)
    workers = min(workers, len(parts))
    idle: queue.SimpleQueue[Any] = queue.SimpleQueue()
    for connection in [first] + [connect() for _ in range(workers - 1)]:
        idle.put(connection)
    # Largest first, so that no worker is left with a large range at the end.
    order = sorted(range(len(parts)), key=lambda index: -parts[index].rows)

    def read(index: int) -> pl.DataFrame:
        part = parts[index]
        connection = idle.get()
        try:
            with closing(connection.cursor()) as cursor:
                return _fetch(cursor, part.query, part.rows + 1 if batch_rows else None)
        finally:
            idle.put(connection)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        frames = dict(zip(order, pool.map(read, order), strict=True))
    result: dict[str, pl.DataFrame] = {}
    for name in tables:
        pieces = [frames[i] for i, part in enumerate(parts) if part.name == name]
        result[name] = pieces[0] if len(pieces) == 1 else _concat(pieces)
    return result


def _concat(pieces: Sequence[pl.DataFrame]) -> pl.DataFrame:
    # A range with no rows may have come back with other column types than the rest.
    non_empty = [piece for piece in pieces if piece.height] or [pieces[0]]
    return pl.concat(non_empty, how="vertical_relaxed", rechunk=False)


def _workers(workers: int | None) -> int:
    return workers or min(4, os.cpu_count() or 1)


def read_sqlite(
    path: str | Path,
    tables: dict[str, TableQuery],
    workers: int | None = None,
    split_rows: int = SPLIT_ROWS,
) -> dict[str, pl.DataFrame]:
    """Each table of the SQLite file at ``path`` as a frame, in key order (raw driver types).

    The file is opened read-only. ``workers`` is how many connections read at once
    (default: the CPU count, at most 4); a table whose keys span at least ``split_rows``
    per worker is read in key ranges.
    """
    import adbc_driver_sqlite.dbapi

    uri = Path(path).resolve().as_uri() + "?mode=ro"
    with ExitStack() as stack:

        def connect() -> Any:
            connection = stack.enter_context(
                closing(adbc_driver_sqlite.dbapi.connect(uri, autocommit=False))
            )
            # Pins this connection's read snapshot now, before any table is read.
            scalar_row(connection, "SELECT count(*) FROM sqlite_master")
            return connection

        return _read_parts(
            tables, connect(), connect, _workers(workers), split_rows, batch_rows=True
        )


def read_postgresql(
    uri: str,
    tables: dict[str, TableQuery],
    workers: int | None = None,
    split_rows: int = SPLIT_ROWS,
) -> dict[str, pl.DataFrame]:
    """Each table of the PostgreSQL database at ``uri`` (a libpq URI) as a frame, in key
    order (raw driver types), every table from one snapshot."""
    import adbc_driver_postgresql.dbapi

    with ExitStack() as stack:

        def connect(snapshot: str | None = None) -> Any:
            connection = stack.enter_context(
                closing(adbc_driver_postgresql.dbapi.connect(uri, autocommit=True))
            )
            _execute(connection, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            stack.callback(_execute, connection, "ROLLBACK")
            if snapshot is not None:
                _execute(connection, f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            return connection

        first = connect()
        (snapshot,) = scalar_row(first, "SELECT pg_export_snapshot()")
        return _read_parts(
            tables,
            first,
            lambda: connect(str(snapshot)),
            _workers(workers),
            split_rows,
            batch_rows=False,
        )


def _execute(connection: Any, statement: str) -> None:
    with closing(connection.cursor()) as cursor:
        cursor.execute(statement)
