"""Careers: which spells each person holds, and why each spell ended.

Spells are filled in order of start date. A substantive spell is filled either by someone
who has just left a spell that leads to it (a director of finance moving to the same job
elsewhere, a nursing director becoming a chief executive, a non-executive director
becoming a chair, a retired executive becoming a non-executive, a ward manager becoming a
matron) or by someone new to the register. Now and then a chief executive or chair is
appointed from the same board on the day. A person's end reason is settled by what
happens next: promoted internally when the next post is in the same trust, moved within
the NHS when it is elsewhere (or outside the register), otherwise retired (by age), left
the NHS, dismissed or forced out (more often in challenged trusts), end of term for chairs
and non-executives, rarely death.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass

from talentboard.demo.history import Spell
from talentboard.demo.organisations import Trust
from talentboard.demo.people import OFFICE_HOLDERS, Person, PersonFactory
from talentboard.demo.posts import AS_AT
from talentboard.demo.rng import year_of

# Where a post's substantive holders come from: the share found in the register, and the
# roles (pools of recent leavers) they come from, with weights.
_BOARD_SOURCES: dict[str, tuple[float, dict[str, float]]] = {
    "chief_executive": (
        0.7,
        {
            "chief_executive": 0.4, "operations_director": 0.15, "nursing_director": 0.1,
            "finance_director": 0.1, "medical_director": 0.08, "strategy_director": 0.07,
            "people_director": 0.03, "quality_director": 0.03, "partnerships_director": 0.04,
        },
    ),
    "quality_director": (0.35, {"quality_director": 0.7, "nursing_director": 0.3}),
    "partnerships_director": (0.35, {"partnerships_director": 0.6, "strategy_director": 0.4}),
    "strategy_director": (0.35, {"strategy_director": 0.7, "partnerships_director": 0.3}),
    "chair": (0.45, {"chair": 0.5, "non_executive_director": 0.5}),
    "non_executive_director": (
        0.3,
        {"non_executive_director": 0.35, "associate_non_executive_director": 0.2,
         "retired_executive": 0.45},
    ),
    "associate_non_executive_director": (0.1, {"associate_non_executive_director": 1.0}),
    "company_secretary": (0.15, {"company_secretary": 1.0}),
}  # fmt: skip
_LOWER_SOURCES: dict[str, tuple[float, dict[str, float]]] = {
    "matron": (0.5, {"ward_manager": 1.0}),
    "general_manager": (0.4, {"service_manager": 0.6, "matron": 0.4}),
    "service_manager": (0.35, {"team_leader": 0.6, "ward_manager": 0.4}),
    "divisional_director": (
        0.5,
        {"general_manager": 0.5, "clinical_director": 0.25, "associate_director": 0.25},
    ),
    "associate_director": (0.3, {"general_manager": 0.5, "service_manager": 0.5}),
    "ward_manager": (0.2, {"team_leader": 1.0}),
}
# Chief executives and chairs appointed from the same board: the share of appointments,
# and the roles they come from.
_INTERNAL_PROMOTION = {
    "chief_executive": (
        0.15,
        (
            "operations_director", "finance_director", "nursing_director", "medical_director",
            "strategy_director", "people_director", "quality_director", "partnerships_director",
        ),
    ),
    "chair": (0.1, ("non_executive_director",)),
}  # fmt: skip
# Roles open only to one profession, whoever the leavers they might come from are.
_REQUIRED_BACKGROUND = {
    "medical_director": "medical",
    "nursing_director": "nursing",
    "finance_director": "finance",
    "matron": "nursing",
    "ward_manager": "nursing",
}
_FORCED_BY_SEGMENT = {1: 0.05, 2: 0.06, 3: 0.1, 4: 0.17, 5: 0.2}
_NOTES = {
    "retired": "Retired",
    "moved_nhs": "Appointed to a post elsewhere in the NHS",
    "left_nhs": "Left for a role outside the NHS",
    "dismissed_or_forced": "Left by mutual agreement following a governance review",
    "end_of_term": "Completed term of office",
}


@dataclass(slots=True)
class _Leaver:
    available: int
    seq: int
    person: Person
    spell: Spell
    rewrite: bool


class LeaverPool:
    """Recent leavers of one role, available to a new post for ``window`` days after leaving."""

    def __init__(self, window: int) -> None:
        self.window = window
        self._waiting: list[tuple[int, int, _Leaver]] = []
        self._ready: list[_Leaver] = []

    def push(self, leaver: _Leaver) -> None:
        heapq.heappush(self._waiting, (leaver.available, leaver.seq, leaver))

    def take(
        self, when: int, trust: Trust, accept: Callable[[_Leaver], bool], rng: random.Random
    ) -> _Leaver | None:
        """A leaver free on ``when``: from the same trust if any (an internal promotion) for
        most posts, else preferably from the same region, else the longest waiting."""
        while self._waiting and self._waiting[0][0] <= when:
            self._ready.append(heapq.heappop(self._waiting)[2])
        self._ready = [
            leaver
            for leaver in self._ready
            if leaver.available + self.window >= when and leaver.person.last_spell is leaver.spell
        ]
        same_trust: int | None = None
        same_region: int | None = None
        anyone: int | None = None
        for index, leaver in enumerate(self._ready[:80]):
            if not accept(leaver):
                continue
            before = leaver.spell.post.trust
            if before is trust and same_trust is None:
                same_trust = index
            if before.region_code == trust.region_code and same_region is None:
                same_region = index
            if anyone is None:
                anyone = index
        choice = anyone
        draw = rng.random()
        if same_trust is not None and draw < 0.6:
            choice = same_trust
        elif same_region is not None and draw < 0.85:
            choice = same_region
        return self._ready.pop(choice) if choice is not None else None


class CareerBuilder:
    """Fills spells with people from a ``PersonFactory``: the board and the levels below
    are built separately (``lower``), so the board is the same at every scale."""

    def __init__(self, people: PersonFactory, *, lower: bool = False) -> None:
        self.people = people
        self.rng = people.rng
        self._lower = lower
        self._pools: dict[str, LeaverPool] = {}
        self._seq = 0

    def _pool(self, key: str, window: int = 180) -> LeaverPool:
        pool = self._pools.get(key)
        if pool is None:
            pool = self._pools[key] = LeaverPool(window)
        return pool

    def fill(self, spells: list[Spell]) -> None:
        """Give every spell a holder and every ended spell an end reason.

        Acting spells created by internal promotions are appended to ``spells``.
        """
        order = sorted(spells, key=lambda s: (s.start, s.post.ref, s.kind))
        colleagues: dict[tuple[str, str], list[Spell]] = {}
        if not self._lower:
            for spell in order:
                if spell.substantive and spell.end is not None:
                    key = (spell.post.trust.ods_code, spell.post.role_code)
                    colleagues.setdefault(key, []).append(spell)
        for spell in order:
            promoted = self._promote_internally(spell, colleagues)
            if promoted is not None:
                person, acting = promoted
                self._assign(spell, person)
                if acting is not None:
                    spells.append(acting)
                    self._assign(acting, self._holder(acting))
            else:
                self._assign(spell, self._holder(spell))

    def _assign(self, spell: Spell, person: Person) -> None:
        spell.person = person.ref
        person.last_spell = spell
        person.spells.append(spell)
        if spell.end is not None:
            self._leave(spell, person)

    def _promote_internally(
        self, spell: Spell, colleagues: dict[tuple[str, str], list[Spell]]
    ) -> tuple[Person, Spell | None] | None:
        """Sometimes fill a chief executive's or chair's post from the same board.

        The colleague's spell is cut short on the day, ending ``promoted_internal``, and
        their deputy acts up in their old post until it was due to change hands anyway.
        """
        rule = _INTERNAL_PROMOTION.get(spell.post.role_code)
        if rule is None or not spell.substantive or spell.appointed_from is not None:
            return None
        share, roles = rule
        if self.rng.random() >= share:
            return None
        when = spell.start
        candidates = [
            other
            for role_code in roles
            for other in colleagues.get((spell.post.trust.ods_code, role_code), ())
            if other.start + 540 < when
            and other.end is not None
            and other.end - 30 > when
            and not other.promoted
            and other.person >= 0
            and self.people.person(other.person).last_spell is other
        ]
        if not candidates:
            return None
        chosen = self.rng.choice(candidates)
        person = self.people.person(chosen.person)
        old_end = chosen.end
        assert old_end is not None
        chosen.end = when
        chosen.renewals = tuple(r for r in chosen.renewals if r[1] + 1 < when)
        chosen.end_reason, chosen.notes = "promoted_internal", None
        chosen.full_term = chosen.abolished = False
        # Non-executive vacancies are not covered; an executive's deputy acts up.
        cover = Spell(chosen.post, when, old_end, "acting") if chosen.post.executive else None
        return person, cover

    def _sources(self, role_code: str) -> tuple[float, dict[str, float]]:
        table = _LOWER_SOURCES if self._lower else _BOARD_SOURCES
        return table.get(role_code, (0.0 if self._lower else 0.35, {role_code: 1.0}))

    def _pool_key(self, role_code: str, trust: Trust) -> str:
        # Below the board, people move on within their own trust.
        return f"{role_code}@{trust.ods_code}" if self._lower else role_code

    def _holder(self, spell: Spell) -> Person:
        """Who holds ``spell``: the acting holder appointed, a recent leaver, or someone new."""
        if spell.appointed_from is not None:
            return self.people.person(spell.appointed_from.person)
        found: Person | None = None
        if spell.substantive:
            found = self._recent_leaver(spell)
        elif spell.kind == "interim" and not self._lower and self.rng.random() < 0.5:
            found = self._returning_interim(spell)
        if found is not None:
            return found
        post = spell.post
        return self.people.new_person(
            post.role_code, post.level, post.trust, spell.start, spell.kind
        )

    def _recent_leaver(self, spell: Spell) -> Person | None:
        """Someone who recently left a post leading to this one, if the register has one."""
        rng = self.rng
        post = spell.post
        share, sources = self._sources(post.role_code)
        if not sources or rng.random() >= share:
            return None
        end_year = year_of(spell.end if spell.end is not None else AS_AT)
        max_age = 77 if post.role_code in OFFICE_HOLDERS else 66
        required = _REQUIRED_BACKGROUND.get(post.role_code)

        def accept(leaver: _Leaver) -> bool:
            before = leaver.spell.post
            return (
                (required is None or leaver.person.professional_background == required)
                and end_year - leaver.person.birth_year <= max_age
                and not (before.trust is post.trust and before.role_code == post.role_code)
            )

        for key in sorted(sources, key=lambda k: -sources[k] * rng.random()):
            pool = self._pools.get(self._pool_key(key, post.trust))
            leaver = pool.take(spell.start, post.trust, accept, rng) if pool else None
            if leaver is not None:
                if leaver.rewrite:
                    internal = leaver.spell.post.trust is post.trust
                    leaver.spell.end_reason = "promoted_internal" if internal else "moved_nhs"
                    leaver.spell.notes = None
                return leaver.person
        return None

    def _returning_interim(self, spell: Spell) -> Person | None:
        """An interim who covered the same role elsewhere recently, taking another post."""
        pool = self._pools.get(f"interim:{spell.post.role_code}")
        if pool is None:
            return None
        end_year = year_of(spell.end if spell.end is not None else AS_AT)
        leaver = pool.take(
            spell.start,
            spell.post.trust,
            lambda leaver: end_year - leaver.person.birth_year <= 70,
            self.rng,
        )
        return leaver.person if leaver is not None else None

    def _push(
        self, key: str, spell: Spell, person: Person, *, rewrite: bool, window: int = 180
    ) -> None:
        assert spell.end is not None
        self._seq += 1
        self._pool(key, window).push(_Leaver(spell.end, self._seq, person, spell, rewrite))

    def _leave(self, spell: Spell, person: Person) -> None:
        """Settle why ``spell`` ended and whether its holder is free for another post."""
        assert spell.end is not None
        rng = self.rng
        post = spell.post
        key = self._pool_key(post.role_code, post.trust)
        if spell.promoted:
            spell.end_reason = "promoted_internal"
            return
        if not spell.substantive:
            if spell.kind == "interim":
                spell.end_reason = "moved_nhs" if rng.random() < 0.25 else "other"
                if not self._lower and rng.random() < 0.6:
                    self._push(f"interim:{post.role_code}", spell, person, rewrite=False)
            else:
                spell.end_reason = "other"
                if spell.kind == "acting" and rng.random() < 0.3:
                    self._push(key, spell, person, rewrite=False, window=720)
            return
        age = year_of(spell.end) - person.birth_year
        segment = post.trust.segment_at(spell.end)
        draw = rng.random()
        if spell.abolished:
            spell.end_reason, spell.notes = "other", "Post abolished"
            if draw < 0.5:
                self._push(key, spell, person, rewrite=True)
            return
        if draw < 0.003:
            spell.end_reason = "death"
            return
        if post.role_code in OFFICE_HOLDERS:
            self._leave_office(spell, person, key, segment)
            return
        forced = _FORCED_BY_SEGMENT[segment] * (0.3 if self._lower else 1.0)
        retire = _retirement_chance(age)
        draw = rng.random()
        if draw < forced:
            spell.end_reason = "dismissed_or_forced"
        elif draw < forced + (1 - forced) * retire:
            spell.end_reason = "retired"
            if post.executive and age < 66 and rng.random() < 0.35:
                self._push("retired_executive", spell, person, rewrite=False, window=3 * 365)
        else:
            draw = rng.random()
            if draw < 0.7:
                spell.end_reason = "moved_nhs"
                self._push(key, spell, person, rewrite=True)
            else:
                spell.end_reason = "left_nhs" if draw < 0.92 else "other"
        if spell.end_reason in _NOTES and rng.random() < 0.25:
            spell.notes = _NOTES[spell.end_reason]

    def _leave_office(self, spell: Spell, person: Person, key: str, segment: int) -> None:
        rng = self.rng
        if spell.full_term:
            spell.end_reason = "end_of_term"
            if rng.random() < 0.3:
                self._push(key, spell, person, rewrite=False, window=365)
            return
        draw = rng.random()
        forced = 0.12 if segment >= 3 else 0.05
        if draw < forced:
            spell.end_reason = "dismissed_or_forced"
        elif draw < forced + 0.25:
            spell.end_reason = "moved_nhs"
            self._push(key, spell, person, rewrite=True)
        else:
            spell.end_reason = "left_nhs" if rng.random() < 0.6 else "other"


def _retirement_chance(age: int) -> float:
    if age < 50:
        return 0.01
    if age < 55:
        return 0.06
    if age < 58:
        return 0.2
    if age < 60:
        return 0.4
    if age < 63:
        return 0.65
    return 0.85
