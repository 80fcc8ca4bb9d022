"""Assessment aggregation and development gaps, on hand-worked ratings."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from talentboard.reference.expected import expected_frame, expected_profile
from talentboard.talent.assessments import (
    assessment_summary,
    development_gaps,
    development_needs,
    latest_round,
    scale_label,
)
from talentboard.talent.schemas import ASSESSMENTS, EXPECTED, TARGETS, frame

D = dt.date


def rating(
    person: int, fw: str, domain: str, relation: str, rater: str, score: int | None, on: dt.date
) -> dict[str, object]:
    return {
        "person_ref": person,
        "framework": fw,
        "domain_code": domain,
        "rater_relation": relation,
        "rater_id": rater,
        "score": score,
        "assessed_on": on,
    }


def person_one() -> list[dict[str, object]]:
    """Person 1, LCF 2024.

    An old round (2023-01-10) that the latest round (ending 2024-03-31, window from
    2024-01-01) leaves out; self on 2024-01-15; manager 2024-03-01; peer p1 2024-03-10 and
    again 2024-03-20 for outcomes (the later rating replaces the earlier); peer p2 2024-03-31.
    """
    lcf = "lcf2024"
    rows = [
        rating(1, lcf, "outcomes", "self", "", 1, D(2023, 1, 10)),
        rating(1, lcf, "outcomes", "manager", "", 1, D(2023, 1, 10)),
    ]
    self_scores = {
        "outcomes": 4,
        "strategy": 3,
        "equality": 3,
        "governance": 2,
        "culture": None,
        "partnerships": 3,
    }
    manager = {"outcomes": 3, "strategy": 2, "equality": None, "governance": 3, "culture": 4}
    p1 = {"outcomes": 2, "strategy": 2, "equality": None, "governance": 3, "culture": 3}
    p2 = {"outcomes": 3, "strategy": 3, "equality": None, "governance": 4, "culture": None}
    rows += [rating(1, lcf, d, "self", "", s, D(2024, 1, 15)) for d, s in self_scores.items()]
    rows += [rating(1, lcf, d, "manager", "", s, D(2024, 3, 1)) for d, s in manager.items()]
    rows += [rating(1, lcf, d, "peer", "p1", s, D(2024, 3, 10)) for d, s in p1.items()]
    rows.append(rating(1, lcf, "outcomes", "peer", "p1", 3, D(2024, 3, 20)))
    rows += [rating(1, lcf, d, "peer", "p2", s, D(2024, 3, 31)) for d, s in p2.items()]
    return rows


def test_latest_round_keeps_the_window_and_each_raters_latest_rating() -> None:
    ratings = latest_round(frame(ASSESSMENTS, person_one()))
    # 6 self + 5 manager + 5 p1 (outcomes twice, one kept) + 5 p2; the 2023 round dropped.
    assert ratings.height == 21
    assert ratings["round_ends_on"].unique().to_list() == [D(2024, 3, 31)]
    p1_outcomes = ratings.filter(
        (pl.col("rater_id") == "p1") & (pl.col("domain_code") == "outcomes")
    )
    assert p1_outcomes["score"].to_list() == [3.0]


def test_summary_others_mean_self_gap_and_no_chance() -> None:
    """Others' scores in the latest round (manager, p1, p2) and the self score.

    outcomes 3, 3, 3 -> 3.0 (self 4, gap +1); strategy 2, 2, 3 -> 7/3 (self 3, +2/3);
    equality all no chance (3) -> null, self 3 -> self_only; governance 3, 3, 4 -> 10/3
    (self 2, -4/3); culture 4, 3 and p2 no chance -> 3.5, self no chance (2 in all);
    partnerships self 3 only.
    """
    summary = assessment_summary(frame(ASSESSMENTS, person_one()))
    assert summary["domain_code"].to_list() == [
        "outcomes",
        "strategy",
        "equality",
        "governance",
        "culture",
        "partnerships",
    ]
    got = {r["domain_code"]: r for r in summary.iter_rows(named=True)}
    assert got["outcomes"]["others_mean"] == pytest.approx(3.0)
    assert got["outcomes"]["self_minus_others"] == pytest.approx(1.0)
    assert got["strategy"]["others_mean"] == pytest.approx(7 / 3)
    assert got["strategy"]["self_minus_others"] == pytest.approx(3 - 7 / 3)
    assert got["equality"]["others_mean"] is None
    assert got["equality"]["no_chance"] == 3
    assert got["equality"]["evidence"] == "self_only"
    assert got["governance"]["others_mean"] == pytest.approx(10 / 3)
    assert got["governance"]["self_minus_others"] == pytest.approx(2 - 10 / 3)
    assert got["culture"]["others_mean"] == pytest.approx(3.5)
    assert got["culture"]["others_count"] == 2
    assert got["culture"]["no_chance"] == 2
    assert got["culture"]["self_score"] is None
    assert got["culture"]["self_minus_others"] is None
    assert got["partnerships"]["evidence"] == "self_only"
    assert got["outcomes"]["others_count"] == 3


def small_expected() -> pl.DataFrame:
    lcf = {
        "outcomes": 4,
        "strategy": 3,
        "equality": 3,
        "governance": 4,
        "culture": 3,
        "partnerships": 3,
    }
    rows = [
        {
            "framework": "lcf2024",
            "role_code": "finance_director",
            "domain_code": d,
            "expected": float(v),
        }
        for d, v in lcf.items()
    ]
    rows.append(
        {
            "framework": "lcf2024",
            "role_code": "chief_executive",
            "domain_code": "outcomes",
            "expected": 4.0,
        }
    )
    rows += [
        {
            "framework": "hlm",
            "role_code": "finance_director",
            "domain_code": "inspiring_shared_purpose",
            "expected": 3.0,
        },
        {
            "framework": "hlm",
            "role_code": "finance_director",
            "domain_code": "leading_with_care",
            "expected": 2.0,
        },
    ]
    return frame(EXPECTED, rows)


def test_development_gaps_hand_worked() -> None:
    """Person 1 targets finance_director and chief_executive; person 2 (HLM only) targets
    finance_director; person 3 has no assessment at all.

    Person 1 finance_director (LCF): outcomes 4 - 3 = 1; strategy 3 - 7/3 = 2/3; equality
    self only -> 3; governance 4 - 10/3 = 2/3; culture 3 - 3.5 < 0 -> 0; partnerships self
    only -> 3. No HLM rows: person 1 was never assessed on HLM.
    Person 1 chief_executive: outcomes 4 - 3 = 1.
    Person 2 finance_director (HLM): inspiring_shared_purpose manager 2 -> 3 - 2 = 1;
    leading_with_care not rated -> 2 (evidence none). No LCF rows.
    """
    ratings = [
        *person_one(),
        rating(2, "hlm", "inspiring_shared_purpose", "manager", "", 2, D(2025, 5, 1)),
    ]
    targets = frame(
        TARGETS,
        [
            {"person_ref": 1, "target_role_code": "finance_director", "readiness": "ready_1_2y"},
            {"person_ref": 1, "target_role_code": "chief_executive", "readiness": "ready_3_5y"},
            {"person_ref": 2, "target_role_code": "finance_director", "readiness": "ready_now"},
            {"person_ref": 3, "target_role_code": "chair", "readiness": "not_yet"},
        ],
    )
    gaps = development_gaps(frame(ASSESSMENTS, ratings), targets, small_expected())
    assert gaps.columns == [
        "person_ref",
        "target_role_code",
        "framework",
        "domain_code",
        "expected",
        "observed",
        "gap",
        "evidence",
    ]
    rows = [
        (r["person_ref"], r["target_role_code"], r["framework"], r["domain_code"])
        for r in gaps.iter_rows(named=True)
    ]
    assert rows == [
        (1, "chief_executive", "lcf2024", "outcomes"),
        *[
            (1, "finance_director", "lcf2024", d)
            for d in ("outcomes", "strategy", "equality", "governance", "culture", "partnerships")
        ],
        (2, "finance_director", "hlm", "inspiring_shared_purpose"),
        (2, "finance_director", "hlm", "leading_with_care"),
    ]
    assert gaps["gap"].to_list() == pytest.approx(
        [1.0, 1.0, 2 / 3, 3.0, 4 - 10 / 3, 0.0, 3.0, 1.0, 2.0]
    )
    observed = gaps["observed"].to_list()
    assert [observed[i] for i in (3, 6, 8)] == [None, None, None]
    assert observed[5] == pytest.approx(3.5)
    assert gaps["evidence"].to_list() == [
        "others",
        "others",
        "others",
        "self_only",
        "others",
        "others",
        "self_only",
        "others",
        "none",
    ]


def test_self_only_latest_round_hides_older_feedback() -> None:
    """Others rated 4 on 2023-06-01; a self-assessment of 3 on 2024-06-01 starts a new round
    (the window reaches back to 2024-03-03 only), so observed is null and the gap is the
    whole expected level, 4."""
    ratings = frame(
        ASSESSMENTS,
        [
            rating(4, "lcf2024", "outcomes", "manager", "", 4, D(2023, 6, 1)),
            rating(4, "lcf2024", "outcomes", "self", "", 3, D(2024, 6, 1)),
        ],
    )
    targets = frame(TARGETS, [{"person_ref": 4, "target_role_code": "chief_executive"}])
    gaps = development_gaps(ratings, targets, small_expected())
    assert gaps.select("observed", "gap", "evidence").row(0) == (None, 4.0, "self_only")


def test_empty_inputs_give_an_empty_frame_with_the_columns() -> None:
    gaps = development_gaps(frame(ASSESSMENTS), frame(TARGETS), small_expected())
    assert gaps.height == 0
    assert gaps.schema["gap"] == pl.Float64


def test_missing_column_is_named() -> None:
    with pytest.raises(ValueError, match="targets frame lacks column"):
        development_gaps(frame(ASSESSMENTS), pl.DataFrame({"person_ref": [1]}), small_expected())


def test_gaps_with_the_shipped_expected_profile() -> None:
    """The shipped profile for finance_director expects 4 in outcomes and governance and 3
    elsewhere, so person 1's gaps are as in the hand-worked test above."""
    assert expected_profile("finance_director", "lcf2024") == {
        "outcomes": 4,
        "strategy": 3,
        "equality": 3,
        "governance": 4,
        "culture": 3,
        "partnerships": 3,
    }
    targets = frame(TARGETS, [{"person_ref": 1, "target_role_code": "finance_director"}])
    gaps = development_gaps(frame(ASSESSMENTS, person_one()), targets, expected_frame())
    assert gaps["gap"].to_list() == pytest.approx([1.0, 2 / 3, 3.0, 2 / 3, 0.0, 3.0])


def test_development_needs_in_words_largest_first() -> None:
    targets = frame(TARGETS, [{"person_ref": 1, "target_role_code": "finance_director"}])
    gaps = development_gaps(frame(ASSESSMENTS, person_one()), targets, small_expected())
    needs = development_needs(gaps)
    # Gaps 3 (equality), 3 (partnerships), 1 (outcomes), 2/3 (strategy, governance); culture 0.
    assert needs["domain_code"].to_list() == [
        "equality",
        "partnerships",
        "outcomes",
        "strategy",
        "governance",
    ]
    assert needs["need"][2] == (
        "Driving high quality and sustainable outcomes: a director of finance expects 4 "
        "(almost always); others' mean 3.00 (frequently); gap 1.00"
    )
    assert "only a self-assessment" in needs["need"][0]


def test_scale_labels() -> None:
    assert scale_label("lcf2024", None) == "no chance to demonstrate"
    assert scale_label("lcf2024", 2.5) == "occasionally"  # half-way: 3 is not reached yet
    assert scale_label("lcf2024", 2.6) == "frequently"
    assert scale_label("hlm", 1.2) == "essential"
