"""The board and leadership register as Polars frames, and the derived frames analysis needs.

``load_register`` reads the five register tables with one query each and returns them as
typed Polars frames: as Arrow through ADBC when the data it must see is committed, else
through the session's own DB-API connection (see its docstring). The rest of this module
are pure functions over those frames:
substantive spells (docs/metrics.md, "Spells"), each organisation's oversight segment at a
date, and each person's position (post, organisation, region, level) at a date.

Integer keys ending in ``_ref`` are the database ids (``appointments.person_ref`` refers to
``people.person_ref``, ``appointments.post_ref`` to ``posts.post_ref``); ``person_id`` and
``post_id`` are the external keys people know.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from talentboard import vocab
from talentboard.frames import arrow_reads

if TYPE_CHECKING:
    # Loaded by the functions that take a session: ``read_arrow`` reads without SQLAlchemy.
    from sqlalchemy import URL
    from sqlalchemy.orm import Session

__all__ = [
    "APPOINTMENTS_SCHEMA",
    "ORGANISATIONS_SCHEMA",
    "PEOPLE_SCHEMA",
    "POSTS_SCHEMA",
    "RATINGS_SCHEMA",
    "SPELLS_SCHEMA",
    "TABLE_SCHEMAS",
    "Columns",
    "RegisterFrames",
    "Rows",
    "covers",
    "load_register",
    "positions_at",
    "read_arrow",
    "reader_for",
    "segment_at",
    "spells",
    "wanted_schemas",
]

ORGANISATIONS_SCHEMA: dict[str, pl.DataType] = {
    "ods_code": pl.String(),
    "name": pl.String(),
    "kind": pl.String(),
    "region_code": pl.String(),
    "icb_code": pl.String(),
    "staff_headcount": pl.Int64(),
    "bme_staff_share": pl.Float64(),
}
RATINGS_SCHEMA: dict[str, pl.DataType] = {
    "ods_code": pl.String(),
    "effective_from": pl.Date(),
    "oversight_segment": pl.Int64(),
    "cqc_rating": pl.String(),
}
POSTS_SCHEMA: dict[str, pl.DataType] = {
    "post_ref": pl.Int64(),
    "post_id": pl.String(),
    "ods_code": pl.String(),
    "role_code": pl.String(),
    "title": pl.String(),
    "level": pl.String(),
    "executive": pl.Boolean(),
    "voting": pl.Boolean(),
    "established_from": pl.Date(),
    "established_to": pl.Date(),
}
PEOPLE_SCHEMA: dict[str, pl.DataType] = {
    "person_ref": pl.Int64(),
    "person_id": pl.String(),
    "given_name": pl.String(),
    "family_name": pl.String(),
    "ethnic_category": pl.String(),
    "sex": pl.String(),
    "disability": pl.String(),
    "professional_background": pl.String(),
    "birth_year": pl.Int64(),
}
APPOINTMENTS_SCHEMA: dict[str, pl.DataType] = {
    "appointment_ref": pl.Int64(),
    "person_ref": pl.Int64(),
    "post_ref": pl.Int64(),
    "start_date": pl.Date(),
    "end_date": pl.Date(),
    "appointment_type": pl.String(),
    "end_reason": pl.String(),
}
SPELLS_SCHEMA: dict[str, pl.DataType] = {
    "person_ref": pl.Int64(),
    "post_ref": pl.Int64(),
    "start_date": pl.Date(),
    "end_date": pl.Date(),
    "end_reason": pl.String(),
    "appointments": pl.UInt32(),
}

# Table, key column in the database, and (frame column, database column) pairs.
_TABLES: dict[str, tuple[str, str, dict[str, str]]] = {
    "organisations": (
        "organisations",
        "ods_code",
        {name: name for name in ORGANISATIONS_SCHEMA},
    ),
    "ratings": (
        "performance_ratings",
        "id",
        {name: name for name in RATINGS_SCHEMA},
    ),
    "posts": (
        "posts",
        "id",
        {"post_ref": "id"} | {name: name for name in POSTS_SCHEMA if name != "post_ref"},
    ),
    "people": (
        "people",
        "id",
        {"person_ref": "id"} | {name: name for name in PEOPLE_SCHEMA if name != "person_ref"},
    ),
    "appointments": (
        "appointments",
        "id",
        {"appointment_ref": "id"}
        | {name: name for name in APPOINTMENTS_SCHEMA if name != "appointment_ref"},
    ),
}
_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "organisations": ORGANISATIONS_SCHEMA,
    "ratings": RATINGS_SCHEMA,
    "posts": POSTS_SCHEMA,
    "people": PEOPLE_SCHEMA,
    "appointments": APPOINTMENTS_SCHEMA,
}
TABLE_SCHEMAS: Mapping[str, Mapping[str, pl.DataType]] = _SCHEMAS
"""Each register frame's full schema, by frame name."""

