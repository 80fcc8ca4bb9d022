"""The change hint: what spares a server reading the data stamp while nothing is written.

At the all-levels scale the stamp reads every row of the big tables (about a third of a
second on PostgreSQL), and each worker read it every two seconds on the request path. The
hint is one trivial query (PostgreSQL's current snapshot) or a look at the file (SQLite):
while it holds, the last stamp holds. These tests use real databases and real commits from
another connection, as another program or worker would make them.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, delete, event, insert
from sqlalchemy.orm import Session

from talentboard.db import stamp as stamp_module
from talentboard.db.models import Setting
from talentboard.db.stamp import STAMPED_TABLES, change_hint, data_stamp, write_mark
from talentboard.web.cache import PENDING, AnalysisCache

KEY = "test.change_hint"


def _hint(engine: Engine) -> object:
    with Session(engine) as session:
        return change_hint(session)


@pytest.fixture
def written(engine: Engine) -> Iterator[Callable[[], None]]:
    """A committed write made from another connection (a row in ``settings``), removed
    (and committed) after the test."""

    def write() -> None:
        with engine.begin() as connection:
            connection.execute(insert(Setting).values(key=KEY, value="1"))

    yield write
    with engine.begin() as connection:
        connection.execute(delete(Setting).where(Setting.key == KEY))


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Trust a SQLite file's signature however recently it was written (the tests write
    and read within a second; a server sees the file still for longer)."""
    monkeypatch.setattr(stamp_module, "_SETTLE_SECONDS", 0.0)


@pytest.mark.usefixtures("settled")
def test_the_hint_moves_when_another_connection_commits(
    engine: Engine, written: Callable[[], None]
) -> None:
    before = _hint(engine)
    assert before is not None
    written()
    assert _hint(engine) != before


def test_the_hint_holds_while_nothing_is_written(engine: Engine, settled: None) -> None:
    """Two readings with no write between them agree. On PostgreSQL the server's own
    background work (an automatic ANALYZE) also completes transactions, which moves the
    hint, so the test allows a few attempts at a quiet pair."""
    for _attempt in range(5):
        first, second = _hint(engine), _hint(engine)
        if first == second:
            break
    assert first is not None
    assert first == second


def test_a_sqlite_file_just_written_gives_no_hint(sqlite_engine: Engine) -> None:
    """A commit becomes visible just after its file write: a file written within the last
    two seconds is not trusted, so a stamp read meanwhile is read again later."""
    with sqlite_engine.begin() as connection:
        connection.execute(insert(Setting).values(key=KEY, value="1"))
    try:
        assert _hint(sqlite_engine) is None
    finally:
        with sqlite_engine.begin() as connection:
            connection.execute(delete(Setting).where(Setting.key == KEY))


def test_an_in_memory_database_has_no_hint() -> None:
    from talentboard.db.engine import make_engine

    engine = make_engine("sqlite://")
    assert _hint(engine) is None


@pytest.fixture
def stamp_queries(engine: Engine) -> Iterator[list[str]]:
    """Every statement reading the data stamp, as the engine runs it."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "(SELECT COUNT(*) FROM settings)" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


@pytest.mark.usefixtures("settled")
def test_the_server_reads_the_stamp_again_only_after_a_write(
    engine: Engine, written: Callable[[], None], stamp_queries: list[str]
) -> None:
    """With the stamp due for re-reading at every request (``stamp_seconds`` 0), requests
    with nothing written in between do not read it; a write by another program is seen
    once the reading it starts is done, and no request waits for that reading."""
    cache = AnalysisCache(stamp_seconds=0.0)
    with Session(engine) as session:
        first = cache.stamp(session)
    for _request in range(3):
        with Session(engine) as session:
            assert cache.stamp(session) == first
    if engine.dialect.name == "sqlite":
        # On PostgreSQL the server's own background transactions may move the hint (see
        # above), which costs a reading; a SQLite file moves only when written.
        assert len(stamp_queries) == 1
    written()
    with Session(engine) as session:
        # Due, and the hint moved: the stamp is read on a thread of its own while this
        # request is given the last reading.
        assert cache.stamp(session) == first
    for thread in threading.enumerate():
        if thread.name == "talentboard-data-stamp":
            thread.join(30)
    with Session(engine) as session:
        after = cache.stamp(session)
        expected = data_stamp(session)
    assert after.read == expected.read
    assert after.read["settings"][0] == first.read["settings"][0] + 1


@pytest.mark.usefixtures("settled")
def test_a_transaction_that_has_written_gets_no_hint(engine: Engine) -> None:
    """It sees its own writes, which no hint shows and a rollback would take back."""
    with Session(engine) as session:
        assert change_hint(session) is not None
        session.execute(insert(Setting).values(key=KEY, value="1"))
        assert change_hint(session) is None
        session.rollback()
        assert change_hint(session) is not None


@pytest.mark.usefixtures("settled")
def test_a_check_of_the_write_mark_reads_it_on_a_thread_of_its_own(
    engine: Engine, written: Callable[[], None]
) -> None:
    """A computation takes the mark in the request (it needs one before it starts); a
    check at expiry after a write is answered ``PENDING`` while the mark is read apart,
    and then with the new mark."""
    cache = AnalysisCache()
    with Session(engine) as session:
        before = cache.write_mark(session, math.inf)
        assert before is not PENDING
        assert cache.write_mark(session, 0.0) == before  # nothing written: the hint holds
    written()
    with Session(engine) as session:
        assert cache.write_mark(session, 0.0) is PENDING
    for thread in threading.enumerate():
        if thread.name == "talentboard-write-mark":
            thread.join(30)
    with Session(engine) as session:
        after = cache.write_mark(session, 0.0)
        assert after == write_mark(session, STAMPED_TABLES)
    assert after != before
