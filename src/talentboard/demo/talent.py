"""The talent pool: aspirations, readiness reviews and Scope for Growth career conversations.

Members are people in post at the as-at date who aspire to a further role: executive
directors to chief executive (and some to the same role in a larger trust), acting
holders to the role they cover, non-executive directors to chair, and below the board
(``all-levels``) divisional and clinical directors to executive roles, matrons to
nursing director, ward managers to matron, team leaders to ward or service manager.
Readiness improves over the recorded reviews; willing regions are the person's own plus
sometimes neighbours; most consent to be considered across organisations.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from talentboard.demo.history import Spell
from talentboard.demo.people import Person
from talentboard.demo.posts import AS_AT
from talentboard.demo.register import Register
from talentboard.demo.rng import date_of, stream, weighted
from talentboard.reference import BME_CODES, programmes

READINESS_ORDER = ("not_yet", "ready_3_5y", "ready_1_2y", "ready_now")
_CLOSE = weighted({"ready_now": 0.2, "ready_1_2y": 0.4, "ready_3_5y": 0.3, "not_yet": 0.1})
_READY = weighted({"ready_now": 0.7, "ready_1_2y": 0.3})
_ACTING = weighted({"ready_now": 0.3, "ready_1_2y": 0.5, "ready_3_5y": 0.2})
_FAR = weighted({"ready_1_2y": 0.15, "ready_3_5y": 0.5, "not_yet": 0.35})
_NEAR = weighted({"ready_now": 0.15, "ready_1_2y": 0.45, "ready_3_5y": 0.3, "not_yet": 0.1})
_TIMEFRAME = {
    "ready_now": "within 12 months",
    "ready_1_2y": "1 to 2 years",
    "ready_3_5y": "3 to 5 years",
    "not_yet": "longer term",
}
_NEIGHBOURS = {
    "Y56": ("Y59", "Y61"),
    "Y58": ("Y59", "Y60"),
    "Y59": ("Y56", "Y58", "Y61"),
    "Y60": ("Y61", "Y62", "Y63", "Y58"),
    "Y61": ("Y56", "Y59", "Y60"),
    "Y62": ("Y60", "Y63"),
    "Y63": ("Y62", "Y60"),
}
_EXECUTIVE_DIRECTORS = (
    "finance_director", "medical_director", "nursing_director", "operations_director",
    "strategy_director", "people_director", "digital_director", "estates_director",
    "quality_director", "partnerships_director",
)  # fmt: skip
_ASSOCIATE_TARGET = {
    "finance": "finance_director",
    "general_management": "operations_director",
    "nursing": "nursing_director",
    "ahp": "operations_director",
    "other": "people_director",
    "medical": "medical_director",
    "other_clinical": "quality_director",
}
_PAST_STATUS = weighted({"done": 0.6, "in_progress": 0.2, "cancelled": 0.2})
_FUTURE_STATUS = weighted({"planned": 0.6, "in_progress": 0.4})
_GROWTH_WANTED = weighted({"depth": 0.3, "breadth": 0.35, "stretch": 0.35})
_ACTIONS = {
    "depth": (
        ("Lead a quality improvement project in own portfolio", "project"),
        ("Coaching to deepen strategic leadership", "coaching"),
        ("Mentoring from an experienced director in the region", "mentoring"),
    ),
    "breadth": (
        ("Secondment to another organisation in the region", "secondment"),
        ("Board shadowing at another trust", "board_shadowing"),
        ("Stretch assignment across a second portfolio", "stretch_assignment"),
    ),
    "stretch": (
        ("Act up into the target role during planned leave", "stretch_assignment"),
        ("Lead a system-wide transformation project", "project"),
        ("Complete a national leadership programme", "programme_place"),
    ),
}


@dataclass(slots=True)
class Member:
    """A talent-pool member: their post at the as-at date and what they aspire to."""

    person: Person
    spell: Spell
    targets: dict[str, str] = field(default_factory=dict)
    programmes: list[str] = field(default_factory=list)

    @property
    def best(self) -> str:
        return max(self.targets.values(), key=READINESS_ORDER.index)


@dataclass(slots=True)
class TalentRows:
    members: list[Member]
    profiles: list[dict[str, object]]
    readiness: list[dict[str, object]]
    conversations: list[dict[str, object]]
    actions: list[dict[str, object]]


def current_spells(register: Register) -> dict[int, Spell]:
    """Each serving person's main spell at the as-at date: substantive first, then earliest."""
    chosen: dict[int, Spell] = {}
    for spell in register.serving():
        held = chosen.get(spell.person)
        if held is None or (spell.substantive, -spell.start) > (held.substantive, -held.start):
            chosen[spell.person] = spell
    return chosen


