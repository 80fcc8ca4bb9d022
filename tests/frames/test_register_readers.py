"""The two register readers: Arrow through ADBC on committed data, the session's own
connection where uncommitted work must be seen; both give the same frames."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from talentboard.db import make_engine, upgrade
from talentboard.frames import arrow_reads
from talentboard.frames.register import (
    APPOINTMENTS_SCHEMA,
    POSTS_SCHEMA,
    RegisterFrames,
    load_register,
    reader_for,
)
from tests.frames.registers import RegisterBuilder, d
from tests.frames.test_register import small_register

TABLES = ("organisations", "ratings", "posts", "people", "appointments")


def committed(engine: Engine, builder: RegisterBuilder) -> None:
    with Session(engine) as session:
        builder.save(session)
        session.commit()


def assert_same_frames(ours: RegisterFrames, theirs: RegisterFrames) -> None:
    for name in TABLES:
        a, b = getattr(ours, name), getattr(theirs, name)
        assert a.schema == b.schema, name
        assert a.equals(b), name


def test_both_readers_give_the_same_frames_on_committed_data(own_engine: Engine) -> None:
    committed(own_engine, small_register())
    with Session(own_engine) as session:
        assert reader_for(session) == "arrow"
        arrow = load_register(session, reader="arrow")
        through_session = load_register(session, reader="session")
    assert_same_frames(arrow, through_session)
    # The values small_register wrote, as the Arrow reader typed them.
    posts = arrow.posts.select("post_ref", "post_id", "executive", "voting", "established_from")
    assert posts.rows() == [
        (1, "TST01-CEO", True, True, d("2010-01-01")),
        (2, "TST01-SD", True, False, None),
        (3, "TST02-CHAIR", False, True, None),
    ]
    assert arrow.appointments.select("start_date", "end_date", "end_reason").rows() == [
        (d("2019-04-01"), d("2022-03-31"), "end_of_term"),
        (d("2022-04-01"), None, None),
        (d("2024-01-15"), d("2024-06-30"), "other"),
        (d("2023-01-01"), None, None),
    ]
    assert arrow.ratings["oversight_segment"].to_list() == [2, 4]
    assert arrow.organisations["ods_code"].to_list() == ["TST01", "TST02"]


def test_both_readers_read_only_the_columns_asked_for(own_engine: Engine) -> None:
    committed(own_engine, small_register())
    columns = {"posts": ("voting", "post_ref"), "people": ("person_ref",)}
    with Session(own_engine) as session:
        arrow = load_register(session, reader="arrow", columns=columns)
        through_session = load_register(session, reader="session", columns=columns)
        whole = load_register(session, reader="arrow")
    assert_same_frames(arrow, through_session)
    # In the schema's order, whatever order they were asked in; other frames whole.
    assert arrow.posts.rows() == [(1, True), (2, False), (3, True)]
    assert arrow.posts.columns == ["post_ref", "voting"]
    assert arrow.people.columns == ["person_ref"]
    assert arrow.appointments.equals(whole.appointments)
    with Session(own_engine) as session, pytest.raises(ValueError, match="posts has no column"):
        load_register(session, columns={"posts": ("salary",)})


def test_board_rows_are_the_board_posts_their_appointments_and_people(
    own_engine: Engine,
) -> None:
    committed(
        own_engine,
        small_register()
        .post("TST02-HEAD", "TST02", "chief_executive", level="senior")
        .person("cy", "A")
        .appoint("cy", "TST02-HEAD", "2020-01-01")
        .appoint("bo", "TST02-HEAD", "2019-01-01", "2019-12-31"),
    )
    with Session(own_engine) as session:
        arrow = load_register(session, reader="arrow", rows="board")
        through_session = load_register(session, reader="session", rows="board")
        whole = load_register(session, reader="arrow")
    assert_same_frames(arrow, through_session)
    assert arrow.posts["post_id"].to_list() == ["TST01-CEO", "TST01-SD", "TST02-CHAIR"]
    # cy holds only the senior post; bo holds board posts, so all of bo's appointments
    # to board posts come, and none to the senior post.
    assert arrow.people["person_id"].to_list() == ["ann", "bo"]
    assert arrow.appointments["appointment_ref"].to_list() == [1, 2, 3, 4]
    assert whole.appointments.height == 6
    assert arrow.organisations.equals(whole.organisations)
    assert arrow.ratings.equals(whole.ratings)


def test_an_empty_register_read_as_arrow_keeps_the_columns(own_engine: Engine) -> None:
    with Session(own_engine) as session:
        frames = load_register(session, reader="arrow")
    assert frames.appointments.schema == APPOINTMENTS_SCHEMA
    assert frames.posts.schema == POSTS_SCHEMA
    assert frames.people.height == 0


def test_a_column_empty_for_its_first_thousands_of_rows_keeps_its_type(
    own_engine: Engine,
) -> None:
    """The SQLite driver types a column from the values it has seen: 2,500 people with no
    ethnic category, then one with "A", still make a text column, on either reader."""
    builder = RegisterBuilder().org("TST01")
    for number in range(2500):
        builder.person(f"p{number:04d}")
    builder.person("last", "A")
    committed(own_engine, builder)
    with Session(own_engine) as session:
        arrow = load_register(session, reader="arrow")
        assert_same_frames(arrow, load_register(session, reader="session"))
    categories = arrow.people["ethnic_category"]
    assert categories.dtype == pl.String
    assert categories.null_count() == 2500
    assert categories[-1] == "A"


def test_a_session_with_uncommitted_writes_is_read_through_the_session(session: Session) -> None:
    """The shared test session works inside a transaction that is rolled back: what it
    writes is seen only through its own connection, which ``auto`` therefore takes."""
    small_register().save(session)
    assert reader_for(session) == "session"
    frames = load_register(session)
    assert frames.posts["post_id"].to_list() == ["TST01-CEO", "TST01-SD", "TST02-CHAIR"]


def test_auto_follows_what_the_session_has_written(own_engine: Engine) -> None:
    """On PostgreSQL, reading does not stop the Arrow reader; a flushed write does, until it
    is committed. On SQLite, any open transaction does (see ``load_register``)."""
    inside = "arrow" if own_engine.dialect.name == "postgresql" else "session"
    with Session(own_engine) as session:
        session.execute(text("SELECT count(*) FROM people")).scalar_one()
        assert session.in_transaction()
        assert reader_for(session) == inside
        small_register().save(session)
        assert reader_for(session) == "session"
        assert load_register(session).people.height == 2
        session.commit()
        assert reader_for(session) == "arrow"
        assert load_register(session).people.height == 2


def test_an_in_memory_sqlite_database_is_read_through_the_session() -> None:
    engine = make_engine("sqlite://")
    upgrade(engine)
    with Session(engine) as session:
        assert reader_for(session) == "session"
        assert load_register(session).organisations.height == 0
    engine.dispose()


def test_the_arrow_reader_names_a_bad_date(tmp_path: Path) -> None:
    """A date written around the ORM as a number (SQLite's DATE columns keep numbers as
    numbers) is read as text and named, as the session reader names it."""
    engine = make_engine(f"sqlite:///{tmp_path / 'register.db'}")
    upgrade(engine)
    committed(engine, small_register())
    with engine.begin() as connection:
        connection.execute(text("UPDATE appointments SET start_date = 20220401 WHERE id = 2"))
    with Session(engine) as session, pytest.raises(ValueError, match=r"start_date: '20220401'"):
        load_register(session, reader="arrow")
    engine.dispose()


def test_a_split_table_comes_back_whole_and_in_key_order(tmp_path: Path) -> None:
    """Keys 1-10 and 100-104 split three ways by key (ranges [1, 36), [36, 71), [71, 105)):
    the middle range is empty, and the 15 rows come back once each, in key order."""
    path = tmp_path / "split.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT)")
        keys = [*range(10, 0, -1), *range(100, 105)]
        connection.executemany("INSERT INTO t VALUES (?, ?)", [(k, f"k{k}") for k in keys])
    query = arrow_reads.TableQuery(table="t", select="id, label", key="id", integer_key=True)
    frame = arrow_reads.read_sqlite(path, {"t": query}, workers=3, split_rows=2)["t"]
    assert frame["id"].to_list() == [*range(1, 11), *range(100, 105)]
    assert frame["label"].to_list() == [f"k{k}" for k in frame["id"]]
