"""The expected-profile reference file and its loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from talentboard.reference import framework, roles
from talentboard.reference.expected import (
    ExpectedProfileError,
    expected_frame,
    expected_levels,
    read_expected_levels,
)

HEADER = "framework,role_code,domain_code,expected\n"


def test_every_board_role_has_a_full_lcf_profile() -> None:
    board = [r.code for r in roles() if r.level == "board"]
    assert len(board) == 15
    levels = expected_levels()
    lcf_domains = set(framework("lcf2024").domain_codes)
    for role in board:
        got = {
            lv.domain_code for lv in levels if lv.role_code == role and lv.framework == "lcf2024"
        }
        assert got == lcf_domains, role
    frame = expected_frame()
    assert frame.height == len(levels)
    assert frame.columns == ["framework", "role_code", "domain_code", "expected"]


@pytest.mark.parametrize(
    ("line", "column", "reason"),
    [
        ("nope,chair,outcomes,3", "framework", "unknown framework 'nope'"),
        ("lcf2024,captain,outcomes,3", "role_code", "unknown role code 'captain'"),
        ("lcf2024,chair,leading_with_care,3", "domain_code", "not a domain of lcf2024"),
        ("lcf2024,chair,outcomes,5", "expected", "'5' is not a score of lcf2024"),
        ("lcf2024,chair,outcomes,", "expected", "'' is not a score"),
        ("lcf2024,chair,culture,3", "domain_code", "listed more than once"),
    ],
)
def test_bad_rows_are_named(tmp_path: Path, line: str, column: str, reason: str) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(HEADER + "lcf2024,chair,culture,3\n" + line + "\n")
    with pytest.raises(ExpectedProfileError) as info:
        read_expected_levels(path)
    assert info.value.row == 3
    assert info.value.column == column
    assert reason in str(info.value)
    assert str(path) in str(info.value)


def test_missing_header_column(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("framework,role_code,domain_code\n")
    with pytest.raises(ExpectedProfileError, match="row 1, column expected"):
        read_expected_levels(path)


def test_a_local_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(HEADER + "hlm,matron,engaging_the_team,4\n")
    (level,) = read_expected_levels(path)
    assert (level.framework, level.role_code, level.domain_code, level.expected) == (
        "hlm",
        "matron",
        "engaging_the_team",
        4,
    )
