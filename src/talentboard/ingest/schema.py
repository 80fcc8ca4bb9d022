"""The shape of an import kind: its columns, key, references, rules and table mapping.

A kind is declared once (``ingest/kinds/``) and everything else follows from the
declaration: header matching, cell parsing, the generic row checks, the upsert, export,
the template and the documentation. A new kind is a new ``Kind`` value plus its mapping.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Protocol

import polars as pl
from sqlalchemy.orm import Session

from talentboard.db.base import Base
from talentboard.ingest.cells import CellType
from talentboard.ingest.report import Problem, TableCounts
from talentboard.progress import Reporter
from talentboard.rules import Order, Requires

ROW = "_row"


@dataclass(frozen=True)
class Column:
    """One column of a kind.

    ``required``: every row needs a value. ``extra``: an optional extra column, which a file
    may leave out; when it is left out, stored values are kept and new rows get
    ``when_empty``. ``when_empty`` is the value an empty cell stands for (a constant or a
    Polars expression over the row's parsed values); ``empty_means`` says it in words.
    """

    name: str
    type: CellType
    doc: str
    required: bool = False
    extra: bool = False
    when_empty: Any = None
    empty_means: str = ""


@dataclass(frozen=True)
class Reference:
    """A column naming a row of another table, looked up in the database.

    ``model.<attribute>`` holds the key; when ``into`` is given, the referenced row's ``id``
    is added to the parsed rows under that name for the load.
    """

    column: str
    model: type[Base]
    attribute: str
    noun: str
    kind: str
    into: str | None = None


@dataclass(frozen=True)
class RuleContext:
    """What a kind-specific rule sees: the parsed rows and the database.

    ``frame`` holds the parsed values (null where a cell is empty or invalid), the ``_row``
    number and the ids of referenced rows; ``raw`` the stripped text of each cell.
    ``replacing`` holds the ids of stored rows that the rows replace whatever their key (a
    record changed through a form), so a rule does not hold a row against its own old self.
    """

    session: Session
    file: str
    frame: pl.DataFrame
    raw: pl.DataFrame
    replacing: frozenset[int] = frozenset()

    def problems(self, found: pl.DataFrame, column: str) -> list[Problem]:
        """Problems for a frame of ``_row`` and ``reason``, with each cell's text as value."""
        return [
            Problem(self.file, row, column, value, reason)
            for row, value, reason, column in with_values(found, self.raw, column).iter_rows()
        ]


def with_values(found: pl.DataFrame, raw: pl.DataFrame, column: str) -> pl.DataFrame:
    """``found`` (``_row``, ``reason``) with the text of ``column`` in each row, as
    ``_row``, ``value``, ``reason``, ``column``."""
    text = (pl.col(column) if column in raw.columns else pl.lit(None, dtype=pl.String)).alias(
        "value"
    )
    return (
        found.select(ROW, "reason")
        .join(raw.select(ROW, text), on=ROW, how="left")
        .select(ROW, "value", "reason", pl.lit(column).alias("column"))
    )


Rule = Callable[[RuleContext], Iterable[Problem]]


@dataclass(frozen=True)
class Batch:
    """A valid file's parsed rows on their way to the tables.

    ``present`` names the file's columns (a stored value of an extra column the file leaves
    out is kept); with ``write`` false nothing is written, only counted.
    """

    rows: pl.DataFrame
    present: frozenset[str]
    write: bool
    progress: Reporter


class TableMap(Protocol):
    """How a kind's parsed rows are written to, and read back from, the database."""

    @property
    def tables(self) -> tuple[str, ...]: ...

    def load(self, session: Session, batch: Batch) -> dict[str, TableCounts]:
        """Upsert the batch's rows; when it is not to be written, only count what would change."""
        ...

    def export(self, session: Session) -> pl.DataFrame:
        """Every stored row as the kind's columns, parsed values."""
        ...


def examples_of(kind: str) -> tuple[Mapping[str, str], ...]:
    """The example rows of ``kind`` for its template and documentation, as text by column.

    They are kept as a CSV file beside the kind declarations (``kinds/examples/``), the
    template itself, so an example reads as the file a user would write.
    """
    text = resources.files("talentboard.ingest.kinds").joinpath(f"examples/{kind}.csv")
    return tuple(csv.DictReader(io.StringIO(text.read_text(encoding="utf-8"))))


@dataclass(frozen=True)
class Kind:
    """An import kind: a file layout and how it maps to tables.

    ``key`` is the set of columns that identify a row across imports (the upsert key):
    two rows of one file may not share it. ``rules`` are the checks particular to the kind;
    ``rule_docs`` describe them for the documentation. ``examples`` are two rows for the
    template, as text (read from ``kinds/examples/NAME.csv`` when not given).
    """

    name: str
    summary: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    mapping: TableMap
    references: tuple[Reference, ...] = ()
    orders: tuple[Order, ...] = ()
    requires: tuple[Requires, ...] = ()
    rules: tuple[Rule, ...] = ()
    rule_docs: tuple[str, ...] = ()
    examples: tuple[Mapping[str, str], ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.examples:
            object.__setattr__(self, "examples", examples_of(self.name))
        bind = getattr(self.mapping, "bind", None)
        if bind is not None:
            object.__setattr__(self, "mapping", bind(self))

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def canonical(self) -> tuple[str, ...]:
        """The columns every file of this kind must have in its header."""
        return tuple(c.name for c in self.columns if not c.extra)
