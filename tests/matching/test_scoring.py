"""Score terms, worked out by hand (the example of docs/matching.md)."""

from __future__ import annotations

import polars as pl
import pytest

from talentboard.matching.eligibility import eligible_pairs
from talentboard.matching.explain import term_reasons
from talentboard.matching.scoring import (
    PositiveAction,
    ScoringWeights,
    gap_points,
    positive_action_groups,
    score_pairs,
)
from tests.matching.frames import AT, Round


def scored(r: Round, weights: ScoringWeights | None = None) -> pl.DataFrame:
    inputs = r.inputs()
    weights = weights or ScoringWeights()
    pairs = eligible_pairs(inputs.candidates, inputs.offers, AT)
    groups = positive_action_groups(inputs.people, weights.positive_action)
    return score_pairs(
        pairs,
        inputs.targets,
        inputs.gaps,
        inputs.aspirations,
        inputs.experience,
        weights,
        groups,
    )


def worked_example() -> Round:
    """The docs example: a senior finance lead, ready in 1-2 years to be director of finance.

    Gaps against director of finance: governance 1.5, strategy 0.34, culture 0.8. She has
    only worked in acute trusts in segments 1-2, wants stretch, and her plan names board
    shadowing. OPP001: board shadowing at a mental health trust in segment 4, developing
    governance and strategy.

    gaps: governance 1.5 * 10 = 15, strategy 0.34 * 10 = 3.4 -> 3; culture not developed:
    18. readiness: ready_1_2y with board shadowing: 30. aspirations: in the plan 20, gives
    stretch 10: 30. breadth: a mental health trust is new 10, a challenged host is new 10:
    20. Score 18 + 30 + 30 + 20 = 98.
    """
    r = Round().person(1, kinds=["acute"], challenged=False, strong=True)
    r.gap(1, "governance", 1.5).gap(1, "strategy", 0.34).gap(1, "culture", 0.8)
    r.aspire(1, growth="stretch", planned=["board_shadowing"])
    r.offer(
        1,
        kind="board_shadowing",
        host_kind="mental_health",
        segment=4,
        develops=["governance", "strategy"],
    )
    return r


def test_worked_example() -> None:
    row = scored(worked_example()).row(0, named=True)
    assert row["covered_domains"] == ["governance", "strategy"]
    assert row["covered_points"] == [15, 3]
    assert (row["gaps"], row["readiness_points"], row["aspirations"], row["breadth"]) == (
        18,
        30,
        30,
        20,
    )
    assert row["positive_action"] == 0
    assert row["score"] == 98


def test_worked_example_reasons() -> None:
    r = worked_example()
    row = scored(r).row(0, named=True)
    offer = r.offers[0]
    assert term_reasons(row, offer, ScoringWeights()) == [
        "score 98 = gaps 18 + readiness 30 + aspirations 30 + breadth 20",
        "gaps against the target role of director of finance: develops Providing robust "
        "governance and assurance, an assessed gap (+15); Setting strategy and delivering "
        "long-term transformation, an assessed gap (+3)",
        "readiness: ready in 1-2 years for director of finance; board shadowing fits that "
        "readiness (+30)",
        "aspirations: board shadowing is in the development plan agreed in the person's career "
        "conversation (+20); it gives the stretch the person asked for (+10)",
        "breadth: first experience of a mental health organisation (+10); first experience of "
        "a challenged organisation (oversight segment 4) (+10)",
    ]


def test_gap_points_round_half_up_and_unrated_domains() -> None:
    """Assessed gaps 0.25 -> 2.5 -> 3, 0.24 -> 2.4 -> 2, 1.0 -> 10, 0 -> none; a gap of 4
    with evidence from the person alone (e) or from nobody (f) gives the flat 5."""
    gaps = pl.DataFrame(
        {
            "person_ref": [1] * 6,
            "target_role_code": ["chair"] * 6,
            "domain_code": ["a", "b", "c", "d", "e", "f"],
            "gap": [0.25, 0.24, 1.0, 0.0, 4.0, 4.0],
            "evidence": ["others", "others", "others", "others", "self_only", "none"],
        }
    )
    points = gap_points(gaps, 10, 5)
    assert points.select("domain_code", "points", "assessed").rows() == [
        ("a", 3, True),
        ("b", 2, True),
        ("c", 10, True),
        ("e", 5, False),
        ("f", 5, False),
    ]