def _aspirations(rng: random.Random, spell: Spell, person: Person) -> dict[str, str]:
    role = spell.post.role_code
    if not spell.substantive:
        share = 0.6 if spell.kind == "acting" else 0.2
        return {role: _ACTING.draw(rng)} if rng.random() < share else {}
    targets: dict[str, str] = {}
    draw = rng.random()
    if role in _EXECUTIVE_DIRECTORS:
        if draw < 0.32:
            targets["chief_executive"] = _CLOSE.draw(rng)
        if rng.random() < 0.12:
            targets[role] = _READY.draw(rng)
    elif role == "chief_executive" and draw < 0.1:
        targets[role] = "ready_now"
    elif role == "non_executive_director" and draw < 0.2:
        targets["chair"] = _CLOSE.draw(rng)
    elif role == "associate_non_executive_director" and draw < 0.5:
        targets["non_executive_director"] = _NEAR.draw(rng)
    elif role == "company_secretary" and draw < 0.2:
        targets["strategy_director"] = _FAR.draw(rng)
    elif role == "divisional_director" and draw < 0.3:
        target = "chief_executive" if rng.random() < 0.2 else "operations_director"
        targets[target] = _NEAR.draw(rng)
    elif role == "clinical_director" and draw < 0.25:
        targets["medical_director"] = _NEAR.draw(rng)
    elif role == "associate_director" and draw < 0.25:
        targets[_ASSOCIATE_TARGET[person.professional_background]] = _NEAR.draw(rng)
    elif role == "general_manager" and draw < 0.2:
        target = "operations_director" if rng.random() < 0.3 else "divisional_director"
        targets[target] = _NEAR.draw(rng)
    elif role == "service_manager" and draw < 0.2:
        targets["general_manager"] = _NEAR.draw(rng)
    elif role == "matron" and draw < 0.15:
        targets["nursing_director"] = _FAR.draw(rng)
    elif role == "ward_manager" and draw < 0.2:
        targets["matron"] = _NEAR.draw(rng)
    elif role == "team_leader" and draw < 0.12:
        nursing = person.professional_background == "nursing"
        targets["ward_manager" if nursing else "service_manager"] = _NEAR.draw(rng)
    return targets


def _programmes(rng: random.Random, member: Member) -> list[str]:
    level = member.spell.post.level
    bme = member.person.ethnic_category in BME_CODES
    known = {p.code for p in programmes()}
    chosen = []
    targets = member.targets
    near_chief = targets.get("chief_executive") in ("ready_now", "ready_1_2y")
    if near_chief and rng.random() < 0.4:
        chosen.append("aspiring_chief_executive")
    if level == "board" and member.spell.post.executive and rng.random() < 0.3:
        chosen.append("nye_bevan")
    if "chair" in targets and rng.random() < 0.35:
        chosen.append("aspirant_chair")
    if bme and rng.random() < 0.3:
        # The positive-action programme for the person's stage: non-executives, senior
        # leaders heading for director roles, or those moving into senior roles.
        if member.spell.post.level == "board" and not member.spell.post.executive:
            chosen.append("next_director")
        else:
            chosen.append("ready_now" if level in ("board", "senior") else "stepping_up")
    ladder = {
        "senior": "elizabeth_garrett_anderson",
        "middle": "rosalind_franklin" if rng.random() < 0.4 else "mary_seacole",
        "frontline": "edward_jenner",
    }
    if level in ladder and rng.random() < 0.35:
        chosen.append(ladder[level])
    return [code for code in dict.fromkeys(chosen) if code in known]


def _readiness_history(rng: random.Random, latest: str, reviewed: int) -> list[tuple[int, str]]:
    """Reviews newest first: the latest, and up to two yearly earlier ones no more ready."""
    history = [(reviewed, latest)]
    level = READINESS_ORDER.index(latest)
    for years_back, share in ((1, 0.6), (2, 0.3)):
        if rng.random() >= share:
            break
        if level > 0 and rng.random() < 0.6:
            level -= 1
        history.append((reviewed - 365 * years_back, READINESS_ORDER[level]))
    return history


