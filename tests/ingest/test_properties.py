"""Corrupted files never crash the importer and are never half-loaded.

Hypothesis corrupts valid files at random: cells replaced by any text or by broken dates,
rows truncated or duplicated, key columns emptied or dropped from the header, the text
re-encoded, random bytes inserted, the file cut short or replaced by noise, workbooks
damaged. Whatever comes out, ``import_file`` must return its own report (never raise),
and either load the whole file or leave every table exactly as it was.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from talentboard.ingest import ImportResult, import_file, write_template
from tests.ingest.helpers import canonical, load_before, snapshot

EXAMPLES = 25
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    # Each example runs in its own savepoint on the test's connection (see _examples).
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

DATES = st.one_of(
    st.from_regex(r"\A\d{1,4}[-/]\d{1,2}[-/]\d{1,4}\Z"),
    st.sampled_from(["31/02/2024", "2024-02-30", "0000-01-01", "2024-1-32", "13/13/2013"]),
)
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-16-le", "cp437")


@st.composite
def corrupted_csv(draw: st.DrawFn, kind: str) -> bytes:
    text = canonical(kind).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    for _ in range(draw(st.integers(1, 3))):
        row = draw(st.integers(1, len(rows) - 1))
        column = draw(st.integers(0, len(rows[0]) - 1))
        action = draw(
            st.sampled_from(
                ["text", "date", "empty_key", "truncate_row", "drop_column", "duplicate_row"]
            )
        )
        if action == "text" and column < len(rows[row]):
            rows[row][column] = draw(st.text(max_size=20))
        elif action == "date" and column < len(rows[row]):
            rows[row][column] = draw(DATES)
        elif action == "empty_key" and rows[row]:
            rows[row][0] = ""
        elif action == "truncate_row":
            rows[row] = rows[row][: draw(st.integers(0, len(rows[row])))]
        elif action == "drop_column":
            rows = [r[:column] + r[column + 1 :] for r in rows]
        else:
            rows.insert(row, list(rows[row]))
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    data = out.getvalue().encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    damage = draw(st.sampled_from(["none", "none", "insert", "cut", "noise"]))
    if damage == "insert":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
    elif damage == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "noise":
        data = draw(st.binary(max_size=200))
    return data


@st.composite
def damaged_workbook(draw: st.DrawFn, template: bytes) -> bytes:
    data = bytearray(template)
    for _ in range(draw(st.integers(1, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


@contextmanager
def _examples(engine: Engine, kind: str) -> Iterator[Connection]:
    """A connection holding the files ``kind`` refers to, rolled back at the end."""
    connection = engine.connect()
    outer = connection.begin()
    setup = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        load_before(setup, kind)
        setup.close()
        yield connection
    finally:
        setup.close()
        outer.rollback()
        connection.close()


def _outcome(result: ImportResult) -> str:
    if result.ok:
        return "loaded"
    if result.failure:
        return "refused by the database"
    if all(p.row is None for p in result.report.problems):
        return "refused: the file as a whole"
    return "refused: bad rows"


def _check(connection: Connection, kind: str, path: Path, data: bytes) -> None:
    """Import ``data`` in a savepoint of its own: all or nothing, and no exception."""
    savepoint = connection.begin_nested()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        path.write_bytes(data)
        before = snapshot(session)
        result = import_file(session, kind, path)
        assert isinstance(result, ImportResult)
        event(_outcome(result))
        if result.ok:
            # Everything the file holds is stored: importing it again changes nothing.
            again = import_file(session, kind, path)
            assert again.ok
            assert sum(c.inserted + c.updated for c in again.counts.values()) == 0
        else:
            assert result.report.problems or result.failure
            for problem in result.report.problems:
                assert problem.file == path.name
                assert problem.reason
            assert snapshot(session) == before
    finally:
        session.close()
        savepoint.rollback()


@pytest.mark.parametrize("kind", ["appointments", "talent", "opportunities"])
def test_corrupted_csv_files(engine: Engine, tmp_path: Path, kind: str) -> None:
    with _examples(engine, kind) as connection:

        @SETTINGS
        @given(data=corrupted_csv(kind))
        def check(data: bytes) -> None:
            _check(connection, kind, tmp_path / f"{kind}.csv", data)

        check()


def test_damaged_workbooks(engine: Engine, tmp_path: Path) -> None:
    write_template("people", tmp_path / "template.xlsx")
    template = (tmp_path / "template.xlsx").read_bytes()
    with _examples(engine, "people") as connection:

        @SETTINGS
        @given(data=damaged_workbook(template))
        def check(data: bytes) -> None:
            _check(connection, "people", tmp_path / "people.xlsx", data)

        check()