Columns = Mapping[str, Collection[str]]
"""The columns to read, by frame name; a frame not named is read whole."""

Rows = Literal["all", "board"]
"""The rows to read: every row, or (``"board"``) the board posts (level ``board``), their
appointments and the people appointed to them, with every organisation and rating."""

_BOARD_POSTS = "SELECT id FROM posts WHERE level = 'board'"


def _where(rows: Rows, name: str, dialect: str) -> str:
    if rows == "all":
        return ""
    if rows != "board":
        raise ValueError(f"unknown rows {rows!r}: use 'all' or 'board'")
    # On PostgreSQL a list worked out first, so that the planner looks the keys up in the
    # indexes rather than scanning the large tables.
    among = " = ANY(ARRAY({}))" if dialect == "postgresql" else " IN ({})"
    posts = among.format(_BOARD_POSTS)
    people = among.format(f"SELECT person_ref FROM appointments WHERE post_ref{posts}")
    where = {
        "posts": "level = 'board'",
        "appointments": f"post_ref{posts}",
        "people": f"id{people}",
    }
    return where.get(name, "")


def wanted_schemas(columns: Columns | None) -> dict[str, dict[str, pl.DataType]]:
    """The schema of each frame as ``columns`` asks for it (in the frame's column order)."""
    if columns is None:
        return dict(_SCHEMAS)
    unknown = set(columns) - set(_SCHEMAS)
    if unknown:
        raise ValueError(f"unknown register tables: {', '.join(sorted(unknown))}")
    wanted = {}
    for name, schema in _SCHEMAS.items():
        chosen = set(columns.get(name, schema))
        missing = chosen - set(schema)
        if missing:
            raise ValueError(f"table {name} has no column {', '.join(sorted(missing))}")
        if not chosen:
            raise ValueError(f"table {name}: no columns asked for")
        wanted[name] = {column: dtype for column, dtype in schema.items() if column in chosen}
    return wanted


@dataclass(frozen=True)
class RegisterFrames:
    """The register as Polars frames, one per table (columns as the ``*_SCHEMA`` constants)."""

    organisations: pl.DataFrame
    ratings: pl.DataFrame
    posts: pl.DataFrame
    people: pl.DataFrame
    appointments: pl.DataFrame

    @classmethod
    def from_rows(cls, **tables: list[Mapping[str, Any]]) -> RegisterFrames:
        """Frames from lists of row mappings (missing tables are empty); for tests and tools."""
        frames = {
            name: pl.DataFrame(tables.get(name, []), schema=schema, orient="row")
            for name, schema in _SCHEMAS.items()
        }
        unknown = set(tables) - set(_SCHEMAS)
        if unknown:
            raise ValueError(f"unknown register tables: {', '.join(sorted(unknown))}")
        return cls(**frames)


def _select_list(dialect: str, columns: dict[str, str], schema: dict[str, pl.DataType]) -> str:
    parts = []
    for frame_name, db_name in columns.items():
        dtype = schema[frame_name]
        if dtype == pl.Date():
            # Text dates parse in one vectorised step; PostgreSQL's own text form
            # depends on the server's DateStyle, so ask for ISO explicitly.
            expr = f"to_char({db_name}, 'YYYY-MM-DD')" if dialect == "postgresql" else db_name
        elif dtype == pl.Boolean():
            expr = f"CASE WHEN {db_name} THEN 1 WHEN NOT {db_name} THEN 0 END"
        else:
            expr = db_name
        parts.append(f"{expr} AS {frame_name}")
    return ", ".join(parts)


