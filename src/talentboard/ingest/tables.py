"""Writing parsed rows to tables: look-ups by external key and the counting upsert.

The upsert compares each row with the stored one and writes only what changed, so
importing the same file twice changes nothing. Rows are written with bulk statements
(one executemany per chunk), never object by object.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import (
    JSON,
    Boolean,
    ColumnElement,
    Date,
    Float,
    FromClause,
    Integer,
    Label,
    Select,
    Table,
    Update,
    bindparam,
    insert,
    select,
    update,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from talentboard.db.base import Base
from talentboard.ingest.report import TableCounts
from talentboard.ingest.schema import Reference
from talentboard.progress import Reporter

# A SELECT of any columns.
AnySelect = Select[*tuple[Any, ...]]
LOOKUP_CHUNK = 1000
FULL_SCAN_FROM = 4 * LOOKUP_CHUNK
WRITE_CHUNK = 5000


def dtype_of(column: ColumnElement[Any]) -> pl.DataType:
    """The Polars type that holds a database column's values."""
    kind = column.type
    if isinstance(kind, Date):
        return pl.Date()
    if isinstance(kind, Boolean):
        return pl.Boolean()
    if isinstance(kind, Integer):
        return pl.Int64()
    if isinstance(kind, Float):
        return pl.Float64()
    if isinstance(kind, JSON):
        # Every JSON column an import writes holds a list of codes.
        return pl.List(pl.String())
    return pl.String()


def query_frame(session: Session, statement: AnySelect) -> pl.DataFrame:
    """The rows of ``statement`` as a frame typed from its columns."""
    schema = {str(c.key): dtype_of(c) for c in statement.selected_columns}
    # Plain rows through the connection: no ORM objects are wanted here.
    rows = session.connection().execute(statement).all()
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")


def query_frame_in(
    session: Session,
    statement: AnySelect,
    column: ColumnElement[Any] | InstrumentedAttribute[Any],
    values: Iterable[Any],
) -> pl.DataFrame:
    """``statement`` restricted to ``column IN values``.

    A few values are asked for in chunks; for many, one pass over the table filtered here
    is quicker than thousands of bound parameters.
    """
    distinct = sorted(set(values))
    name = _selected_name(statement, column)
    if len(distinct) > FULL_SCAN_FROM and name is not None:
        return query_frame(session, statement).filter(pl.col(name).is_in(distinct))
    parts = [
        query_frame(session, statement.where(column.in_(distinct[start : start + LOOKUP_CHUNK])))
        for start in range(0, len(distinct), LOOKUP_CHUNK)
    ]
    if not parts:
        schema = {str(c.key): dtype_of(c) for c in statement.selected_columns}
        return pl.DataFrame(schema=schema)
    return pl.concat(parts)


def _selected_name(
    statement: AnySelect, column: ColumnElement[Any] | InstrumentedAttribute[Any]
) -> str | None:
    """The name under which ``statement`` returns ``column``, if it does."""
    target = column.__clause_element__() if isinstance(column, InstrumentedAttribute) else column
    for selected in statement.selected_columns:
        base = selected.element if isinstance(selected, Label) else selected
        if base.compare(target):
            return str(selected.key)
    return None


