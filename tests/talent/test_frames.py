"""load_talent: talent rows as frames as known at a date, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy.orm import Session

from talentboard.db.models import AppraisalRecord, BoardMemberReference, Opportunity
from talentboard.frames.talent import load_talent
from talentboard.talent import schemas
from tests.talent import factories as f

D = dt.date
AT = D(2026, 9, 30)


def test_load_talent_as_at(session: Session) -> None:
    """Two readiness reviews for one target: the later one (after AT) is not yet known, so
    the current readiness is the 2026-01-10 review; ratings, successors, conversations and
    checks dated after AT are left out."""
    ann = f.person(session, "ann")
    bob = f.person(session, "bob")
    fd = f.post(session, "RJ1-FD", "RJ1", "finance_director")
    prof = f.profile(
        session,
        ann,
        willing_regions=["Y56", "Y59"],
        cross_org_consent=True,
        programmes=["nye_bevan"],
        impact="high",
        growth="medium",
        reviewed_on=D(2026, 1, 10),
    )
    f.readiness(session, prof, "finance_director", "ready_3_5y", D(2025, 1, 10))
    f.readiness(session, prof, "finance_director", "ready_1_2y", D(2026, 1, 10))
    f.readiness(session, prof, "finance_director", "ready_now", D(2026, 12, 1))
    f.readiness(session, prof, "chief_executive", "not_yet", D(2026, 1, 10))
    f.rate(session, ann, "lcf2024", "outcomes", "self", 3, D(2026, 5, 1))
    f.rate(session, ann, "lcf2024", "outcomes", "manager", None, D(2026, 5, 2))
    f.rate(session, ann, "lcf2024", "outcomes", "peer", 4, D(2026, 10, 2), rater_id="p1")
    f.plan(session, fd, [(ann, "ready_1_2y", True)], D(2026, 2, 1))
    f.conversation(
        session,
        ann,
        D(2026, 6, 1),
        impact="high",
        growth="high",
        growth_wanted="stretch",
        actions=(
            {
                "action": "Board shadowing at RRK",
                "opportunity_kind": "board_shadowing",
                "due_on": D(2026, 12, 31),
                "status": "planned",
            },
        ),
    )
    f.conversation(session, ann, D(2026, 11, 1), impact="high", growth="high")
    f.check(session, ann, "dbs", D(2024, 1, 1), next_due=D(2027, 1, 1))
    f.check(session, ann, "dbs", D(2027, 1, 1))
    session.add(
        Opportunity(
            opportunity_id="OPP1",
            kind="secondment",
            host_ods_code="RRK",
            title="Finance secondment",
            develops=["governance", "strategy"],
            levels=["senior"],
            capacity=2,
        )
    )
    ended = f.appoint(
        session,
        bob,
        fd,
        D(2020, 1, 1),
        D(2026, 3, 31),
        end_reason="dismissed_or_forced",
        exit_notes="Asked to leave",
    )
    f.appoint(session, ann, fd, D(2026, 4, 1))
    session.add(
        BoardMemberReference(
            appointment_ref=ended.id,
            written_on=D(2026, 4, 20),
            written_by="Chair",
            concerns_raised=False,
        )
    )
    session.add(
        AppraisalRecord(
            person_ref=ann.id,
            period_start=D(2025, 4, 1),
            period_end=D(2026, 3, 31),
            domain_ratings={"outcomes": 3, "culture": 4},
            objectives=["Deliver the plan"],
            edi_objective="Improve WRES",
        )
    )
    session.flush()

    frames = load_talent(session, AT)

    assert frames.as_at == AT
    assert frames.profiles.schema == pl.Schema(schemas.PROFILES)
    assert frames.profiles.row(0, named=True)["willing_regions"] == ["Y56", "Y59"]
    assert frames.profiles["programmes"].to_list() == [["nye_bevan"]]
    assert frames.readiness.height == 3
    assert frames.targets.select("target_role_code", "readiness").rows() == [
        ("chief_executive", "not_yet"),
        ("finance_director", "ready_1_2y"),
    ]
    assert frames.targets["person_ref"].to_list() == [ann.id, ann.id]
    assert frames.assessments["score"].to_list() == [3, None]
    assert frames.successors.select(
        "post_ref", "person_ref", "readiness", "emergency_cover"
    ).rows() == [(fd.id, ann.id, "ready_1_2y", True)]
    assert frames.plans["post_ref"].to_list() == [fd.id]
    assert frames.conversations["held_on"].to_list() == [D(2026, 6, 1)]
    assert frames.actions.select("person_ref", "action", "status").rows() == [
        (ann.id, "Board shadowing at RRK", "planned")
    ]
    assert frames.fppt_checks["checked_on"].to_list() == [D(2024, 1, 1)]
    opp = frames.opportunities.row(0, named=True)
    assert (opp["develops"], opp["levels"], opp["status"]) == (
        ["governance", "strategy"],
        ["senior"],
        "open",
    )
    assert frames.references["appointment_ref"].to_list() == [ended.id]
    assert frames.exits.rows() == [
        (ended.id, D(2026, 3, 31), "dismissed_or_forced", "Asked to leave")
    ]
    assert frames.appraisals["edi_objective"].to_list() == ["Improve WRES"]
    assert sorted(frames.appraisal_ratings.select("domain_code", "score").rows()) == [
        ("culture", 4),
        ("outcomes", 3),
    ]
    for name, schema in [
        ("readiness", schemas.READINESS),
        ("assessments", schemas.ASSESSMENTS),
        ("successors", schemas.SUCCESSORS),
        ("actions", schemas.ACTIONS),
        ("opportunities", schemas.OPPORTUNITIES),
    ]:
        assert getattr(frames, name).schema == pl.Schema(schema), name


def test_load_talent_on_an_empty_database(session: Session) -> None:
    frames = load_talent(session, AT)
    assert frames.profiles.height == 0
    assert frames.targets.schema == pl.Schema(schemas.TARGETS)
