"""Fit and Proper Person Test (FPPT) records under the NHS England framework (2023).

The checks, when each is due and whom it applies to are reference data
(``reference/data/fppt_checks.csv``: every check on appointment; ``renew_months`` when it
is repeated; ``applies_to`` ``all`` or ``clinical``, the members with a clinical
professional background: medical, nursing, allied health, other clinical).

Definitions at a date ``t``:

- **Board members**: as in :mod:`talentboard.talent.board_skills` (an appointment of any
  type covering ``t`` to a board-level post other than company secretary).
- A check's **latest record** is the one with the latest ``checked_on`` on or before ``t``.
  Its **due date** is its ``next_due_on`` when recorded, else ``checked_on`` plus the
  check's ``renew_months``; a check done once on appointment is never due again.
- **Status** of each applicable check of each member, the first that holds: ``missing``
  (no record); ``not_satisfactory``, ``concern`` or ``pending`` (the latest outcome);
  ``not_applicable`` (recorded so: never due); ``overdue`` (due date before ``t``);
  ``due`` (due within ``within_days`` days from ``t``, ``t`` itself included); ``ok``.
- **Board member reference**: when someone leaves a board, the organisation writes a
  board member reference. A board appointment counts as leaving when it ended in the 12
  months up to ``t`` (after ``t - 12 months``, on or before ``t``), lasted at least six
  weeks (the framework's threshold for interim appointments), and the person holds no
  board appointment in the same organisation on the day it ended. A leaver without a
  reference written on or before ``t`` is listed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

import polars as pl

from talentboard import vocab
from talentboard.reference._files import as_bool, read_csv
from talentboard.talent.board_skills import CLINICAL_BACKGROUNDS, SECRETARY_ROLES
from talentboard.talent.schemas import require
from talentboard.talent.timing import shift_months

DUE_WITHIN_DAYS = 30
MIN_SERVICE_DAYS = 42
ATTENTION = ("missing", "not_satisfactory", "concern", "pending", "overdue", "due")
SEVERITY = {status: rank for rank, status in enumerate(ATTENTION)}


@dataclass(frozen=True, slots=True)
class FpptCheck:
    """One check of the FPPT framework and when it is due."""

    check_type: str
    label: str
    on_appointment: bool
    renew_months: int | None
    applies_to: str
    note: str


APPLIES_TO = ("all", "clinical")
CHECKS_FILE = "fppt_checks.csv"


def parse_fppt_checks(rows: list[dict[str, str]], file: str = CHECKS_FILE) -> tuple[FpptCheck, ...]:
    """Checked rows of the FPPT schedule: every check type of the framework exactly once,
    ``applies_to`` ``all`` or ``clinical``, ``renew_months`` empty or a whole number of
    months from 1; a bad row raises ``ValueError`` naming file, row and column."""
    checks = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):

        def bad(column: str, reason: str, at: int = number) -> ValueError:
            return ValueError(f"{file}, row {at}, column {column}: {reason}")

        check_type = row.get("check_type", "").strip()
        if check_type not in vocab.FPPT_CHECKS:
            raise bad("check_type", f"{check_type!r} is not an FPPT check")
        if check_type in seen:
            raise bad("check_type", f"{check_type!r} is listed more than once")
        seen.add(check_type)
        if row.get("applies_to", "").strip() not in APPLIES_TO:
            raise bad("applies_to", f"must be one of {', '.join(APPLIES_TO)}")
        renew = row.get("renew_months", "").strip()
        if renew and (not renew.isdigit() or int(renew) < 1):
            raise bad("renew_months", f"{renew!r} is not a whole number of months from 1")
        checks.append(
            FpptCheck(
                check_type,
                row.get("label", "").strip(),
                as_bool(row.get("on_appointment", "")),
                int(renew) if renew else None,
                row["applies_to"].strip(),
                row.get("note", "").strip(),
            )
        )
    missing = [c for c in vocab.FPPT_CHECKS if c not in seen]
    if missing:
        raise ValueError(f"{file}: no row for the check(s) {', '.join(missing)}")
    return tuple(checks)


@cache
def fppt_checks() -> tuple[FpptCheck, ...]:
    """The FPPT checks (``reference/data/fppt_checks.csv``), checked once."""
    return parse_fppt_checks(read_csv(CHECKS_FILE))


def check_status(
    members: pl.DataFrame,
    checks: pl.DataFrame,
    at: dt.date,
    *,
    within_days: int = DUE_WITHIN_DAYS,
) -> pl.DataFrame:
    """One row per board member and applicable check: the latest record and its status.

    ``members`` [person_ref, professional_background, ...]; ``checks`` [person_ref,
    check_type, outcome, checked_on, next_due_on]. Adds check_type, label, checked_on,
    outcome, due_on, status, days_overdue (days past the due date, when overdue).
    """
    require(members, ("person_ref", "professional_background"), "members")
    require(checks, ("person_ref", "check_type", "outcome", "checked_on", "next_due_on"), "checks")
    schedule = pl.DataFrame(
        [(c.check_type, c.label, c.renew_months, c.applies_to) for c in fppt_checks()],
        schema={
            "check_type": pl.String,
            "label": pl.String,
            "renew_months": pl.Int64,
            "applies_to": pl.String,
        },
        orient="row",
    ).with_row_index("check_order")
    latest = (
        checks.filter(pl.col("checked_on") <= at)
        .sort(["person_ref", "check_type", "checked_on"])
        .group_by(["person_ref", "check_type"], maintain_order=True)
        .last()
        .select("person_ref", "check_type", "outcome", "checked_on", "next_due_on")
    )
    clinical = pl.col("professional_background").is_in(list(CLINICAL_BACKGROUNDS))
    rows = (
        members.join(schedule, how="cross")
        .filter((pl.col("applies_to") == "all") | clinical.fill_null(False))
        .join(latest, on=["person_ref", "check_type"], how="left")
    )
    due_dates = [
        _due_on(checked, next_due, renew)
        for checked, next_due, renew in rows.select(
            "checked_on", "next_due_on", "renew_months"
        ).iter_rows()
    ]
    rows = rows.with_columns(pl.Series("due_on", due_dates, dtype=pl.Date))
    soon = at + dt.timedelta(days=within_days)
    status = (
        pl.when(pl.col("checked_on").is_null())
        .then(pl.lit("missing"))
        .when(pl.col("outcome").is_in(["not_satisfactory", "concern", "pending"]))
        .then(pl.col("outcome"))
        .when(pl.col("outcome") == "not_applicable")
        .then(pl.lit("not_applicable"))
        .when(pl.col("due_on") < at)
        .then(pl.lit("overdue"))
        .when(pl.col("due_on") <= soon)
        .then(pl.lit("due"))
        .otherwise(pl.lit("ok"))
    )
    return (
        rows.with_columns(status.alias("status"))
        .with_columns(
            pl.when(pl.col("status") == "overdue")
            .then((pl.lit(at) - pl.col("due_on")).dt.total_days())
            .otherwise(None)
            .cast(pl.Int64)
            .alias("days_overdue")
        )
        .sort([*_member_keys(rows), "check_order"])
        .drop("check_order", "renew_months", "applies_to", "next_due_on")
    )


def _member_keys(frame: pl.DataFrame) -> list[str]:
    return [c for c in ("ods_code", "person_ref") if c in frame.columns]


def _due_on(
    checked_on: dt.date | None, next_due_on: dt.date | None, renew_months: int | None
) -> dt.date | None:
    if checked_on is None:
        return None
    if next_due_on is not None:
        return next_due_on
    if renew_months is None:
        return None
    return shift_months(checked_on, renew_months)


def needing_attention(status: pl.DataFrame) -> pl.DataFrame:
    """The rows of :func:`check_status` whose status needs action, most severe first, then
    by due date, organisation and person, each person's checks in the framework's order."""
    return (
        status.filter(pl.col("status").is_in(list(ATTENTION)))
        .with_columns(
            pl.col("status").replace_strict(SEVERITY, return_dtype=pl.Int64).alias("_severity")
        )
        .sort(["_severity", "due_on", *_member_keys(status)], nulls_last=False, maintain_order=True)
        .drop("_severity")
    )


def board_leavers(posts: pl.DataFrame, appointments: pl.DataFrame, at: dt.date) -> pl.DataFrame:
    """Board appointments that count as leaving a board in the 12 months up to ``at``
    (see the module docstring): [appointment_ref, person_ref, post_ref, ods_code,
    role_code, start_date, end_date, end_reason]."""
    require(
        appointments,
        ("appointment_ref", "person_ref", "post_ref", "start_date", "end_date", "end_reason"),
        "appointments",
    )
    board = posts.filter(
        (pl.col("level") == "board") & ~pl.col("role_code").is_in(list(SECRETARY_ROLES))
    ).select("post_ref", "ods_code", "role_code")
    on_board = appointments.join(board, on="post_ref", how="inner")
    since = shift_months(at, -12)
    ended = on_board.filter(
        pl.col("end_date").is_not_null()
        & (pl.col("end_date") > since)
        & (pl.col("end_date") <= at)
        & ((pl.col("end_date") - pl.col("start_date")).dt.total_days() >= MIN_SERVICE_DAYS)
    )
    staying = (
        ended.select("appointment_ref", "person_ref", "ods_code", "end_date")
        .join(
            on_board.select(
                "person_ref",
                "ods_code",
                pl.col("start_date").alias("other_start"),
                pl.col("end_date").alias("other_end"),
            ),
            on=["person_ref", "ods_code"],
        )
        .filter(
            (pl.col("other_start") <= pl.col("end_date"))
            & (pl.col("other_end").is_null() | (pl.col("other_end") > pl.col("end_date")))
        )
        .select("appointment_ref")
    )
    return (
        ended.join(staying, on="appointment_ref", how="anti")
        .select(
            "appointment_ref",
            "person_ref",
            "post_ref",
            "ods_code",
            "role_code",
            "start_date",
            "end_date",
            "end_reason",
        )
        .sort(["end_date", "appointment_ref"])
    )


def missing_references(leavers: pl.DataFrame, references: pl.DataFrame) -> pl.DataFrame:
    """Leavers (:func:`board_leavers`) with no board member reference written yet."""
    require(references, ("appointment_ref",), "references")
    return leavers.join(references.select("appointment_ref"), on="appointment_ref", how="anti")


def fppt_json_row(row: dict[str, Any]) -> dict[str, Any]:
    """A check-status row as JSON-ready values (dates as ISO text)."""
    return {
        key: value.isoformat() if isinstance(value, dt.date) else value
        for key, value in row.items()
    }