def _read_table(
    session: Session, name: str, schema: dict[str, pl.DataType] | None = None, where: str = ""
) -> pl.DataFrame:
    table, key, every_column = _TABLES[name]
    schema = _SCHEMAS[name] if schema is None else schema
    columns = {column: every_column[column] for column in schema}
    connection = session.connection()
    dialect = connection.dialect.name
    chosen = f" WHERE {where}" if where else ""
    query = f"SELECT {_select_list(dialect, columns, schema)} FROM {table}{chosen} ORDER BY {key}"
    raw = connection.connection.driver_connection
    if raw is None:  # pragma: no cover - a pooled connection always has its driver connection
        raise RuntimeError("the database connection has no DB-API connection")
    text_schema = {
        column: (pl.String() if dtype in (pl.Date(), pl.Boolean()) else dtype)
        for column, dtype in schema.items()
    }
    if dialect == "postgresql":
        # COPY streams the rows as CSV, parsed in one go by Polars: no Python object per
        # value. It runs on the session's connection, so it sees the session's own work.
        with raw.cursor() as cursor, cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy:
            data = b"".join(bytes(chunk) for chunk in copy)
        if not data:
            return pl.DataFrame(schema=schema)
        frame = pl.read_csv(io.BytesIO(data), has_header=False, schema=text_schema)
        return _typed(frame, schema, table)
    cursor = raw.cursor()
    try:
        cursor.execute(query)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    if dialect != "sqlite":
        # Other drivers hand back date and bool objects: let Polars convert them as they are.
        text_schema = dict(schema)
    frame = pl.DataFrame(rows, schema=text_schema, orient="row")
    return _typed(frame, schema, table)


def _typed(frame: pl.DataFrame, schema: dict[str, pl.DataType], table: str) -> pl.DataFrame:
    if frame.height == 0:
        # An empty result carries whatever types the driver guessed for no values.
        return pl.DataFrame(schema=schema)
    conversions = []
    for column, dtype in schema.items():
        if frame.schema[column] == dtype:
            continue
        if dtype == pl.Date():
            conversions.append(pl.col(column).cast(pl.String).str.to_date("%Y-%m-%d", strict=False))
        elif dtype == pl.Boolean():
            conversions.append(pl.col(column).cast(pl.Int8).cast(pl.Boolean))
        else:
            # Narrower integers (PostgreSQL's integer is Int32 in Arrow), or a column that
            # is empty throughout, which the SQLite driver types as it pleases.
            conversions.append(pl.col(column).cast(dtype))
    if not conversions:
        return frame
    typed = frame.with_columns(conversions)
    for column, dtype in schema.items():
        if dtype != pl.Date() or frame.schema[column] == dtype:
            continue
        bad = frame.filter(pl.col(column).is_not_null() & typed[column].is_null())
        if bad.height:
            raise ValueError(
                f"table {table}, column {column}: {bad[column][0]!r} is not a date (YYYY-MM-DD)"
            )
    return typed


Reader = Literal["auto", "arrow", "session"]


def load_register(
    session: Session,
    *,
    reader: Reader = "auto",
    columns: Columns | None = None,
    rows: Rows = "all",
) -> RegisterFrames:
    """The five register tables as frames (columns, types and row order as ``*_SCHEMA``,
    each table in key order).

    ``columns`` reads only the named columns of the frames it names (in the schema's
    order; the frames it does not name are read whole): a command that needs neither
    people's names nor post titles reads neither. ``rows="board"`` reads only the board
    posts, their appointments and the people appointed to them (``Rows``): all that the
    board figures read (``stability.groups.prepare_board``).

    Two readers give the same frames:

    - ``"arrow"``: ADBC reads each table as Arrow into Polars on connections of its own
      (``frames.arrow_reads``), several times faster than building a Python row per record
      and with a fraction of the memory. Those connections see committed data only.
    - ``"session"``: one query per table on the session's own DB-API connection, so it
      sees the session's flushed but uncommitted work (an import about to commit, a test
      inside a transaction that is rolled back).

    ``"auto"`` (the default) takes the Arrow reader unless the session's transaction may
    have written: when the session is bound to an engine and has not begun a transaction,
    it cannot have. Inside a transaction, PostgreSQL is asked: it assigns a transaction id
    at the first write (``pg_current_xact_id_if_assigned()``, savepoints included). A
    SQLite session inside a transaction always takes the session reader: reading the file
    on other connections while such a session, in a server under concurrent requests, goes
    on to write made that write fail with "database is locked" (the browser journey that
    runs matching shows it), and the web app keeps the register between requests anyway.
    Any doubt (an in-memory SQLite database, another database) means the session reader
    too. Objects added to the session but not yet flushed are seen by neither reader, as
    before.
    """
    if reader == "session" or (reader == "auto" and reader_for(session) == "session"):
        wanted = wanted_schemas(columns)
        dialect = session.get_bind().dialect.name
        return RegisterFrames(
            **{
                name: _read_table(session, name, wanted[name], _where(rows, name, dialect))
                for name in _TABLES
            }
        )
    url = _bound_url(session)
    if url.get_backend_name() == "postgresql":
        uri = url.set(drivername="postgresql").render_as_string(hide_password=False)
        return read_arrow("postgresql", uri, columns=columns, rows=rows)
    return read_arrow("sqlite", _sqlite_file(url) or "", columns=columns, rows=rows)


