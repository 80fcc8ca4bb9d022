"""The data stamp and the PostgreSQL write mark read each table at most once, and give
exactly what each expression gives read on its own (db.stamp)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from talentboard.db import stamp
from talentboard.db.stamp import REGISTER_TABLES, STAMPED_TABLES, data_stamp, write_mark
from tests.conftest import _rolled_back_session
from tests.web.world import build_world


def _alone(session: Session, table: str, expression: str) -> object:
    return session.execute(text(f"SELECT {expression} FROM {table}")).scalar_one()


def test_each_stamp_value_is_its_expression_read_on_its_own(session: Session) -> None:
    build_world(session)
    session.flush()
    read = data_stamp(session).read
    assert set(read) == set(STAMPED_TABLES)
    for table, extra in stamp._STAMPED:
        assert read[table] == tuple(_alone(session, table, e) for e in ("COUNT(*)", *extra))
    # Not an empty database: the register tables have rows and their sums are numbers.
    assert read["appointments"][0] > 0
    assert read["people"][1] is not None


def test_the_stamp_reads_each_scanned_table_once() -> None:
    _, sql = stamp._stamp_sql(STAMPED_TABLES)
    assert sql.count("SELECT COUNT(*) FROM people") == 0
    for table, extra in stamp._STAMPED:
        scanned = any(e not in stamp._INDEXED for e in extra)
        # One scan for what needs one (the count with it), the highest id through the
        # primary key, and the count on its own where nothing else needs a scan.
        reads = int(scanned) + int("MAX(id)" in extra) + int(not scanned)
        assert sql.count(f"FROM {table})") == reads, table
    # people: COUNT(*) and SUM(version) in one scan.
    assert "(SELECT COUNT(*) AS c0, SUM(version) AS c1 FROM people) AS" in sql


@pytest.fixture
def postgres_session(postgres_engine: Engine) -> Iterator[Session]:
    yield from _rolled_back_session(postgres_engine)


def test_the_postgresql_write_mark_is_each_tables_transaction_ids_read_on_their_own(
    postgres_session: Session,
) -> None:
    build_world(postgres_session)
    postgres_session.flush()
    mark = write_mark(postgres_session)
    assert mark is not None
    alone = []
    for table in REGISTER_TABLES:
        alone.append(_alone(postgres_session, table, "SUM(xmin::text::bigint)"))
        alone.append(_alone(postgres_session, table, "MAX(xmin::text::bigint)"))
    assert mark == tuple(alone)
    assert all(value is not None and value > 0 for value in mark)
