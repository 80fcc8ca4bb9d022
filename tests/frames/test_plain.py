"""The register read without SQLAlchemy (``frames.plain``): the same frames, the same
snapshot, the same errors as through a session, and neither SQLAlchemy nor psycopg loaded."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url, text
from sqlalchemy.orm import Session

from talentboard.db import make_engine
from talentboard.frames import plain, snapshot
from talentboard.frames.register import load_register
from tests.cli_run import run_in_new_process
from tests.conftest import Run
from tests.frames.test_register import small_register
from tests.frames.test_register_readers import assert_same_frames, committed

STATS = ("stats", "--at", "2024-06-30", "--by", "org", "--format", "json")

PLAIN_URLS = (
    "postgresql://postgres@127.0.0.1:5432/test",
    "postgresql+psycopg://talent@db.example.nhs.uk/talent_board",
    "postgresql+psycopg://talent:secret@db-1.example:6543/board.v2",
    # A password with an escaped character: libpq reads the escape as SQLAlchemy does.
    "postgresql://user.name:p%40ss@host_1/db-2",
    # Parameters, which SQLAlchemy lists by name.
    "postgresql://talent@db.example.nhs.uk/board?sslmode=require&application_name=tb",
)
NOT_PLAIN_URLS = (
    "postgresql://u@h/db?a=1&a=2",
    "postgresql://u@h/db?options=-c%20x",
    "postgresql:///db",
    "postgresql://h/db",
    "postgresql://u@[::1]/db",
    "postgresql+psycopg2://u@h/db",
    "mysql://u@h/db",
    "sqlite://",
    "sqlite:///:memory:",
    "sqlite:///file:board.db?mode=ro",
    "sqlite:///board.db?timeout=5",
)


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@pytest.mark.parametrize("url", PLAIN_URLS)
def test_a_plain_postgresql_url_is_named_and_opened_as_sqlalchemy_would(url: str) -> None:
    found = plain.plain_identity(url)
    assert found is not None
    dialect, target, identity = found
    assert dialect == "postgresql"
    parsed = make_url(url)
    assert target == parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    # The snapshot folder a session would use.
    engine = make_engine(url)
    assert identity == snapshot._SessionSource(Session(engine)).identity()
    engine.dispose()


def test_a_plain_sqlite_url_is_named_by_its_real_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    real = os.path.realpath(tmp_path / "data" / "board.db")
    for url in ("sqlite:///link/board.db", f"sqlite:///{tmp_path}/data/board.db"):
        assert plain.plain_identity(url) == ("sqlite", real, f"sqlite:///{real}")
        engine = make_engine(url)
        assert snapshot._SessionSource(Session(engine)).identity() == f"sqlite:///{real}"
        engine.dispose()


@pytest.mark.parametrize("url", NOT_PLAIN_URLS)
def test_other_urls_take_the_usual_path(url: str) -> None:
    assert plain.plain_identity(url) is None
    assert plain.open_source(url) is None


def test_a_database_that_cannot_be_reached_takes_the_usual_path(tmp_path: Path) -> None:
    assert plain.open_source("postgresql://postgres@127.0.0.1:1/test") is None
    assert plain.open_source(f"sqlite:///{tmp_path / 'missing.db'}") is None
    assert not (tmp_path / "missing.db").exists()


def test_the_same_frames_and_snapshot_as_through_a_session(own_engine: Engine) -> None:
    committed(own_engine, small_register())
    source = plain.open_source(_url(own_engine))
    assert source is not None
    with source, Session(own_engine) as session:
        assert source.schema_is_current()
        ours = snapshot.locate(source)
        theirs = snapshot.locate(session)
        assert ours is not None
        assert theirs is not None
        # The same folder: the key (data stamp and write mark) is the same, value for
        # value and type for type (its text is hashed).
        assert ours.folder == theirs.folder
        assert ours.mark == theirs.mark
        assert ours.hint == theirs.hint
        assert_same_frames(source.load(None, "all"), load_register(session))
        assert_same_frames(source.load(None, "board"), load_register(session, rows="board"))


def test_a_snapshot_written_without_sqlalchemy_is_read_through_a_session(
    own_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    committed(own_engine, small_register())
    source = plain.open_source(_url(own_engine))
    assert source is not None
    with source:
        written, folder = snapshot.register_kept(source)
    assert folder is not None
    assert folder.is_dir()

    def unread(self: snapshot.RegisterSource, *_: object) -> None:
        raise AssertionError("the database was read, not the snapshot")

    monkeypatch.setattr(snapshot._SessionSource, "load", unread)
    with Session(own_engine) as session:
        kept, kept_folder = snapshot.register_kept(session)
    assert kept_folder == folder
    assert_same_frames(kept, written)


def test_a_schema_missing_or_out_of_date_is_reported_as_usual(own_engine: Engine, run: Run) -> None:
    url = _url(own_engine)
    with own_engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    source = plain.open_source(url)
    assert source is not None
    with source:
        assert not source.schema_is_current()
    code, _, err = run(*STATS, "--db", url)
    assert code == 1
    assert "the database schema is out of date: run 'talentboard init'" in err
    with own_engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))
    with plain.open_source(url) as source:  # type: ignore[union-attr]
        assert not source.schema_is_current()
    code, _, err = run(*STATS, "--db", url)
    assert code == 1
    assert "the database has no talentboard schema: run 'talentboard init' first" in err


def test_stats_on_a_plain_url_loads_neither_sqlalchemy_nor_psycopg(
    own_engine: Engine, run: Run, tmp_path: Path
) -> None:
    """The whole command, snapshots off so that the register is read from the database;
    its output is the one the session path prints."""
    committed(own_engine, small_register())
    url = _url(own_engine)
    # URLs SQLAlchemy reads and this path does not: a query on SQLite, an escape in one.
    sqlite = own_engine.dialect.name == "sqlite"
    query = "?timeout=5" if sqlite else "?options=-csearch_path%3Dpublic"
    through_session = run(*STATS, "--db", url + query)
    assert through_session[0] == 0, through_session[2]
    printed, loaded = run_in_new_process(
        [*STATS, "--db", url],
        {"sqlalchemy", "psycopg", "alembic", "polars"},
        {"TALENTBOARD_SNAPSHOT": "off"},
    )
    assert loaded == ["polars"]
    assert printed == through_session[1]
    assert "TST01" in json.loads(printed)["by"]["org"]


def test_a_postgresql_snapshot_is_found_by_the_change_hint_alone(
    own_postgres_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While no write is committed, the snapshot is found by the hint read before its key,
    without the write mark's and the data stamp's queries, by either path; a commit moves
    the hint, and the key is taken again."""
    committed(own_postgres_engine, small_register())
    url = _url(own_postgres_engine)
    with plain.open_source(url) as source:  # type: ignore[union-attr]
        hint = source.change_hint()
        _, folder = snapshot.register_kept(source)
    assert hint is not None
    # The server's snapshot, and its start time in microseconds (a restart from older files
    # could bring transaction ids back).
    assert hint[0] == "snapshot"
    assert isinstance(hint[2], int)
    assert folder is not None
    assert (folder / "hint").read_text(encoding="utf-8") == repr(hint)

    def unread(self: object, *_: object) -> None:
        raise AssertionError("the write mark or the data stamp was read")

    with monkeypatch.context() as patched:
        for source_kind in (plain.PlainSource, snapshot._SessionSource):
            patched.setattr(source_kind, "write_mark", unread)
            patched.setattr(source_kind, "register_stamp", unread)
        with plain.open_source(url) as source:  # type: ignore[union-attr]
            found = snapshot.locate(source)
        with Session(own_postgres_engine) as session:
            found_by_session = snapshot.locate(session)
    assert found is not None
    assert found.folder == folder
    assert found_by_session is not None
    assert found_by_session.folder == folder

    with own_postgres_engine.begin() as connection:
        connection.execute(text("UPDATE posts SET title = 'Chief Executive Officer'"))
    with plain.open_source(url) as source:  # type: ignore[union-attr]
        assert source.change_hint() != hint
        moved = snapshot.locate(source)
    assert moved is not None
    assert moved.folder != folder, "a title rewritten in place gives another key"


def test_a_snapshot_found_by_its_key_has_the_new_hint_recorded(own_postgres_engine: Engine) -> None:
    committed(own_postgres_engine, small_register())
    url = _url(own_postgres_engine)
    with plain.open_source(url) as source:  # type: ignore[union-attr]
        _, folder = snapshot.register_kept(source)
    assert folder is not None
    # A write elsewhere on the server (here another table) moves the hint, not the key.
    with own_postgres_engine.begin() as connection:
        connection.execute(text("CREATE TABLE elsewhere (x integer)"))
    with plain.open_source(url) as source:  # type: ignore[union-attr]
        hint = source.change_hint()
        found = snapshot.locate(source)
    assert found is not None
    assert found.folder == folder
    assert (folder / "hint").read_text(encoding="utf-8") == repr(hint)
