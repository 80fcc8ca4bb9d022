"""Bringing kept register frames up to date by re-reading only the rows that changed.

A server keeps the register as frames (``load_register``) for every page it shows. After
an edit to a few posts, people or appointments, reading the whole register again is most
of the cost of the next page; re-reading just those rows by id and putting them in place
gives the same frames. ``patch_register`` does that; ``register_counts`` gives, from the
frames and the kept edit versions, the same figures the data stamp reads from the
database (``web.cache``), so a caller can check that a patched register holds exactly the
rows the database holds and read it whole when it does not (a change it was not told of,
a deletion cascading to other tables).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import polars as pl
from sqlalchemy import Table, literal, select
from sqlalchemy.orm import Session

from talentboard.db.models import Appointment, Person, Post
from talentboard.frames.register import (
    APPOINTMENTS_SCHEMA,
    PEOPLE_SCHEMA,
    POSTS_SCHEMA,
    RegisterFrames,
    load_register,
)

__all__ = ["PATCHABLE", "KeptRegister", "patch_register", "read_register", "register_counts"]

# Frame name, database table, the frame's key column (the table's id) and its columns.
_PATCHABLE: dict[str, tuple[Table, str, dict[str, pl.DataType]]] = {
    "posts": (Post.__table__, "post_ref", POSTS_SCHEMA),  # type: ignore[dict-item]
    "people": (Person.__table__, "person_ref", PEOPLE_SCHEMA),  # type: ignore[dict-item]
    "appointments": (Appointment.__table__, "appointment_ref", APPOINTMENTS_SCHEMA),  # type: ignore[dict-item]
}
PATCHABLE: frozenset[str] = frozenset(table.name for table, _, _ in _PATCHABLE.values())
# Tables whose rows carry an edit version the stamp sums.
_VERSIONED = ("people", "appointments")
# Rows asked for by id in one statement (well inside every driver's parameter limit).
_CHUNK = 500


@dataclass(frozen=True)
class KeptRegister:
    """The register frames with the edit version of each person and appointment.

    ``rows_read`` counts the rows the last refresh read: the whole register when it was
    loaded, only the changed rows when it was patched.
    """

    frames: RegisterFrames
    versions: Mapping[str, pl.DataFrame]
    rows_read: int


def _versions(session: Session, name: str) -> pl.DataFrame:
    table, key, _ = _PATCHABLE[name]
    rows = session.execute(select(table.c.id, table.c.version).order_by(table.c.id)).all()
    return pl.DataFrame(rows, schema={key: pl.Int64(), "version": pl.Int64()}, orient="row")


def read_register(session: Session) -> KeptRegister:
    """The whole register, as ``load_register`` reads it, with the edit versions."""
    frames = load_register(session)
    versions = {name: _versions(session, name) for name in _VERSIONED}
    rows = sum(getattr(frames, name).height for name in frames.__dataclass_fields__)
    return KeptRegister(frames, versions, rows)


def _chunks(ids: Collection[Hashable]) -> Iterable[list[Hashable]]:
    ordered = sorted(ids, key=str)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def _read_rows(
    session: Session, name: str, ids: Collection[Hashable]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The rows with these ids as the frame holds them, and their edit versions."""
    table, key, schema = _PATCHABLE[name]
    columns = [table.c.id.label(column) if column == key else table.c[column] for column in schema]
    rows: list[Any] = []
    for chunk in _chunks(ids):
        version = table.c.version if "version" in table.c else literal(0)
        query = select(*columns, version.label("_version"))
        rows.extend(session.execute(query.where(table.c.id.in_(chunk))).all())
    read = pl.DataFrame(rows, schema={**schema, "_version": pl.Int64()}, orient="row")
    return read.drop("_version"), read.select(key, version="_version")


def _put(kept: pl.DataFrame, read: pl.DataFrame, key: str, ids: pl.Series) -> pl.DataFrame:
    # load_register orders each table by its id: a patched frame keeps that order.
    return pl.concat([kept.filter(~pl.col(key).is_in(ids.implode())), read]).sort(key)


def patch_register(
    session: Session, kept: KeptRegister, changed: Mapping[str, Collection[Hashable]]
) -> KeptRegister:
    """``kept`` with the rows of the given ids re-read, for tables in ``PATCHABLE``
    (keyed by table name): a row no longer in the database leaves its frame."""
    frames, versions, read_count = kept.frames, dict(kept.versions), 0
    for name, (table, key, _) in _PATCHABLE.items():
        ids = changed.get(table.name)
        if not ids:
            continue
        rows, row_versions = _read_rows(session, name, ids)
        wanted = pl.Series(key, [int(i) for i in ids], dtype=pl.Int64)  # type: ignore[call-overload]
        frames = replace(frames, **{name: _put(getattr(frames, name), rows, key, wanted)})
        if name in versions:
            versions[name] = _put(versions[name], row_versions, key, wanted)
        read_count += rows.height
    return KeptRegister(frames, versions, read_count)


def register_counts(kept: KeptRegister) -> dict[str, tuple[Any, ...]]:
    """For posts, people and appointments, the values the data stamp reads from the
    database (``web.cache``: the row count, then its expression), computed from the frames."""
    frames, versions = kept.frames, kept.versions
    return {
        "posts": (frames.posts.height, frames.posts["established_to"].count()),
        "people": (frames.people.height, _sum(versions["people"])),
        "appointments": (
            frames.appointments.height,
            _plus(_sum(versions["appointments"]), frames.appointments["end_date"].count()),
        ),
    }


def _sum(versions: pl.DataFrame) -> int | None:
    # SQL's SUM over no rows is NULL.
    return int(versions["version"].sum()) if versions.height else None


def _plus(total: int | None, count: int) -> int | None:
    return None if total is None else total + count
