"""Changes made through one server process, made known to every other (``share_changes``).

Each process keeps analysis results with the data stamp and the changes it has *noted*
(``web.cache``); a change made through another process (another worker, another host) is
not noted there, and the stamp cannot see every edit (a post's title rewritten in place).
So every transaction a request commits also raises, in the same transaction, a counter per
analysed table it wrote: the ``settings`` rows ``changes.<table>``. A process reads the
counters (one small query) at the first cache lookup of each request, and treats a table
whose counter another process raised as changed. Raising the counter in the writing
transaction means no request can see the new data without seeing the new counter.

A process recognises the counter values its own commits produced (it noted those changes
itself, with their rows) and does not count them again.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from sqlalchemy import Integer, String, Table, cast, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from talentboard.db.models import Setting
from talentboard.db.stamp import STAMPED_TABLES

PREFIX = "changes."
# A session made with this key in its ``info`` shares what it writes.
SHARE = "talentboard.share_changes"
_PENDING = "talentboard.unshared_tables"
_RAISED = "talentboard.raised_counters"

_own_lock = threading.Lock()
# Counter values this process's commits produced, by database URL and table.
_own: dict[tuple[str, str], set[int]] = {}
_listening = False
_SETTINGS: Table = Setting.__table__  # type: ignore[assignment]


def wrote(session: Session, table: str | None) -> None:
    """Record that ``session`` wrote ``table`` (None: a table that cannot be told)."""
    if not session.info.get(SHARE):
        return
    pending: set[str] = session.info.setdefault(_PENDING, set())
    if table is None:
        pending.update(STAMPED_TABLES)
    elif table in STAMPED_TABLES:
        pending.add(table)


def listen() -> None:
    """Raise the counters when a sharing session commits (once per process)."""
    global _listening
    with _own_lock:
        if _listening:
            return
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
        _listening = True


def _url(session: Session) -> str:
    return session.get_bind().engine.url.render_as_string(hide_password=True)


def _before_commit(session: Session) -> None:
    if not session.info.get(SHARE):
        return
    # Flush first, so what is still pending is recorded by the flush listener too.
    session.flush()
    tables = sorted(session.info.pop(_PENDING, set()))
    if not tables:
        return
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect not in ("postgresql", "sqlite"):
        return
    raised: dict[str, int] = session.info.setdefault(_RAISED, {})
    table = _SETTINGS
    raise_by_one = {"value": cast(cast(table.c.value, Integer) + 1, String)}
    # One table at a time, in name order, so concurrent writers lock the rows in one order.
    # The row stays locked to this transaction until it ends, so reading it back gives the
    # value this transaction made (no RETURNING: SQLite has it only from 3.35).
    for name in tables:
        values = {"key": PREFIX + name, "value": "1"}
        connection.execute(
            postgresql.insert(table)
            .values(values)
            .on_conflict_do_update(index_elements=[table.c.key], set_=raise_by_one)
            if dialect == "postgresql"
            else sqlite.insert(table)
            .values(values)
            .on_conflict_do_update(index_elements=[table.c.key], set_=raise_by_one)
        )
        value = connection.execute(
            select(table.c.value).where(table.c.key == PREFIX + name)
        ).scalar_one()
        raised[name] = int(value)


def _after_commit(session: Session) -> None:
    raised: dict[str, int] | None = session.info.pop(_RAISED, None)
    if not raised:
        return
    url = _url(session)
    with _own_lock:
        for name, value in raised.items():
            _own.setdefault((url, name), set()).add(value)


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_RAISED, None)


def read_counters(session: Session) -> dict[str, int]:
    """Every table's change counter as the database holds it now."""
    table = _SETTINGS
    # On the session's connection, past the ORM's execution events: it is asked each request.
    rows = (
        session.connection()
        .execute(select(table.c.key, table.c.value).where(table.c.key.startswith(PREFIX)))
        .all()
    )
    return {key.removeprefix(PREFIX): int(value) for key, value in rows}


def changed_elsewhere(
    session: Session, seen: Mapping[str, int], counters: Mapping[str, int]
) -> list[str]:
    """The tables whose counters moved from ``seen`` by more than this process's own
    commits account for."""
    url = _url(session)
    changed: list[str] = []
    with _own_lock:
        for name, value in counters.items():
            before = seen.get(name, 0)
            if value == before:
                continue
            own = _own.get((url, name), set())
            ours = sum(1 for number in own if before < number <= value)
            if value < before or value - before > ours:
                changed.append(name)
            own.difference_update([number for number in own if number <= value])
    return changed
