"""What an import found and what it did: problems, warnings and counts per table."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from talentboard.formulas import escape_csv

ERROR_COLUMNS = ("file", "row", "column", "value", "reason")


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem with a file, numbered as a spreadsheet shows it (the header is row 1).

    ``row`` is None for a problem with the whole file (a missing column, an unreadable
    encoding); ``column`` is None when no single column is at fault.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def as_line(self) -> str:
        """The problem as one plain line of text."""
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column}"
        value = f" {self.value!r}" if self.value else ""
        return f"{where}:{value} {self.reason}"


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The outcome of checking a file: every problem found, and warnings that do not block."""

    file: str
    kind: str
    encoding: str | None
    rows: int
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def bad_rows(self) -> int:
        """How many distinct rows have at least one problem."""
        return len({p.row for p in self.problems if p.row is not None})


@dataclass(frozen=True, slots=True)
class TableCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: TableCounts) -> TableCounts:
        return TableCounts(
            self.inserted + other.inserted,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
        )

    @property
    def changed(self) -> int:
        return self.inserted + self.updated


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The outcome of an import.

    ``counts`` holds, per table written, how many rows were inserted, updated or found
    unchanged (for a dry run: what would be). ``failure`` is set when the database refused
    the data during the load; everything was then rolled back.
    """

    report: ValidationReport
    counts: Mapping[str, TableCounts] = field(default_factory=dict)
    dry_run: bool = False
    failure: str | None = None

    @property
    def ok(self) -> bool:
        return self.report.ok and self.failure is None

    @property
    def written(self) -> bool:
        """Whether the import changed the database."""
        return self.ok and not self.dry_run and any(c.changed for c in self.counts.values())


def errors_csv(problems: Iterable[Problem]) -> str:
    """The problems as CSV text with the columns file,row,column,value,reason."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ERROR_COLUMNS)
    for p in problems:
        # The values come from the file checked: they are written so a spreadsheet shows
        # them as text, never runs them as formulas.
        writer.writerow(
            [
                escape_csv(p.file),
                "" if p.row is None else p.row,
                escape_csv(p.column or ""),
                escape_csv(p.value or ""),
                escape_csv(p.reason),
            ]
        )
    return out.getvalue()


def write_errors(problems: Iterable[Problem], path: str | Path) -> None:
    """Write the problems to ``path`` as UTF-8 CSV (file,row,column,value,reason)."""
    Path(path).write_text(errors_csv(problems), encoding="utf-8", newline="")
