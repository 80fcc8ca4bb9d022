"""The board and leadership register of the demo: posts, spells and the people in them."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass

from talentboard.demo.calibration import BOARD_BME_SHARE
from talentboard.demo.careers import CareerBuilder
from talentboard.demo.current import drawn_anchor, executive_anchors
from talentboard.demo.history import Anchor, HistoryBuilder, Spell
from talentboard.demo.organisations import Trust
from talentboard.demo.people import Person, PersonFactory
from talentboard.demo.posts import AS_AT, PostFactory, PostPlan, add_board_posts, add_lower_posts
from talentboard.demo.rng import date_of, stream
from talentboard.progress import SILENT, Reporter

# Share of trusts whose chief executive also leads a neighbouring trust in the same system.
JOINT_CHIEF_EXECUTIVE_SHARE = 0.03
_TERM_ROLES = ("chair", "non_executive_director", "associate_non_executive_director")


@dataclass(slots=True)
class Register:
    posts: list[PostPlan]
    spells: list[Spell]
    people: list[Person]

    def serving(self) -> Iterator[Spell]:
        """Spells covering the as-at date (those without an end)."""
        return (s for s in self.spells if s.end is None)


def _post_spells(
    posts: list[PostPlan], anchors: dict[int, Anchor], seed: int, name: str
) -> list[Spell]:
    builder = HistoryBuilder(stream(seed, name, "history"))
    anchor_rng = stream(seed, name, "anchors")
    spells: list[Spell] = []
    for post in posts:
        anchor: Anchor | None
        if not post.exists_at(AS_AT):
            anchor = None
        elif post.ref in anchors:
            anchor = anchors[post.ref]
        else:
            anchor = drawn_anchor(post, anchor_rng)
        spells.extend(builder.build(post, anchor))
    return spells


def build_register(
    trusts: list[Trust],
    seed: int,
    *,
    all_levels: bool,
    first_post_ref: int,
    first_person_ref: int,
    progress: Reporter = SILENT,
) -> Register:
    """Posts, spells and people for ``trusts``; the board part is the same at every scale."""
    factory = PostFactory(first_post_ref)
    for trust in trusts:
        add_board_posts(factory, trust, seed)
    board_posts = list(factory.posts)
    progress.start("Board appointment histories", len(board_posts))
    spells = _post_spells(board_posts, executive_anchors(board_posts, seed), seed, "board")
    progress.advance(len(board_posts))
    board_people = PersonFactory(stream(seed, "board", "people"), first_person_ref)
    CareerBuilder(board_people).fill(spells)
    _joint_chief_executives(spells, board_people, stream(seed, "joint"))
    board_people.calibrate_board_diversity(spells, BOARD_BME_SHARE)
    people = board_people.people
    if all_levels:
        progress.start("Leadership posts below the board", len(trusts))
        lower_spells: list[Spell] = []
        for trust in trusts:
            start = len(factory.posts)
            add_lower_posts(factory, trust, seed)
            lower_spells.extend(
                _post_spells(factory.posts[start:], {}, seed, f"lower:{trust.ods_code}")
            )
            progress.advance()
        next_ref = max((p.ref for p in people), default=first_person_ref - 1) + 1
        lower_people = PersonFactory(stream(seed, "lower", "people"), next_ref)
        CareerBuilder(lower_people, lower=True).fill(lower_spells)
        spells.extend(lower_spells)
        people = people + lower_people.people
    people = [p for p in people if p.spells]
    return Register(factory.posts, spells, people)


def _joint_chief_executives(
    spells: list[Spell], builder: PersonFactory, rng: random.Random
) -> None:
    """Make a few serving chief executives joint chief executives of a second trust nearby.

    The second trust's spell keeps its start (when the joint arrangement began), so the
    as-at figures do not change; only who holds it, and both become ``joint``.
    """
    serving = [
        s
        for s in spells
        if s.end is None and s.substantive and s.post.role_code == "chief_executive"
    ]
    by_system: dict[str, list[Spell]] = {}
    for spell in serving:
        if spell.post.trust.icb_code:
            by_system.setdefault(spell.post.trust.icb_code, []).append(spell)
    wanted = round(JOINT_CHIEF_EXECUTIVE_SHARE * len(serving))
    used: set[int] = set()
    systems = sorted(by_system)
    rng.shuffle(systems)
    for system in systems:
        if wanted <= 0:
            break
        group = sorted(by_system[system], key=lambda s: (s.start, s.post.ref))
        for first, second in itertools.pairwise(group):
            if first.post.ref in used or second.post.ref in used:
                continue
            if second.appointed_from is not None or first.renewals or second.renewals:
                continue
            displaced = builder.person(second.person)
            displaced.spells.remove(second)
            holder = builder.person(first.person)
            second.person = holder.ref
            holder.spells.append(second)
            first.kind = second.kind = "joint"
            used.update((first.post.ref, second.post.ref))
            wanted -= 1
            break


def appointment_rows(
    spells: list[Spell], first_ref: int
) -> tuple[list[dict[str, object]], dict[int, int]]:
    """One appointment per contract: a spell's renewals split it into back-to-back contracts.

    Also returns the id of each spell's last appointment, keyed by ``id(spell)``.
    """
    rows: list[dict[str, object]] = []
    last: dict[int, int] = {}
    ref = first_ref
    for spell in sorted(spells, key=lambda s: (s.post.ref, s.start, s.kind)):
        starts = [spell.start, *(following for _, following in spell.renewals)]
        ends: list[int | None] = [*(end for end, _ in spell.renewals), spell.end]
        renewal_reason = "end_of_term" if spell.post.role_code in _TERM_ROLES else None
        for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
            final = index == len(starts) - 1
            rows.append(
                {
                    "id": ref,
                    "person_ref": spell.person,
                    "post_ref": spell.post.ref,
                    "start_date": date_of(start),
                    "end_date": date_of(end) if end is not None else None,
                    "appointment_type": spell.kind,
                    "end_reason": spell.end_reason if final else renewal_reason,
                    "exit_notes": spell.notes if final else None,
                }
            )
            ref += 1
        last[id(spell)] = ref - 1
    return rows, last


def post_rows(register: Register) -> list[dict[str, object]]:
    return [
        {
            "id": p.ref,
            "post_id": p.post_id,
            "ods_code": p.trust.ods_code,
            "role_code": p.role_code,
            "title": p.title,
            "level": p.level,
            "executive": p.executive,
            "voting": p.voting,
            "established_from": date_of(p.established_from),
            "established_to": date_of(p.established_to) if p.established_to else None,
        }
        for p in register.posts
    ]


def person_rows(register: Register) -> list[dict[str, object]]:
    return [
        {
            "id": p.ref,
            "person_id": p.person_id,
            "employee_number": p.employee_number,
            "given_name": p.given_name,
            "family_name": p.family_name,
            "ethnic_category": p.ethnic_category,
            "sex": p.sex,
            "disability": p.disability,
            "professional_background": p.professional_background,
            "birth_year": p.birth_year,
        }
        for p in sorted(register.people, key=lambda p: p.ref)
    ]
