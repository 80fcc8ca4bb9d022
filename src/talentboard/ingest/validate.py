"""Checking every row of a file before anything is written.

The checks run in order, each over whole columns: the header; every cell against its
column's type; date order and dependent columns; duplicate keys; references to rows in
the database; then the kind's own rules. In a CSV file, the apostrophe the export puts in
front of text that a spreadsheet would take for a formula is removed first
(``talentboard.formulas``). Every problem is kept, not just the first, and a
cell that could not be read is left out of the checks that would need its value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from talentboard.formulas import CSV_ESCAPED
from talentboard.ingest.read import RawTable
from talentboard.ingest.report import Problem, ValidationReport
from talentboard.ingest.schema import ROW, Column, Kind, RuleContext, with_values
from talentboard.ingest.tables import lookup_ids

REQUIRED = "a value is required"


@dataclass(frozen=True)
class Checked:
    """A checked file: its report and, when it is valid, the parsed rows to load."""

    report: ValidationReport
    rows: pl.DataFrame | None = None
    present: frozenset[str] = frozenset()


def column_letter(index: int) -> str:
    """The spreadsheet letter of a zero-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _problem_frame(
    rows: pl.Series, column: str, values: pl.Series, reasons: pl.Series
) -> pl.DataFrame:
    return (
        pl.DataFrame({ROW: rows, "value": values, "reason": reasons})
        .filter(pl.col("reason").is_not_null())
        .with_columns(pl.lit(column).alias("column"))
    )


class _Checker:
    def __init__(self, session: Session, kind: Kind, file: str, table: RawTable) -> None:
        self.session = session
        self.kind = kind
        self.file = file
        self.table = table
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.found: list[pl.DataFrame] = []
        self.text = pl.DataFrame({ROW: []}, schema={ROW: pl.Int64})

    def report(self) -> ValidationReport:
        order = {name: i for i, name in enumerate(self.kind.column_names)}
        for frame in self.found:
            self.problems.extend(
                Problem(self.file, row, column, value, reason)
                for row, value, reason, column in frame.select(
                    ROW, "value", "reason", "column"
                ).iter_rows()
            )
        problems = sorted(
            dict.fromkeys(self.problems),
            key=lambda p: (p.row or 0, order.get(p.column or "", len(order)), p.reason),
        )
        return ValidationReport(
            file=self.file,
            kind=self.kind.name,
            encoding=self.table.encoding,
            rows=len(self.table.rows),
            problems=tuple(problems),
            warnings=tuple(self.warnings),
        )

    def header(self) -> dict[str, int]:
        """Where each known column is; problems for missing or repeated ones."""
        names = {c.name: c for c in self.kind.columns}
        positions: dict[str, int] = {}
        for index, cell in enumerate(self.table.header):
            label = cell.strip()
            letter = column_letter(index)
            if not label:
                if any(index < len(r) and r[index].strip() for r in self.table.rows):
                    self.warnings.append(
                        Problem(
                            self.file, None, None, None, f"column {letter} has no name; ignored"
                        )
                    )
                continue
            column = names.get(label.lower())
            if column is None:
                self.warnings.append(
                    Problem(
                        self.file, None, label, None, f"unknown column (column {letter}); ignored"
                    )
                )
            elif column.name in positions:
                first = column_letter(positions[column.name])
                self.problems.append(
                    Problem(
                        self.file,
                        None,
                        column.name,
                        None,
                        f"appears twice in the header (columns {first} and {letter})",
                    )
                )
            else:
                positions[column.name] = index
        for column in self.kind.columns:
            if not column.extra and column.name not in positions:
                self.problems.append(
                    Problem(self.file, None, column.name, None, "column missing from the header")
                )
        return positions

    def raw(self, positions: dict[str, int]) -> pl.DataFrame:
        """The text of every known cell, stripped, null where empty."""
        rows = self.table.rows
        width = len(self.table.header)
        for number, cells in zip(self.table.row_numbers, rows, strict=True):
            if len(cells) > width:
                beyond = next(
                    ((i, c) for i, c in enumerate(cells[width:], width) if c.strip()), None
                )
                if beyond is not None:
                    self.problems.append(
                        Problem(
                            self.file,
                            number,
                            f"column {column_letter(beyond[0])}",
                            beyond[1].strip(),
                            "has more cells than the header has columns (is a comma missing "
                            "its quotes?)",
                        )
                    )
        needed = max(positions.values(), default=-1) + 1
        # Rows whose empty trailing cells were left off are padded.
        padded = [r if len(r) >= needed else r + [""] * (needed - len(r)) for r in rows]
        data: dict[str, Any] = {ROW: pl.Series(ROW, self.table.row_numbers, dtype=pl.Int64)}
        for name, index in positions.items():
            data[name] = pl.Series(name, [r[index] for r in padded], dtype=pl.String)
        frame = pl.DataFrame(data)
        names = [c for c in frame.columns if c != ROW]
        self.text = frame.with_columns(pl.col(c).str.strip_chars().replace("", None) for c in names)
        if self.table.quoted_formulas:
            self.text = self.text.with_columns(
                _unescaped(c) for c in names if not self.kind.column(c).type.numeric
            )
        return self.text

    def cells(self, raw: pl.DataFrame) -> pl.DataFrame:
        """Parse every present column; add absent extra columns at their empty value."""
        parsed: dict[str, pl.Series] = {ROW: raw[ROW]}
        empty: dict[str, pl.Series] = {}
        for column in self.kind.columns:
            if column.name not in raw.columns:
                continue
            text = raw[column.name]
            values, reasons = column.type.parse(text)
            # Empty: no value and nothing wrong (a blank cell, or a list of separators only).
            empty[column.name] = values.is_null() & reasons.is_null()
            if column.required:
                reasons = pl.select(
                    pl.when(empty[column.name]).then(pl.lit(REQUIRED)).otherwise(reasons)
                ).to_series()
            self.found.append(_problem_frame(raw[ROW], column.name, text, reasons))
            parsed[column.name] = values.alias(column.name)
        frame = pl.DataFrame(parsed)
        for column in self.kind.columns:
            if column.name not in raw.columns:
                frame = frame.with_columns(_constant(column, frame.height))
            elif column.when_empty is not None:
                fill = (
                    column.when_empty
                    if isinstance(column.when_empty, pl.Expr)
                    else _constant(column, frame.height)
                )
                frame = frame.with_columns(
                    pl.when(empty[column.name])
                    .then(fill)
                    .otherwise(pl.col(column.name))
                    .alias(column.name)
                )
        return frame

    def orders(self, frame: pl.DataFrame) -> None:
        for order in self.kind.orders:
            first, second = pl.col(order.first), pl.col(order.second)
            wrong = first >= second if order.strict else first > second
            word = "is not after" if order.strict else "is before"
            found = frame.filter(wrong.fill_null(False)).select(
                ROW,
                pl.format(f"{word} {order.first} ({{}})", first.dt.strftime("%Y-%m-%d")).alias(
                    "reason"
                ),
            )
            self._add(found, order.second)

    def requires(self, raw: pl.DataFrame) -> None:
        for rule in self.kind.requires:
            if rule.column not in raw.columns or rule.needs not in raw.columns:
                continue
            article = "an" if rule.needs[0] in "aeiou" else "a"
            reason = f"only allowed with {article} {rule.needs}"
            found = raw.filter(
                pl.col(rule.column).is_not_null() & pl.col(rule.needs).is_null()
            ).select(ROW, pl.lit(reason).alias("reason"))
            self._add(found, rule.column)

    def duplicates(self, frame: pl.DataFrame, raw: pl.DataFrame) -> None:
        key = list(self.kind.key)
        rows = frame.filter(pl.all_horizontal(pl.col(c).is_not_null() for c in key)).with_columns(
            pl.col(ROW).min().over(key).alias("_first")
        )
        repeated = rows.filter(pl.col(ROW) != pl.col("_first")).select(ROW, "_first")
        if repeated.is_empty():
            return
        shown = [pl.col(c).fill_null("") for c in key if c in raw.columns]
        text = raw.select(ROW, pl.concat_str(shown, separator=", ").alias("value"))
        same = ", ".join(key)
        found = repeated.join(text, on=ROW).select(
            ROW,
            "value",
            pl.format(f"duplicate of row {{}} (same {same})", "_first").alias("reason"),
            pl.lit(same).alias("column"),
        )
        self.found.append(found)

    def references(self, frame: pl.DataFrame) -> pl.DataFrame:
        for reference in self.kind.references:
            values = frame[reference.column].drop_nulls().unique().to_list()
            ids = lookup_ids(self.session, reference, values)
            frame = frame.join(ids, on=reference.column, how="left", maintain_order="left")
            missing = frame.filter(
                pl.col(reference.column).is_not_null() & pl.col("id").is_null()
            ).select(
                ROW,
                pl.lit(
                    f"no {reference.noun} with this {reference.column} in the database "
                    f"(import {reference.kind} first)"
                ).alias("reason"),
            )
            self._add(missing, reference.column)
            frame = frame.rename({"id": reference.into}) if reference.into else frame.drop("id")
        return frame

    def _add(self, found: pl.DataFrame, column: str) -> None:
        """Record problems given as ``_row`` and ``reason``, taking values from the file."""
        self.found.append(with_values(found, self.text, column))


