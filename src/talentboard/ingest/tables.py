"""Writing parsed rows to tables: look-ups by external key and the counting upsert.

The upsert compares each row with the stored one and writes only what changed, so
importing the same file twice changes nothing. Rows are written with bulk statements
(one executemany per chunk), never object by object.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
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
from talentboard.ingest.schema import ROW, Batch, Kind, Reference
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
    """A kind whose rows map one to one onto the rows of one table (or one table of a
    :class:`ParentChildMapping`).

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

    def load(self, session: Session, batch: Batch) -> dict[str, TableCounts]:
        defaults = self.defaults or {}
        written = [c for c in self.columns if c in batch.present or c not in defaults]
        frame = batch.rows.select(*self.key, *(c for c in written if c not in self.key))
        counts = upsert(
            session,
            self.model,
            frame,
            key=self.key,
            compare=[c for c in written if c not in self.key],
            defaults=defaults,
            write=batch.write,
            progress=batch.progress,
        )
        return {self.tables[0]: counts}

    def selected(
        self, joined: FromClause, *, outer: bool = False
    ) -> tuple[dict[str, ColumnElement[Any]], FromClause]:
        """The key and columns as a file names them, and ``joined`` with what they need.

        A reference column is read as the referenced row's key, which ``joined`` is joined
        to (``outer``: by outer joins, for a table that is itself outer-joined).
        """
        table = _table(self.model)
        selected: dict[str, ColumnElement[Any]] = {}
        refs = {r.into: r for r in self.references if r.into}
        for name in dict.fromkeys((*self.key, *self.columns)):
            reference = refs.get(name)
            if reference is None:
                selected[name] = table.c[name]
                continue
            target = _table(reference.model).alias(f"ref_{table.name}_{name}")
            joined = joined.join(target, target.c.id == table.c[name], isouter=outer)
            selected[reference.column] = target.c[reference.attribute].label(reference.column)
        return selected, joined

    def export(self, session: Session) -> pl.DataFrame:
        selected, joined = self.selected(_table(self.model))
        return query_frame(session, select(*selected.values()).select_from(joined))


@dataclass(frozen=True)
class OneTable:
    """A kind whose rows are the rows of one table, column for column.

    Its table mapping follows from the kind's declaration, which ``Kind`` binds it to: the
    key is the kind's key (a reference by the id it is turned into), the columns are the
    kind's other columns, and a new row takes an extra column's value for an empty cell
    when a file leaves that column out.
    """

    model: type[Base]

    def bind(self, kind: Kind) -> TableMapping:
        refs = {r.column: r for r in kind.references if r.into}
        key = tuple(refs[c].into or c if c in refs else c for c in kind.key)
        return TableMapping(
            self.model,
            key=key,
            columns=tuple(c.name for c in kind.columns if c.name not in kind.key),
            references=tuple(refs.values()),
            defaults={
                c.name: c.when_empty for c in kind.columns if c.extra and c.name not in kind.key
            }
            or None,
        )

    @property
    def tables(self) -> tuple[str, ...]:
        return (_table(self.model).name,)

    def load(self, session: Session, batch: Batch) -> dict[str, TableCounts]:
        raise TypeError("a OneTable mapping is used through the Kind it is bound to")

    def export(self, session: Session) -> pl.DataFrame:
        raise TypeError("a OneTable mapping is used through the Kind it is bound to")


@dataclass(frozen=True)
class ParentChildMapping:
    """A kind whose rows share parent rows: each row is a child of the parent its group names.

    The rows are grouped by ``parent.key``. Each group upserts one ``parent`` row and each
    row one ``child`` row, whose ``link`` column holds the parent's id. The parent takes its
    values from the group's first row or, with ``dated_by`` (a date column of the rows and
    the parent), from the row with the latest date (the file's last of equal dates); a
    stored parent dated later still is left as it is, counted unchanged.

    ``no_child`` gives the values that mark a row naming only its parent: such a row adds
    no child, and the export writes one for each parent without children.
    """

    parent: TableMapping
    child: TableMapping
    link: str
    dated_by: str | None = None
    no_child: Mapping[str, Any] | None = None

    @property
    def tables(self) -> tuple[str, ...]:
        return (*self.parent.tables, *self.child.tables)

    def load(self, session: Session, batch: Batch) -> dict[str, TableCounts]:
        key = list(self.parent.key)
        dated = [self.dated_by] if self.dated_by else []
        groups = batch.rows.sort(*key, *dated, ROW).group_by(key, maintain_order=True)
        parents = groups.last() if self.dated_by else groups.first()
        kept = self._stored_later(session, parents)
        parent_table, child_table = self.tables
        parent_batch = replace(batch, rows=parents.join(kept, on=key, how="anti"))
        counts = self.parent.load(session, parent_batch)[parent_table]
        counts += TableCounts(unchanged=kept.height)
        children = batch.rows.join(self._ids(session, parents), on=key, how="left")
        if self.no_child:
            marks = (pl.col(c) == v for c, v in self.no_child.items())
            children = children.filter(~pl.all_horizontal(marks))
        linked = pl.col(self.link).is_not_null()
        child_batch = replace(batch, rows=children.filter(linked))
        child_counts = self.child.load(session, child_batch)[child_table]
        # Only a dry run meets children of parents not yet written: all of them are new.
        child_counts += TableCounts(inserted=children.filter(~linked).height)
        return {parent_table: counts, child_table: child_counts}

    def _stored_later(self, session: Session, parents: pl.DataFrame) -> pl.DataFrame:
        """The keys of ``parents`` whose stored row is dated later than the file's."""
        key = list(self.parent.key)
        if self.dated_by is None:
            return parents.select(key).clear()
        table = _table(self.parent.model)
        statement = select(*(table.c[k] for k in key), table.c[self.dated_by].label("__on"))
        stored = query_frame_in(session, statement, table.c[key[0]], parents[key[0]].to_list())
        later = parents.join(stored, on=key).filter(pl.col("__on") > pl.col(self.dated_by))
        return later.select(key)

    def _ids(self, session: Session, parents: pl.DataFrame) -> pl.DataFrame:
        """The stored parents' ids as ``link``, by the parent key."""
        table = _table(self.parent.model)
        key = list(self.parent.key)
        statement = select(table.c.id.label(self.link), *(table.c[k] for k in key))
        return query_frame_in(session, statement, table.c[key[0]], parents[key[0]].to_list())

    def export(self, session: Session) -> pl.DataFrame:
        parent, child = _table(self.parent.model), _table(self.child.model)
        outer = bool(self.no_child)
        selected, joined = self.parent.selected(parent)
        joined = joined.join(child, child.c[self.link] == parent.c.id, isouter=outer)
        children, joined = self.child.selected(joined, outer=outer)
        # A name both tables have is exported as the child's: it is the row's own value.
        selected |= {n: c for n, c in children.items() if n != self.link}
        frame = query_frame(session, select(*selected.values()).select_from(joined))
        return frame.with_columns(pl.col(c).fill_null(v) for c, v in (self.no_child or {}).items())
