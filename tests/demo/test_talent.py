"""The national demo's talent data hang together with its register."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from typing import Any

from talentboard.reference import REGION_CODES, framework
from tests.demo.queries import AS_AT, COVERS, LoadedDemo, as_date, run

READINESS = ("not_yet", "ready_3_5y", "ready_1_2y", "ready_now")


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _serving_posts(demo: LoadedDemo) -> dict[int, list[tuple[str, str, str, bool]]]:
    """Each serving person's (ods code, role, appointment type, executive) at the as-at date."""
    rows = run(
        demo.engine,
        f"""
        SELECT a.person_ref, p.ods_code, p.role_code, a.appointment_type, p.executive
        FROM appointments a JOIN posts p ON p.id = a.post_ref WHERE {COVERS}
        """,
        t=AS_AT,
    )
    serving: dict[int, list[tuple[str, str, str, bool]]] = defaultdict(list)
    for person, ods_code, role, kind, executive in rows:
        serving[person].append((ods_code, role, kind, bool(executive)))
    return serving


def test_talent_pool_members_are_in_post_with_improving_readiness(
    national_demo: LoadedDemo,
) -> None:
    serving = _serving_posts(national_demo)
    profiles = run(
        national_demo.engine,
        "SELECT id, person_ref, willing_regions, cross_org_consent, reviewed_on "
        "FROM talent_profiles",
    )
    assert len(profiles) > 500
    assert all(person in serving for _, person, _, _, _ in profiles)
    consent = sum(bool(c) for _, _, _, c, _ in profiles) / len(profiles)
    assert 0.7 < consent < 1.0
    for _, _, regions, _, _ in profiles:
        assert set(_json(regions)) <= set(REGION_CODES)
    reviews: dict[tuple[int, str], list[tuple[dt.date, str]]] = defaultdict(list)
    for profile, target, readiness, reviewed in run(
        national_demo.engine,
        "SELECT profile_ref, target_role_code, readiness, reviewed_on FROM readiness_reviews",
    ):
        day = as_date(reviewed)
        assert day is not None
        reviews[(profile, target)].append((day, readiness))
    assert {r for history in reviews.values() for _, r in history} == set(READINESS)
    latest_review = {p: as_date(r) for p, _, _, _, r in profiles}
    for (profile, _), history in reviews.items():
        history.sort()
        levels = [READINESS.index(r) for _, r in history]
        assert levels == sorted(levels)
        assert history[-1][0] == latest_review[profile]
    targets = Counter(target for _, target in reviews)
    assert targets["chief_executive"] > targets["chair"] > 0


def test_lcf_assessments_are_self_and_multi_source(national_demo: LoadedDemo) -> None:
    serving = _serving_posts(national_demo)
    rows = run(
        national_demo.engine,
        "SELECT person_ref, framework, domain_code, rater_relation, rater_id, score "
        "FROM assessments",
    )
    assert len(rows) > 30_000
    assert {r[1] for r in rows} == {"lcf2024"}
    assert {r[2] for r in rows} == set(framework("lcf2024").domain_codes)
    assert {r[3] for r in rows} == {"self", "manager", "peer", "direct_report"}
    scores = Counter(r[5] for r in rows)
    assert set(scores) == {None, 1, 2, 3, 4}
    assert scores[None] < 0.05 * len(rows)
    peers: dict[int, set[str]] = defaultdict(set)
    for person, _, _, relation, rater, _ in rows:
        if relation == "direct_report":
            assert any(executive for _, _, _, executive in serving[person])
        if relation == "peer":
            peers[person].add(rater)
    assert peers
    assert all(raters == {"peer-1", "peer-2", "peer-3"} for raters in peers.values())
    self_mean = sum(r[5] for r in rows if r[3] == "self" and r[5]) / sum(
        1 for r in rows if r[3] == "self" and r[5]
    )
    peer_mean = sum(r[5] for r in rows if r[3] == "peer" and r[5]) / sum(
        1 for r in rows if r[3] == "peer" and r[5]
    )
    assert self_mean > peer_mean


def test_succession_plans_name_successors_inside_and_outside_the_trust(
    national_demo: LoadedDemo,
) -> None:
    serving = _serving_posts(national_demo)
    rows = run(
        national_demo.engine,
        """
        SELECT p.id, p.ods_code, p.role_code, p.level, p.executive, s.person_ref, s.readiness,
               s.emergency_cover
        FROM succession_plans sp JOIN posts p ON p.id = sp.post_ref
        LEFT JOIN successors s ON s.plan_ref = sp.id
        """,
    )
    assert len({r[0] for r in rows}) > 500
    assert all(level == "board" and executive for _, _, _, level, executive, *_ in rows)
    latest = {
        (person, target): readiness
        for person, target, readiness in run(
            national_demo.engine,
            """
            SELECT t.person_ref, r.target_role_code, r.readiness
            FROM readiness_reviews r JOIN talent_profiles t ON t.id = r.profile_ref
            WHERE r.reviewed_on = t.reviewed_on
            """,
        )
    }
    holders = dict(
        run(
            national_demo.engine,
            f"""
            SELECT a.post_ref, a.person_ref FROM appointments a
            WHERE a.appointment_type IN ('substantive', 'joint') AND {COVERS}
            """,
            t=AS_AT,
        )
    )
    ready_elsewhere = 0
    for post, ods_code, role, _, _, person, readiness, _ in rows:
        if person is None:
            continue
        assert holders.get(post) != person
        assert latest[(person, role)] == readiness
        if readiness == "ready_now" and all(o != ods_code for o, *_ in serving[person]):
            ready_elsewhere += 1
    assert ready_elsewhere > 20
    assert {r[6] for r in rows if r[6]} == set(READINESS)
    assert any(r[7] for r in rows)


