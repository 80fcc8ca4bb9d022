"""A whole round: optimal, explained, repeatable; kept and declined proposals; constraints."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import numpy as np
import polars as pl
import pytest

from talentboard.matching.opportunities import (
    DECLINED_SCHEMA,
    KEPT_SCHEMA,
    MatchSettings,
    MinShare,
    RoundInputs,
    match_opportunities,
)
from tests.matching.frames import AT, Round
from tests.matching.solvers import lp_optimum


def competition() -> Round:
    """Two people, one place. P001 scores 45 (project, ready_1_2y 25, planned 20); P002
    scores 25 (ready_1_2y project only). P001 takes it; P002 is told who did."""
    r = Round().person(1).person(2).aspire(1, planned=["project"])
    r.offer(1, kind="project", capacity=1)
    return r


def test_competitor_takes_the_place() -> None:
    result = match_opportunities(competition().inputs(), AT)
    assert result.to_json() == {
        "assignments": [
            {
                "person_id": "P001",
                "opportunity_id": "OPP001",
                "score": 45,
                "reasons": result.assignments.get_column("reasons")[0].to_list(),
            }
        ],
        "total_score": 45,
        "unassigned": [
            {
                "person_id": "P002",
                "reason": "eligible for 1 opportunity, none left for this person in the "
                "allocation with the highest total score: OPP001 (score 25 for this person) "
                "went to P001 (score 45)",
            }
        ],
    }
    reasons = result.assignments.get_column("reasons")[0].to_list()
    assert reasons[0] == "proposed for OPP001: a project, Opportunity 1, hosted by BBB NHS Trust"
    assert reasons[1] == "score 45 = gaps 0 + readiness 25 + aspirations 20 + breadth 0"


def test_not_the_top_choice_is_explained() -> None:
    """P001 (senior): 45 at OPP001 (project, planned) and 30 at OPP002 (board shadowing,
    senior only). P002 (middle): 25 at OPP001 only. Giving P001 the project totals 45;
    P001 at OPP002 and P002 at OPP001 total 30 + 25 = 55, the optimum."""
    r = Round().person(1).person(2, level="middle").aspire(1, planned=["project"])
    r.offer(1, kind="project", levels=["senior", "middle"]).offer(2, kind="board_shadowing")
    result = match_opportunities(r.inputs(), AT)
    got = dict(result.assignments.select("person_id", "opportunity_id").iter_rows())
    assert got == {"P001": "OPP002", "P002": "OPP001"}
    assert result.total_score == 55
    p1 = result.assignments.filter(pl.col("person_id") == "P001").get_column("reasons")[0]
    assert p1[-1] == (
        "this person's highest-scoring opportunity, OPP001 (score 45), went to P002 "
        "(score 25): the total score is higher this way"
    )


def random_round(seed: int) -> Round:
    rng = np.random.default_rng(seed)
    r = Round()
    orgs = {"AAA": "Y56", "BBB": "Y56", "CCC": "Y58", "DDD": "Y58"}
    codes = list(orgs)
    domains = ["governance", "strategy", "culture", "outcomes"]
    kinds = ["secondment", "stretch_assignment", "project", "board_shadowing", "mentoring"]
    readiness = ["ready_now", "ready_1_2y", "ready_3_5y", "not_yet"]
    for ref in range(1, 31):
        ods = codes[int(rng.integers(len(codes)))]
        r.person(
            ref,
            ods=ods,
            region=orgs[ods],
            level=["senior", "middle"][int(rng.integers(2))],
            willing=[orgs[ods]] + (["Y58"] if rng.random() < 0.3 else []),
            consent=bool(rng.random() < 0.8),
            readiness=readiness[int(rng.integers(4))],
            kinds=["acute"] if rng.random() < 0.7 else ["acute", "community"],
            challenged=bool(rng.random() < 0.3),
        )
        for domain in domains:
            if rng.random() < 0.5:
                r.gap(ref, domain, float(rng.integers(0, 9)) / 4)
        if rng.random() < 0.5:
            r.aspire(
                ref,
                growth=["depth", "breadth", "stretch"][int(rng.integers(3))],
                planned=[kinds[int(rng.integers(len(kinds)))]],
            )
    for ref in range(1, 11):
        host = codes[int(rng.integers(len(codes)))]
        r.offer(
            ref,
            kind=kinds[int(rng.integers(len(kinds)))],
            host=host,
            region=orgs[host],
            host_kind=["acute", "mental_health", "community"][int(rng.integers(3))],
            segment=int(rng.integers(1, 5)),
            develops=[d for d in domains if rng.random() < 0.4],
            levels=["senior", "middle"] if rng.random() < 0.6 else ["senior"],
            capacity=int(rng.integers(1, 4)),
        )
    return r


@pytest.mark.parametrize("seed", range(20))
def test_round_is_optimal_and_fully_explained(seed: int) -> None:
    inputs = random_round(seed).inputs()
    result = match_opportunities(inputs, AT)
    pairs = result.eligible_pairs
    people = {ref: i for i, ref in enumerate(inputs.candidates.get_column("person_ref"))}
    options = {ref: j for j, ref in enumerate(inputs.offers.get_column("opportunity_ref"))}
    person = np.array([people[r] for r in pairs.get_column("person_ref")], dtype=np.int64)
    option = np.array([options[r] for r in pairs.get_column("opportunity_ref")], dtype=np.int64)
    capacity = inputs.offers.get_column("capacity").to_numpy().astype(np.int64)
    best, placed = lp_optimum(
        person, option, pairs.get_column("score").to_numpy(), capacity, len(people)
    )
    assert (result.total_score, result.assignments.height) == (best, placed)
    # Every candidate appears once: assigned (with reasons) or unassigned (with a reason).
    assigned = result.assignments.get_column("person_id").to_list()
    unassigned = result.unassigned.get_column("person_id").to_list()
    assert sorted(assigned + unassigned) == sorted(inputs.candidates.get_column("person_id"))
    assert len(set(assigned)) == len(assigned)
    for reasons in result.assignments.get_column("reasons").to_list():
        assert len(reasons) >= 6
        assert reasons[1].startswith("score ")
        for term in ("gaps", "readiness: ", "aspirations: ", "breadth: "):
            assert any(reason.startswith(term) for reason in reasons)
    for reason in result.unassigned.get_column("reason").to_list():
        assert reason.startswith(("no eligible opportunity", "eligible for "))
        assert "not chosen in the allocation" not in reason


@pytest.mark.parametrize("seed", range(5))
def test_row_order_does_not_change_the_result(seed: int) -> None:
    """Shuffled input frames give the same proposals: ties are broken canonically."""
    inputs = random_round(100 + seed).inputs()
    shuffled = RoundInputs(
        **{
            name: frame.sample(fraction=1.0, shuffle=True, seed=seed)
            for name, frame in inputs.__dict__.items()
        }
    )
    first = match_opportunities(inputs, AT)
    second = match_opportunities(shuffled, AT)
    assert first.to_json(all_pairs=True) == second.to_json(all_pairs=True)


def kept_frame(rows: list[dict[str, object]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=KEPT_SCHEMA, orient="row")


def test_accepted_proposals_are_kept() -> None:
    """P002 accepted OPP001 (1 place) earlier with score 25. On rerun, P001 (who would score
    45 there) cannot take it; P002 keeps it and is offered nothing else."""
    r = competition().offer(2, kind="mentoring")
    kept = kept_frame(
        [
            {
                "proposal_ref": 7,
                "person_ref": 2,
                "opportunity_ref": 1,
                "opportunity_id": "OPP001",
                "score": 25,
                "reasons": ["score 25 = ..."],
                "decided_on": dt.date(2026, 9, 1),
            }
        ]
    )
    result = match_opportunities(r.inputs(), AT, kept=kept)
    got = {
        row["person_id"]: (row["opportunity_id"], row["kept"], row["proposal_ref"])
        for row in result.assignments.iter_rows(named=True)
    }
    assert got == {"P001": ("OPP002", False, None), "P002": ("OPP001", True, 7)}
    p2 = result.assignments.filter(pl.col("person_id") == "P002").get_column("reasons")[0]
    assert p2[0] == (
        "kept: proposal 7 was accepted on 2026-09-01, so the place stays with this person and "
        "is not offered again"
    )
    # P001 at OPP002: mentoring, ready_1_2y 15 points; plus P002's kept 25.
    assert result.total_score == 15 + 25


def test_a_place_held_outside_the_round_counts() -> None:
    """P002 holds an accepted place in OPP900, which is not in this round (another
    region's): P002 is offered nothing else, and says why."""
    kept = kept_frame(
        [
            {
                "proposal_ref": 8,
                "person_ref": 2,
                "opportunity_ref": 900,
                "opportunity_id": "OPP900",
                "score": 40,
                "reasons": [],
                "decided_on": dt.date(2026, 9, 1),
            }
        ]
    )
    result = match_opportunities(competition().offer(2).inputs(), AT, kept=kept)
    assert result.assignments.get_column("person_id").to_list() == ["P001"]
    assert result.unassigned.select("person_id", "reason").rows() == [
        (
            "P002",
            "holds an accepted place in OPP900, outside this round, so is offered nothing else",
        )
    ]


def test_declined_pairs_are_not_proposed_again() -> None:
    declined = pl.DataFrame(
        [{"person_ref": 1, "opportunity_ref": 1, "decided_on": dt.date(2026, 9, 1)}],
        schema=DECLINED_SCHEMA,
        orient="row",
    )
    result = match_opportunities(competition().inputs(), AT, declined=declined)
    assert dict(result.assignments.select("person_id", "opportunity_id").iter_rows()) == {
        "P002": "OPP001"
    }
    assert result.unassigned.rows() == [
        (
            1,
            "P001",
            "eligible only for opportunities this person has declined before (OPP001), which "
            "are not proposed again",
        )
    ]


def test_source_limit_in_a_round() -> None:
    """Three people from AAA, one host BBB with three places, limit 2 per source and host:
    the two best (P001 45, P002 45) go; P003 is told the limit was reached."""
    r = Round().person(1).person(2).person(3)
    r.aspire(1, planned=["project"]).aspire(2, planned=["project"])
    r.offer(1, kind="project", capacity=3)
    result = match_opportunities(r.inputs(), AT, MatchSettings(source_limit=2))
    assert result.assignments.get_column("person_id").to_list() == ["P001", "P002"]
    assert result.method == "integer_programme"
    assert result.unassigned.get_column("reason").to_list() == [
        "eligible for 1 opportunity, none left for this person in the allocation with the "
        "highest total score: OPP001 (score 25 for this person) its host BBB already takes 2 "
        "people from AAA, the limit per host"
    ]


def test_min_share_in_a_round() -> None:
    """One place; P001 (not BME) scores 45, P002 (BME) 25. With at least half of places for
    BME people, P002 is placed, and every assignment says the share is in use."""
    r = Round().person(1, ethnic="A").person(2, ethnic="M").aspire(1, planned=["project"])
    r.offer(1, kind="project")
    settings = MatchSettings(min_share=MinShare("bme", Fraction(1, 2)))
    result = match_opportunities(r.inputs(), AT, settings)
    assert result.assignments.get_column("person_id").to_list() == ["P002"]
    reasons = result.assignments.get_column("reasons")[0].to_list()
    assert reasons[-1] == (
        "the allocation keeps at least 50% of places for people from Black and minority "
        "ethnic backgrounds (a minimum share, Equality Act 2010 s.158)"
    )
    assert result.unassigned.get_column("reason").to_list() == [
        "eligible for 1 opportunity, none left for this person in the allocation with the "
        "highest total score: OPP001 (score 45 for this person) went to P002 (score 25)"
    ]


def test_only_open_opportunities_are_on_offer() -> None:
    r = Round().person(1).offer(1, status="withdrawn").offer(2, status="open")
    result = match_opportunities(r.inputs(), AT)
    assert result.eligible_pairs.get_column("opportunity_id").to_list() == ["OPP002"]


def test_eligible_pairs_json() -> None:
    result = match_opportunities(competition().inputs(), AT)
    assert result.to_json(all_pairs=True)["eligible_pairs"] == [
        {"person_id": "P001", "opportunity_id": "OPP001", "score": 45},
        {"person_id": "P002", "opportunity_id": "OPP001", "score": 25},
    ]
