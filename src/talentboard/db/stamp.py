"""What tells whether the data has changed: the data stamp, and a mark of every write.

The **data stamp** is one cheap query giving, for each analysed table, its row count and
expressions over highest ids, edit versions and end dates (``_STAMPED``), so a new row or an
edit made anywhere changes that table's stamp. The web application keeps what it computes
with it (``web.cache``), and the CLI's register snapshot is keyed by it
(``frames.snapshot``). Its expressions cannot see every edit: a post's title, an
organisation's name or a rating rewritten in place leave counts and versions as they were.

The **write mark** (``write_mark``) covers those: it changes with every committed write to
the database. On SQLite it is the database file's signature (size, modification time and
header, and the same of its write-ahead log); on PostgreSQL the sum and the highest of the
inserting transaction ids (``xmin``) of the register tables' rows, which an insert or an
update of any row changes.

The stamp, and on PostgreSQL the mark, read every row of the big tables, each table once
(a count and a highest id through the table's index): at the all-levels scale, on
PostgreSQL, the stamp takes about a fifth of a second and the mark a third. The **change hint**
(``change_hint``) tells, for almost nothing, that no write at all has been committed since
it was read, so that a stamp or mark read after it still holds. On PostgreSQL it is the
server's current snapshot (the transactions still in progress and the next to complete),
which stays as it was only while no transaction that wrote anything (in any database of the
server) completes; on SQLite, the file's signature once the file has been still for a
moment. A hint that moved without a write costs a fresh stamp, never a stale one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from talentboard.db.filemark import sqlite_file_mark

if TYPE_CHECKING:
    # Loaded by the functions that take a session; ``read_data_stamp`` and
    # ``read_postgresql_mark`` run on any connection, without SQLAlchemy.
    from sqlalchemy.orm import Session

__all__ = [
    "POSTGRESQL_HINT",
    "REGISTER_TABLES",
    "STAMPED_TABLES",
    "DataStamp",
    "OneRow",
    "change_hint",
    "data_stamp",
    "read_data_stamp",
    "read_postgresql_mark",
    "write_mark",
]

OneRow = Callable[[str], Sequence[Any]]
"""Runs a query and gives its one row."""

# Tables the analysis and the cached page sections read, with expressions that change when
# their rows are added, removed or edited.
_STAMPED: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("settings", ()),
    ("organisations", ("COUNT(staff_headcount)",)),
    ("performance_ratings", ("MAX(id)",)),
    ("posts", ("COUNT(established_to)",)),
    ("people", ("SUM(version)",)),
    ("appointments", ("SUM(version) + COUNT(end_date)",)),
    ("talent_profiles", ("SUM(version)",)),
    ("readiness_reviews", ("MAX(id)",)),
    ("career_conversations", ("SUM(version)",)),
    ("development_actions", ("MAX(id)",)),
    ("assessments", ("SUM(version)",)),
    ("succession_plans", ("MAX(id)",)),
    ("successors", ("SUM(version)",)),
    ("opportunities", ("SUM(version)",)),
    ("fit_and_proper_checks", ("MAX(id)",)),
    ("appraisal_records", ("MAX(id)",)),
    ("board_member_references", ("MAX(id)",)),
    ("match_proposals", ("MAX(id)",)),
    # A decision sets decided_at to its time; putting one back to proposed clears it.
    ("buddy_pairings", ("MAX(id)", "COUNT(decided_at)", "MAX(decided_at)")),
    ("indicator_definitions", ()),
    # An import rewrites a value in place: its sum moves.
    ("indicator_values", ("MAX(id)", "SUM(value)")),
)
STAMPED_TABLES: tuple[str, ...] = tuple(table for table, _ in _STAMPED)
# The tables the register frames are read from (``frames.register``).
REGISTER_TABLES: tuple[str, ...] = (
    "organisations",
    "performance_ratings",
    "posts",
    "people",
    "appointments",
)


# Read through an index rather than a scan of the table (the highest id is the last
# entry of the primary key; SQLite counts a table through its smallest index).
_INDEXED = ("COUNT(*)", "MAX(id)")


def _one_scan_each(parts: Iterable[tuple[str, tuple[str, ...]]]) -> str:
    """One query giving each table's ``expressions``, in order, each table scanned at most
    once: the expressions that need a scan are read together, and ``_INDEXED`` ones on
    their own (a scalar subquery per expression would scan the table for each)."""
    columns: list[str] = []
    scans: list[str] = []
    for table, expressions in parts:
        scanned = [e for e in expressions if e not in _INDEXED]
        if scanned and "COUNT(*)" in expressions:
            scanned.insert(0, "COUNT(*)")
        name = f"read_{len(scans)}"
        if scanned:
            listed = ", ".join(f"{e} AS c{i}" for i, e in enumerate(scanned))
            scans.append(f"(SELECT {listed} FROM {table}) AS {name}")
        for expression in expressions:
            if expression in scanned:
                columns.append(f"{name}.c{scanned.index(expression)}")
            else:
                columns.append(f"(SELECT {expression} FROM {table})")
    # Each named: some drivers (ADBC, into Polars) refuse two columns of one name.
    sql = "SELECT " + ", ".join(f"{column} AS v{i}" for i, column in enumerate(columns))
    return sql + (" FROM " + " CROSS JOIN ".join(scans) if scans else "")


def _stamp_sql(tables: Iterable[str]) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], str]:
    chosen = set(tables)
    stamped = tuple((table, extra) for table, extra in _STAMPED if table in chosen)
    sql = _one_scan_each((table, ("COUNT(*)", *extra)) for table, extra in stamped)
    return stamped, sql


_ALL = _stamp_sql(STAMPED_TABLES)


@dataclass(frozen=True)
class DataStamp:
    """For each stamped table, the values read (``COUNT(*)`` and its expressions, in
    ``_STAMPED`` order) and how many changes to it this process has noted."""

    read: Mapping[str, tuple[Any, ...]]
    noted: Mapping[str, int] = field(default_factory=dict)

    def of(self, tables: Iterable[str]) -> tuple[Any, ...]:
        """The stamp of the named tables only: what a value reading just those is kept with."""
        return tuple((self.read[table], self.noted.get(table, 0)) for table in tables)


def data_stamp(session: Session, tables: Iterable[str] | None = None) -> DataStamp:
    """The stamp of every analysed table (or of ``tables`` only), in one query."""
    return read_data_stamp(_one_row(session), tables)


def read_data_stamp(one_row: OneRow, tables: Iterable[str] | None = None) -> DataStamp:
    """``data_stamp``, its query run by ``one_row`` (on a connection of the caller's)."""
    stamped, sql = _ALL if tables is None else _stamp_sql(tables)
    row = iter(one_row(sql))
    return DataStamp(
        {table: tuple(next(row) for _ in range(1 + len(extra))) for table, extra in stamped}
    )


def _one_row(session: Session) -> OneRow:
    from sqlalchemy import text

    return lambda sql: tuple(session.execute(text(sql)).one())


# The change hint on PostgreSQL (13 and later): the server's snapshot as text, and when the
# server started, in microseconds (an integer, whatever the connection's time zone).
POSTGRESQL_HINT = (
    "pg_current_snapshot()::text, "
    "CAST(EXTRACT(EPOCH FROM pg_postmaster_start_time()) * 1000000 AS BIGINT)"
)


def change_hint(session: Session) -> tuple[Any, ...] | None:
    """A value that moves with every committed write (and may move without one), read
    with one trivial query or none; None where none is known or none can be trusted yet.

    A stamp read after the hint was read is still the stamp while the hint is unchanged.
    On PostgreSQL the snapshot's text (lowest and next transaction id, and those in
    progress) changes as soon as any transaction holding an id completes: visibility is
    decided by exactly that. The server's start time goes with it
    (``POSTGRESQL_HINT``): transaction ids only go back when a server is started from a
    copy of its files taken earlier, and a hint kept on disk (``frames.snapshot``) must
    not match again after that. On SQLite a commit becomes visible just after its file write,
    so a file written in the last ``_SETTLE_SECONDS`` gives no hint. Nor does a
    transaction that has written: it sees writes no hint shows.
    """
    backend = _backend(session)
    if backend == "postgresql":
        if (session.get_bind().dialect.server_version_info or (0,)) < (13,):
            return None  # the functions below came with PostgreSQL 13
        snapshot, started, own = _one_row(session)(
            f"SELECT {POSTGRESQL_HINT}, pg_current_xact_id_if_assigned()"
        )
        # A transaction that has written sees its own writes, which no hint shows (and a
        # rollback would take back): no hint inside one.
        return None if own is not None else ("snapshot", snapshot, started)
    from talentboard.db.engine import sqlite_wrote

    mark = _sqlite_mark(session, backend)
    if mark is None or sqlite_wrote(session.connection()) is not False:
        return None
    newest = max((part[2] for part in mark if part is not None), default=0)
    if time.time_ns() - newest < _SETTLE_SECONDS * 1e9:
        return None
    return mark


# How long a SQLite file must have been still before its signature is trusted as a hint.
_SETTLE_SECONDS = 2.0


def _backend(session: Session) -> str:
    name: str = _url(session).get_backend_name()
    return name


def _url(session: Session) -> Any:
    from sqlalchemy import Connection

    bind = session.get_bind()
    return bind.engine.url if isinstance(bind, Connection) else bind.url


def _sqlite_mark(session: Session, backend: str) -> tuple[Any, ...] | None:
    database = _url(session).database
    if backend != "sqlite" or not database or database == ":memory:" or "mode=memory" in database:
        return None
    return sqlite_file_mark(database.removeprefix("file:").split("?")[0])


def write_mark(session: Session, tables: Iterable[str] = REGISTER_TABLES) -> tuple[Any, ...] | None:
    """A value that changes with every committed write (on PostgreSQL, every write to
    ``tables``), or None for a database where none is known (an in-memory SQLite
    database, a dialect other than SQLite and PostgreSQL).

    It may also change without a write (a SQLite checkpoint moving the log into the file),
    which costs a fresh read, never a stale one.
    """
    backend = _backend(session)
    if backend == "postgresql":
        return read_postgresql_mark(_one_row(session), tables)
    return _sqlite_mark(session, backend)


def read_postgresql_mark(
    one_row: OneRow, tables: Iterable[str] = REGISTER_TABLES
) -> tuple[Any, ...]:
    """``write_mark`` of a PostgreSQL database, its query run by ``one_row``. The sums are
    read as ``bigint`` (a sum of ``bigint`` is ``numeric``, which drivers give as a
    ``Decimal`` or as text), so that every driver gives the same integers."""
    xmin = "xmin::text::bigint"
    expressions = (f"CAST(SUM({xmin}) AS BIGINT)", f"MAX({xmin})")
    return tuple(one_row(_one_scan_each((table, expressions) for table in tables)))
