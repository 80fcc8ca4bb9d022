"""Hostile import files, and a harness that imports them as ``talentboard import`` would.

:func:`hostile_file` is a Hypothesis strategy that starts from a kind's canonical file and
damages it: wrong types, missing, extra and repeated columns, duplicate keys, unknown
references, impossible and far dates, huge fields, overlapping appointments, byte-order
marks, CRLF or CR line ends, UTF-16 or Windows-1252 text, empty and binary files; written
as CSV or as an Excel workbook. :class:`Harness` imports each file in-process into a
SQLite database holding every kind's canonical rows and says how the command would end:
exit 0 (loaded), 2 (refused, every problem naming the file and where) or 1 (the database
refused the data). Used by ``tests/hardening`` and by ``scripts/fuzz_imports.py``.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from talentboard.db import make_engine
from talentboard.db.engine import session_factory, writing
from talentboard.ingest import KINDS, Problem, import_file
from tests.cli_run import exit_code as cli
from tests.ingest.helpers import canonical, kinds_with_files, load
from tests.reliability.checksums import table_checksums

FORMATS = ("csv", "xlsx")

WRONG_VALUES = (
    "",
    " ",
    "x",
    "twenty",
    "-1",
    "1e309",
    "NaN",
    "inf",
    "0x10",
    "1,000",
    "99999999999999999999999",
    "true",
    "maybe",
    "=1+1",
    '\'=HYPERLINK("x")',
    "@SUM(A1)",
    "+44",
    "\t",
    "\r",
    "NULL",
    "None",
    "ZZZ99",
    "P999999",
    "\u202eevil",
    "\x0b\x0c",
    "e\u0301",
    "\U0001f600",
    "a\nb",
    '"quoted"',
    "0000-00-00",
    "2024-02-30",
    "2023-02-29",
    "31/02/2024",
    "13/13/2013",
    "0001-01-01",
    "9999-12-31",
    "1899-12-30",
    "2200-01-01",
    "45000",
    "2024-13-01",
    "2024-01-01T25:00",
    "1/1/1",
)


@dataclass(frozen=True)
class Hostile:
    """One generated file: its kind, format, bytes and what was done to it."""

    kind: str
    fmt: str
    data: bytes
    damage: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.kind}.{self.fmt}"


def canonical_rows(kind: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(canonical(kind).read_text(encoding="utf-8-sig"))))


def _overlap(rows: list[list[str]]) -> list[list[str]]:
    """An appointments file with a second appointment to the same post inside the first."""
    header = rows[0]
    if "start_date" not in header or "end_date" not in header or len(rows) < 2:
        return rows
    start, end = header.index("start_date"), header.index("end_date")
    copy = list(rows[1])
    copy[start] = rows[1][start][:8] + "15" if rows[1][start] else "2020-01-15"
    copy[end] = ""
    return [*rows, copy]


@st.composite
def hostile_file(draw: st.DrawFn, kind: str, fmt: str | None = None) -> Hostile:
    """A damaged file of ``kind``: a few damages to the canonical rows, then an encoding."""
    rows = canonical_rows(kind)
    chosen = fmt or draw(st.sampled_from(FORMATS))
    done: list[str] = []
    whole = draw(st.sampled_from(["rows"] * 12 + ["empty", "binary", "header-only", "blank"]))
    if whole == "empty":
        return Hostile(kind, chosen, b"", ("empty",))
    if whole == "binary":
        return Hostile(kind, chosen, draw(st.binary(min_size=1, max_size=300)), ("binary",))
    if whole == "header-only":
        rows = rows[:1]
    if whole == "blank":
        rows = [[""] * len(rows[0])] * 3
    for _ in range(draw(st.integers(0, 4))):
        if len(rows) < 2 or not rows[0]:
            break
        r = draw(st.integers(1, len(rows) - 1))
        c = draw(st.integers(0, len(rows[0]) - 1))
        action = draw(
            st.sampled_from(
                [
                    "wrong",
                    "wrong",
                    "text",
                    "huge",
                    "drop_column",
                    "extra_column",
                    "repeat_column",
                    "rename_column",
                    "duplicate_row",
                    "duplicate_key",
                    "short_row",
                    "long_row",
                    "overlap",
                    "swap_columns",
                ]
            )
        )
        done.append(action)
        row = rows[r]
        if action == "wrong" and c < len(row):
            row[c] = draw(st.sampled_from(WRONG_VALUES))
        elif action == "text" and c < len(row):
            row[c] = draw(st.text(max_size=30))
        elif action == "huge" and c < len(row):
            row[c] = draw(st.sampled_from(["A", "7", "é", "=", "\n"])) * draw(
                st.sampled_from([1_000, 40_000, 200_000])
            )
        elif action == "drop_column":
            rows = [x[:c] + x[c + 1 :] for x in rows]
        elif action == "extra_column":
            name = draw(st.sampled_from(["notes", "", "Person ID", "hobby", "=cmd|x!A1"]))
            rows = [rows[0] + [name]] + [
                [*x, draw(st.sampled_from(["", "1", "x"]))] for x in rows[1:]
            ]
        elif action == "repeat_column":
            rows = [[*x, x[c]] if c < len(x) else x for x in rows]
        elif action == "rename_column":
            rows[0][c] = draw(st.sampled_from([rows[0][c].upper(), f" {rows[0][c]} ", "", "x"]))
        elif action == "duplicate_row":
            rows.insert(r, list(row))
        elif action == "duplicate_key":
            twin = list(rows[1])
            other = rows[-1]
            for i in range(len(twin)):
                if i != 0 and i < len(other):
                    twin[i] = other[i]
            rows.append(twin)
        elif action == "short_row":
            rows[r] = row[: draw(st.integers(0, max(0, len(row) - 1)))]
        elif action == "long_row":
            rows[r] = row + ["surplus"] * draw(st.integers(1, 3))
        elif action == "overlap" and kind == "appointments":
            rows = _overlap(rows)
        elif action == "swap_columns":
            d = draw(st.integers(0, len(rows[0]) - 1))
            rows = [_swap(x, c, d) for x in rows]
    done.insert(0, whole)
    if chosen == "xlsx":
        return Hostile(kind, chosen, _workbook(kind, rows, draw), tuple(done))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le"]))
    done += [f"ending {ending!r}", encoding]
    out = io.StringIO()
    csv.writer(out, lineterminator=ending).writerows(rows)
    data = out.getvalue().encode(encoding, errors="replace")
    if draw(st.integers(0, 9)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
        done.append("cut")
    return Hostile(kind, chosen, data, tuple(done))


def _swap(row: list[str], a: int, b: int) -> list[str]:
    row = list(row)
    if a < len(row) and b < len(row):
        row[a], row[b] = row[b], row[a]
    return row


def _workbook(kind: str, rows: list[list[str]], draw: st.DrawFn) -> bytes:
    """``rows`` as a workbook; some cells typed as a spreadsheet would type them."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = draw(st.sampled_from([kind, "Sheet1", kind.upper()]))
    for number, row in enumerate(rows):
        cells: list[object] = []
        for value in row:
            clean = "".join(ch for ch in value if ch >= " " or ch in "\t\n\r")[:32_000]
            if number and draw(st.integers(0, 5)) == 0:
                cells.append(
                    draw(
                        st.one_of(
                            st.integers(-(10**6), 10**6),
                            st.floats(allow_nan=False, allow_infinity=False),
                            st.booleans(),
                            st.dates(),
                        )
                    )
                )
            else:
                cells.append(clean)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def steady(examples: int) -> settings:
    """Hypothesis settings for CI: ``examples`` cases, the same ones every run."""
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )


