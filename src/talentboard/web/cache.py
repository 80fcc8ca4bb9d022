"""A small in-process cache for the analysis inputs the pages share.

Loading the register and talent frames is the slow part of a dashboard or succession page,
and the frames are immutable, so one load serves every request made while the data is
unchanged. Each entry is kept with a *stamp* of the data, a single cheap query over row
counts, highest ids, edit versions and end dates of the tables the analysis reads: an edit
made through the web application or a new row changes the stamp at once. Changes the stamp
cannot see (an import rewriting a value in place) are picked up when the entry expires,
after ``ttl_seconds``.
"""

from __future__ import annotations

import gc
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

T = TypeVar("T")

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
)
_STAMP_SQL = "SELECT " + ", ".join(
    f"(SELECT {expression} FROM {table})"
    for table, extra in _STAMPED
    for expression in ("COUNT(*)", *extra)
)


def data_stamp(session: Session) -> tuple[Any, ...]:
    """A value that changes when the analysed data changes (see the module docstring)."""
    row = session.execute(text(_STAMP_SQL)).one()
    return tuple(row)


class AnalysisCache:
    """Values computed from the data, kept while the data stamp is unchanged.

    Only one request computes a missing value; others asking for it meanwhile wait for
    that result rather than computing it again. The stamp itself is read at most every
    ``stamp_seconds``; a change made through the application clears the cache at once.
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
    ) -> None:
        self.ttl = ttl_seconds
        self.freeze = freeze
        self.max_entries = max_entries
        self.stamp_seconds = stamp_seconds
        self._entries: OrderedDict[Hashable, tuple[tuple[Any, ...], float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self._stamp: tuple[tuple[Any, ...], float] | None = None
        self._stamp_reading = threading.Lock()

    def stamp(self, session: Session) -> tuple[Any, ...]:
        """The data stamp, read again when the last reading is older than stamp_seconds."""
        now = time.monotonic()
        with self._lock:
            last = self._stamp
        if last is not None and now - last[1] < self.stamp_seconds:
            return last[0]
        # One request re-reads the stamp (a query over every analysed table); requests
        # arriving meanwhile use the previous reading rather than each running it too, so
        # they see data at most one re-read older, as they would have just before it began.
        if last is not None and not self._stamp_reading.acquire(blocking=False):
            return last[0]
        if last is None:
            self._stamp_reading.acquire()
        try:
            value = data_stamp(session)
            with self._lock:
                self._stamp = (value, now)
        finally:
            self._stamp_reading.release()
        return value

    def _fresh(self, key: Hashable, stamp: tuple[Any, ...]) -> tuple[bool, Any]:
        entry = self._entries.get(key)
        if entry is not None and entry[0] == stamp and time.monotonic() - entry[1] < self.ttl:
            self._entries.move_to_end(key)
            return True, entry[2]
        return False, None

    def get(self, key: Hashable, stamp: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """The cached value for ``key`` when its stamp matches and it has not expired."""
        with self._lock:
            found, value = self._fresh(key, stamp)
            if found:
                cached: T = value
                return cached
            guard = self._computing.setdefault(key, threading.Lock())
        with guard:
            with self._lock:
                found, value = self._fresh(key, stamp)
            if found:
                computed_meanwhile: T = value
                return computed_meanwhile
            result = compute()
            with self._lock:
                self._entries[key] = (stamp, time.monotonic(), result)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
                self._computing.pop(key, None)
            if self.freeze:
                keep_out_of_collections()
        return result

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._stamp = None


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


# Forms that change no analysed data: signing in and out.
UNCHANGING_POSTS = frozenset({"/sign-in", "/sign-out"})


class ClearOnChange:
    """ASGI middleware: after a request that changed data and succeeded, clear the cache."""

    def __init__(self, app: ASGIApp, cache: AnalysisCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope.get("method") in ("GET", "HEAD", "OPTIONS")
            or scope.get("path") in UNCHANGING_POSTS
        ):
            await self.app(scope, receive, send)
            return

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 400:
                self.cache.clear()
            await send(message)

        await self.app(scope, receive, watch)
