"""A small in-process cache for the analysis inputs the pages share, and what invalidates it.

Loading the register and talent frames is the slow part of a dashboard or succession page,
and the frames are immutable, so one load serves every request made while the data is
unchanged. Each value is kept with the *stamp of the tables it reads* (``db.stamp``): one
cheap query gives, for each analysed table, its row count and expressions over highest ids,
edit versions and end dates, so a new row or an edit made anywhere changes that table's
stamp.

A change made through the application is also *noted*: every session's flushes and write
statements during a request are collected (``watch_sessions``), and at the end of the
request the tables and rows they touched are handed to the cache (``NoteChanges``). A noted
table's stamp then changes at once in this process, even for an edit its expressions cannot
see (a post's title), and the register can be brought up to date by re-reading only the
noted rows (``web.analysis.register``). Changes the stamp cannot see made outside the
application (an import rewriting a value in place) are picked up when the value expires,
after ``ttl_seconds``.
"""

from __future__ import annotations

import contextvars
import gc
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable, Iterable
from typing import Any, TypeVar

from sqlalchemy import Engine, event, inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, BooleanClauseList
from starlette.types import ASGIApp, Receive, Scope, Send

# The stamp lives with the database code so that the CLI can read it without the web app.
from talentboard.db.stamp import STAMPED_TABLES, DataStamp, change_hint, data_stamp, write_mark
from talentboard.web import metrics, shared

_log = logging.getLogger(__name__)

T = TypeVar("T")

# What ``AnalysisCache.write_mark`` gives while a fresh reading is being taken on a thread
# of its own: the value being checked is handed out as it is meanwhile.
PENDING = object()


class Changes:
    """Rows a request wrote: for each table, the keys of the rows, or None when a statement
    may have written any of them."""

    def __init__(self) -> None:
        self.rows: dict[str, set[Hashable] | None] = {}

    def __bool__(self) -> bool:
        return bool(self.rows)

    def add(self, table: str, keys: Iterable[Hashable] | None) -> None:
        if keys is None:
            self.rows[table] = None
            return
        kept = self.rows.setdefault(table, set())
        if kept is not None:
            kept.update(keys)

    def merge(self, other: Changes) -> None:
        for table, keys in other.rows.items():
            self.add(table, keys)


