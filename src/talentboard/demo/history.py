"""A post's appointment history, built backwards from its state at the as-at date.

Each post's history is a run of spells: substantive spells (a person in post, perhaps on
more than one back-to-back contract) separated by handovers that are either direct or a
vacancy, covered by an interim, acting or seconded holder or left uncovered. Working
backwards from the state the calibration fixes at the as-at date (or from the post's
abolition) keeps that state exact while the history behind it stays plausible: completed
tenures follow log-normal distributions by role, shortened while the trust is challenged;
chairs and non-executive directors serve fixed terms.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from talentboard.demo.calibration import TENURE_FACTOR_BY_SEGMENT
from talentboard.demo.posts import AS_AT, PostPlan
from talentboard.demo.rng import Weighted, lognormal_days, weighted, years_to_days

# A stretch shorter than this at the start of a post's life is folded into the first spell.
MIN_SPELL_DAYS = 60


@dataclass(frozen=True, slots=True)
class TenureProfile:
    """How long holders of a role stay, and how their departures are covered."""

    median_years: float
    sigma: float
    direct_handover: float
    gap_median_days: float
    cover: Weighted[str | None]
    acting_appointed: float
    renewal: float
    filled_now: float
    term_years: float = 0.0
    terms: Weighted[int] | None = None


_EXEC_COVER = weighted({"interim": 0.45, "acting": 0.35, "secondment": 0.06, None: 0.14})
_LOWER_COVER = weighted({"acting": 0.55, "interim": 0.08, "secondment": 0.05, None: 0.32})
_EXECUTIVE = TenureProfile(4.1, 0.7, 0.45, 130, _EXEC_COVER, 0.3, 0.06, 0.92)
_LOWER = {
    "divisional_director": 3.5,
    "clinical_director": 3.5,
    "associate_director": 3.5,
    "general_manager": 3.0,
    "service_manager": 3.2,
    "matron": 3.5,
    "ward_manager": 3.5,
    "team_leader": 2.8,
}

PROFILES: dict[str, TenureProfile] = {
    "chief_executive": TenureProfile(
        4.0,
        0.65,
        0.4,
        150,
        weighted({"interim": 0.45, "acting": 0.45, "secondment": 0.03, None: 0.07}),
        0.25,
        0.06,
        0.92,
    ),
    "chair": TenureProfile(
        0.0,
        0.0,
        0.55,
        120,
        weighted({"interim": 0.5, None: 0.5}),
        0.0,
        0.0,
        0.95,
        term_years=3.0,
        terms=weighted({1: 0.25, 2: 0.55, 3: 0.2}),
    ),
    "non_executive_director": TenureProfile(
        0.0,
        0.0,
        0.35,
        100,
        weighted({None: 1.0}),
        0.0,
        0.0,
        0.93,
        term_years=3.0,
        terms=weighted({1: 0.35, 2: 0.55, 3: 0.1}),
    ),
    "associate_non_executive_director": TenureProfile(
        0.0,
        0.0,
        0.3,
        120,
        weighted({None: 1.0}),
        0.0,
        0.0,
        0.9,
        term_years=2.0,
        terms=weighted({1: 0.5, 2: 0.5}),
    ),
    "company_secretary": TenureProfile(
        5.0, 0.6, 0.5, 90, weighted({"acting": 0.6, "interim": 0.2, None: 0.2}), 0.35, 0.05, 0.93
    ),
} | {
    code: TenureProfile(years, 0.65, 0.5, 90, _LOWER_COVER, 0.4, 0.03, 0.92)
    for code, years in _LOWER.items()
}


def profile_for(role_code: str) -> TenureProfile:
    return PROFILES.get(role_code, _EXECUTIVE)


@dataclass(slots=True, eq=False)
class Spell:
    """One person's continuous holding of a post: substantive (maybe several contracts) or cover."""

    post: PostPlan
    start: int
    end: int | None
    kind: str
    # Back-to-back contract renewals inside a substantive spell: (end of one, start of next).
    renewals: tuple[tuple[int, int], ...] = ()
    # The acting spell whose holder was then appointed to this substantive spell.
    appointed_from: Spell | None = None
    promoted: bool = False
    abolished: bool = False
    full_term: bool = False
    person: int = -1
    end_reason: str | None = None
    notes: str | None = None

    @property
    def substantive(self) -> bool:
        return self.kind in ("substantive", "joint")


@dataclass(frozen=True, slots=True)
class Anchor:
    """A post's state at the as-at date: a serving holder since ``holder_start``, or vacant."""

    holder_start: int | None = None
    renewal: tuple[int, int] | None = None
    vacant_since: int | None = None
    cover: str | None = None


