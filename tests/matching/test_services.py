"""Matching against the database (SQLite and PostgreSQL): runs, proposals, decisions, reruns."""

from __future__ import annotations

import polars as pl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard.db.models import BuddyPairing, MatchProposal, MatchRun, Person
from talentboard.matching.buddying import BuddySettings
from talentboard.matching.services import (
    UnknownPostError,
    run_buddying,
    run_opportunity_match,
    shortlist_for_post,
)
from talentboard.matching.store import (
    DecisionError,
    decide_pairing,
    decide_proposal,
    list_proposals,
)
from tests.matching.world import AT, SINCE, build_world, organisation
from tests.talent import factories as f


def pairs(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return dict(result.assignments.select("person_id", "opportunity_id").iter_rows())


def test_round_from_the_database(session: Session) -> None:
    build_world(session)
    result, run_ref = run_opportunity_match(session, AT)
    assert pairs(result) == {"P1": "OPP-1", "P2": "OPP-3", "P3": "OPP-3"}
    scores = dict(result.assignments.select("person_id", "score").iter_rows())
    assert scores == {"P1": 80, "P2": 25, "P3": 5}
    assert result.total_score == 110
    eligible = {
        (p, o): s
        for p, o, s in result.eligible_pairs.select(
            "person_id", "opportunity_id", "score"
        ).iter_rows()
    }
    assert eligible == {
        ("P1", "OPP-1"): 80,
        ("P1", "OPP-3"): 35,
        ("P2", "OPP-1"): 30,
        ("P2", "OPP-3"): 25,
        ("P3", "OPP-1"): 10,
        ("P3", "OPP-3"): 5,
    }
    run = session.get(MatchRun, run_ref)
    assert run is not None
    assert (run.kind, run.as_at, run.total_score) == ("opportunities", AT, 110.0)
    assert run.settings["method"] == "matching"
    assert run.settings["positive_action"] is None
    stored = session.scalars(
        select(MatchProposal).where(MatchProposal.run_ref == run_ref).order_by(MatchProposal.id)
    ).all()
    assert [(p.score, p.status) for p in stored] == [
        (80.0, "proposed"),
        (25.0, "proposed"),
        (5.0, "proposed"),
    ]
    assert stored[0].breakdown == {
        "target_role_code": "finance_director",
        "readiness": "ready_1_2y",
        "gaps": 20,
        "readiness_points": 30,
        "aspirations": 10,
        "breadth": 20,
        "positive_action": 0,
    }
    assert stored[0].reasons[1] == "score 80 = gaps 20 + readiness 30 + aspirations 10 + breadth 20"


def test_accept_decline_and_rerun(session: Session) -> None:
    world = build_world(session)
    _, run_ref = run_opportunity_match(session, AT)
    by_person = {
        p.person_ref: p
        for p in session.scalars(select(MatchProposal).where(MatchProposal.run_ref == run_ref))
    }
    accepted = decide_proposal(session, by_person[world.p1.id].id, "accept", "talent lead")
    assert (accepted.status, accepted.decided_by) == ("accepted", "talent lead")
    assert accepted.decided_at is not None
    decide_proposal(session, by_person[world.p2.id].id, "decline", "P2")

    result, second = run_opportunity_match(session, AT)
    assert second != run_ref
    rows = {r["person_id"]: r for r in result.assignments.iter_rows(named=True)}
    assert rows["P1"]["kept"]
    assert rows["P1"]["opportunity_id"] == "OPP-1"
    assert rows["P1"]["proposal_ref"] == by_person[world.p1.id].id
    assert "P2" not in rows
    assert rows["P3"]["opportunity_id"] == "OPP-3"
    reasons = dict(result.unassigned.select("person_id", "reason").iter_rows())
    assert reasons == {
        "P2": "eligible for 1 opportunity, none left for this person in the allocation with "
        "the highest total score: OPP-1 (score 30 for this person) went to P1 (score 80)"
    }
    # Only the new assignment is stored as a proposal in the second run.
    listed = list_proposals(session, run_ref=second)
    assert listed.select("person_id", "opportunity_id", "status").rows() == [
        ("P3", "OPP-3", "proposed")
    ]


def test_decisions_are_checked(session: Session) -> None:
    world = build_world(session)
    _, run_ref = run_opportunity_match(session, AT)
    proposals = {
        p.person_ref: p
        for p in session.scalars(select(MatchProposal).where(MatchProposal.run_ref == run_ref))
    }
    with pytest.raises(DecisionError, match="there is no proposal") as missing:
        decide_proposal(session, 999_999, "accept")
    assert missing.value.exit_code == 2
    with pytest.raises(DecisionError, match="unknown decision"):
        decide_proposal(session, proposals[world.p1.id].id, "maybe")
    decide_proposal(session, proposals[world.p1.id].id, "accept")
    # Runs never propose a full opportunity, but an older proposal can still be accepted
    # after the place went to someone else: that acceptance is refused.
    copy = MatchProposal(
        run_ref=run_ref,
        person_ref=world.p2.id,
        opportunity_ref=world.opportunities["OPP-1"].id,
        score=30,
        breakdown={},
        reasons=[],
        status="proposed",
    )
    session.add(copy)
    session.flush()
    with pytest.raises(DecisionError, match="OPP-1 has no place left") as full:
        decide_proposal(session, copy.id, "accept")
    assert full.value.exit_code == 1
    p3 = proposals[world.p3.id]
    extra = MatchProposal(
        run_ref=run_ref,
        person_ref=world.p3.id,
        opportunity_ref=world.opportunities["OPP-2"].id,
        score=1,
        breakdown={},
        reasons=[],
        status="proposed",
    )
    session.add(extra)
    session.flush()
    decide_proposal(session, p3.id, "accept")
    with pytest.raises(DecisionError, match="P3 already holds an accepted place in OPP-3"):
        decide_proposal(session, extra.id, "accept")
    reopened = decide_proposal(session, p3.id, "reopen")
    assert (reopened.status, reopened.decided_at) == ("proposed", None)


def test_vacancy_shortlist_from_the_database(session: Session) -> None:
    """P1: fit 100 * (20 - 18) / 20 = 10 (gaps 4, 3, 3, 2, 3, 3 against 4, 3, 3, 4, 3, 3);
    P2: never assessed, 0. P3 works at TSTB and has not consented to move."""
    build_world(session)
    shortlist = shortlist_for_post(session, "TSTA-FD", AT)
    assert shortlist.candidates.select("rank", "person_id", "fit", "breadth").rows() == [
        (1, "P1", 10, 0),
        (2, "P2", 0, 0),
    ]
    assert shortlist.excluded.get_column("person_id").to_list() == ["P3"]
    with pytest.raises(UnknownPostError):
        shortlist_for_post(session, "NO-SUCH-POST", AT)


@pytest.mark.parametrize(
    ("column", "values"),
    [
        ("ethnic_category", ["M", "R", "Z", None]),
        ("sex", ["male", "other", "not_stated", None]),
        ("disability", ["yes", "not_stated", None]),
    ],
)
def test_protected_characteristics_change_nothing_in_a_shortlist(
    session: Session, column: str, values: list[str | None]
) -> None:
    world = build_world(session)
    before = shortlist_for_post(session, "TSTA-FD", AT).to_json()
    for value in values:
        for person in (world.p1, world.p2, world.p3):
            setattr(person, column, value)
        session.flush()
        assert shortlist_for_post(session, "TSTA-FD", AT).to_json() == before
    assert session.scalar(select(Person.person_id).where(Person.id == world.p1.id)) == "P1"


def test_without_positive_action_protected_characteristics_change_no_proposal(
    session: Session,
) -> None:
    world = build_world(session)
    before = run_opportunity_match(session, AT, save=False)[0].to_json(all_pairs=True)
    world.p2.ethnic_category = "M"
    world.p2.disability = "yes"
    world.p3.sex = "male"
    session.flush()
    after = run_opportunity_match(session, AT, save=False)[0].to_json(all_pairs=True)
    assert after == before


def test_buddying_from_the_database(session: Session) -> None:
    """TSTC (acute, segment 1, two executives in post since 2020: stable) and TSTD (acute,
    segment 4) in London, same ICB, same headcount: size 40 + region 30 + system 10 = 80,
    the best any London challenged trust can score with TSTC, the only strong one (the
    shipped trusts have no board register, so their stability is unknown)."""
    organisation(session, "TSTC", "acute", 1, headcount=4000, icb="TSTICB")
    organisation(session, "TSTD", "acute", 4, headcount=4000, icb="TSTICB")
    for role in ("chief_executive", "finance_director"):
        post = f.post(session, f"TSTC-{role}", "TSTC", role)
        f.appoint(session, f.person(session, f"TSTC-{role}-holder"), post, SINCE)
    result, run_ref = run_buddying(session, AT, BuddySettings(region="Y56"))
    paired = dict(result.pairs.select("challenged_ods_code", "strong_ods_code").iter_rows())
    assert paired == {"TSTD": "TSTC"}
    assert result.total_score == 80
    unpaired = dict(
        result.unpaired.filter(pl.col("side") == "challenged")
        .select("ods_code", "reason")
        .iter_rows()
    )
    assert "TSTD" not in unpaired
    pairing = session.scalars(select(BuddyPairing).where(BuddyPairing.run_ref == run_ref)).one()
    assert (pairing.challenged_ods_code, pairing.strong_ods_code, pairing.score) == (
        "TSTD",
        "TSTC",
        80.0,
    )
    decided = decide_pairing(session, pairing.id, "accept", "regional director")
    assert (decided.status, decided.decided_by) == ("accepted", "regional director")