def _unescaped(name: str) -> pl.Expr:
    """``formulas.unescape_csv`` over a column: the apostrophe a CSV export put in front of
    text a spreadsheet would take for a formula, removed (and no other)."""
    column = pl.col(name)
    return (
        pl.when(column.str.contains(CSV_ESCAPED)).then(column.str.slice(1)).otherwise(column)
    ).alias(name)


def _constant(column: Column, height: int) -> pl.Series:
    value = column.when_empty if not isinstance(column.when_empty, pl.Expr) else None
    return pl.Series(column.name, [value] * height, dtype=column.type.dtype)


def check_table(
    session: Session,
    kind: Kind,
    file: str,
    table: RawTable,
    *,
    replacing: frozenset[int] = frozenset(),
) -> Checked:
    """Check every row of ``table`` as a file of ``kind``, asking the database as needed.

    ``replacing``: ids of stored rows the table's rows replace (``RuleContext``).
    """
    checker = _Checker(session, kind, file, table)
    positions = checker.header()
    if checker.problems:
        return Checked(checker.report())
    if not table.rows:
        checker.warnings.append(Problem(file, None, None, None, "no data rows below the header"))
    raw = checker.raw(positions)
    frame = checker.cells(raw)
    checker.orders(frame)
    checker.requires(raw)
    checker.duplicates(frame, raw)
    frame = checker.references(frame)
    context = RuleContext(session, file, frame, raw, replacing)
    for rule in kind.rules:
        checker.problems.extend(rule(context))
    report = checker.report()
    if not report.ok:
        return Checked(report)
    return Checked(report, frame, frozenset(positions))
