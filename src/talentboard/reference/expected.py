"""Expected framework levels per target role: what good looks like for each role.

``data/expected_profiles.csv`` holds one row per framework, role and domain with the level a
person should show to be ready for that role, on the framework's own scale (LCF 2024:
1 rarely or never .. 4 almost always; Healthcare Leadership Model: 1 essential ..
4 exemplary). The file is meant to be edited: a region or trust that sets a different bar
changes a number there, or keeps its own copy and reads it with
:func:`read_expected_levels`. ``docs/talent.md`` explains the levels shipped.

Rules checked when the file is read, each failure naming file, row (the header is row 1),
column and reason: the framework is a shipped framework; the domain is one of its domains;
the role is in the role catalogue; the level is one of the framework's scores; no
(framework, role, domain) appears twice.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl

from talentboard.reference._files import _DATA
from talentboard.reference.catalogue import ROLE_CODES, frameworks

EXPECTED_FILE = "expected_profiles.csv"
COLUMNS = ("framework", "role_code", "domain_code", "expected")


class ExpectedProfileError(ValueError):
    """An invalid expected-profile file, naming file, row, column and reason."""

    def __init__(self, file: str, row: int, column: str, reason: str) -> None:
        super().__init__(f"{file}, row {row}, column {column}: {reason}")
        self.file = file
        self.row = row
        self.column = column
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ExpectedLevel:
    """The level a person should show in one domain of one framework for one role."""

    framework: str
    role_code: str
    domain_code: str
    expected: int


def parse_expected_levels(text: str, file: str) -> tuple[ExpectedLevel, ...]:
    """Parse and check the CSV text of an expected-profile file (see the module docstring)."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ExpectedProfileError(file, 1, missing[0], "column missing from the header")
    known = frameworks()
    roles = set(ROLE_CODES)
    seen: set[tuple[str, str, str]] = set()
    levels = []
    for row_number, raw in enumerate(reader, start=2):
        row = {c: (raw.get(c) or "").strip() for c in COLUMNS}
        fw = known.get(row["framework"])
        if fw is None:
            raise ExpectedProfileError(
                file, row_number, "framework", f"unknown framework {row['framework']!r}"
            )
        if row["role_code"] not in roles:
            raise ExpectedProfileError(
                file, row_number, "role_code", f"unknown role code {row['role_code']!r}"
            )
        if row["domain_code"] not in fw.domain_codes:
            raise ExpectedProfileError(
                file,
                row_number,
                "domain_code",
                f"{row['domain_code']!r} is not a domain of {fw.code}",
            )
        try:
            expected = int(row["expected"])
        except ValueError:
            expected = -1
        if expected not in fw.scores:
            raise ExpectedProfileError(
                file,
                row_number,
                "expected",
                f"{row['expected']!r} is not a score of {fw.code} "
                f"({', '.join(str(s) for s in fw.scores)})",
            )
        key = (fw.code, row["role_code"], row["domain_code"])
        if key in seen:
            raise ExpectedProfileError(
                file, row_number, "domain_code", f"{key} is listed more than once"
            )
        seen.add(key)
        levels.append(ExpectedLevel(fw.code, row["role_code"], row["domain_code"], expected))
    return tuple(levels)


def read_expected_levels(path: Path) -> tuple[ExpectedLevel, ...]:
    """The expected levels in a local file of the same format as the shipped one."""
    return parse_expected_levels(path.read_text(encoding="utf-8"), str(path))


@cache
def expected_levels() -> tuple[ExpectedLevel, ...]:
    """The shipped expected levels, read and checked once."""
    return parse_expected_levels((_DATA / EXPECTED_FILE).read_text(encoding="utf-8"), EXPECTED_FILE)


def expected_frame(levels: tuple[ExpectedLevel, ...] | None = None) -> pl.DataFrame:
    """Expected levels as a frame [framework, role_code, domain_code, expected (float)].

    This is the ``expected`` input of :func:`talentboard.talent.assessments.development_gaps`.
    """
    rows = expected_levels() if levels is None else levels
    return pl.DataFrame(
        {
            "framework": [r.framework for r in rows],
            "role_code": [r.role_code for r in rows],
            "domain_code": [r.domain_code for r in rows],
            "expected": [float(r.expected) for r in rows],
        },
        schema={
            "framework": pl.String,
            "role_code": pl.String,
            "domain_code": pl.String,
            "expected": pl.Float64,
        },
    )


def expected_profile(role_code: str, framework_code: str) -> dict[str, int]:
    """The expected level per domain for one role and framework (empty when none is set)."""
    return {
        r.domain_code: r.expected
        for r in expected_levels()
        if r.role_code == role_code and r.framework == framework_code
    }
