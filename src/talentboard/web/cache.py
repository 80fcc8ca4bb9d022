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


# A reading: the value, when it was read (``time.monotonic``), the change hint read before it.
_Kept = tuple[Any, float, Hashable]


class _Reading:
    """A value read from the database now and then (the data stamp, the write mark), kept
    with the change hint (``db.stamp.change_hint``) read just before it.

    Reading either takes every row of the big tables (a third of a second to a second at
    the all-levels scale on PostgreSQL), so one caller at a time reads it, and a due
    reading is not taken at all while the hint shows nothing written since the last one.
    """

    def __init__(self, name: str, read: Callable[[Session], Any], lock: threading.Lock) -> None:
        self.name = name
        self.read = read
        # The cache's lock: it guards ``kept``, which a noted change clears.
        self.lock = lock
        self.kept: _Kept | None = None
        self._reading = threading.Lock()

    def get(self, session: Session, within: float, *, stale: bool) -> Any:
        """The value, read again when the kept reading is older than ``within`` seconds
        and the change hint has moved since it was taken.

        With a reading kept, a due reading is left to whoever is taking one already, or
        taken on a thread of its own (with a session of its own) when ``session`` is bound
        to an engine, as a server's are; meanwhile the kept value is given when ``stale``
        allows it, else ``PENDING``. Without a reading kept, it is read here (after any
        reading under way).
        """
        now = time.monotonic()
        with self.lock:
            last = self.kept
        if last is not None and now - last[1] < within:
            return last[0]
        if not self._reading.acquire(blocking=False):
            if last is not None:
                return last[0] if stale else PENDING
            self._reading.acquire()
        handed_over = False
        try:
            hint = change_hint(session)
            if last is not None and hint is not None and hint == last[2]:
                # Nothing committed since the hint the kept reading was taken after.
                self._keep(last, last[0], now, hint)
                return last[0]
            bind = session.get_bind()
            if last is not None and isinstance(bind, Engine):
                thread = threading.Thread(
                    target=self._read_apart,
                    args=(bind, last, now),
                    name=f"talentboard-{self.name}",
                    daemon=True,
                )
                thread.start()
                handed_over = True
                return last[0] if stale else PENDING
            value = self.read(session)
            self._keep(last, value, now, hint)
            return value
        finally:
            if not handed_over:
                self._reading.release()

    def clear(self) -> None:
        """Forget the kept reading (under the cache's lock): the next caller reads it."""
        self.kept = None

    def _keep(self, last: _Kept | None, value: Any, now: float, hint: Hashable) -> None:
        with self.lock:
            # A change noted meanwhile cleared the reading: leave it cleared.
            if self.kept is last:
                self.kept = (value, now, hint)

    def _read_apart(self, engine: Engine, last: _Kept, now: float) -> None:
        try:
            with Session(engine) as session:
                # The hint the caller read came from another transaction: read it again
                # here, so that it comes before the value it is kept with.
                hint = change_hint(session)
                self._keep(last, self.read(session), now, hint)
        except SQLAlchemyError:
            # The next caller past ``within`` tries again; until then the kept reading
            # stands, as while this one was running.
            _log.exception("reading the %s failed", self.name.replace("-", " "))
        finally:
            self._reading.release()


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
        max_file_bytes: int = 128 * 2**20,
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
        # Values that are files (a board report, about 0.2 MB as PDF) are also bounded by
        # their total size: past it the least recently used files go, and the analysis
        # entries stay.
        self.max_file_bytes = max_file_bytes
        self._file_bytes = 0
        self.stamp_seconds = stamp_seconds
        self.log_entries = log_entries
        # key: (stamp, when kept, value, write mark read before computing it)
        self._entries: OrderedDict[Hashable, tuple[Hashable, float, Any, Hashable]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self._stamp = _Reading("data-stamp", self._read_stamp, self._lock)
        self._mark = _Reading(
            "write-mark", lambda session: write_mark(session, STAMPED_TABLES), self._lock
        )
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
        # Requests arriving while the stamp is read use the previous reading, so they see
        # data at most one re-read older, as they would have just before it began.
        stamp: DataStamp = self._stamp.get(session, self.stamp_seconds, stale=True)
        return stamp

    def _read_stamp(self, session: Session) -> DataStamp:
        read = data_stamp(session)
        with self._lock:
            return DataStamp(read.read, dict(self._noted))

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
            self._stamp.clear()

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

    def _keep(self, key: Hashable, entry: tuple[Hashable, float, Any, Hashable]) -> None:
        """Keep ``entry`` as the most recently used, then drop the least recently used
        entries past ``max_entries``, and the least recently used files past
        ``max_file_bytes`` (the new one last; one larger than the bound is not kept). Called
        with the lock held."""
        replaced = self._entries.pop(key, None)
        if replaced is not None:
            self._file_bytes -= _file_size(replaced[2])
        if _file_size(entry[2]) > self.max_file_bytes:
            return  # larger than the whole bound: not kept, and nothing dropped for it
        self._entries[key] = entry
        self._entries.move_to_end(key)
        self._file_bytes += _file_size(entry[2])
        while len(self._entries) > self.max_entries:
            _, dropped = self._entries.popitem(last=False)
            self._file_bytes -= _file_size(dropped[2])
        if self._file_bytes > self.max_file_bytes:
            files = [k for k, kept in self._entries.items() if _file_size(kept[2])]
            for oldest in files:
                self._file_bytes -= _file_size(self._entries.pop(oldest)[2])
                if self._file_bytes <= self.max_file_bytes:
                    break

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
                self._keep(key, (stamp, time.monotonic(), result, before))
                self._computing.pop(key, None)
        finally:
            guard.release()
        if self.freeze and computed:
            keep_out_of_collections()
        return result

    def write_mark(self, session: Session, within: float) -> Hashable:
        """``db.stamp.write_mark`` of the analysed tables, read again when the last
        reading is older than ``within`` seconds and the change hint has moved since (it
        reads every analysed table, about a second at the all-levels scale on
        PostgreSQL). A check (``within`` finite) is given ``PENDING`` while a reading is
        taken apart (``_Reading``); a computation (``within`` infinite) takes the kept
        reading, or reads one itself.
        """
        mark: Hashable = self._mark.get(session, within, stale=False)
        return mark

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._file_bytes = 0
            self._stamp.clear()
            self._mark.clear()


def _file_size(value: object) -> int:
    """The size of a value that is a file's content (bytes), else 0."""
    return len(value) if isinstance(value, bytes | bytearray) else 0


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