_IMPACT = (
    weighted({"high": 0.25, "medium": 0.55, "low": 0.2}),
    weighted({"high": 0.6, "medium": 0.35, "low": 0.05}),
)
_GROWTH = (
    weighted({"high": 0.3, "medium": 0.5, "low": 0.2}),
    weighted({"high": 0.55, "medium": 0.4, "low": 0.05}),
)


def _axes(rng: random.Random, readiness: str) -> tuple[str, str]:
    """Placement on the Scope for Growth axes, higher for those nearer readiness."""
    near = int(READINESS_ORDER.index(readiness) >= 2)
    return _IMPACT[near].draw(rng), _GROWTH[near].draw(rng)


def build_talent_pool(register: Register, seed: int, ids: dict[str, int]) -> TalentRows:
    """Talent-pool members and their profiles, readiness history and career conversations."""
    rng = stream(seed, "talent_pool")
    people = {p.ref: p for p in register.people}
    members: list[Member] = []
    rows = TalentRows([], [], [], [], [])
    for person_ref, spell in sorted(current_spells(register).items()):
        person = people[person_ref]
        targets = _aspirations(rng, spell, person)
        if not targets:
            continue
        member = Member(person, spell, targets)
        member.programmes = _programmes(rng, member)
        members.append(member)
        profile_ref = ids["talent_profiles"] + len(rows.profiles)
        reviewed = AS_AT - rng.randint(10, 330)
        region = spell.post.trust.region_code
        willing: list[str] = []
        if rng.random() >= 0.15:
            willing = [region]
            extra = list(_NEIGHBOURS.get(region, ()))
            rng.shuffle(extra)
            willing += sorted(extra[: rng.choice((0, 0, 1, 2))])
        impact, growth = _axes(rng, member.best)
        rows.profiles.append(
            {
                "id": profile_ref,
                "person_ref": person_ref,
                "willing_regions": willing,
                "cross_org_consent": rng.random() < 0.85,
                "timeframe": _TIMEFRAME[member.best],
                "impact": impact,
                "growth": growth,
                "programmes": member.programmes,
                "reviewed_on": date_of(reviewed),
            }
        )
        for target, latest in targets.items():
            for when, readiness in _readiness_history(rng, latest, reviewed):
                rows.readiness.append(
                    {
                        "id": ids["readiness_reviews"] + len(rows.readiness),
                        "profile_ref": profile_ref,
                        "target_role_code": target,
                        "readiness": readiness,
                        "reviewed_on": date_of(when),
                    }
                )
        if rng.random() < 0.65:
            _conversations(rng, member, rows, ids)
    rows.members = members
    return rows


def _conversations(
    rng: random.Random, member: Member, rows: TalentRows, ids: dict[str, int]
) -> None:
    post = member.spell.post
    held_with = (
        "Chair" if post.role_code in ("chief_executive", "non_executive_director")
        or (post.level == "board" and not post.executive)
        else "Chief executive" if post.level == "board" else "Line manager"
    )  # fmt: skip
    days = sorted(rng.sample(range(20, 700), rng.choice((1, 1, 2))), reverse=True)
    for back in days:
        held_on = AS_AT - back
        impact, growth = _axes(rng, member.best)
        wanted = _GROWTH_WANTED.draw(rng)
        target = next(iter(member.targets))
        conversation_ref = ids["career_conversations"] + len(rows.conversations)
        rows.conversations.append(
            {
                "id": conversation_ref,
                "person_ref": member.person.ref,
                "held_on": date_of(held_on),
                "held_with": held_with,
                "impact": impact,
                "growth": growth,
                "growth_wanted": wanted,
                "summary": (
                    f"Discussed the aspiration to a {target.replace('_', ' ')} role; "
                    f"agreed a plan focused on {wanted}."
                ),
            }
        )
        choices: list[tuple[str, str]] = list(_ACTIONS[wanted])
        for action, kind in rng.sample(choices, rng.randint(1, 3)):
            due = held_on + rng.randint(90, 365)
            programme = (
                member.programmes[0] if kind == "programme_place" and member.programmes else None
            )
            status = _PAST_STATUS if due < AS_AT else _FUTURE_STATUS
            rows.actions.append(
                {
                    "id": ids["development_actions"] + len(rows.actions),
                    "conversation_ref": conversation_ref,
                    "action": action,
                    "opportunity_kind": kind,
                    "programme_code": programme,
                    "due_on": date_of(due),
                    "status": status.draw(rng),
                }
            )
