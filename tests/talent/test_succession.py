"""Succession bench strength, coverage, risk, flags and roll-ups on a hand-worked register.

At 2026-09-30 (segments: RJ1 1, RRK 3, R0A 3):

| post     | role                | state       | plan: successor (readiness, in post?)          |
|----------|---------------------|-------------|------------------------------------------------|
| R0A-CEO  | chief_executive     | substantive | none                                           |
| RJ1-CEO  | chief_executive     | substantive | P2 ready_now (in post), P3 ready_1_2y (left)   |
| RJ1-COO  | operations_director | substantive | none                                           |
| RJ1-DD   | divisional_director | substantive | P6 ready_3_5y (in post)                        |
| RJ1-FD   | finance_director    | interim P4  | P4 ready_now (incumbent), P5 ready_1_2y, emerg.|
| RJ1-GM   | general_manager     | vacant      | none: not critical                             |
| RRK-MD   | medical_director    | vacant      | P2 ready_now, emergency cover                  |
| RRK-OLD  | finance_director    | abolished   | P2: not critical, post gone                    |
"""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from talentboard.talent.risk import RiskWeights, post_risk, succession_report
from talentboard.talent.schemas import PLANS, SUCCESSORS, frame
from talentboard.talent.succession import (
    bench_strength,
    named_on_too_many_plans,
    succession_rollup,
)
from tests.talent import register_frames as rf

D = dt.date
AT = D(2026, 9, 30)
POSTS = rf.posts(
    (1, "RJ1-CEO", "RJ1", "chief_executive"),
    (2, "RJ1-COO", "RJ1", "operations_director"),
    (3, "RJ1-FD", "RJ1", "finance_director"),
    (4, "RJ1-DD", "RJ1", "divisional_director"),
    (5, "RJ1-GM", "RJ1", "general_manager"),
    (6, "RRK-MD", "RRK", "medical_director"),
    {
        "post_ref": 7,
        "post_id": "RRK-OLD",
        "ods_code": "RRK",
        "role_code": "finance_director",
        "established_to": D(2025, 1, 1),
    },
    (8, "R0A-CEO", "R0A", "chief_executive"),
)
APPOINTMENTS = rf.appointments(
    (1, 1, D(2024, 10, 1), None),
    (2, 2, D(2022, 1, 1), None),
    (3, 4, D(2019, 1, 1), D(2026, 6, 30)),  # P3 has left by AT
    (4, 3, D(2026, 7, 1), None, "interim"),
    (5, 4, D(2026, 7, 1), None),
    (6, 9, D(2020, 1, 1), None),  # P6 in a post outside the frame (RRK general manager)
    (7, 8, D(2016, 10, 1), None),
)
SEGMENTS = pl.DataFrame({"ods_code": ["RJ1", "RRK", "R0A"], "oversight_segment": [1, 3, 3]})
ORGANISATIONS = pl.DataFrame(
    {"ods_code": ["RJ1", "RRK", "R0A"], "region_code": ["Y56", "Y60", "Y62"]}
)


def plans_and_successors() -> tuple[pl.DataFrame, pl.DataFrame]:
    named = {
        1: [(2, "ready_now", False), (3, "ready_1_2y", False)],
        3: [(4, "ready_now", False), (5, "ready_1_2y", True)],
        4: [(6, "ready_3_5y", False)],
        6: [(2, "ready_now", True)],
        7: [(2, "ready_now", False)],
    }
    plans = frame(PLANS, [{"plan_ref": 100 + p, "post_ref": p} for p in named])
    successors = frame(
        SUCCESSORS,
        [
            {
                "plan_ref": 100 + p,
                "post_ref": p,
                "person_ref": who,
                "readiness": r,
                "emergency_cover": e,
                "reviewed_on": D(2026, 1, 1),
            }
            for p, entries in named.items()
            for who, r, e in entries
        ],
    )
    return plans, successors


def test_bench_strength_and_coverage() -> None:
    plans, successors = plans_and_successors()
    bench = bench_strength(POSTS, APPOINTMENTS, plans, successors, AT)
    assert bench.select(
        "post_id", "state", "ready_now", "ready_1_2y", "ready_3_5y", "emergency_cover", "covered"
    ).rows() == [
        ("R0A-CEO", "substantive", 0, 0, 0, 0, False),
        ("RJ1-CEO", "substantive", 1, 0, 0, 0, True),  # P3 has left: not counted
        ("RJ1-COO", "substantive", 0, 0, 0, 0, False),
        ("RJ1-DD", "substantive", 0, 0, 1, 0, False),  # senior post, critical by its plan
        ("RJ1-FD", "interim", 0, 1, 0, 1, False),  # P4 is the incumbent: not counted
        ("RRK-MD", "vacant", 1, 0, 0, 1, True),
    ]
    assert bench.filter(pl.col("post_id") == "RJ1-FD")["incumbents"].to_list() == [[4]]


LEAVE = pl.DataFrame(
    {
        "post_ref": [1, 2, 4, 8],
        "leave_chance": [0.25, 0.5, 0.1, None],
        "tenure_years": [2.0, 4.75, 0.25, 10.0],
        "basis": ["KM a", "KM b", "KM c", "no spells to compare"],
    }
)


