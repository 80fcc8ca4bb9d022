"""Reading a file through a mapping: the file's rows as the canonical columns.

The mapped table has the kind's canonical header and, in each row, the file's cell (its
value mapped) or the constant; its rows keep the file's row numbers. It then goes through
exactly the checks a canonical file does, so a mapping only changes what is read. The
problems found are shown under the file's own column names, and the values of code
columns that still do not map are listed once, at the top, with how many rows have each.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import polars as pl

from talentboard.ingest.cells import Boolean, Code, CodeList
from talentboard.ingest.mapping.model import ColumnMap, fold, header_positions, toml_key
from talentboard.ingest.mapping.values import recogniser
from talentboard.ingest.read import RawTable
from talentboard.ingest.report import Problem
from talentboard.ingest.schema import Column, Kind


@dataclass(frozen=True)
class MappedTable:
    """A file read through a mapping.

    ``labels``: canonical column -> the file's header it was read from; ``unmapped``:
    canonical column -> each value that does not map and how many rows have it, the most
    frequent first; ``ignored``: the file's headers the mapping does not read;
    ``originals``: canonical column -> the file's own text of each row's cell.
    """

    table: RawTable
    labels: dict[str, str]
    unmapped: dict[str, list[tuple[str, int]]]
    ignored: tuple[str, ...] = ()
    originals: dict[str, list[str]] = field(default_factory=dict)


def _converter(mapping: ColumnMap, column: Column) -> dict[str, str] | None:
    table = mapping.values.get(column.name, {})
    return {fold(k): v for k, v in table.items()} if table else None


def map_cells(mapping: ColumnMap, column: Column, cells: Sequence[str]) -> list[str]:
    """The cells of one column with their values mapped: listed in the mapping first, then
    recognised by themselves (:mod:`talentboard.ingest.mapping.values`), else as they are."""
    listed = _converter(mapping, column) or {}
    automatic = recogniser(column)
    if not listed and automatic is None:
        # Text, numbers and the like are read as they are (the checks strip them).
        return list(cells)
    converted: dict[str, str] = {}
    for text in set(cells):
        stripped = text.strip()
        found = listed.get(fold(stripped)) if listed and stripped else None
        if found is None and stripped and automatic is not None:
            found = automatic(stripped)
        converted[text] = found if found is not None else stripped
    return [converted[c] for c in cells]


def does_not_map(column: Column, cells: Sequence[str]) -> list[tuple[str, int]]:
    """The values of a code column its check refuses, with their row counts."""
    if not isinstance(column.type, Code | Boolean | CodeList):
        return []
    counts = Counter(c for c in cells if c)
    if not counts:
        return []
    distinct = pl.Series(column.name, list(counts), dtype=pl.String)
    _, reasons = column.type.parse(distinct)
    pairs = zip(distinct, reasons, strict=True)
    bad = [(value, counts[value]) for value, reason in pairs if reason]
    return sorted(bad, key=lambda item: (-item[1], item[0]))


def map_table(mapping: ColumnMap, kind: Kind, table: RawTable, file: str) -> MappedTable:
    """``table`` read through ``mapping`` (checked against ``kind`` beforehand).

    Raises :class:`~talentboard.ingest.mapping.model.MappingError` for a mapped column the
    file does not have.
    """
    positions = header_positions(mapping, table.header, file)
    header: list[str] = []
    columns: list[list[str]] = []
    labels: dict[str, str] = {}
    unmapped: dict[str, list[tuple[str, int]]] = {}
    originals: dict[str, list[str]] = {}
    height = len(table.rows)
    for column in kind.columns:
        if column.name in positions:
            index = positions[column.name]
            raw = [row[index] if index < len(row) else "" for row in table.rows]
            cells = map_cells(mapping, column, raw)
            originals[column.name] = raw
            labels[column.name] = table.header[index].strip()
            found = does_not_map(column, cells)
            if found:
                unmapped[column.name] = found
        elif column.name in mapping.constants:
            cells = [mapping.constants[column.name]] * height
        else:
            continue
        header.append(column.name)
        columns.append(cells)
    rows = [list(r) for r in zip(*columns, strict=True)] if columns else [[] for _ in table.rows]
    mapped = RawTable(
        table.encoding,
        table.header_row,
        header,
        list(table.row_numbers),
        rows,
        quoted_formulas=table.quoted_formulas,
    )
    used = set(positions.values())
    ignored = tuple(h.strip() for i, h in enumerate(table.header) if h.strip() and i not in used)
    return MappedTable(mapped, labels, unmapped, ignored, originals)


def ignored_warnings(mapped: MappedTable, mapping: ColumnMap, file: str) -> list[Problem]:
    """A warning for each of the file's columns that the mapping does not read."""
    return [
        Problem(file, None, header, None, f"not named in {mapping.source}; ignored")
        for header in mapped.ignored
    ]


def unmapped_problems(mapped: MappedTable, mapping: ColumnMap, file: str) -> list[Problem]:
    """One problem per column with values that do not map, listing them once."""
    problems = []
    for name, found in mapped.unmapped.items():
        label = mapped.labels.get(name, name)
        rows = sum(count for _, count in found)
        listed = ", ".join(f"{value!r} ({count})" for value, count in found)
        verb = "row has" if rows == 1 else "rows have"
        problems.append(
            Problem(
                file,
                None,
                label,
                None,
                f"{rows:,} {verb} {label} values that do not map: {listed}; give each its "
                f"value in [{toml_key('values', name)}] of {mapping.source}",
            )
        )
    return problems


def relabel(problems: Iterable[Problem], mapped: MappedTable) -> list[Problem]:
    """``problems`` with each canonical column named as the file names it and each value
    as the file writes it (a repeated key names its columns and values separated by
    commas)."""
    rows = {number: i for i, number in enumerate(mapped.table.row_numbers)}

    def value(problem: Problem, parts: list[str]) -> str | None:
        index = rows.get(problem.row) if problem.row is not None else None
        if index is None or not all(p in mapped.originals for p in parts):
            return problem.value
        return ", ".join(mapped.originals[p][index].strip() for p in parts)

    relabelled = []
    for problem in problems:
        if problem.column is None:
            relabelled.append(problem)
            continue
        parts = problem.column.split(", ")
        column = ", ".join(mapped.labels.get(p, p) for p in parts)
        relabelled.append(replace(problem, column=column, value=value(problem, parts)))
    return relabelled


def unmapped_values(
    mapping: ColumnMap, kind: Kind, table: RawTable
) -> dict[str, list[tuple[str, int]]]:
    """For each column ``mapping`` reads from a header ``table`` has, the values that do
    not map, with their row counts (a header the file lacks is left out)."""
    index: dict[str, int] = {}
    for position, cell in enumerate(table.header):
        index.setdefault(fold(cell), position)
    found: dict[str, list[tuple[str, int]]] = {}
    for name, header in mapping.columns.items():
        at = index.get(fold(header))
        if at is None or name not in kind.column_names:
            continue
        column = kind.column(name)
        raw = [row[at] if at < len(row) else "" for row in table.rows]
        values = does_not_map(column, map_cells(mapping, column, raw))
        if values:
            found[name] = values
    return found