def test_opportunities_are_hosted_in_every_region(national_demo: LoadedDemo) -> None:
    rows = run(
        national_demo.engine,
        """
        SELECT o.kind, g.region_code, o.develops, o.levels, o.capacity, o.starts_on, o.ends_on,
               o.status
        FROM opportunities o JOIN organisations g ON g.ods_code = o.host_ods_code
        """,
    )
    assert len(rows) > 400
    assert {r[1] for r in rows} == set(REGION_CODES)
    assert {r[0] for r in rows} == {
        "secondment", "stretch_assignment", "board_shadowing", "project", "mentoring",
        "coaching", "programme_place",
    }  # fmt: skip
    domains = set(framework("lcf2024").domain_codes)
    for _, _, develops, levels, capacity, starts, ends, status in rows:
        assert 1 <= len(_json(develops)) <= 3
        assert set(_json(develops)) <= domains
        assert set(_json(levels)) <= {"board", "senior", "middle", "frontline"}
        assert 1 <= capacity <= 5
        start_day, end_day = as_date(starts), as_date(ends)
        assert start_day is not None
        assert end_day is not None
        assert abs((start_day - AS_AT).days) <= 240
        assert start_day < end_day
        if end_day <= AS_AT:
            assert status in ("filled", "closed")
    board_open = [r for r in rows if "board" in _json(r[3]) and r[7] == "open"]
    assert len(board_open) > 100


def test_career_conversations_have_dated_actions(national_demo: LoadedDemo) -> None:
    rows = run(
        national_demo.engine,
        """
        SELECT c.held_on, c.growth_wanted, d.due_on, d.status, d.opportunity_kind
        FROM career_conversations c JOIN development_actions d ON d.conversation_ref = c.id
        """,
    )
    assert len(rows) > 300
    for held, wanted, due, status, kind in rows:
        held_on, due_on = as_date(held), as_date(due)
        assert held_on is not None
        assert due_on is not None
        assert held_on < AS_AT
        assert held_on < due_on
        assert wanted in ("depth", "breadth", "stretch")
        assert kind
        expected = (
            ("done", "in_progress", "cancelled") if due_on < AS_AT else ("planned", "in_progress")
        )
        assert status in expected


def test_fit_and_proper_checks_cover_the_board_and_some_are_overdue(
    national_demo: LoadedDemo,
) -> None:
    board = {
        person
        for (person,) in run(
            national_demo.engine,
            f"""
            SELECT DISTINCT a.person_ref FROM appointments a JOIN posts p ON p.id = a.post_ref
            WHERE p.level = 'board' AND {COVERS}
            """,
            t=AS_AT,
        )
    }
    latest_due = dict(
        run(
            national_demo.engine,
            "SELECT person_ref, MAX(next_due_on) FROM fit_and_proper_checks "
            "WHERE check_type = 'self_attestation' OR check_type = 'insolvency_bankruptcy' "
            "GROUP BY person_ref",
        )
    )
    assert set(latest_due) == board
    overdue = sum(1 for due in latest_due.values() if as_date(due) < AS_AT)  # type: ignore[operator]
    assert 0.03 * len(board) < overdue < 0.2 * len(board)
    types = {
        t
        for (t,) in run(
            national_demo.engine, "SELECT DISTINCT check_type FROM fit_and_proper_checks"
        )
    }
    assert {"dbs", "self_attestation", "chair_sign_off", "professional_registration"} <= types


def test_appraisals_and_leaver_references_exist(national_demo: LoadedDemo) -> None:
    appraisals = run(
        national_demo.engine,
        "SELECT period_start, period_end, edi_objective, domain_ratings FROM appraisal_records",
    )
    assert len(appraisals) > 200
    for start, end, edi, ratings in appraisals:
        assert as_date(start) < as_date(end)  # type: ignore[operator]
        assert edi
        assert set(_json(ratings)) == set(framework("lcf2024").domain_codes)
    references = run(
        national_demo.engine,
        """
        SELECT a.end_date, r.written_on FROM board_member_references r
        JOIN appointments a ON a.id = r.appointment_ref
        """,
    )
    assert len(references) > 300
    for end, written in references:
        assert dt.date(2024, 4, 1) <= as_date(end) <= as_date(written) <= AS_AT  # type: ignore[operator]
