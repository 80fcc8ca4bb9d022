"""A record's rules hold the same whichever way it arrives: through its web form or in a
file of its import kind.

The rules between fields are single objects (``talentboard.rules``) that the import kinds
declare and the web forms run, by checking each submitted record as a row of its import
kind (``ingest.record``). Each rule below is broken once through each path, and kept once
through each, on the written-out world of ``tests/web/world.py``: Alice (P-ALICE) holds
Barts' chief executive post (R1H-CEO) substantively from 1 January 2020; Barts' director of
finance post (R1H-FD) is vacant.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from talentboard import rules
from talentboard.ingest.kinds import KINDS, get_kind
from talentboard.ingest.service import import_file
from tests.web.conftest import ClientFor
from tests.web.records import post
from tests.web.world import World

MAY, JUNE = dt.date(2026, 5, 1), dt.date(2026, 6, 1)


@dataclass(frozen=True)
class Case:
    """One rule, a record that breaks it and one that keeps it, for each path."""

    name: str
    rule: Any
    path: str  # the form, posted by Barts' administrator
    kind: str  # the import kind
    record: dict[str, Any]  # values both paths share
    form_only: dict[str, Any]
    file_only: dict[str, Any]
    broken: dict[str, Any]
    kept: dict[str, Any]
    field: str
    form_message: str
    file_reason: str


APPOINTMENT = {"post_id": "R1H-FD", "appointment_type": "interim"}
OPPORTUNITY = {
    "opportunity_id": "OPP-9",
    "title": "Finance secondment",
    "kind": "secondment",
    "host_ods_code": "R1H",
    "develops": ["governance"],
    "levels": ["senior"],
    "capacity": 2,
    "status": "open",
}

CASES = (
    Case(
        "an appointment ends on or after it starts",
        rules.APPOINTMENT.orders[0],
        "/people/P-ALICE/appointments/new",
        "appointments",
        APPOINTMENT,
        {},
        {"person_id": "P-ALICE"},
        broken={"start_date": JUNE, "end_date": MAY},
        kept={"start_date": MAY, "end_date": JUNE},
        field="end_date",
        form_message="End date must be the same as or after the start date",
        file_reason="is before start_date (2026-06-01)",
    ),
    Case(
        "a reason for leaving needs an end date",
        rules.APPOINTMENT.requires[0],
        "/people/P-ALICE/appointments/new",
        "appointments",
        APPOINTMENT,
        {},
        {"person_id": "P-ALICE"},
        broken={"start_date": MAY, "end_reason": "retired"},
        kept={"start_date": MAY, "end_date": JUNE, "end_reason": "retired"},
        field="end_reason",
        form_message="Enter an end date, or leave the reason for leaving empty",
        file_reason="only allowed with an end_date",
    ),
    Case(
        "an opportunity ends on or after it starts",
        rules.OPPORTUNITY.orders[0],
        "/opportunities/new",
        "opportunities",
        OPPORTUNITY,
        {},
        {},
        broken={"starts_on": JUNE, "ends_on": MAY},
        kept={"starts_on": MAY, "ends_on": JUNE},
        field="ends_on",
        form_message="The end date must be the same as or after the start date",
        file_reason="is before starts_on (2026-06-01)",
    ),
    Case(
        "substantive appointments to one post do not overlap",
        "overlapping_substantive",
        "/people/P-ALICE/appointments/new",
        "appointments",
        {"post_id": "R1H-CEO", "start_date": JUNE},
        {},
        {"person_id": "P-ALICE"},
        broken={"appointment_type": "substantive"},
        kept={"appointment_type": "interim"},
        field="start_date",
        form_message=(
            "Overlaps the substantive appointment to this post from 2020-01-01 to open "
            "(already in the database)"
        ),
        file_reason=(
            "overlaps the substantive appointment to this post from 2020-01-01 to open "
            "(already in the database)"
        ),
    ),
)


def as_cell(value: Any) -> str:
    if isinstance(value, list):
        return ";".join(value)
    return "" if value is None else str(value)


def import_one(session: Session, tmp_path: Path, kind: str, values: dict[str, Any]) -> Any:
    """A file of ``kind`` with one row: ``values``, and every other column empty."""
    header = get_kind(kind).canonical
    path = tmp_path / f"{kind}.csv"
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerow(as_cell(values.get(name)) for name in header)
    return import_file(session, kind, path)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_rule_is_kept_through_the_form_and_the_import(
    case: Case, client_for: ClientFor, session: Session, world: World, tmp_path: Path
) -> None:
    client = client_for("org_admin")
    refused = post(client, case.path, case.record | case.form_only | case.broken)
    assert refused.status_code == 400
    assert case.form_message in refused.text

    result = import_one(session, tmp_path, case.kind, case.record | case.file_only | case.broken)
    assert not result.ok
    assert [(p.row, p.column, p.reason) for p in result.report.problems] == [
        (2, case.field, case.file_reason)
    ]

    assert post(client, case.path, case.record | case.form_only | case.kept).status_code == 303
    assert import_one(session, tmp_path, case.kind, case.record | case.file_only | case.kept).ok


def test_every_rule_between_fields_of_a_kind_with_a_form_is_tried_both_ways() -> None:
    with_forms = {*rules.APPOINTMENT.all, *rules.OPPORTUNITY.all}
    assert with_forms == {c.rule for c in CASES if not isinstance(c.rule, str)}


def test_the_import_kinds_declare_the_shared_rule_objects() -> None:
    """An import kind's orders and requirements are the very objects of ``rules``."""
    shared = [
        rule
        for value in vars(rules).values()
        if isinstance(value, rules.RecordRules)
        for rule in value.all
    ]
    for kind in KINDS.values():
        for rule in (*kind.orders, *kind.requires):
            assert any(rule is one for one in shared), f"{kind.name}: {rule} is not shared"