class AnalysisCache:
    """Values computed from the data, each kept while the stamp it was computed at holds.

    Only one request computes a missing value; others asking for it meanwhile wait for
    that result rather than computing it again. The stamp itself is read at most every
    ``stamp_seconds``, and at once after a change made through the application is noted.
    """

    # Each organisation page keeps a few entries (its headline figures per figure kind,
    # exact or after disclosure control, its segment and its personal section); with
    # about 200 trusts a bound below a few times that evicts entries before they are asked
    # for again, and every request for an evicted page recomputes its analysis: a bound of
    # 256 made a third of the national user's organisation pages slow under load.
    def __init__(
        self,
        ttl_seconds: float = 60.0,
        max_entries: int = 4096,
        stamp_seconds: float = 2.0,
        *,
        freeze: bool = False,
        log_entries: int = 256,
        share: bool = False,
    ) -> None:
        self.ttl = ttl_seconds
        self.freeze = freeze
        self.share = share
        # The change counters of other processes last read (``web.shared``); None until
        # the first reading, which only sets where counting starts.
        self._counters: dict[str, int] | None = None
        self.max_entries = max_entries
        self.stamp_seconds = stamp_seconds
        self.log_entries = log_entries
        # key: (stamp, when kept, value, write mark read before computing it)
        self._entries: OrderedDict[Hashable, tuple[Hashable, float, Any, Hashable]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        # (stamp, when read, change hint read just before it)
        self._stamp: tuple[DataStamp, float, Hashable] | None = None
        self._mark: tuple[Hashable, float, Hashable] | None = None
        self._stamp_reading = threading.Lock()
        self._mark_reading = threading.Lock()
        self._noted: dict[str, int] = {}
        self._log: list[tuple[int, Changes]] = []
        self._sequence = 0

    def stamp(self, session: Session) -> DataStamp:
        """The data stamp, read again when the last reading is older than stamp_seconds
        (or a change made through another process has been learnt of since).

        When the change hint read then shows nothing written since the last reading, that
        reading holds. Otherwise, on a session bound to an engine (as a server's are), the
        stamp is read again on a thread of its own, with its own session, and requests use
        the last reading until it is done: at the all-levels scale reading it takes about
        a third of a second on PostgreSQL, which a request would otherwise wait for. Only
        when there is no reading (the first request, or just after a change this process
        noted) does a request read it itself.
        """
        if self.share:
            self._learn_shared(session)
        now = time.monotonic()
        with self._lock:
            last = self._stamp
        if last is not None and now - last[1] < self.stamp_seconds:
            return last[0]
        # One request re-reads the stamp; requests arriving meanwhile use the previous
        # reading rather than each running it too, so they see data at most one re-read
        # older, as they would have just before it began.
        if last is not None and not self._stamp_reading.acquire(blocking=False):
            return last[0]
        if last is None:
            self._stamp_reading.acquire()
        handed_over = False
        try:
            hint = change_hint(session)
            if last is not None and hint is not None and hint == last[2]:
                # Nothing committed since the hint the last reading was taken after.
                self._keep_reading(last, last[0], now, hint)
                return last[0]
            bind = session.get_bind()
            if last is not None and isinstance(bind, Engine):
                thread = threading.Thread(
                    target=self._read_apart,
                    args=(bind, last, now),
                    name="talentboard-stamp",
                    daemon=True,
                )
                thread.start()
                handed_over = True
                return last[0]
            return self._read(session, last, now, hint)
        finally:
            if not handed_over:
                self._stamp_reading.release()

    def _read(
        self,
        session: Session,
        last: tuple[DataStamp, float, Hashable] | None,
        now: float,
        hint: Hashable,
    ) -> DataStamp:
        read = data_stamp(session)
        with self._lock:
            value = DataStamp(read.read, dict(self._noted))
        self._keep_reading(last, value, now, hint)
        return value

    def _keep_reading(
        self,
        last: tuple[DataStamp, float, Hashable] | None,
        value: DataStamp,
        now: float,
        hint: Hashable,
    ) -> None:
        with self._lock:
            # A change noted meanwhile cleared the reading: leave it cleared.
            if self._stamp is last:
                self._stamp = (value, now, hint)

    def _read_apart(
        self,
        engine: Engine,
        last: tuple[DataStamp, float, Hashable],
        now: float,
    ) -> None:
        """Read the stamp on this thread, with a session of its own (the request's may
        be gone before it is done)."""
        try:
            with Session(engine) as session:
                # The hint read by the request came from another transaction: read it
                # again here, before the stamp, so that it comes before the stamp.
                self._read(session, last, now, change_hint(session))
        except SQLAlchemyError:
            # The next request past ``stamp_seconds`` tries again; until then requests
            # use the last reading, as while this one was running.
            _log.exception("reading the data stamp failed")
        finally:
            self._stamp_reading.release()

    def _learn_shared(self, session: Session) -> None:
        """Note the tables other processes changed (``web.shared``), once per request."""
        learnt = _learnt.get()
        if learnt is not None and learnt:
            return
        counters = shared.read_counters(session)
        if learnt is not None:
            learnt.append(True)
        with self._lock:
            before = self._counters
            self._counters = counters
        if before is None:
            return
        changed = shared.changed_elsewhere(session, before, counters)
        if changed:
            elsewhere = Changes()
            for table in changed:
                elsewhere.add(table, None)
            self.note(elsewhere)

    def note(self, changes: Changes) -> None:
        """Changes made through the application: the stamps of the tables they wrote change
        at once, and ``changes_since`` hands them to incremental refreshes."""
        stamped = Changes()
        for table, keys in changes.rows.items():
            if table in STAMPED_TABLES:
                stamped.add(table, keys)
        if not stamped:
            return
        with self._lock:
            for table in stamped.rows:
                self._noted[table] = self._noted.get(table, 0) + 1
            self._sequence += 1
            self._log.append((self._sequence, stamped))
            del self._log[: -self.log_entries]
            self._stamp = None

    @property
    def sequence(self) -> int:
        """How many notes this cache has taken: where the next ``changes_since`` starts."""
        with self._lock:
            return self._sequence

    def changes_since(self, sequence: int) -> Changes | None:
        """Every change noted after ``sequence``, or None when the oldest of them has
        already left the log (the caller then reads everything again)."""
        with self._lock:
            if sequence < self._sequence and (not self._log or self._log[0][0] > sequence + 1):
                return None
            merged = Changes()
            for number, changes in self._log:
                if number > sequence:
                    merged.merge(changes)
            return merged

    def _fresh(self, key: Hashable, stamp: Hashable) -> tuple[bool, Any]:
        entry = self._entries.get(key)
        if entry is not None and entry[0] == stamp and not self._expired(entry):
            self._entries.move_to_end(key)
            return True, entry[2]
        return False, None

    def _expired(self, entry: tuple[Hashable, float, Any, Hashable]) -> bool:
        """Whether ``entry`` has outlived ``ttl``. A value kept under the empty stamp is
        keyed by the data it was computed from (a fingerprint of it is part of its key),
        so it never needs computing again: only the bound on entries removes it."""
        return entry[0] != () and time.monotonic() - entry[1] >= self.ttl

    def _stale(self, key: Hashable) -> Any:
        entry = self._entries.get(key)
        if entry is not None and not self._expired(entry):
            return entry[2]
        return None

    def get(
        self,
        key: Hashable,
        stamp: Hashable,
        compute: Callable[[], T],
        mark: Callable[[float], Hashable] | None = None,
    ) -> T:
        """The cached value for ``key`` when its stamp matches and it has not expired."""
        return self.refresh(key, stamp, lambda _stale: compute(), mark)

    def refresh(
        self,
        key: Hashable,
        stamp: Hashable,
        update: Callable[[T | None], T],
        mark: Callable[[float], Hashable] | None = None,
    ) -> T:
        """As ``get``, but a value kept at another stamp (and not expired) is handed to
        ``update`` to bring up to date, rather than computed again from nothing.

        A value that has only outlived ``ttl`` (its stamp still holds) is checked once,
        by one request, while the others are given it as it is rather than held up: when
        ``mark`` (``write_mark``, which changes with every committed write; called with
        the oldest reading it may give, in seconds) reads as it did before the value was
        computed, nothing has been written since and the value is kept for another
        ``ttl``; otherwise it is computed again.
        """
        kind = metrics.cache_kind(key)
        with self._lock:
            entry = self._entries.get(key)
            found, value = self._fresh(key, stamp)
            if found:
                metrics.cache_lookup(kind, hit=True)
                cached: T = value
                return cached
            guard = self._computing.setdefault(key, threading.Lock())
        aged = entry is not None and entry[0] == stamp
        if aged and entry is not None and not guard.acquire(blocking=False):
            # Another request is checking this value: it was right a moment ago.
            metrics.cache_lookup(kind, hit=True)
            meanwhile: T = entry[2]
            return meanwhile
        if not aged:
            guard.acquire()
        try:
            with self._lock:
                found, value = self._fresh(key, stamp)
                stale = None if found else self._stale(key)
                entry = self._entries.get(key)
            metrics.cache_lookup(kind, hit=found)
            if found:
                computed_meanwhile: T = value
                return computed_meanwhile
            result: T
            checked = entry is not None and entry[0] == stamp and entry[3] is not None
            if mark is not None and entry is not None and checked:
                before = mark(self.stamp_seconds)
                if before is PENDING:
                    # The mark is being read on its own thread: this request, like the
                    # others, is given the value as it is; the first after the reading
                    # finishes checks it.
                    with self._lock:
                        self._computing.pop(key, None)
                    pending: T = entry[2]
                    return pending
                unwritten = before == entry[3]
            else:
                unwritten = False
            if unwritten and entry is not None:
                result, computed = entry[2], False
            else:
                # Any reading taken before the computation will do: a write after it only
                # makes the check at expiry compute once more.
                before = mark(math.inf) if mark is not None else None
                result, computed = update(stale), True
            with self._lock:
                self._entries[key] = (stamp, time.monotonic(), result, before)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
                self._computing.pop(key, None)
        finally:
            guard.release()
        if self.freeze and computed:
            keep_out_of_collections()
        return result

    def write_mark(self, session: Session, within: float) -> Hashable:
        """``db.stamp.write_mark`` of the analysed tables, read again when the last
        reading is older than ``within`` seconds (it reads every analysed table, about
        a second at the all-levels scale on PostgreSQL) and the change hint read before
        it has moved since.

        A reading due for a check (``within`` finite) on a session bound to an engine is
        taken on a thread of its own, and ``PENDING`` given meanwhile; a computation
        (``within`` infinite) takes any reading there is, or reads one itself.
        """
        now = time.monotonic()
        with self._lock:
            last = self._mark
        if last is not None and now - last[1] < within:
            return last[0]
        if not self._mark_reading.acquire(blocking=False):
            if last is not None and math.isinf(within):
                return last[0]
            if math.isfinite(within):
                return PENDING
            self._mark_reading.acquire()
        handed_over = False
        try:
            hint = change_hint(session)
            if last is not None and hint is not None and hint == last[2]:
                value = last[0]
            else:
                bind = session.get_bind()
                if math.isfinite(within) and isinstance(bind, Engine):
                    thread = threading.Thread(
                        target=self._read_mark_apart,
                        args=(bind, now),
                        name="talentboard-write-mark",
                        daemon=True,
                    )
                    thread.start()
                    handed_over = True
                    return PENDING
                value = write_mark(session, STAMPED_TABLES)
            with self._lock:
                self._mark = (value, now, hint)
            return value
        finally:
            if not handed_over:
                self._mark_reading.release()

    def _read_mark_apart(self, engine: Engine, now: float) -> None:
        try:
            with Session(engine) as session:
                hint = change_hint(session)
                value = write_mark(session, STAMPED_TABLES)
            with self._lock:
                self._mark = (value, now, hint)
        except SQLAlchemyError:
            _log.exception("reading the write mark failed")
        finally:
            self._mark_reading.release()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._stamp = None
            self._mark = None


def keep_out_of_collections() -> None:
    """Leave the objects alive now out of Python's full garbage collections.

    A server keeps its modules and its cached analysis for as long as it runs, and a full
    collection walks every object: on the national demo (about 280,000 objects once every
    page has been asked for) it held every request up for a quarter of a second. Frozen
    objects are still freed as usual when nothing refers to them; only a cycle among them
    would never be collected, and the cached values hold none (clearing the cache of a
    warmed national server leaves no cyclic garbage). Young garbage is collected first.
    """
    gc.collect(1)
    gc.freeze()


# What the sessions of the request being served have written; None outside a request.
_writing: contextvars.ContextVar[Changes | None] = contextvars.ContextVar(
    "talentboard_writes", default=None
)
# Whether this request has read the other processes' change counters yet (a list so the
# request's worker threads can mark it); None outside a request.
_learnt: contextvars.ContextVar[list[bool] | None] = contextvars.ContextVar(
    "talentboard_learnt", default=None
)
_watching = threading.Lock()
_watched = False


def watch_sessions() -> None:
    """Collect what every session writes while a request is served (once per process).

    Listening on the ``Session`` class rather than one session factory catches every
    session a request opens, including those tests hand the application.
    """
    global _watched
    with _watching:
        if not _watched:
            event.listen(Session, "after_flush", _flushed)
            event.listen(Session, "do_orm_execute", _executing)
            _watched = True


def _flushed(session: Session, _context: UOWTransaction) -> None:
    changes = _writing.get()
    if changes is None and not session.info.get(shared.SHARE):
        return
    for record in (*session.new, *session.dirty, *session.deleted):
        state = inspect(record)
        table = getattr(state.mapper.persist_selectable, "name", None)
        shared.wrote(session, table)
        if changes is None:
            continue
        identity = state.identity
        if table is None:
            _anything(changes)
        else:
            key = identity[0] if identity is not None and len(identity) == 1 else None
            changes.add(table, None if key is None else (key,))


def _executing(state: ORMExecuteState) -> None:
    if state.is_select:
        return
    changes = _writing.get()
    statement = state.statement
    table = getattr(getattr(statement, "table", None), "name", None)
    if table is None:
        source = str(getattr(statement, "text", "")).lstrip().upper()
        if not source.startswith("SELECT"):
            shared.wrote(state.session, None)
            if changes is not None:
                _anything(changes)
        return
    shared.wrote(state.session, table)
    if changes is None:
        return
    changes.add(table, _ids_named(statement) if state.is_update or state.is_delete else None)


def _anything(changes: Changes) -> None:
    # A statement whose table cannot be told: as if it wrote every analysed table.
    for table in STAMPED_TABLES:
        changes.add(table, None)


def _ids_named(statement: Any) -> Collection[Hashable] | None:
    """The id an UPDATE or DELETE is confined to by ``id = value`` in its WHERE clause
    (as ``editing.save_edit`` writes), or None when it may touch any row."""
    where = statement.whereclause
    if where is None:
        return None
    terms = where.clauses if isinstance(where, BooleanClauseList) else [where]
    if isinstance(where, BooleanClauseList) and where.operator is not operators.and_:
        return None
    for term in terms:
        if (
            isinstance(term, BinaryExpression)
            and term.operator is operators.eq
            and getattr(term.left, "name", None) == "id"
            and getattr(getattr(term.left, "table", None), "name", None) == statement.table.name
            and isinstance(term.right, BindParameter)
        ):
            return (term.right.effective_value,)
    return None


class NoteChanges:
    """ASGI middleware: note what the request wrote as soon as its response begins.

    Noting before the answer leaves the server means a browser following the redirect
    after a saved form always asks after the change is noted. What is written later (a
    failed request's rolled-back flush) is noted at the end: noting too much only costs a
    refresh, never a stale page.
    """

    def __init__(self, app: ASGIApp, cache: AnalysisCache) -> None:
        self.app = app
        self.cache = cache
        watch_sessions()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        changes = Changes()
        token = _writing.set(changes)
        learnt = _learnt.set([])

        def note() -> None:
            if changes:
                taken = Changes()
                taken.merge(changes)
                changes.rows.clear()
                self.cache.note(taken)

        async def watch(message: Any) -> None:
            if message["type"] == "http.response.start":
                note()
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            _writing.reset(token)
            _learnt.reset(learnt)
            note()
