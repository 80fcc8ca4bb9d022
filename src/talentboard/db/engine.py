"""Engines and sessions for SQLite (the embedded default) and PostgreSQL.

SQLite lets one connection write at a time. Three things make concurrent writers wait
their turn rather than fail with "database is locked":

- the database is in WAL mode, so readers never block the writer nor the writer readers;
- every connection waits up to ``TALENTBOARD_SQLITE_BUSY_TIMEOUT_SECONDS`` for the write
  lock (``PRAGMA busy_timeout``) before giving up;
- a transaction that will write takes the write lock when it begins (``BEGIN
  IMMEDIATE``). SQLite cannot turn a transaction that has read into one that writes while
  another connection writes, nor once another connection has committed since its first
  read: that fails at once, whatever the busy timeout. How a transaction begins is chosen
  per engine with the execution option ``sqlite_begin`` (see :func:`writing` and
  :func:`reading`):

  ``"deferred"`` (the default) a plain ``BEGIN``: the lock is taken at the first write;
  ``"immediate"`` ``BEGIN IMMEDIATE``: the lock is taken up front, for work that writes
      what it read (a form's edit, an import);
  ``"read"`` a plain ``BEGIN`` whose reads share one snapshot; if it then writes (a read
      of a person's record is audited), the transaction is begun again with ``BEGIN
      IMMEDIATE`` before its first write, so that write waits its turn. Nothing has been
      written when this happens; the reads made before are not repeated, so this mode is
      only for work whose writes do not depend on what it read (pages that show data and
      note who saw it).

PostgreSQL takes row locks as it writes and needs none of this; its engines check each
pooled connection before use (``pool_pre_ping``), so after the server restarts the
requests that follow get fresh connections rather than errors.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from talentboard.config import database_url, sqlite_busy_timeout_seconds

BEGIN_OPTION = "sqlite_begin"
BEGIN_MODES = ("deferred", "immediate", "read")
_STATE = "talentboard_sqlite_transaction"
# The connection's count of rows changed, as it was when its transaction began.
_CHANGES_AT_BEGIN = "talentboard_sqlite_changes_at_begin"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite would begin transactions late and commit on its own (before DDL, and when an
    # outermost SAVEPOINT is released); _sqlite_begin starts them instead, so savepoints
    # and transactional DDL behave as on PostgreSQL.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={int(sqlite_busy_timeout_seconds() * 1000)}")
    # SQLite leaves foreign keys unenforced unless asked, per connection.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get(BEGIN_OPTION, "deferred")
    if mode not in BEGIN_MODES:
        raise ValueError(f"unknown {BEGIN_OPTION} mode {mode!r}: one of {BEGIN_MODES}")
    connection.info[_STATE] = "fresh" if mode == "read" else mode
    connection.exec_driver_sql("BEGIN IMMEDIATE" if mode == "immediate" else "BEGIN")
    connection.info[_CHANGES_AT_BEGIN] = _total_changes(connection)


def _total_changes(connection: Connection) -> int:
    changes: int = connection.connection.dbapi_connection.total_changes  # type: ignore[union-attr]
    return changes


def sqlite_wrote(connection: Connection) -> bool | None:
    """Whether the SQLite transaction open on ``connection`` has changed rows so far (its
    writes visible to it and to no other connection), or None when that cannot be told
    (an engine not made by ``make_engine``)."""
    at_begin: int | None = connection.info.get(_CHANGES_AT_BEGIN)
    if at_begin is None or not connection.in_transaction():
        return None
    return _total_changes(connection) != at_begin


def _sqlite_before_execute(
    connection: Connection,
    cursor: Any,
    statement: str,
    _parameters: Any,
    _context: Any,
    _executemany: bool,
) -> None:
    """In a ``"read"`` transaction, begin again with the write lock before the first write."""
    state = connection.info.get(_STATE)
    if state not in ("fresh", "read"):
        return
    word = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
    if word == "BEGIN":
        return
    if word in ("SAVEPOINT", "RELEASE", "ROLLBACK"):
        # A savepoint would not survive beginning again: leave the transaction as it is.
        connection.info[_STATE] = "nested"
        return
    if word not in _WRITES:
        connection.info[_STATE] = "read"
        return
    if state == "read":
        # Nothing is written yet: end the read snapshot and wait for the write lock.
        cursor.execute("ROLLBACK")
        cursor.execute("BEGIN IMMEDIATE")
    connection.info[_STATE] = "writing"


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url`` (or the configured database), with integrity enforced."""
    resolved = database_url(url)
    if resolved.startswith("postgresql"):
        kwargs.setdefault("pool_pre_ping", True)
    engine = create_engine(resolved, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "before_cursor_execute", _sqlite_before_execute)
    return engine


def writing(engine: Engine) -> Engine:
    """``engine`` for work that writes what it reads: on SQLite its transactions take the
    write lock when they begin (the same pool and connections)."""
    return engine.execution_options(**{BEGIN_OPTION: "immediate"})


def reading(engine: Engine) -> Engine:
    """``engine`` for work that reads and at most notes what it read: on SQLite its reads
    share a snapshot without the write lock, taken only if and when it writes."""
    return engine.execution_options(**{BEGIN_OPTION: "read"})


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