def placed(problem: Problem, name: str) -> bool:
    """Whether ``problem`` names the file, and the row and column when it is about a cell.

    A problem with no row is about the whole file (unreadable, no header, a column
    missing from the header); one about a row must name its column too.
    """
    if problem.file != name or not problem.reason.strip():
        return False
    return problem.row is None or problem.column is not None


class Harness:
    """A SQLite database with every kind's canonical rows, restored after each load."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.base = folder / "base.db"
        self.path = folder / "work.db"
        self.url = f"sqlite:///{self.path}"
        assert cli("init", "--db", f"sqlite:///{self.base}") == 0
        engine = make_engine(f"sqlite:///{self.base}")
        with session_factory(engine)() as session:
            load(session, *kinds_with_files())
        engine.dispose()
        self.restore()
        self.checksums = table_checksums(self.url)
        self.engine: Engine = make_engine(self.url)
        self.sessions = session_factory(writing(self.engine))

    def restore(self) -> None:
        with sqlite3.connect(self.base) as source, sqlite3.connect(self.path) as target:
            source.backup(target)

    def run(self, hostile: Hostile) -> tuple[int, list[Problem]]:
        """Import ``hostile``; the exit code ``talentboard import`` would give, the problems.

        Raises whatever the importer raises; after a refusal checks every table is as it
        was, after a load puts the database back as it was.
        """
        path = self.folder / hostile.name
        path.write_bytes(hostile.data)
        with self.sessions() as session:
            result = import_file(session, hostile.kind, path)
        if result.report.problems:
            code = 2
        elif result.failure:
            code = 1
        else:
            code = 0
        if code == 0:
            self.engine.dispose()
            self.restore()
        else:
            assert table_checksums(self.url) == self.checksums, hostile.damage
        return code, list(result.report.problems)

    def close(self) -> None:
        self.engine.dispose()


ALL_KINDS = tuple(KINDS)