def _bound_url(session: Session) -> URL:
    from sqlalchemy import Connection

    bind = session.get_bind()
    url: URL = bind.engine.url if isinstance(bind, Connection) else bind.url
    return url


def reader_for(session: Session) -> Literal["arrow", "session"]:
    """The reader ``load_register(session)`` takes by default (see there)."""
    return "arrow" if _arrow_sees_everything(session) else "session"


def _arrow_sees_everything(session: Session) -> bool:
    from sqlalchemy import Connection, text

    bind = session.get_bind()
    url = _bound_url(session)
    if url.get_backend_name() == "sqlite" and not _sqlite_file(url):
        return False
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        return False
    if not isinstance(bind, Connection) and not session.in_transaction():
        return True
    if url.get_backend_name() != "postgresql":
        return False
    written = session.connection().execute(
        text("SELECT pg_current_xact_id_if_assigned() IS NOT NULL")
    )
    return not written.scalar_one()


def _sqlite_file(url: URL) -> str | None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return database


def _arrow_select(dialect: str, columns: dict[str, str], schema: dict[str, pl.DataType]) -> str:
    parts = []
    for frame_name, db_name in columns.items():
        # SQLite's DATE columns have numeric affinity: a value written around the ORM as
        # a number would come back as one, so every date is asked for as text and parsed
        # (and named, when it is not a date) as the session reader does.
        if dialect == "sqlite" and schema[frame_name] == pl.Date():
            parts.append(f"CAST({db_name} AS TEXT) AS {frame_name}")
        else:
            parts.append(f"{db_name} AS {frame_name}")
    return ", ".join(parts)


def read_arrow(
    dialect: Literal["sqlite", "postgresql"],
    database: str,
    *,
    columns: Columns | None = None,
    rows: Rows = "all",
) -> RegisterFrames:
    """The register as ``load_register`` reads it with the Arrow reader, from the SQLite
    file at ``database`` or the PostgreSQL database at the libpq URI ``database``, on
    connections of its own (committed data only), without SQLAlchemy."""
    wanted = wanted_schemas(columns)
    where = {name: _where(rows, name, dialect) for name in _TABLES}
    queries = {
        name: arrow_reads.TableQuery(
            table=table,
            select=_arrow_select(
                dialect, {column: every_column[column] for column in wanted[name]}, wanted[name]
            ),
            key=key,
            integer_key=key == "id",
            where=where[name],
        )
        for name, (table, key, every_column) in _TABLES.items()
    }
    if dialect == "postgresql":
        raw = arrow_reads.read_postgresql(database, queries)
    else:
        raw = arrow_reads.read_sqlite(database, queries)
    return RegisterFrames(
        **{name: _typed(raw[name], wanted[name], _TABLES[name][0]) for name in _TABLES}
    )


def covers(at: dt.date, start: str = "start_date", end: str = "end_date") -> pl.Expr:
    """True where the interval ``[start, end)`` covers ``at`` (an empty bound is unbounded).

    The same rule decides whether an appointment covers a date (``start_date <= t <
    end_date``) and whether a post exists (``established_from <= t < established_to``),
    where an empty bound is unbounded.
    """
    lower = pl.col(start).is_null() | (pl.col(start) <= at)
    upper = pl.col(end).is_null() | (pl.col(end) > at)
    return lower & upper


