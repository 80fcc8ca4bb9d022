"""Checking records that arrive one at a time (from a web form) by their import kind's rules.

A record added or changed in the web app is checked exactly as the same record in a file of
its import kind would be: its cells, the orders and requirements between its fields, its
references and the kind's own rules, with the same objects the import runs. So the form
and the import cannot disagree on a rule: a record one accepts, the other accepts.

The records are written out as the text of a file's cells (each value as the kind's
export writes it) and checked as rows 2, 3, ... of a file named after the form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from talentboard.ingest.kinds import get_kind
from talentboard.ingest.read import RawTable
from talentboard.ingest.report import Problem
from talentboard.ingest.schema import Kind
from talentboard.ingest.validate import check_table

FORM = "form"


def record_table(kind: Kind, records: Sequence[Mapping[str, Any]]) -> RawTable:
    """``records`` (typed values by column name) as a file of ``kind`` would hold them."""
    given = {name for record in records for name in record}
    header = [c.name for c in kind.columns if not c.extra or c.name in given]
    texts = {
        name: kind.column(name)
        .type.to_text(
            pl.Series(
                name,
                [record.get(name) for record in records],
                dtype=kind.column(name).type.dtype,
            )
        )
        .to_list()
        for name in header
    }
    return RawTable(
        encoding="utf-8",
        header_row=1,
        header=header,
        row_numbers=list(range(2, len(records) + 2)),
        rows=[[texts[name][i] for name in header] for i in range(len(records))],
    )


def check_records(
    session: Session,
    kind_name: str,
    records: Sequence[Mapping[str, Any]],
    *,
    replacing: Iterable[int] = (),
) -> tuple[Problem, ...]:
    """Every problem the import of ``kind_name`` finds in ``records``.

    ``replacing`` names the stored rows (by id) that the records replace, so a changed
    record is not checked against the version of itself it replaces.
    """
    kind = get_kind(kind_name)
    table = record_table(kind, records)
    return check_table(session, kind, FORM, table, replacing=frozenset(replacing)).report.problems
