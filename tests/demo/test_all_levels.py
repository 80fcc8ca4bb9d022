"""``all-levels`` adds leadership posts board to ward, without changing the board.

The full national all-levels run (about a million appointments) belongs to the
benchmarks; here the same builders run over three South West trusts.
"""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentboard.db.models import Appointment, Person, Post
from talentboard.demo.assessments import build_assessments
from talentboard.demo.organisations import Trust, load_trusts, plan_organisations
from talentboard.demo.posts import lower_post_counts
from talentboard.demo.register import (
    Register,
    appointment_rows,
    build_register,
    person_rows,
    post_rows,
)
from talentboard.demo.store import first_ids, insert_rows
from talentboard.demo.talent import build_talent_pool, current_spells

SEED = 11


@pytest.fixture
def trusts(session: Session) -> list[Trust]:
    chosen = load_trusts(session, "Y58")[:3]
    plan_organisations(session, chosen, SEED)
    return chosen


def _build(trusts: list[Trust], all_levels: bool) -> Register:
    return build_register(trusts, SEED, all_levels=all_levels, first_post_ref=1, first_person_ref=1)


def test_the_board_is_the_same_at_national_and_all_levels(trusts: list[Trust]) -> None:
    board = _build(trusts, all_levels=False)
    everything = _build(trusts, all_levels=True)

    def board_history(register: Register) -> list[tuple[object, ...]]:
        return sorted(
            (s.post.post_id, s.start, s.end, s.kind, s.person, s.end_reason)
            for s in register.spells
            if s.post.level == "board"
        )

    assert board_history(everything) == board_history(board)
    levels = Counter(p.level for p in everything.posts)
    assert set(levels) == {"board", "senior", "middle", "frontline"}
    for trust in trusts:
        counts = lower_post_counts(trust)
        posts = Counter(p.role_code for p in everything.posts if p.trust is trust)
        for role_code, count in counts.items():
            assert posts[role_code] == count
    # Frontline posts outnumber senior ones, as in any trust.
    assert levels["frontline"] > levels["middle"] > levels["senior"]


def test_lower_levels_promote_within_the_trust_and_fit_the_roles(trusts: list[Trust]) -> None:
    register = _build(trusts, all_levels=True)
    people = {p.ref: p for p in register.people}
    for spell in register.spells:
        if spell.post.role_code in ("matron", "ward_manager"):
            assert people[spell.person].professional_background == "nursing"
    promotions = Counter(
        (a.post.role_code, b.post.role_code)
        for person in register.people
        for a, b in zip(person.spells, person.spells[1:], strict=False)
        if a.end_reason == "promoted_internal" and a.post.trust is b.post.trust
    )
    assert promotions[("ward_manager", "matron")] > 0
    assert (
        promotions[("team_leader", "service_manager")] + promotions[("team_leader", "ward_manager")]
        > 0
    )
    by_post: dict[int, list[tuple[int, int | None]]] = {}
    for spell in register.spells:
        if spell.substantive:
            by_post.setdefault(spell.post.ref, []).append((spell.start, spell.end))
    for spans in by_post.values():
        spans.sort()
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end is not None
            assert end <= start


def test_lower_level_talent_has_healthcare_leadership_model_assessments(
    trusts: list[Trust],
) -> None:
    register = _build(trusts, all_levels=True)
    pool = build_talent_pool(register, SEED, dict.fromkeys(_ID_TABLES, 1))
    lower = [m for m in pool.members if m.spell.post.level != "board"]
    assert len(lower) > 100
    targets = Counter(t for m in lower for t in m.targets)
    assert targets["matron"] > 0
    assert targets["medical_director"] > 0
    rows = build_assessments(
        current_spells(register), pool.members, SEED, {"assessments": 1, "appraisal_records": 1}
    )
    frameworks = Counter(r["framework"] for r in rows.assessments)
    assert frameworks["hlm"] > 9 * len(lower) * 0.9


def test_all_levels_data_load_into_the_database(session: Session, trusts: list[Trust]) -> None:
    ids = first_ids(session)
    register = build_register(
        trusts, SEED, all_levels=True, first_post_ref=ids["posts"], first_person_ref=ids["people"]
    )
    appointments, _ = appointment_rows(register.spells, ids["appointments"])
    insert_rows(session, Post, post_rows(register))
    insert_rows(session, Person, person_rows(register))
    insert_rows(session, Appointment, appointments)
    session.flush()
    count = session.scalar(select(func.count()).select_from(Appointment))
    assert count == len(appointments) > 10_000


_ID_TABLES = ("talent_profiles", "readiness_reviews", "career_conversations", "development_actions")