def test_unrated_domain_words() -> None:
    """Governance rated by others (gap 1: 10 points), strategy never rated by others (5)."""
    r = Round().person(1).gap(1, "governance", 1.0).gap(1, "strategy", 4.0)
    r.gaps[1]["evidence"] = "none"
    r.gaps[0]["evidence"] = "others"
    r.offer(1, develops=["governance", "strategy"])
    inputs = r.inputs()
    gaps = pl.DataFrame(r.gaps)
    pairs = eligible_pairs(inputs.candidates, inputs.offers, AT)
    row = score_pairs(
        pairs, inputs.targets, gaps, inputs.aspirations, inputs.experience, ScoringWeights()
    ).row(0, named=True)
    assert row["gaps"] == 15
    assert term_reasons(row, r.offers[0], ScoringWeights())[1] == (
        "gaps against the target role of director of finance: develops Providing robust "
        "governance and assurance, an assessed gap (+10); Setting strategy and delivering "
        "long-term transformation, not yet rated by others, a chance to show it (+5)"
    )


def test_best_target_role_is_used() -> None:
    """Two target roles: finance ready now (stretch: 30, no gap) and chief executive ready in
    3-5 years (stretch: 0, gap 2.0 in governance: 20). Finance gives 30 > 20, so it is used."""
    r = Round().person(
        1, readiness={"finance_director": "ready_now", "chief_executive": "ready_3_5y"}
    )
    r.gap(1, "governance", 2.0, role="chief_executive")
    r.offer(1, kind="stretch_assignment", develops=["governance"])
    row = scored(r).row(0, named=True)
    assert (row["target_role_code"], row["gaps"], row["readiness_points"]) == (
        "finance_director",
        0,
        30,
    )


def test_breadth_of_a_strong_host_for_someone_who_knows_only_challenged_ones() -> None:
    r = Round().person(1, kinds=["acute"], challenged=True, strong=False)
    r.offer(1, segment=1)
    row = scored(r).row(0, named=True)
    assert (row["new_kind"], row["new_context"], row["breadth"]) == (False, "strong", 10)


def test_unknown_host_segment_gives_no_context_points() -> None:
    r = Round().person(1)
    r.offer(1, segment=None)
    row = scored(r).row(0, named=True)
    assert row["new_context"] is None


def test_positive_action_is_off_by_default() -> None:
    r = Round().person(1, ethnic="M").person(2, ethnic="A").offer(1, capacity=2)
    rows = scored(r)
    assert rows.get_column("positive_action").to_list() == [0, 0]
    assert rows.get_column("score").n_unique() == 1
    offer = r.offers[0]
    reasons = term_reasons(rows.row(0, named=True), offer, ScoringWeights())
    assert not any("positive action" in reason for reason in reasons)


def test_positive_action_when_configured_is_added_and_shown() -> None:
    """Person 1 (ethnic category M, BME) gets 10 more points; person 2 (A) does not, and
    both are told positive action is in use."""
    r = Round().person(1, ethnic="M").person(2, ethnic="A").offer(1, capacity=2)
    weights = ScoringWeights(positive_action=PositiveAction(groups=("bme",), points=10))
    rows = scored(r, weights)
    plain = scored(r).get_column("score").to_list()
    assert rows.get_column("positive_action").to_list() == [10, 0]
    assert rows.get_column("score").to_list() == [plain[0] + 10, plain[1]]
    offer = r.offers[0]
    first = term_reasons(rows.row(0, named=True), offer, weights)
    second = term_reasons(rows.row(1, named=True), offer, weights)
    assert first[0].endswith("+ positive action 10")
    assert first[-1] == (
        "positive action (Equality Act 2010 s.158), in use for people from Black and minority "
        "ethnic backgrounds: applies to this person as one of people from Black and minority "
        "ethnic backgrounds (+10)"
    )
    assert second[-1].endswith("does not apply to this person (+0)")


def test_positive_action_groups_must_be_known() -> None:
    with pytest.raises(ValueError, match="unknown group"):
        PositiveAction(groups=("left_handed",), points=5)