def spells(appointments: pl.DataFrame) -> pl.DataFrame:
    """Substantive spells: substantive and joint appointments, back-to-back ones merged.

    Consecutive substantive appointments of one person to one post are merged when the
    next starts at most one day after the spell so far ends (``next.start_date -
    end_date <= 1`` day; overlapping appointments merge too). The spell runs from its
    first start to its latest end (open when any of its appointments is open), and its
    ``end_reason`` is that of the appointment that ends it (the last to end; among equal
    ends, the last to start). Columns: ``SPELLS_SCHEMA``, sorted by person, post and start.
    """
    substantive = appointments.filter(
        pl.col("appointment_type").is_in(vocab.SUBSTANTIVE_TYPES)
    ).sort(["person_ref", "post_ref", "start_date", "end_date"], nulls_last=True)
    if substantive.height == 0:
        return pl.DataFrame(schema=SPELLS_SCHEMA)
    # An open appointment runs for ever: a far-future day stands in for its end so that a
    # running maximum over the ends carries "open" forward.
    open_end = pl.lit(dt.date(9999, 12, 31))
    end_or_open = pl.col("end_date").fill_null(open_end)
    same_pair = (pl.col("person_ref") == pl.col("person_ref").shift(1)) & (
        pl.col("post_ref") == pl.col("post_ref").shift(1)
    )
    running_end = end_or_open.cum_max().over(["person_ref", "post_ref"])
    gap_days = (pl.col("start_date") - running_end.shift(1)).dt.total_days()
    starts_new = ~same_pair.fill_null(False) | (gap_days > 1)
    marked = substantive.with_columns(
        _spell=starts_new.cum_sum(),
        _end=end_or_open,
    )
    merged = (
        marked.group_by("_spell", maintain_order=True)
        .agg(
            pl.col("person_ref").first(),
            pl.col("post_ref").first(),
            pl.col("start_date").min(),
            pl.col("_end").max().alias("end_date"),
            pl.col("end_reason").sort_by(["_end", "start_date"]).last(),
            pl.len().cast(pl.UInt32).alias("appointments"),
        )
        .drop("_spell")
    )
    return merged.with_columns(
        pl.when(pl.col("end_date") == open_end)
        .then(None)
        .otherwise(pl.col("end_date"))
        .alias("end_date"),
        pl.when(pl.col("end_date") == open_end)
        .then(None)
        .otherwise(pl.col("end_reason"))
        .alias("end_reason"),
    ).select(list(SPELLS_SCHEMA))


def segment_at(ratings: pl.DataFrame, at: dt.date) -> pl.DataFrame:
    """Each rated organisation's oversight segment at ``at``: its latest rating effective on
    or before ``at`` (columns ``ods_code``, ``oversight_segment``; one row per organisation
    with such a rating, the segment null when that rating has none)."""
    return (
        ratings.filter(pl.col("effective_from") <= at)
        .sort(["ods_code", "effective_from"])
        .group_by("ods_code", maintain_order=True)
        .agg(pl.col("oversight_segment").last())
        .select("ods_code", "oversight_segment")
    )


def positions_at(frames: RegisterFrames, at: dt.date) -> pl.DataFrame:
    """Each person's position at ``at``: the post of the appointment (any type) covering
    ``at``, the first by start date when several do (then the lowest appointment ref).

    Columns ``person_ref, post_ref, ods_code, region_code, level, role_code``; people with no
    appointment covering ``at`` have no row (DESIGN section 6, last paragraph).
    """
    current = (
        frames.appointments.filter(covers(at))
        .sort(["person_ref", "start_date", "appointment_ref"])
        .unique("person_ref", keep="first", maintain_order=True)
        .select("person_ref", "post_ref")
    )
    return (
        current.join(
            frames.posts.select("post_ref", "ods_code", "level", "role_code"), on="post_ref"
        )
        .join(frames.organisations.select("ods_code", "region_code"), on="ods_code", how="left")
        .select("person_ref", "post_ref", "ods_code", "region_code", "level", "role_code")
        .sort("person_ref")
    )