def lookup_ids(session: Session, reference: Reference, values: Iterable[str]) -> pl.DataFrame:
    """For each value found, the referenced row's id: columns ``reference.column`` and ``id``."""
    key = getattr(reference.model, reference.attribute)
    ident = getattr(reference.model, "id", key)
    statement = select(key.label(reference.column), ident.label("id"))
    return query_frame_in(session, statement, key, values)


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def upsert(
    session: Session,
    model: type[Base],
    rows: pl.DataFrame,
    *,
    key: Sequence[str],
    compare: Sequence[str],
    defaults: Mapping[str, Any],
    write: bool,
    progress: Reporter,
) -> TableCounts:
    """Insert the rows whose ``key`` is new, update those whose ``compare`` columns differ.

    ``rows`` holds the key, the compared columns and any other columns to insert; columns
    named in ``defaults`` and missing from ``rows`` are inserted with that value.
    """
    table = _table(model)
    if rows.is_empty():
        return TableCounts()
    (primary,) = table.primary_key.columns
    selected = dict.fromkeys([primary.name, *key, *compare])
    statement = select(*(table.c[c] for c in selected))
    stored = query_frame_in(session, statement, table.c[key[0]], rows[key[0]].to_list())
    stored = stored.rename({c: f"{c}__stored" for c in selected if c not in key})
    stored = stored.with_columns(pl.lit(True).alias("__stored"))
    joined = rows.join(stored, on=list(key), how="left")
    # In key order: a unique index on the key is then filled in order, which is quicker.
    new = joined.filter(pl.col("__stored").is_null()).select(rows.columns).sort(key)
    found = joined.filter(pl.col("__stored").is_not_null())
    ident = primary.name if primary.name in key else f"{primary.name}__stored"
    same = pl.all_horizontal(
        pl.lit(True), *(pl.col(c).eq_missing(pl.col(f"{c}__stored")) for c in compare)
    )
    changed = found.filter(~same).select(pl.col(ident).alias(primary.name), *compare)
    counts = TableCounts(new.height, changed.height, found.height - changed.height)
    if write and (new.height or changed.height):
        progress.start(f"Writing {table.name}", new.height + changed.height)
        extra = {k: v for k, v in defaults.items() if k not in new.columns}
        for start in range(0, new.height, WRITE_CHUNK):
            inserts = [row | extra for row in new.slice(start, WRITE_CHUNK).to_dicts()]
            session.connection().execute(insert(table), inserts)
            progress.advance(len(inserts))
        changes = _update_by_key(table, primary.name, compare)
        renamed = changed.rename({c: f"new_{c}" for c in changed.columns})
        for start in range(0, renamed.height, WRITE_CHUNK):
            updates = renamed.slice(start, WRITE_CHUNK).to_dicts()
            session.connection().execute(changes, updates)
            progress.advance(len(updates))
    return counts


def upsert_children(
    session: Session,
    model: type[Base],
    rows: pl.DataFrame,
    *,
    parent: str,
    key: Sequence[str],
    compare: Sequence[str],
    write: bool,
    progress: Reporter,
) -> TableCounts:
    """Upsert rows that belong to a parent row whose id is in the ``parent`` column.

    Only a dry run meets rows whose parent is not yet written (``parent`` null): all of
    them are new, so they count as inserted.
    """
    counts = upsert(
        session,
        model,
        rows.filter(pl.col(parent).is_not_null()),
        key=key,
        compare=compare,
        defaults={},
        write=write,
        progress=progress,
    )
    return counts + TableCounts(inserted=rows.filter(pl.col(parent).is_null()).height)


def _update_by_key(table: Table, primary: str, columns: Sequence[str]) -> Update:
    """An UPDATE of ``columns`` for the row whose primary key is ``new_<primary>``.

    A table with a ``version`` column counts its edits there (the web forms refuse an edit
    based on an older version), so an import's change counts as an edit.
    """
    values: dict[str, Any] = {c: bindparam(f"new_{c}") for c in columns}
    if "version" in table.c:
        values["version"] = table.c.version + 1
    return update(table).where(table.c[primary] == bindparam(f"new_{primary}")).values(values)


@dataclass(frozen=True)
class TableMapping:
    """A kind whose rows map one to one onto the rows of one table.

    ``key`` names the table columns that identify a row (references already turned into
    ids); ``columns`` the table columns the file fills, each named as in the parsed rows;
    ``defaults`` the values for new rows of columns a file may leave out.
    """

    model: type[Base]
    key: tuple[str, ...]
    columns: tuple[str, ...]
    references: tuple[Reference, ...] = ()
    defaults: Mapping[str, Any] | None = None

    @property
    def tables(self) -> tuple[str, ...]:
        return (_table(self.model).name,)

    def load(
        self,
        session: Session,
        rows: pl.DataFrame,
        present: frozenset[str],
        *,
        write: bool,
        progress: Reporter,
    ) -> dict[str, TableCounts]:
        written = [c for c in self.columns if c in present or c not in (self.defaults or {})]
        frame = rows.select(*self.key, *(c for c in written if c not in self.key))
        counts = upsert(
            session,
            self.model,
            frame,
            key=self.key,
            compare=[c for c in written if c not in self.key],
            defaults=self.defaults or {},
            write=write,
            progress=progress,
        )
        return {self.tables[0]: counts}

    def export(self, session: Session) -> pl.DataFrame:
        table = _table(self.model)
        selected: list[ColumnElement[Any]] = []
        joined: FromClause = table
        refs = {r.into: r for r in self.references if r.into}
        for name in dict.fromkeys((*self.key, *self.columns)):
            reference = refs.get(name)
            if reference is None:
                selected.append(table.c[name])
                continue
            target = _table(reference.model).alias(f"ref_{name}")
            joined = joined.join(target, target.c.id == table.c[name])
            selected.append(target.c[reference.attribute].label(reference.column))
        return query_frame(session, select(*selected).select_from(joined))