class HistoryBuilder:
    """Builds the spells of one post at a time from one random stream."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def build(self, post: PostPlan, anchor: Anchor | None) -> list[Spell]:
        """All spells of ``post``; ``anchor`` is None for a post abolished before the as-at date."""
        profile = profile_for(post.role_code)
        rng = self.rng
        spells: list[Spell] = []
        next_spell: Spell | None = None
        force_direct = False
        if anchor is None:
            assert post.established_to is not None
            boundary = post.established_to
            abolished_last = True
            if rng.random() < 0.2:
                vacancy = min(boundary - post.established_from, lognormal_days(rng, 90, 0.5))
                self._cover(spells, post, profile, boundary - vacancy, boundary, None)
                boundary -= vacancy
                abolished_last = False
            force_direct = True
        elif anchor.holder_start is not None:
            renewals = (anchor.renewal,) if anchor.renewal else ()
            current = Spell(post, anchor.holder_start, None, "substantive", renewals)
            if profile.term_years:
                current.renewals = self._term_renewals(profile, anchor.holder_start, AS_AT)
            spells.append(current)
            boundary, next_spell, abolished_last = anchor.holder_start, current, False
        else:
            assert anchor.vacant_since is not None
            boundary = anchor.vacant_since
            if anchor.cover is not None:
                delay = 0 if rng.random() < 0.7 else rng.randint(1, 21)
                spells.append(Spell(post, min(boundary + delay, AS_AT), None, anchor.cover))
            force_direct, abolished_last = True, False

        while boundary - post.established_from >= MIN_SPELL_DAYS:
            segment = post.trust.segment_at(boundary)
            challenged = segment >= 3
            if force_direct:
                gap, force_direct = 0, False
            elif rng.random() < profile.direct_handover * (0.8 if challenged else 1.0):
                gap = 0 if rng.random() < 0.8 else 1
            else:
                median = profile.gap_median_days * (1.3 if challenged else 1.0)
                gap = min(600, max(14, lognormal_days(rng, median, 0.6)))
            if boundary - gap - post.established_from < MIN_SPELL_DAYS:
                # Too little room for a vacancy and a spell: the first holder handed over.
                gap = 0
            previous_end = boundary - gap
            if gap > 1:
                self._cover(spells, post, profile, previous_end, boundary, next_spell)
            spell = self._completed(post, profile, previous_end)
            spell.abolished = abolished_last
            abolished_last = False
            spells.append(spell)
            boundary, next_spell = spell.start, spell
        return spells

    def _completed(self, post: PostPlan, profile: TenureProfile, end: int) -> Spell:
        rng = self.rng
        full_term = False
        if profile.terms is not None:
            length = years_to_days(profile.terms.draw(rng) * profile.term_years)
            challenged = post.trust.segment_at(end) >= 3
            if rng.random() < (0.2 if challenged else 0.12):
                length = round(length * rng.uniform(0.25, 0.95))
            else:
                full_term = True
        else:
            factor = TENURE_FACTOR_BY_SEGMENT[post.trust.segment_at(end)]
            length = lognormal_days(rng, profile.median_years * 365.25 * factor, profile.sigma)
            length = max(length, 90)
        start = end - length
        if start - post.established_from < MIN_SPELL_DAYS:
            start = post.established_from
        spell = Spell(post, start, end, "substantive", full_term=full_term)
        if profile.term_years:
            spell.renewals = self._term_renewals(profile, start, end)
        elif end - start > 730 and rng.random() < profile.renewal:
            point = start + round((end - start) * rng.uniform(0.25, 0.75))
            spell.renewals = ((point, point + (0 if rng.random() < 0.6 else 1)),)
        return spell

    def _term_renewals(
        self, profile: TenureProfile, start: int, end: int
    ) -> tuple[tuple[int, int], ...]:
        term = years_to_days(profile.term_years)
        renewals = []
        point = start + term
        while point + 1 < end:
            renewals.append((point, point + (0 if self.rng.random() < 0.7 else 1)))
            point += term
        return tuple(renewals)

    def _cover(
        self,
        spells: list[Spell],
        post: PostPlan,
        profile: TenureProfile,
        start: int,
        end: int,
        next_spell: Spell | None,
    ) -> None:
        """Interim, acting or seconded cover for a vacancy from ``start`` to ``end``, if any."""
        rng = self.rng
        kind = profile.cover.draw(rng)
        if kind is None or end - start < 14:
            return
        begin = start if rng.random() < 0.7 else start + rng.randint(1, min(30, (end - start) // 3))
        pieces = [(begin, end, kind)]
        if end - begin > 300 and rng.random() < 0.35:
            middle = begin + (end - begin) // 2
            pieces = [(begin, middle, kind), (middle, end, "interim")]
        for piece_start, piece_end, piece_kind in pieces:
            spells.append(Spell(post, piece_start, piece_end, piece_kind))
        last = spells[-1]
        if (
            last.kind == "acting"
            and next_spell is not None
            and last.end == next_spell.start
            and rng.random() < profile.acting_appointed
        ):
            next_spell.appointed_from = last
            last.promoted = True