def test_risk_and_json_contract() -> None:
    """Risk = 0.4 L + 0.3 N + 0.2 V + 0.1 C.

    R0A-CEO: chance not known -> 0, no ready-now +0.3, segment 3 +0.1 = 0.4.
    RJ1-CEO: 0.4 * 0.25 = 0.1, covered, segment 1 -> 0.1.
    RJ1-COO: 0.4 * 0.5 = 0.2 + 0.3 = 0.5.  RJ1-DD: 0.04 + 0.3 = 0.34.
    RJ1-FD (interim): 0.4 + 0.3 + 0.2 = 0.9.  RRK-MD (vacant, covered): 0.4 + 0.2 + 0.1 = 0.7.
    coverage_share = 2 covered / 6 critical.
    """
    plans, successors = plans_and_successors()
    report = succession_report(POSTS, APPOINTMENTS, plans, successors, SEGMENTS, LEAVE, AT)
    document = json.loads(json.dumps(report.to_json()))
    assert list(document) == ["as_at", "coverage_share", "posts"]
    assert document["as_at"] == "2026-09-30"
    assert document["coverage_share"] == pytest.approx(1 / 3)
    keys = [
        "post_id",
        "ods_code",
        "role_code",
        "ready_now",
        "ready_1_2y",
        "ready_3_5y",
        "covered",
        "risk",
        "reasons",
    ]
    for post in document["posts"]:
        assert list(post) == keys
    by_id = {p["post_id"]: p for p in document["posts"]}
    assert list(by_id) == ["R0A-CEO", "RJ1-CEO", "RJ1-COO", "RJ1-DD", "RJ1-FD", "RRK-MD"]
    assert {k: p["risk"] for k, p in by_id.items()} == pytest.approx(
        {
            "R0A-CEO": 0.4,
            "RJ1-CEO": 0.1,
            "RJ1-COO": 0.5,
            "RJ1-DD": 0.34,
            "RJ1-FD": 0.9,
            "RRK-MD": 0.7,
        }
    )
    assert by_id["RJ1-FD"] == {
        "post_id": "RJ1-FD",
        "ods_code": "RJ1",
        "role_code": "finance_director",
        "ready_now": 0,
        "ready_1_2y": 1,
        "ready_3_5y": 0,
        "covered": False,
        "risk": 0.9,
        "reasons": [
            "no substantive holder: the post needs filling (+0.40)",
            "no ready-now successor in post (+0.30)",
            "post held on an interim, acting or secondment basis (+0.20)",
        ],
    }
    assert by_id["R0A-CEO"]["reasons"] == [
        "the incumbent's chance of leaving cannot be estimated (taken as 0)",
        "no ready-now successor in post (+0.30)",
        "organisation in oversight segment 3 (+0.10)",
    ]
    assert by_id["RJ1-CEO"]["reasons"] == [
        "incumbent's chance of leaving within 12 months is 25% (KM a, after 2.0 years in post)"
        " (+0.10)"
    ]
    assert by_id["RRK-MD"]["reasons"] == [
        "no substantive holder: the post needs filling (+0.40)",
        "post vacant (+0.20)",
        "organisation in oversight segment 3 (+0.10)",
    ]


def test_risk_bounds_and_weights() -> None:
    assert post_risk("vacant", False, 5, None, None, None)[0] == pytest.approx(1.0)
    assert post_risk("substantive", True, 1, 0.0, "KM", 1.0)[0] == 0.0
    heavy = RiskWeights(leave=1.0, no_ready_now=0.0, vacant_or_interim=0.0, challenged=0.0)
    assert post_risk("substantive", False, 4, 0.3, "KM", 1.0, heavy)[0] == pytest.approx(0.3)
    with pytest.raises(ValueError, match="add up to 1"):
        RiskWeights(leave=0.5)


def test_named_on_too_many_plans() -> None:
    """P2 is named on RJ1-CEO, RRK-MD and RRK-OLD; RRK-OLD no longer exists, so 2 plans."""
    _, successors = plans_and_successors()
    flagged = named_on_too_many_plans(POSTS, successors, AT, max_plans=1)
    assert flagged.rows() == [(2, 2, ["RJ1-CEO", "RRK-MD"])]
    assert named_on_too_many_plans(POSTS, successors, AT).height == 0  # default: more than 3


def test_rollups_by_organisation_and_region() -> None:
    """RJ1: 4 critical, 1 covered, 1 interim, 1 ready-now, mean risk (0.1 + 0.5 + 0.34 +
    0.9) / 4 = 0.46, 2 posts at 0.5 or more."""
    plans, successors = plans_and_successors()
    report = succession_report(POSTS, APPOINTMENTS, plans, successors, SEGMENTS, LEAVE, AT)
    by_org = succession_rollup(report.posts, ORGANISATIONS, "ods_code")
    rows = {r["ods_code"]: r for r in by_org.iter_rows(named=True)}
    assert list(rows) == ["R0A", "RJ1", "RRK"]
    rj1 = rows["RJ1"]
    assert (
        rj1["critical_posts"],
        rj1["covered_posts"],
        rj1["vacant_or_interim"],
        rj1["ready_now"],
        rj1["high_risk_posts"],
    ) == (4, 1, 1, 1, 2)
    assert rj1["coverage_share"] == pytest.approx(0.25)
    assert rj1["mean_risk"] == pytest.approx(0.46)
    by_region = succession_rollup(report.posts, ORGANISATIONS, "region_code")
    assert by_region.select("region_code", "critical_posts", "covered_posts").rows() == [
        ("Y56", 4, 1),
        ("Y60", 1, 1),
        ("Y62", 1, 0),
    ]
    with pytest.raises(ValueError, match="roll-up by"):
        succession_rollup(report.posts, ORGANISATIONS, "icb_code")


def test_empty_report() -> None:
    plans, successors = plans_and_successors()
    report = succession_report(
        POSTS.filter(pl.col("level") == "none"),
        APPOINTMENTS,
        plans,
        successors,
        SEGMENTS,
        LEAVE,
        AT,
    )
    assert report.to_json() == {"as_at": "2026-09-30", "coverage_share": None, "posts": []}
