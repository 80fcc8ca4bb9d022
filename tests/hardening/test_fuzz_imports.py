"""Hostile files of every import kind, CSV and Excel: exit 0 or 2, never a traceback.

Each kind gets ``EXAMPLES`` generated files (about half CSV, half workbooks) from
:func:`tests.hardening.hostile.hostile_file`, imported in-process into a SQLite database
holding every kind's canonical rows. A refused file must name the file, and the row and
column of every cell problem; after a refusal every table's checksum is as before.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings

from talentboard.ingest import KINDS
from tests.hardening.hostile import Harness, Hostile, hostile_file, placed

EXAMPLES = int(os.environ.get("TALENTBOARD_FUZZ_EXAMPLES", "145"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


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
