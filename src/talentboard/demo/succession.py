"""Succession plans for executive board posts.

About two in three executive posts have a plan (more in the stronger trusts), reviewed
within the last eighteen months. Successors are talent-pool members aiming at the post's
role: colleagues in the same trust first (an executive director for the chief executive
post, the acting holder, a divisional or clinical director below the board), then people
in post elsewhere in the region, often a director already doing the same job at another
trust and ready now. Each successor's readiness is their latest reviewed readiness for
the role; an internal successor is usually named as emergency cover.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from talentboard.demo.history import Spell
from talentboard.demo.posts import AS_AT, PostPlan
from talentboard.demo.rng import date_of, stream
from talentboard.demo.talent import Member

MAX_SUCCESSORS = 4


@dataclass(slots=True)
class SuccessionRows:
    plans: list[dict[str, object]]
    successors: list[dict[str, object]]


def build_succession(
    posts: list[PostPlan],
    serving: Iterable[Spell],
    members: list[Member],
    seed: int,
    ids: dict[str, int],
) -> SuccessionRows:
    """Plans and successors; ``serving`` are the spells covering the as-at date, whose
    holders are never named successors to their own posts."""
    rng = stream(seed, "succession")
    holders: dict[int, set[int]] = {}
    for spell in serving:
        holders.setdefault(spell.post.ref, set()).add(spell.person)
    internal: dict[tuple[str, str], list[Member]] = {}
    regional: dict[tuple[str, str], list[Member]] = {}
    for member in members:
        trust = member.spell.post.trust
        for target in member.targets:
            internal.setdefault((target, trust.ods_code), []).append(member)
            regional.setdefault((target, trust.region_code), []).append(member)
    rows = SuccessionRows([], [])
    for post in posts:
        if not (post.executive_board and post.exists_at(AS_AT)):
            continue
        if rng.random() >= (0.55 if post.trust.challenged else 0.72):
            continue
        plan_ref = ids["succession_plans"] + len(rows.plans)
        reviewed = date_of(AS_AT - rng.randint(20, 540))
        rows.plans.append({"id": plan_ref, "post_ref": post.ref, "reviewed_on": reviewed})
        excluded = holders.get(post.ref, set())
        inside = [
            m
            for m in internal.get((post.role_code, post.trust.ods_code), [])
            if m.person.ref not in excluded
        ]
        outside = [
            m
            for m in regional.get((post.role_code, post.trust.region_code), [])
            if m.spell.post.trust is not post.trust and m.person.ref not in excluded
        ]
        chosen = rng.sample(inside, min(len(inside), rng.randint(1, 3)))
        if outside and rng.random() < 0.6:
            ready = [m for m in outside if m.targets[post.role_code] == "ready_now"]
            pool = ready if ready and rng.random() < 0.7 else outside
            chosen += rng.sample(pool, min(len(pool), rng.randint(1, 2)))
        emergency_named = False
        for member in chosen[:MAX_SUCCESSORS]:
            emergency = (
                not emergency_named and member.spell.post.trust is post.trust and rng.random() < 0.7
            )
            emergency_named = emergency_named or emergency
            rows.successors.append(
                {
                    "id": ids["successors"] + len(rows.successors),
                    "plan_ref": plan_ref,
                    "person_ref": member.person.ref,
                    "readiness": member.targets[post.role_code],
                    "emergency_cover": emergency,
                    "reviewed_on": reviewed,
                }
            )
    return rows
