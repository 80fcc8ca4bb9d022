"""Helpers for the import tests: the canonical files, writing bad files, table snapshots.

The canonical files in ``data/`` are one small, consistent register: three organisations
(one new trust, TST01, an integrated care board, and an update to RJ1), five posts, five
people, seven appointments, and talent, assessment, succession and opportunity rows about
them; a kind added later may add its own file about the same people. Each kind's file
refers only to kinds before it in ``KINDS``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from talentboard.db.models import Base
from talentboard.ingest import KINDS, ImportResult, ValidationReport, import_file

DATA = Path(__file__).parent / "data"
# The kinds of DESIGN section 6, whose canonical files this package's tests describe.
SECTION_6_KINDS = (
    "organisations",
    "performance",
    "posts",
    "people",
    "appointments",
    "talent",
    "assessments",
    "succession",
    "opportunities",
)


def canonical(kind: str) -> Path:
    return DATA / f"{kind}.csv"


def kinds_with_files() -> list[str]:
    """Every kind that has a canonical file in ``data/``, in load order."""
    return [kind for kind in KINDS if canonical(kind).exists()]


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` exactly (no newline translation) to ``folder/name``."""
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def found(report: ValidationReport) -> list[tuple[int | None, str | None, str]]:
    """The report's problems as (row, column, reason)."""
    return [(p.row, p.column, p.reason) for p in report.problems]


def load(session: Session, *kinds: str) -> dict[str, ImportResult]:
    """Import the canonical files of ``kinds`` (every one there is when none given)."""
    results = {}
    for kind in kinds or kinds_with_files():
        result = import_file(session, kind, canonical(kind))
        assert result.ok, (kind, result.report.problems, result.failure)
        results[kind] = result
    return results


def load_before(session: Session, kind: str) -> None:
    """Import the canonical files of every kind that ``kind`` may refer to."""
    names = list(KINDS)
    load(session, *(k for k in names[: names.index(kind)] if canonical(k).exists()))


def snapshot(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted, to compare before and after an import."""
    session.expire_all()
    tables = {}
    for table in Base.metadata.sorted_tables:
        rows = [tuple(r) for r in session.execute(select(table))]
        tables[table.name] = sorted(rows, key=repr)
    return tables


@contextmanager
def isolated(engine: Engine) -> Iterator[Session]:
    """A session whose work, committed or not, is rolled back at the end."""
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()
