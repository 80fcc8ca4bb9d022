"""The register snapshot kept between commands (``frames.snapshot``, issue 12).

A second ``stats`` on unchanged data reads the snapshot, not the database; a write through
``talentboard import`` (even one the data stamp cannot see: a post's title rewritten in
place) means the register is read again; the figures are the same either way; the files
are for their owner alone.
"""

from __future__ import annotations

import csv
import importlib
import json
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from talentboard.db import make_engine, upgrade
from talentboard.db.stamp import write_mark
from talentboard.frames import plain, snapshot
from talentboard.frames.register import POSTS_SCHEMA, RegisterFrames, load_register
from tests.cli_run import run_in_new_process
from tests.conftest import Run
from tests.stability.fixtures import board_register

STATS = ("stats", "--at", "2026-09-30", "--by", "org", "--format", "json")


@pytest.fixture
def url(tmp_path: Path) -> str:
    """The hand-worked register of the stability tests, committed to a SQLite file."""
    url = f"sqlite:///{tmp_path / 'board.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        board_register().save(session)
        session.commit()
    engine.dispose()
    return url


@pytest.fixture
def database_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each time the snapshot falls back to reading the register from the database,
    through a session or (a plain URL, ``frames.plain``) without one."""
    reads: list[str] = []
    for source in (snapshot._SessionSource, plain.PlainSource):

        def counted(
            self: snapshot.RegisterSource,
            columns: Any,
            rows: Any,
            load: Any = source.load,
        ) -> RegisterFrames:
            reads.append("register")
            frames: RegisterFrames = load(self, columns, rows)
            return frames

        monkeypatch.setattr(source, "load", counted)
    return reads


def _posts_with_title(run: Run, url: str, folder: Path, post_id: str, title: str) -> Path:
    exported = folder / "posts.csv"
    assert run("export", "posts", str(exported), "--db", url)[0] == 0
    with exported.open(newline="", encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    for row in rows:
        if row["post_id"] == post_id:
            row["title"] = title
    edited = folder / "posts-edited.csv"
    with edited.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return edited


def test_a_second_stats_on_unchanged_data_reads_the_snapshot(
    run: Run, url: str, database_reads: list[str]
) -> None:
    first = run(*STATS, "--db", url)
    assert database_reads == ["register"]
    second = run(*STATS, "--db", url)
    assert database_reads == ["register"], "the second run read the database again"
    assert second == first
    assert first[0] == 0


def test_figures_are_the_same_with_and_without_the_snapshot(
    run: Run, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(*STATS, "--db", url)
    from_snapshot = run(*STATS, "--db", url)
    monkeypatch.setenv("TALENTBOARD_SNAPSHOT", "off")
    from_database = run(*STATS, "--db", url)
    assert json.loads(from_snapshot[1]) == json.loads(from_database[1])
    engine = make_engine(url)
    with Session(engine) as session:
        monkeypatch.delenv("TALENTBOARD_SNAPSHOT")
        kept = snapshot.register(session)
    with Session(engine) as session:
        read = load_register(session)
    engine.dispose()
    for name in ("organisations", "ratings", "posts", "people", "appointments"):
        assert getattr(kept, name).equals(getattr(read, name)), name


def test_an_import_rewriting_a_title_in_place_invalidates_the_snapshot(
    run: Run, url: str, tmp_path: Path, database_reads: list[str]
) -> None:
    run(*STATS, "--db", url)
    edited = _posts_with_title(run, url, tmp_path, "A-FD", "Chief Finance Officer")
    code, out, _ = run("import", "posts", str(edited), "--db", url)
    assert code == 0
    assert "1 updated" in out
    run(*STATS, "--db", url)
    assert database_reads == ["register", "register"]
    engine = make_engine(url)
    with Session(engine) as session:
        # stats kept the columns it reads, titles not among them: they are read now.
        frames = snapshot.register(session)
    with Session(engine) as session:
        again = snapshot.register(session)
    engine.dispose()
    assert database_reads == ["register"] * 3, "the new snapshot was not kept"
    for read in (frames, again):
        titles = dict(zip(read.posts["post_id"], read.posts["title"], strict=True))
        assert titles["A-FD"] == "Chief Finance Officer"


def test_a_snapshot_holds_the_columns_read_so_far(
    run: Run, url: str, database_reads: list[str], snapshot_dir: Path
) -> None:
    first = run(*STATS, "--db", url)
    (folder,) = snapshot_dir.glob("*/register-*")
    posts = pl.read_ipc_schema(folder / "posts.arrow")
    people = pl.read_ipc_schema(folder / "people.arrow")
    assert "title" not in posts
    assert list(people) == ["person_ref", "ethnic_category"]
    engine = make_engine(url)
    with Session(engine) as session:
        names = snapshot.register(session, {"people": ("person_ref", "family_name")})
    engine.dispose()
    assert database_reads == ["register", "register"]
    assert names.people.columns == ["person_ref", "family_name"]
    assert names.posts.columns == list(POSTS_SCHEMA)
    (folder,) = snapshot_dir.glob("*/register-*")
    people = pl.read_ipc_schema(folder / "people.arrow")
    assert list(people) == ["person_ref", "family_name", "ethnic_category"]
    # The same data, so the answer kept by the first run was moved into the new snapshot,
    # and stats finds every column it reads there.
    assert len(list((folder / "answers").iterdir())) == 1
    assert run(*STATS, "--db", url) == first
    assert run(*STATS[:-1], "csv", "--db", url)[0] == 0
    assert database_reads == ["register", "register"]


def test_a_snapshot_of_the_board_rows_serves_only_board_reads(
    run: Run, url: str, database_reads: list[str], snapshot_dir: Path
) -> None:
    run(*STATS, "--db", url)
    (folder,) = snapshot_dir.glob("*/register-*")
    assert (folder / "rows").read_text(encoding="utf-8") == "board"
    engine = make_engine(url)
    with Session(engine) as session:
        every = snapshot.register(session, {"people": ("person_ref",)})
    with Session(engine) as session:
        whole = load_register(session, columns={"people": ("person_ref",)})
    engine.dispose()
    assert database_reads == ["register", "register"]
    assert every.people.equals(whole.people)
    assert every.appointments.equals(whole.appointments)
    (folder,) = snapshot_dir.glob("*/register-*")
    assert (folder / "rows").read_text(encoding="utf-8") == "all"
    # Every row serves the board figures too: the answer kept was moved over, and a CSV
    # (not kept) is worked out from the snapshot.
    run(*STATS, "--db", url)
    assert run(*STATS[:-1], "csv", "--db", url)[0] == 0
    assert database_reads == ["register", "register"]


def test_a_part_of_the_register_read_is_the_same_from_the_snapshot(
    url: str, database_reads: list[str]
) -> None:
    columns = {"people": ("ethnic_category", "person_ref"), "posts": ("title",)}
    engine = make_engine(url)
    with Session(engine) as session:
        whole = snapshot.register(session)
    with Session(engine) as session:
        part = snapshot.register(session, columns)
    with Session(engine) as session:
        read = load_register(session, columns=columns)
    engine.dispose()
    assert database_reads == ["register"]
    assert part.people.columns == ["person_ref", "ethnic_category"]
    assert part.posts.columns == ["title"]
    for name in ("organisations", "ratings", "posts", "people", "appointments"):
        assert getattr(part, name).equals(getattr(read, name)), name
        assert getattr(part, name).equals(getattr(whole, name).select(getattr(read, name).columns))


def test_snapshot_files_are_for_their_owner_alone(run: Run, url: str, snapshot_dir: Path) -> None:
    run(*STATS, "--db", url)
    files = [p for p in snapshot_dir.rglob("*") if p.is_file()]
    folders = [snapshot_dir, *(p for p in snapshot_dir.rglob("*") if p.is_dir())]
    answers = [p for p in files if p.parent.name == "answers"]
    assert len(answers) == 1
    assert sorted(p.name for p in files if p not in answers) == [
        "appointments.arrow",
        "mark",
        "organisations.arrow",
        "people.arrow",
        "posts.arrow",
        "ratings.arrow",
        "rows",
    ]
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o600}
    assert {stat.S_IMODE(p.stat().st_mode) for p in folders} == {0o700}
    # Folders are named by hashes, never by the database's name or URL.
    assert all("board" not in str(p.relative_to(snapshot_dir)) for p in files)


def test_a_kept_answer_is_printed_without_opening_the_database(
    run: Run, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second identical ``stats`` prints the first one's output, byte for byte, found
    from the file's write mark alone; CSV and JSON are kept apart, each as printed."""
    first = run(*STATS, "--db", url)
    first_csv = run(*STATS[:-1], "csv", "--db", url)

    def no_database(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the database was opened")

    work = importlib.import_module("talentboard.cli._stats_work")
    monkeypatch.setattr(work, "run", no_database)
    assert run(*STATS, "--db", url) == first
    assert run(*STATS[:-1], "csv", "--db", url) == first_csv
    assert first_csv[1].startswith("as_at,dimension,group,label,")
    assert json.loads(first[1])["by"]["org"]


def test_a_kept_answer_is_not_printed_after_a_write(
    run: Run, url: str, tmp_path: Path, database_reads: list[str]
) -> None:
    """After an import rewrites a title in place, the next ``stats`` works its answer out
    again (from the database): a kept answer never outlives the data it was worked from."""
    run(*STATS, "--db", url)
    edited = _posts_with_title(run, url, tmp_path, "A-FD", "Chief Finance Officer")
    assert run("import", "posts", str(edited), "--db", url)[0] == 0
    assert database_reads == ["register"]
    run(*STATS, "--db", url)
    assert database_reads == ["register", "register"]


def test_another_question_on_unchanged_data_reads_the_snapshot(
    run: Run, url: str, database_reads: list[str]
) -> None:
    """Another ``--by`` has no kept answer: it is worked out from the snapshot, and the
    figures are those worked out from the database."""
    run(*STATS, "--db", url)
    by_region = run(
        "stats", "--at", "2026-09-30", "--by", "region", "--format", "json", "--db", url
    )
    assert database_reads == ["register"]
    assert by_region[0] == 0
    regions = {"Y56", "Y58", "Y59", "Y60", "Y61", "Y62", "Y63"}
    assert set(json.loads(by_region[1])["by"]["region"]) <= regions


def test_snapshots_off_keep_no_answer(
    run: Run, url: str, snapshot_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TALENTBOARD_SNAPSHOT", "off")
    assert run(*STATS, "--db", url)[0] == 0
    assert not snapshot_dir.exists()


def test_cache_clear_removes_every_snapshot(run: Run, url: str, snapshot_dir: Path) -> None:
    run(*STATS, "--db", url)
    assert snapshot_dir.is_dir()
    code, out, _ = run("cache", "clear")
    assert code == 0
    assert out.strip() == f"Removed the register snapshots of 1 database(s) from {snapshot_dir}."
    assert not snapshot_dir.exists()
    assert run("cache", "where")[1].strip() == str(snapshot_dir)


@pytest.fixture
def postgres_session(postgres_engine: Engine) -> Iterator[Session]:
    with Session(postgres_engine) as session:
        yield session
        session.rollback()


def test_postgresql_write_mark_sees_a_title_rewritten_in_place(
    postgres_session: Session,
) -> None:
    board_register().save(postgres_session)
    postgres_session.flush()
    before = write_mark(postgres_session)
    # A savepoint has a transaction id of its own, as a later committed write would.
    with postgres_session.begin_nested():
        postgres_session.execute(
            text("UPDATE posts SET title = 'Finance' WHERE id = (SELECT MIN(id) FROM posts)")
        )
    assert write_mark(postgres_session) != before


def test_a_kept_answer_loads_neither_polars_nor_sqlalchemy(
    run: Run, url: str, snapshot_dir: Path
) -> None:
    """Printing a kept answer needs the file's write mark and the answer file only."""
    first = run(*STATS, "--db", url)
    printed, loaded = run_in_new_process(
        [*STATS, "--db", url],
        {"polars", "sqlalchemy", "numpy", "scipy", "alembic"},
        {"TALENTBOARD_SNAPSHOT_DIR": str(snapshot_dir)},
    )
    assert loaded == []
    assert printed == first[1]


def test_the_database_url_comes_from_the_option_then_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from talentboard.config import DEFAULT_DATABASE_URL, database_url

    monkeypatch.delenv("TALENTBOARD_DATABASE_URL", raising=False)
    assert database_url(None) == DEFAULT_DATABASE_URL == "sqlite:///talentboard.db"
    assert database_url("sqlite:////data/a.db") == "sqlite:////data/a.db"
    monkeypatch.setenv("TALENTBOARD_DATABASE_URL", "sqlite:////data/b.db")
    assert database_url(None) == "sqlite:////data/b.db"
    assert database_url("sqlite:////data/a.db") == "sqlite:////data/a.db"
    monkeypatch.setenv("TALENTBOARD_DATABASE_URL", "postgres://u@h/db")
    assert database_url(None) == "postgresql+psycopg://u@h/db"
    # An empty value is no value; the name is matched in any case.
    monkeypatch.setenv("TALENTBOARD_DATABASE_URL", "")
    assert database_url(None) == DEFAULT_DATABASE_URL
    monkeypatch.delenv("TALENTBOARD_DATABASE_URL")
    monkeypatch.setenv("talentboard_database_url", "sqlite:////data/c.db")
    assert database_url(None) == "sqlite:////data/c.db"


def test_a_busy_timeout_that_is_not_a_number_of_seconds_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from talentboard.config import sqlite_busy_timeout_seconds

    monkeypatch.delenv("TALENTBOARD_SQLITE_BUSY_TIMEOUT_SECONDS", raising=False)
    assert sqlite_busy_timeout_seconds() == 30.0
    monkeypatch.setenv("TALENTBOARD_SQLITE_BUSY_TIMEOUT_SECONDS", "2.5")
    assert sqlite_busy_timeout_seconds() == 2.5
    for wrong in ("soon", "-1", "nan"):
        monkeypatch.setenv("TALENTBOARD_SQLITE_BUSY_TIMEOUT_SECONDS", wrong)
        with pytest.raises(ValueError, match="TALENTBOARD_SQLITE_BUSY_TIMEOUT_SECONDS"):
            sqlite_busy_timeout_seconds()


def test_a_kept_answer_found_through_the_database_skips_the_frames(
    run: Run, url: str, database_reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the answer cannot be found from the file alone (here a URL with a query, as
    on PostgreSQL always), the database gives the snapshot's key and the kept answer is
    printed without reading the frames from the snapshot."""
    with_query = f"{url}?timeout=5"
    first = run(*STATS, "--db", with_query)
    assert database_reads == ["register"]

    def unread(folder: Path) -> None:
        raise AssertionError(f"the frames in {folder} were read")

    monkeypatch.setattr(snapshot, "_read", unread)
    assert run(*STATS, "--db", with_query) == first
    assert database_reads == ["register"]
    assert first[0] == 0
