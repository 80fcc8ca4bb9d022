"""Vacancy shortlists: who is ready, in what order, and why; worked out by hand."""

from __future__ import annotations

from talentboard.matching.vacancy import VacancyPost, framework_fit, vacancy_shortlist
from tests.matching.frames import AT, Round

POST = VacancyPost(
    post_ref=10,
    post_id="AAA-FD",
    title="Director of finance",
    role_code="finance_director",
    ods_code="AAA",
    region_code="Y56",
)


def example() -> Round:
    """P001 ready now: gaps governance 1 of 4, strategy 0 of 3: shown 6 of 7, fit
    100 * 6 / 7 = 85.7 -> 86; three organisations (+10), two kinds (+10), a challenged one
    (+10): breadth 30; score 116.
    P002 ready in 1-2 years, never assessed: fit 0; one acute organisation: breadth 0.
    P003 ready now, no gaps: fit 100; breadth 0; score 100.
    P004 ready in 3-5 years: not ready. P005 will only work in the South West; P006 is at
    BBB without consent to move; P007 holds the post."""
    r = Round()
    r.person(1, readiness="ready_now", kinds=["acute", "community"], organisations=3,
             challenged=True)  # fmt: skip
    r.gap(1, "governance", 1.0, expected=4.0).gap(1, "strategy", 0.0, expected=3.0)
    r.person(2, readiness="ready_1_2y")
    r.person(3, readiness="ready_now")
    r.gap(3, "governance", 0.0, expected=4.0).gap(3, "strategy", 0.0, expected=3.0)
    r.person(4, readiness="ready_3_5y")
    r.person(5, readiness="ready_now", willing=["Y58"])
    r.person(6, readiness="ready_now", ods="BBB", consent=False)
    r.person(7, readiness="ready_now")
    return r


def shortlist(r: Round):  # type: ignore[no-untyped-def]
    inputs = r.inputs()
    return vacancy_shortlist(
        POST, inputs.candidates, inputs.targets, inputs.gaps, inputs.experience, AT, holders=[7]
    )


def test_ranking_and_scores() -> None:
    result = shortlist(example())
    assert result.candidates.select("rank", "person_id", "fit", "breadth", "score").rows() == [
        (1, "P001", 86, 30, 116),
        (2, "P003", 100, 0, 100),
        (3, "P002", 0, 0, 0),
    ]
    assert result.not_ready == 1


def test_reasons() -> None:
    reasons = shortlist(example()).candidates.get_column("reasons")[0].to_list()
    assert reasons == [
        "score 116 = framework fit 86 + breadth 30",
        "readiness: ready now for director of finance",
        "framework fit: has shown 6.00 of the 7 expected of a director of finance (+86); "
        "domains still short: governance",
        "breadth: 3 organisations worked in (+10); 2 kinds of organisation (acute, community) "
        "(+10); has worked in a challenged organisation (+10)",
    ]
    unassessed = shortlist(example()).candidates.get_column("reasons")[2].to_list()
    assert unassessed[2] == (
        "framework fit: not yet assessed against the level expected of a director of finance (+0)"
    )


def test_exclusions_say_why() -> None:
    assert shortlist(example()).excluded.select("person_id", "reason").rows() == [
        (
            "P005",
            "the post is in London (Y56), not a region the person will work in (South West (Y58))",
        ),
        (
            "P006",
            "the post is in another organisation (AAA) and the person has not consented to be "
            "considered across organisations",
        ),
        ("P007", "holds this post now"),
    ]


def test_ties_go_to_ready_now_then_person_id() -> None:
    r = Round().person(3, readiness="ready_1_2y").person(2, readiness="ready_now")
    r.person(1, readiness="ready_1_2y")
    ranked = shortlist(r).candidates.get_column("person_id").to_list()
    assert ranked == ["P002", "P001", "P003"]


def test_framework_fit_rounds_half_up() -> None:
    """Shown 7 of 8 is 87.5 -> 88."""
    r = Round().person(1)
    r.gap(1, "governance", 1.0, expected=4.0).gap(1, "strategy", 0.0, expected=4.0)
    fit = framework_fit(r.inputs().gaps, "finance_director")
    assert fit.get_column("fit").to_list() == [88]
