"""The conversations, fppt and appraisals import kinds: stored values, every bad row
reported with nothing written, updates counted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentboard.db.models import (
    AppraisalRecord,
    CareerConversation,
    DevelopmentAction,
    FitAndProperCheck,
    Person,
)
from talentboard.ingest import TableCounts, import_file
from tests.ingest.helpers import canonical, found, load_before, write

D = dt.date
CONVERSATION_HEADER = (
    "person_id,held_on,held_with,impact,growth,growth_wanted,summary,action,"
    "opportunity_kind,programme_code,due_on,status\n"
)
FPPT_HEADER = "person_id,check_type,outcome,checked_on,next_due_on,checked_by,notes\n"
APPRAISAL_HEADER = (
    "person_id,period_start,period_end,appraised_on,appraiser,multi_source_feedback,outcomes,"
    "strategy,equality,governance,culture,partnerships,objectives,edi_objective,"
    "development_needs,programmes_attended\n"
)


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def person_ref(session: Session, person_id: str) -> int:
    return session.scalars(select(Person.id).where(Person.person_id == person_id)).one()


def test_conversations_stored(session: Session, tmp_path: Path) -> None:
    """P001's conversation of 2025-06-12 has two actions (the second's empty status is
    planned); P003's of 2025-02-03 none. Changing one status updates one action."""
    load_before(session, "conversations")
    result = import_file(session, "conversations", canonical("conversations"))
    assert result.ok
    chat = session.scalars(
        select(CareerConversation).where(
            CareerConversation.person_ref == person_ref(session, "P001")
        )
    ).one()
    assert (chat.held_on, chat.impact, chat.growth, chat.growth_wanted) == (
        D(2025, 6, 12),
        "high",
        "high",
        "stretch",
    )
    actions = {a.action: a for a in chat.actions}
    assert actions["Board shadowing at RJ1"].status == "in_progress"
    programme = actions["Aspiring Chief Executive Programme"]
    assert (programme.programme_code, programme.status, programme.due_on) == (
        "aspiring_chief_executive",
        "planned",
        D(2026, 6, 30),
    )
    assert count(session, DevelopmentAction) == 2
    text = canonical("conversations").read_text().replace(",in_progress", ",done")
    changed = import_file(session, "conversations", write(tmp_path, "c.csv", text))
    assert changed.counts == {
        "career_conversations": TableCounts(0, 0, 2),
        "development_actions": TableCounts(0, 1, 1),
    }


def test_bad_conversations_are_all_reported(session: Session, tmp_path: Path) -> None:
    load_before(session, "conversations")
    text = CONVERSATION_HEADER + (
        "P999,2025-06-12,,high,high,stretch,,Shadowing,,,,\n"  # 2: unknown person
        "P001,2025-06-12,,huge,high,stretch,,Mentoring,mentoring,,,\n"  # 3: bad impact
        "P001,2025-06-12,,high,high,depth,,Coaching,coaching,,,\n"  # 4: differs from row 3
        "P002,2025-07-01,,,,,,,,,2025-09-01,\n"  # 5: due date without an action
        "P002,2025-07-01,,,,,,Secondment,secondment,,,\n"  # 6
        "P002,2025-07-01,,,,,,Secondment,secondment,,,done\n"  # 7: duplicate of 6
        "P003,2025-08-01,,,,,,Programme,,made_up,,\n"  # 8: unknown programme
    )
    result = import_file(session, "conversations", write(tmp_path, "bad.csv", text))
    assert not result.ok
    problems = found(result.report)
    assert (
        2,
        "person_id",
        "no person with this person_id in the database (import people first)",
    ) in problems
    assert (3, "impact", "not one of: low, medium, high") in problems
    assert (5, "due_on", "only allowed with an action") in problems
    assert (
        7,
        "person_id, held_on, action",
        "duplicate of row 6 (same person_id, held_on, action)",
    ) in problems
    assert (8, "programme_code", "not a known programme code") in problems
    growth = [p for p in problems if p[1] == "growth_wanted"]
    assert growth == [
        (
            4,
            "growth_wanted",
            "differs from row 3 for the same person_id and held_on; a conversation has one "
            "placement, one growth wanted and one summary",
        )
    ]
    # Row 3's unreadable impact has its own problem; row 4 is not said to differ from it.
    assert [p for p in problems if p[1] == "impact"] == [
        (3, "impact", "not one of: low, medium, high")
    ]
    assert count(session, CareerConversation) == 0
    assert count(session, DevelopmentAction) == 0


def test_fppt_stored_and_bad_rows(session: Session, tmp_path: Path) -> None:
    load_before(session, "fppt")
    assert import_file(session, "fppt", canonical("fppt")).ok
    concern = session.scalars(
        select(FitAndProperCheck).where(FitAndProperCheck.check_type == "social_media")
    ).one()
    assert (concern.outcome, concern.next_due_on, concern.notes) == (
        "concern",
        D(2026, 4, 1),
        "Reviewed with the chair; no further action",
    )
    text = FPPT_HEADER + (
        "P001,dbs,satisfactory,2025-04-01,2025-03-01,,\n"  # 2: due before checked
        "P001,credit_score,satisfactory,2025-04-01,,,\n"  # 3: unknown check
        "P001,dbs,,2025-05-01,,,\n"  # 4: outcome missing
    )
    result = import_file(session, "fppt", write(tmp_path, "bad.csv", text))
    assert sorted((p[0], p[1], p[2]) for p in found(result.report)) == [
        (2, "next_due_on", "is before checked_on (2025-04-01)"),
        (3, "check_type", "not a known check type"),
        (4, "outcome", "a value is required"),
    ]
    assert count(session, FitAndProperCheck) == 3


def test_appraisals_stored_and_bad_rows(session: Session, tmp_path: Path) -> None:
    load_before(session, "appraisals")
    assert import_file(session, "appraisals", canonical("appraisals")).ok
    record = session.scalars(
        select(AppraisalRecord).where(AppraisalRecord.person_ref == person_ref(session, "P002"))
    ).one()
    assert record.domain_ratings == {
        "outcomes": 4,
        "strategy": 3,
        "equality": 3,
        "governance": 4,
        "culture": 3,
        "partnerships": 2,
    }
    assert record.objectives == ["Deliver the recovery plan", "Lead the estates strategy"]
    assert (record.multi_source_feedback, record.edi_objective) == (
        True,
        "Sponsor the reverse mentoring scheme",
    )
    other = session.scalars(
        select(AppraisalRecord).where(AppraisalRecord.person_ref == person_ref(session, "P004"))
    ).one()
    assert (other.domain_ratings, other.objectives, other.programmes_attended) == (
        {},
        [],
        ["aspirant_chair"],
    )
    text = APPRAISAL_HEADER + (
        "P001,2025-04-01,2026-03-31,2026-05-01,,true,4,4,4,4,4,4,,,,\n"  # 2: no EDI objective
        "P001,2026-04-01,2025-03-31,,,false,,,,,,,,,,\n"  # 3: period ends before it starts
        "P003,2025-04-01,2026-03-31,,,false,5,,,,,,,,,\n"  # 4: rating off the scale
    )
    result = import_file(session, "appraisals", write(tmp_path, "bad.csv", text))
    assert sorted((p[0], p[1], p[2]) for p in found(result.report)) == [
        (
            2,
            "edi_objective",
            "a completed appraisal (with appraised_on) needs an equality, diversity and "
            "inclusion objective",
        ),
        (3, "period_end", "is not after period_start (2026-04-01)"),
        (4, "outcomes", "must be between 1 and 4"),
    ]
    assert count(session, AppraisalRecord) == 2
