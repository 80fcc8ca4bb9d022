"""FPPT check status rules and the check schedule, on written-out frames."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from talentboard import vocab
from talentboard.reference._files import read_csv
from talentboard.talent.fppt import (
    board_leavers,
    check_status,
    fppt_checks,
    needing_attention,
    parse_fppt_checks,
)
from talentboard.talent.schemas import FPPT_CHECKS, frame
from tests.talent import register_frames as rf

D = dt.date
AT = D(2026, 9, 30)


def test_schedule_covers_every_check() -> None:
    checks = {c.check_type: c for c in fppt_checks()}
    assert set(checks) == set(vocab.FPPT_CHECKS)
    assert checks["dbs"].renew_months == 36
    assert checks["qualifications"].renew_months is None
    assert checks["professional_registration"].applies_to == "clinical"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"check_type": "credit"}, "row 2, column check_type: 'credit' is not an FPPT check"),
        ({"applies_to": "some"}, "row 2, column applies_to: must be one of all, clinical"),
        ({"renew_months": "0"}, "row 2, column renew_months: '0' is not a whole number"),
    ],
)
def test_bad_schedule_rows_are_named(change: dict[str, str], message: str) -> None:
    rows = read_csv("fppt_checks.csv")
    rows[0] = {**rows[0], **change}
    with pytest.raises(ValueError, match=message):
        parse_fppt_checks(rows)
    with pytest.raises(ValueError, match="no row for the check"):
        parse_fppt_checks(read_csv("fppt_checks.csv")[1:])


def test_status_rules() -> None:
    """One finance member (9 checks apply; professional registration does not).

    - dbs 2023-10-01, next due recorded 2026-10-01: due (within 30 days of AT);
    - insolvency 2025-09-01, no next date: due 2026-09-01, overdue by 29 days;
    - disqualified directors 2025-12-01: due 2026-12-01: ok;
    - social media with a concern; self-attestation pending;
    - qualifications once on appointment (2019): never due again: ok;
    - identity: not applicable: never due;
    - an old chair's sign-off (2024) superseded by one on 2026-01-15: ok;
    - employment history and references: missing.
    """
    member = pl.DataFrame(
        {"ods_code": ["AAA"], "person_ref": [1], "professional_background": ["finance"]}
    )
    rows = [
        ("dbs", "satisfactory", D(2023, 10, 1), D(2026, 10, 1)),
        ("insolvency_bankruptcy", "satisfactory", D(2025, 9, 1), None),
        ("disqualified_directors", "satisfactory", D(2025, 12, 1), None),
        ("social_media", "concern", D(2026, 2, 1), None),
        ("self_attestation", "pending", D(2026, 9, 1), None),
        ("qualifications", "satisfactory", D(2019, 1, 1), None),
        ("identity_right_to_work", "not_applicable", D(2019, 1, 1), None),
        ("chair_sign_off", "satisfactory", D(2024, 1, 15), None),
        ("chair_sign_off", "satisfactory", D(2026, 1, 15), None),
        ("dbs", "satisfactory", D(2026, 12, 1), None),  # after AT: not yet known
    ]
    checks = frame(
        FPPT_CHECKS,
        [
            {"person_ref": 1, "check_type": t, "outcome": o, "checked_on": c, "next_due_on": n}
            for t, o, c, n in rows
        ],
    )
    status = check_status(member, checks, AT)
    got = {
        r["check_type"]: (r["status"], r["due_on"], r["days_overdue"])
        for r in status.iter_rows(named=True)
    }
    assert got == {
        "identity_right_to_work": ("not_applicable", None, None),
        "dbs": ("due", D(2026, 10, 1), None),
        "insolvency_bankruptcy": ("overdue", D(2026, 9, 1), 29),
        "disqualified_directors": ("ok", D(2026, 12, 1), None),
        "employment_history_references": ("missing", None, None),
        "qualifications": ("ok", None, None),
        "social_media": ("concern", D(2027, 2, 1), None),
        "self_attestation": ("pending", D(2027, 9, 1), None),
        "chair_sign_off": ("ok", D(2027, 1, 15), None),
    }
    assert needing_attention(status)["check_type"].to_list() == [
        "employment_history_references",
        "social_media",
        "self_attestation",
        "insolvency_bankruptcy",
        "dbs",
    ]
    tight = check_status(member, checks, AT, within_days=0)
    assert tight.filter(pl.col("check_type") == "dbs")["status"][0] == "ok"


def test_board_leavers() -> None:
    """Ended in the 12 months to AT: A (chair, left the board), B (finance director,
    moved at once to chief executive of the same trust: not leaving), C (interim of 30
    days: under six weeks), D (company secretary: not a board member), E (ended 2025-09-30,
    exactly 12 months before AT: outside the window)."""
    posts = rf.posts(
        (1, "AAA-CHAIR", "AAA", "chair"),
        (2, "AAA-FD", "AAA", "finance_director"),
        (3, "AAA-CEO", "AAA", "chief_executive"),
        (4, "AAA-SEC", "AAA", "company_secretary"),
        (5, "AAA-MD", "AAA", "medical_director"),
    )
    appointments = rf.appointments(
        (1, 1, D(2020, 1, 1), D(2026, 5, 31)),
        (2, 2, D(2020, 1, 1), D(2026, 6, 30)),
        (2, 3, D(2026, 6, 30), None),
        (3, 5, D(2026, 3, 1), D(2026, 3, 31), "interim"),
        (4, 4, D(2020, 1, 1), D(2026, 4, 30)),
        (5, 5, D(2019, 1, 1), D(2025, 9, 30)),
    )
    leavers = board_leavers(posts, appointments, AT)
    assert leavers.select("person_ref", "role_code", "end_date").rows() == [
        (1, "chair", D(2026, 5, 31))
    ]
