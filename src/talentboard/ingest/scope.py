"""Imports and exports limited to some organisations (an organisation's or a region's).

The caller decides the scope and passes it as an explicit set of ODS codes; nothing here
decides who may do what. A row is inside the scope when everything it names is:

- an organisation (``ods_code``, ``host_ods_code``) is one of the scope's ODS codes;
- a post (``post_id``) that exists belongs to one of them (a new post is judged by its
  ``ods_code``; a post that does not exist is reported by the reference check);
- a person (``person_id``) that exists has held an appointment to a post of one of them,
  or was added under the scope (``person_origins``), or has no appointment anywhere yet
  and was not added under another organisation or region (a record just added, which an
  appointment in the scope will place). A person who does not exist yet is a new record,
  and an import into a scope records where it was added (``AddedUnder``).

An import checks every row and reports each row outside the scope as a problem (file,
row, column, value, "outside your organisation" or "outside your region"), so a scoped
import stays all-or-nothing. An export keeps only rows inside the scope, and there a
person must have held an appointment in it or have been added under it: another unplaced
record is not exported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard.db.models import Appointment, Person, PersonOrigin, Post
from talentboard.ingest.read import RawTable
from talentboard.ingest.report import Problem
from talentboard.ingest.schema import Kind

ORGANISATION_COLUMNS = ("ods_code", "host_ods_code")
POST_COLUMN = "post_id"
PERSON_COLUMN = "person_id"
SCOPED_COLUMNS = (*ORGANISATION_COLUMNS, POST_COLUMN, PERSON_COLUMN)
# Keeps each IN (...) list well below every database's limit on bound parameters.
CHUNK = 900


@dataclass(frozen=True, slots=True)
class AddedUnder:
    """Where the people an import adds are recorded as added: an organisation (an
    organisation administrator's import) or a region (a regional one)."""

    ods_code: str | None = None
    region_code: str | None = None


@dataclass(frozen=True, slots=True)
class ImportScope:
    """The organisations rows may belong to; ``noun`` names the scope in problems;
    ``added_under`` is where new people are recorded as added (None: nowhere)."""

    ods_codes: frozenset[str]
    noun: str = "organisation"
    added_under: AddedUnder | None = None

    def owns(self, ods_code: str | None, region_code: str | None) -> bool:
        """Whether a person added under this organisation or region was added here."""
        region = self.added_under.region_code if self.added_under else None
        return ods_code in self.ods_codes or (region is not None and region_code == region)

    @property
    def reason(self) -> str:
        return f"outside your {self.noun}"


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    ordered = sorted(set(values))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def post_organisations(session: Session, post_ids: Iterable[str]) -> dict[str, str]:
    """The ODS code of each existing post among ``post_ids``."""
    found: dict[str, str] = {}
    for chunk in _chunks(post_ids):
        rows = session.execute(select(Post.post_id, Post.ods_code).where(Post.post_id.in_(chunk)))
        found.update((post_id, ods_code) for post_id, ods_code in rows)
    return found


def people_in_scope(
    session: Session, scope: ImportScope, person_ids: Iterable[str], *, unplaced: bool
) -> tuple[frozenset[str], frozenset[str]]:
    """(existing, inside) among ``person_ids``: those that exist, and those inside the
    scope: appointed to a post of its organisations or added under it, or (with
    ``unplaced``) never appointed anywhere and not added elsewhere."""
    existing: set[str] = set()
    inside: set[str] = set()
    codes = sorted(scope.ods_codes)
    for chunk in _chunks(person_ids):
        existing.update(
            session.scalars(select(Person.person_id).where(Person.person_id.in_(chunk)))
        )
        appointed = (
            select(Person.person_id)
            .join(Appointment, Appointment.person_ref == Person.id)
            .join(Post, Post.id == Appointment.post_ref)
            .where(Person.person_id.in_(chunk))
        )
        placed = set(session.scalars(appointed.distinct()))
        inside.update(session.scalars(appointed.where(Post.ods_code.in_(codes)).distinct()))
        origins = session.execute(
            select(Person.person_id, PersonOrigin.ods_code, PersonOrigin.region_code)
            .join(PersonOrigin, PersonOrigin.person_ref == Person.id)
            .where(Person.person_id.in_(chunk))
        ).all()
        inside.update(p for p, ods, region in origins if scope.owns(ods, region))
        added = {p for p, _, _ in origins}
        if unplaced:
            inside.update(p for p in chunk if p in existing and p not in placed | added)
    return frozenset(existing), frozenset(inside)


def record_origins(session: Session, person_ids: Iterable[str], added_under: AddedUnder) -> int:
    """Record ``added_under`` as where each of ``person_ids`` was added, for those with no
    origin recorded yet; how many were recorded."""
    recorded = 0
    for chunk in _chunks(person_ids):
        refs = session.scalars(
            select(Person.id)
            .outerjoin(PersonOrigin, PersonOrigin.person_ref == Person.id)
            .where(Person.person_id.in_(chunk), PersonOrigin.person_ref.is_(None))
        ).all()
        session.add_all(
            PersonOrigin(
                person_ref=ref,
                ods_code=added_under.ods_code,
                region_code=added_under.region_code,
            )
            for ref in refs
        )
        recorded += len(refs)
    session.flush()
    return recorded


def _cells(table: RawTable, name: str) -> list[tuple[int, str]]:
    """(row number, stripped text) of each non-empty cell of column ``name``."""
    positions = [i for i, cell in enumerate(table.header) if cell.strip().lower() == name]
    if not positions:
        return []
    index = positions[0]
    return [
        (number, row[index].strip())
        for number, row in zip(table.row_numbers, table.rows, strict=True)
        if index < len(row) and row[index].strip()
    ]


def scope_problems(
    session: Session, kind: Kind, file: str, table: RawTable, scope: ImportScope
) -> list[Problem]:
    """A problem for every cell of ``table`` naming something outside ``scope``."""
    names = set(kind.column_names)
    problems: list[Problem] = []

    # A person or post referred to from outside the caller's scope is reported exactly as one
    # that does not exist, so an import cannot be used to probe for records (DESIGN §8).
    as_missing = {
        r.column: f"no {r.noun} with this {r.column} in the database (import {r.kind} first)"
        for r in kind.references
        if r.column in (PERSON_COLUMN, POST_COLUMN)
    }

    def outside(column: str, cells: list[tuple[int, str]], inside: Callable[[str], bool]) -> None:
        reason = as_missing.get(column, scope.reason)
        problems.extend(
            Problem(file, row, column, value, reason) for row, value in cells if not inside(value)
        )

    for column in ORGANISATION_COLUMNS:
        if column in names:
            outside(column, _cells(table, column), lambda v: v in scope.ods_codes)
    if POST_COLUMN in names:
        cells = _cells(table, POST_COLUMN)
        owners = post_organisations(session, (v for _, v in cells))
        outside(
            POST_COLUMN, cells, lambda v: owners.get(v, "") in scope.ods_codes or v not in owners
        )
    if PERSON_COLUMN in names:
        cells = _cells(table, PERSON_COLUMN)
        existing, inside = people_in_scope(session, scope, (v for _, v in cells), unplaced=True)
        outside(PERSON_COLUMN, cells, lambda v: v in inside or v not in existing)
    return problems


def scoped_frame(session: Session, frame: pl.DataFrame, scope: ImportScope) -> pl.DataFrame:
    """The rows of an export ``frame`` inside ``scope`` (see the module docstring)."""
    keep = pl.lit(True)
    for column in ORGANISATION_COLUMNS:
        if column in frame.columns:
            keep = keep & pl.col(column).is_in(sorted(scope.ods_codes))
    if POST_COLUMN in frame.columns:
        owners = post_organisations(session, frame.get_column(POST_COLUMN).drop_nulls())
        posts = sorted(p for p, ods in owners.items() if ods in scope.ods_codes)
        keep = keep & pl.col(POST_COLUMN).is_in(posts)
    if PERSON_COLUMN in frame.columns:
        _, inside = people_in_scope(
            session, scope, frame.get_column(PERSON_COLUMN).drop_nulls(), unplaced=False
        )
        keep = keep & pl.col(PERSON_COLUMN).is_in(sorted(inside))
    return frame.filter(keep)
