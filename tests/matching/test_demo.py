"""The demo data (region scale) give sensible proposals, pairings and shortlists.

Sensible, checked independently of the code that produced them: every proposal meets the
eligibility rules when each is checked again pair by pair; the allocation is the optimum a
second solver (HiGHS) finds; proposed pairs score higher on average than the eligible
pairs not proposed; everyone in the talent pool is accounted for with a reason; buddies
are of the same kind, challenged with strong; a shortlist holds only people ready for the
role, best first.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from sqlalchemy.orm import Session

from talentboard.demo import DEMO_AS_AT, generate_demo
from talentboard.frames.register import load_register, segment_at
from talentboard.frames.talent import load_talent
from talentboard.matching.buddying import BuddySettings
from talentboard.matching.eligibility import ineligibility
from talentboard.matching.services import (
    round_inputs,
    run_buddying,
    run_opportunity_match,
    shortlist_for_post,
)
from tests.matching.solvers import greedy, lp_optimum

pytestmark = pytest.mark.slow


@pytest.fixture
def demo(session: Session) -> Session:
    generate_demo(session, "region", seed=1)
    return session


def test_demo_proposals_are_sensible(demo: Session) -> None:
    result, _ = run_opportunity_match(demo, DEMO_AS_AT, save=False)
    inputs = round_inputs(load_register(demo), load_talent(demo, DEMO_AS_AT), DEMO_AS_AT)
    assert result.assignments.height >= 50

    candidates = {r["person_ref"]: r for r in inputs.candidates.iter_rows(named=True)}
    offers = {r["opportunity_ref"]: r for r in inputs.offers.iter_rows(named=True)}
    for row in result.assignments.iter_rows(named=True):
        pair = candidates[row["person_ref"]] | offers[row["opportunity_ref"]]
        assert ineligibility(pair, DEMO_AS_AT) is None
        assert offers[row["opportunity_ref"]]["status"] == "open"
    taken = result.assignments.group_by("opportunity_ref").len()
    for ref, count in taken.iter_rows():
        assert count <= offers[ref]["capacity"]

    pairs = result.eligible_pairs
    people = {ref: i for i, ref in enumerate(inputs.candidates.get_column("person_ref"))}
    options = {ref: j for j, ref in enumerate(inputs.offers.get_column("opportunity_ref"))}
    person = np.array([people[r] for r in pairs.get_column("person_ref")], dtype=np.int64)
    option = np.array([options[r] for r in pairs.get_column("opportunity_ref")], dtype=np.int64)
    score = pairs.get_column("score").to_numpy().astype(np.int64)
    capacity = np.array(
        [
            o["capacity"] if o["status"] == "open" else 0
            for o in inputs.offers.iter_rows(named=True)
        ],
        dtype=np.int64,
    )
    best, placed = lp_optimum(person, option, score, capacity, len(people))
    assert (result.total_score, result.assignments.height) == (best, placed)
    assert result.total_score >= greedy(person, option, score, capacity)

    proposed = pairs.join(
        result.assignments.select("person_ref", "opportunity_ref"),
        on=["person_ref", "opportunity_ref"],
        how="semi",
    )
    others = pairs.join(proposed, on=["person_ref", "opportunity_ref"], how="anti")
    assert proposed.get_column("score").mean() > others.get_column("score").mean()

    everyone = set(inputs.candidates.get_column("person_id"))
    accounted = set(result.assignments.get_column("person_id")) | set(
        result.unassigned.get_column("person_id")
    )
    assert accounted == everyone
    assert result.unassigned.get_column("reason").str.len_chars().min() > 20


def test_demo_buddies_are_sensible(demo: Session) -> None:
    result, _ = run_buddying(demo, DEMO_AS_AT, BuddySettings(), save=False)
    register = load_register(demo)
    segment = dict(segment_at(register.ratings, DEMO_AS_AT).iter_rows())
    kind = dict(register.organisations.select("ods_code", "kind").iter_rows())
    assert result.pairs.height >= 1
    for challenged, strong in result.pairs.select(
        "challenged_ods_code", "strong_ods_code"
    ).iter_rows():
        assert kind[challenged] == kind[strong]
        assert segment[challenged] >= 3
        assert segment[strong] == 1
    assert result.pairs.get_column("strong_ods_code").is_unique().all()


def test_demo_shortlist_is_sensible(demo: Session) -> None:
    register = load_register(demo)
    talent = load_talent(demo, DEMO_AS_AT)
    ready = talent.targets.filter(pl.col("readiness").is_in(["ready_now", "ready_1_2y"]))
    posts = register.posts.filter(pl.col("executive") & (pl.col("level") == "board"))
    role = ready.group_by("target_role_code").len().sort("len", descending=True).item(0, 0)
    post_id = posts.filter(pl.col("role_code") == role).item(0, "post_id")
    shortlist = shortlist_for_post(demo, post_id, DEMO_AS_AT)
    assert shortlist.candidates.height >= 1
    ready_for_role = dict(
        ready.filter(pl.col("target_role_code") == role)
        .select("person_ref", "readiness")
        .iter_rows()
    )
    for row in shortlist.candidates.iter_rows(named=True):
        assert ready_for_role[row["person_ref"]] == row["readiness"]
    scores = shortlist.candidates.get_column("score").to_list()
    assert scores == sorted(scores, reverse=True)
