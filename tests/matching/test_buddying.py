"""Buddying: kind, segment, size and capacity respected; optimal; reasons for everyone."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pytest

from talentboard.matching.buddying import BuddySettings, match_buddies, size_points
from tests.matching.frames import AT
from tests.matching.solvers import brute_force

ORG_SCHEMA = {
    "ods_code": pl.String(),
    "name": pl.String(),
    "kind": pl.String(),
    "region_code": pl.String(),
    "icb_code": pl.String(),
    "staff_headcount": pl.Int64(),
}


def frames(orgs: list[dict[str, Any]]) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    organisations = pl.DataFrame(
        [{c: o.get(c) for c in ORG_SCHEMA} | {"name": f"{o['ods_code']} Trust"} for o in orgs],
        schema=ORG_SCHEMA,
        orient="row",
    )
    segments = pl.DataFrame(
        [{"ods_code": o["ods_code"], "oversight_segment": o["segment"]} for o in orgs],
        schema={"ods_code": pl.String(), "oversight_segment": pl.Int64()},
        orient="row",
    )
    stability = pl.DataFrame(
        [
            {
                "ods_code": o["ods_code"],
                "exec_posts": o.get("exec_posts", 8),
                "exec_posts_vacant": o.get("vacant", 0),
                "turnover_rate_12m": o.get("turnover", 0.125),
            }
            for o in orgs
        ],
        schema={
            "ods_code": pl.String(),
            "exec_posts": pl.Int64(),
            "exec_posts_vacant": pl.Int64(),
            "turnover_rate_12m": pl.Float64(),
        },
        orient="row",
    )
    return organisations, segments, stability


def org(code: str, kind: str, segment: int, staff: int | None, region: str, **kw: Any):  # type: ignore[no-untyped-def]
    return {
        "ods_code": code,
        "kind": kind,
        "segment": segment,
        "staff_headcount": staff,
        "region_code": region,
        **kw,
    }


def example() -> list[dict[str, Any]]:
    """C1 acute seg 4, 5,000 staff, London, ICB X; C2 acute seg 3, 10,000, South West;
    C3 mental health seg 3, 2,000, London. S1 acute seg 1, 6,000, London, ICB X; S2 acute
    seg 1, 9,000, South West; S3 acute seg 1 with a vacant executive post (not stable);
    S4 mental health seg 1 of 20,000 (ten times C3: too different); S5 acute seg 2.

    Size points 40 * (1 - ln(ratio) / ln 3), half up: C1-S1 (1.2) 33, C1-S2 (1.8) 19,
    C2-S1 (1.67) 21, C2-S2 (1.11) 36. Scores: C1-S1 33 + 30 region + 10 ICB = 73; C1-S2 19;
    C2-S1 21; C2-S2 36 + 30 = 66. Best: C1-S1 and C2-S2, 139 (the other way: 40)."""
    return [
        org("C1", "acute", 4, 5000, "Y56", icb_code="X"),
        org("C2", "acute", 3, 10000, "Y58"),
        org("C3", "mental_health", 3, 2000, "Y56"),
        org("S1", "acute", 1, 6000, "Y56", icb_code="X"),
        org("S2", "acute", 1, 9000, "Y58"),
        org("S3", "acute", 1, 7000, "Y56", vacant=1),
        org("S4", "mental_health", 1, 20000, "Y56"),
        org("S5", "acute", 2, 5000, "Y56"),
    ]


def test_worked_example() -> None:
    result = match_buddies(*frames(example()), AT)
    assert result.pairs.select("challenged_ods_code", "strong_ods_code", "score").rows() == [
        ("C1", "S1", 73),
        ("C2", "S2", 66),
    ]
    assert result.total_score == 139
    assert sorted(
        result.eligible_pairs.select("challenged_ods_code", "strong_ods_code", "score").rows()
    ) == [
        ("C1", "S1", 73),
        ("C1", "S2", 19),
        ("C2", "S1", 21),
        ("C2", "S2", 66),
    ]


def test_pair_reasons() -> None:
    reasons = match_buddies(*frames(example()), AT).pairs.get_column("reasons")[0].to_list()
    assert reasons == [
        "C1 (C1 Trust: segment 4, an acute organisation of 5,000 staff, London (Y56)) paired "
        "with S1 (S1 Trust: segment 1, an acute organisation of 6,000 staff, London (Y56))",
        "score 73 = size 33 + region 30 + system 10",
        "same kind of organisation: acute",
        "similar size: headcounts within a factor 1.20 (+33)",
        "same region, London (Y56) (+30)",
        "same integrated care board, X (+10)",
        "S1 has a stable board: 0 of 8 executive board posts vacant, executive turnover in the "
        "last 12 months 12%",
    ]


def test_unpaired_reasons() -> None:
    unpaired = match_buddies(*frames(example()), AT).unpaired
    assert unpaired.rows() == [
        (
            "C3",
            "challenged",
            "the strong mental health organisations (S4) differ from it in size by more than "
            "a factor 3",
        ),
        (
            "S3",
            "strong",
            "segment 1 but not offered as a buddy: its board is not stable: 1 of 8 executive "
            "board posts vacant, executive turnover in the last 12 months 12%",
        ),
        (
            "S4",
            "strong",
            "1 buddying place(s) unused: no further challenged mental health organisation of a "
            "similar size needs one",
        ),
    ]


def test_taken_by_others_is_explained() -> None:
    """Two acute challenged trusts, one strong with one place: C1 (same region, 73) wins."""
    orgs = [o for o in example() if o["ods_code"] in ("C1", "C2", "S1")]
    result = match_buddies(*frames(orgs), AT)
    assert result.pairs.select("challenged_ods_code", "strong_ods_code").rows() == [("C1", "S1")]
    assert result.unpaired.rows() == [
        (
            "C2",
            "challenged",
            "every strong organisation it could pair with is taken in the pairing with the "
            "highest total score: S1 (score 21 with C2) is buddying C1",
        )
    ]


def test_capacity_two_takes_both() -> None:
    orgs = [o for o in example() if o["ods_code"] in ("C1", "C2", "S1")]
    result = match_buddies(*frames(orgs), AT, BuddySettings(capacity=2))
    assert result.pairs.select("challenged_ods_code", "strong_ods_code").rows() == [
        ("C1", "S1"),
        ("C2", "S1"),
    ]


def test_region_limits_the_challenged_side() -> None:
    result = match_buddies(*frames(example()), AT, BuddySettings(region="Y58"))
    assert result.pairs.select("challenged_ods_code", "strong_ods_code").rows() == [("C2", "S2")]


def test_unknown_headcount_pairs_without_size_points() -> None:
    assert size_points(None, 5000, BuddySettings()) == 0
    assert size_points(1000, 3000, BuddySettings()) == 0
    assert size_points(1000, 3001, BuddySettings()) is None
    assert size_points(1000, 1000, BuddySettings()) == 40


def test_turnover_above_the_limit_is_not_stable() -> None:
    orgs = [org("C1", "acute", 3, 1000, "Y56"), org("S1", "acute", 1, 1000, "Y56", turnover=0.3)]
    result = match_buddies(*frames(orgs), AT)
    assert result.pairs.height == 0
    assert result.unpaired.get_column("ods_code").to_list() == ["C1", "S1"]


@pytest.mark.parametrize("seed", range(40))
def test_random_instances_respect_the_rules_and_are_optimal(seed: int) -> None:
    rng = np.random.default_rng(seed)
    kinds = ["acute", "mental_health"]
    regions = ["Y56", "Y58"]
    orgs = [
        org(
            f"O{i:02d}",
            kinds[int(rng.integers(2))],
            int(rng.integers(1, 6)),
            int(rng.integers(1, 8)) * 1000,
            regions[int(rng.integers(2))],
            vacant=int(rng.random() < 0.2),
        )
        for i in range(9)
    ]
    capacity = int(rng.integers(1, 3))
    result = match_buddies(*frames(orgs), AT, BuddySettings(capacity=capacity))
    info = {o["ods_code"]: o for o in orgs}
    for c, s in result.pairs.select("challenged_ods_code", "strong_ods_code").iter_rows():
        assert info[c]["kind"] == info[s]["kind"]
        assert info[c]["segment"] >= 3
        assert info[s]["segment"] == 1
        assert info[s]["vacant"] == 0
    assert result.pairs.get_column("strong_ods_code").value_counts().get_column("count").max() in (
        None,
        *range(1, capacity + 1),
    )
    assert result.pairs.get_column("challenged_ods_code").is_unique().all()
    pairs = result.eligible_pairs
    cs = sorted(set(pairs.get_column("challenged_ods_code")))
    ss = sorted(set(pairs.get_column("strong_ods_code")))
    expected = brute_force(
        [cs.index(c) for c in pairs.get_column("challenged_ods_code")],
        [ss.index(s) for s in pairs.get_column("strong_ods_code")],
        pairs.get_column("score").to_list(),
        [capacity] * len(ss),
        len(cs),
    )
    assert (result.total_score, result.pairs.height) == (expected or (0, 0))
    challenged = [o["ods_code"] for o in orgs if o["segment"] >= 3]
    paired = set(result.pairs.get_column("challenged_ods_code"))
    explained = set(result.unpaired.filter(pl.col("side") == "challenged").get_column("ods_code"))
    assert paired | explained == set(challenged)
    assert not paired & explained
