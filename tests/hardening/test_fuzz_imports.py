"""Hostile files of every import kind, CSV and Excel: exit 0 or 2, never a traceback.

Each kind gets ``EXAMPLES`` generated files (about half CSV, half workbooks) from
:func:`tests.hardening.hostile.hostile_file`, imported in-process into a SQLite database
holding every kind's canonical rows. A refused file must name the file, and the row and
column of every cell problem; after a refusal every table's checksum is as before.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator

import pytest
from hypothesis import given

from talentboard.ingest import KINDS
from tests.hardening.hostile import Harness, Hostile, canonical_rows, hostile_file, placed, steady

EXAMPLES = int(os.environ.get("TALENTBOARD_FUZZ_EXAMPLES", "145"))
SETTINGS = steady(EXAMPLES)


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    made = Harness(tmp_path_factory.mktemp("fuzz"))
    yield made
    made.close()


def check(harness: Harness, hostile: Hostile) -> int:
    code, problems = harness.run(hostile)
    assert code in (0, 2), (hostile.damage, problems)
    if code == 2:
        unplaced = [p for p in problems if not placed(p, hostile.name)]
        assert not unplaced, (hostile.damage, unplaced)
    return code


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_files_end_in_exit_0_or_2(harness: Harness, kind: str) -> None:
    codes: list[int] = []

    @SETTINGS
    @given(hostile_file(kind))
    def attempt(hostile: Hostile) -> None:
        codes.append(check(harness, hostile))

    attempt()
    assert len(codes) >= EXAMPLES
    assert 2 in codes


def test_a_zip_bomb_named_xlsx_is_refused_without_unpacking(harness: Harness) -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 200_000_000)
    assert len(data.getvalue()) < 1_000_000
    hostile = Hostile("people", "xlsx", data.getvalue(), ("zip bomb",))
    code, problems = harness.run(hostile)
    assert code == 2
    assert [(p.file, p.row) for p in problems] == [("people.xlsx", None)]
    assert problems[0].reason.startswith("not a readable Excel workbook")


def test_a_200000_row_file_with_one_bad_cell_at_the_end_is_refused(harness: Harness) -> None:
    lines = [",".join(canonical_rows("people")[0])]
    lines += [f"P-BULK{n},Ann,Lee,A,female,no,nursing,1970," for n in range(200_000)]
    lines[-1] = lines[-1].replace(",1970,", ",nineteen seventy,")
    hostile = Hostile("people", "csv", ("\r\n".join(lines) + "\r\n").encode(), ("bulk",))
    code, problems = harness.run(hostile)
    assert code == 2
    assert [(p.row, p.column, p.value) for p in problems] == [
        (200_001, "birth_year", "nineteen seventy")
    ]
