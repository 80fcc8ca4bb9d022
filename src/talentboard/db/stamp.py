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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from talentboard.db.filemark import sqlite_file_mark

__all__ = [
    "REGISTER_TABLES",
    "STAMPED_TABLES",
    "DataStamp",
    "data_stamp",
    "write_mark",
]

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


def _stamp_sql(tables: Iterable[str]) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], str]:
    chosen = set(tables)
    stamped = tuple((table, extra) for table, extra in _STAMPED if table in chosen)
    sql = "SELECT " + ", ".join(
        f"(SELECT {expression} FROM {table})"
        for table, extra in stamped
        for expression in ("COUNT(*)", *extra)
    )
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
    stamped, sql = _ALL if tables is None else _stamp_sql(tables)
    row = iter(session.execute(text(sql)).one())
    return DataStamp(
        {table: tuple(next(row) for _ in range(1 + len(extra))) for table, extra in stamped}
    )


def write_mark(session: Session, tables: Iterable[str] = REGISTER_TABLES) -> tuple[Any, ...] | None:
    """A value that changes with every committed write (on PostgreSQL, every write to
    ``tables``), or None for a database where none is known (an in-memory SQLite
    database, a dialect other than SQLite and PostgreSQL).

    It may also change without a write (a SQLite checkpoint moving the log into the file),
    which costs a fresh read, never a stale one.
    """
    bind = session.get_bind()
    url = bind.engine.url if isinstance(bind, Connection) else bind.url
    backend = url.get_backend_name()
    if backend == "postgresql":
        sums = ", ".join(
            f"(SELECT SUM(xmin::text::bigint) FROM {table}), "
            f"(SELECT MAX(xmin::text::bigint) FROM {table})"
            for table in tables
        )
        return tuple(session.execute(text(f"SELECT {sums}")).one())
    database = url.database
    if backend != "sqlite" or not database or database == ":memory:" or "mode=memory" in database:
        return None
    return sqlite_file_mark(database.removeprefix("file:").split("?")[0])
