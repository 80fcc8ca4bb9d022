"""The board report as a document: sections of headline figures, charts and tables.

The model holds values, not markup: the HTML, PDF and XLSX renderers present the same
document. Every value in it has already passed disclosure control (see ``build.py``); a
suppressed value is the ``SUPPRESSED`` marker, shown as ``*``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Final, Literal

import polars as pl

__all__ = [
    "SUPPRESSED",
    "Cell",
    "ChartSpec",
    "Column",
    "ColumnKind",
    "Definition",
    "Headline",
    "Report",
    "Section",
    "Suppressed",
    "Table",
    "table_from_frame",
]


class Suppressed:
    """The marker for a value withheld by disclosure control; printed as ``*``."""

    _instance: Suppressed | None = None

    def __new__(cls) -> Suppressed:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "SUPPRESSED"

    def __str__(self) -> str:
        return "*"


SUPPRESSED: Final = Suppressed()

Cell = str | int | float | dt.date | Suppressed | None
"""One table value: ``None`` is "not applicable" (a zero denominator, say), shown as a dash."""

ColumnKind = Literal["text", "count", "share", "years", "days", "number", "score", "pp", "date"]
"""How a column is presented: ``share`` is a fraction shown as a percentage, ``pp``
percentage points, ``years`` and ``days`` durations, ``count`` a whole number, ``score``
an index to one decimal place."""


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: ColumnKind = "text"


@dataclass(frozen=True)
class PrintedRows:
    """The rows of a long table that the printed (PDF) report shows, and why."""

    rows: tuple[int, ...]
    note: str


@dataclass(frozen=True)
class Table:
    """A table with a caption; ``name`` is its stable identifier (HTML id).

    ``sheet`` is the worksheet title when the table goes in the XLSX workbook.
    ``printed``: when set, the rows (by index, in order) the PDF shows, with a note that
    states the rule and where the full table is; the HTML page and the workbook always
    have every row.
    """

    name: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...] = ()
    sheet: str | None = None
    printed: PrintedRows | None = None

    def column(self, key: str) -> tuple[Cell, ...]:
        """The values of one column, top to bottom."""
        index = [c.key for c in self.columns].index(key)
        return tuple(row[index] for row in self.rows)


def table_from_frame(
    frame: pl.DataFrame,
    columns: tuple[Column, ...],
    *,
    name: str,
    caption: str,
    notes: tuple[str, ...] = (),
    sheet: str | None = None,
) -> Table:
    """A table of the given columns of ``frame``.

    A boolean column ``<key>_suppressed`` beside a value column marks the rows where that
    value was withheld by disclosure control: those cells become ``SUPPRESSED``.
    """
    rows: list[tuple[Cell, ...]] = []
    for record in frame.iter_rows(named=True):
        row: list[Cell] = []
        for column in columns:
            if record.get(f"{column.key}_suppressed"):
                row.append(SUPPRESSED)
            else:
                row.append(_cell(record[column.key]))
        rows.append(tuple(row))
    return Table(
        name=name, caption=caption, columns=columns, rows=tuple(rows), notes=notes, sheet=sheet
    )


def _cell(value: Any) -> Cell:
    if value is None or isinstance(value, str | int | float | dt.date | Suppressed):
        return value
    raise TypeError(f"a table cell cannot hold {type(value).__name__}: {value!r}")


@dataclass(frozen=True)
class ChartSpec:
    """A Vega-Lite chart and the table of the data it draws (its accessible alternative).

    ``spec`` is plain JSON: the web app embeds it with vega-embed, the report renders it
    to SVG with ``reports.svg.render_svg``. ``name`` is a stable identifier. ``build``
    makes the spec on first use: a workbook never draws its charts, so it need not turn
    them into JSON.
    """

    name: str
    title: str
    description: str
    table: Table
    build: Callable[[], dict[str, Any]] = field(repr=False, compare=False)

    @cached_property
    def spec(self) -> dict[str, Any]:
        return self.build()


@dataclass(frozen=True)
class Headline:
    """A headline figure: the value, a plain-English sentence and the definition.

    ``value`` is what the figure table shows (a fraction for a share); ``sentence`` says
    it in words ("3 in 10 trusts ..."); ``metric`` names the DESIGN section 5 figure.
    """

    metric: str
    label: str
    value: Cell
    kind: ColumnKind
    sentence: str
    definition: str
    numerator: Cell = None
    denominator: Cell = None


@dataclass(frozen=True)
class Definition:
    """One entry of the methods appendix."""

    name: str
    label: str
    text: str


@dataclass(frozen=True)
class Section:
    """A report section: an introduction, then headlines, charts and tables in order."""

    name: str
    heading: str
    paragraphs: tuple[str, ...] = ()
    headlines: tuple[Headline, ...] = ()
    charts: tuple[ChartSpec, ...] = ()
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class Report:
    """The whole board report for one date and scope (all of England or one region).

    ``workbook`` lists the tables the XLSX export has, one sheet each, after the headline
    figures and before the methods.
    """

    title: str
    as_at: dt.date
    scope: str
    region_code: str | None
    summary: tuple[str, ...]
    sections: tuple[Section, ...]
    methods: tuple[Definition, ...]
    disclosure: tuple[str, ...]
    workbook: tuple[Table, ...] = ()

    def headlines(self) -> tuple[Headline, ...]:
        """Every headline figure, in reading order."""
        return tuple(h for section in self.sections for h in section.headlines)

    def charts(self) -> tuple[ChartSpec, ...]:
        """Every chart, in reading order."""
        return tuple(c for section in self.sections for c in section.charts)
