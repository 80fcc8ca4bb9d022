"""Fictitious people: their names, sex, ethnicity, disability, profession and age.

Demographics follow the first role a person is found in: professional background
(medical directors are doctors, nursing directors nurses), sex, age at appointment, and
ethnicity in proportion to the trust's workforce, scaled down for board roles; a few
people have not stated their ethnicity or it is not known. Names are drawn to fit the
ethnic category and sex (``names.py``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from talentboard.demo.calibration import BME_FACTOR_BY_LEVEL
from talentboard.demo.history import Spell
from talentboard.demo.names import NameBook, name_book
from talentboard.demo.organisations import Trust
from talentboard.demo.rng import Weighted, clipped_normal, sample_weighted, weighted, year_of
from talentboard.reference import BME_CODES

_BME_CATEGORIES = weighted(
    {
        "H": 0.24, "L": 0.14, "N": 0.18, "M": 0.06, "P": 0.02, "J": 0.07, "K": 0.03,
        "R": 0.03, "D": 0.03, "E": 0.02, "F": 0.04, "G": 0.03, "S": 0.11,
    }
)  # fmt: skip
_WHITE_CATEGORIES = {
    "board": weighted({"A": 0.86, "B": 0.03, "C": 0.11}),
    "other": weighted({"A": 0.8, "B": 0.03, "C": 0.17}),
}
NOT_STATED_SHARE = 0.035
NOT_KNOWN_SHARE = 0.015

_FEMALE_SHARE = {
    "chief_executive": 0.45, "finance_director": 0.35, "medical_director": 0.3,
    "nursing_director": 0.87, "operations_director": 0.5, "strategy_director": 0.45,
    "people_director": 0.65, "digital_director": 0.25, "estates_director": 0.15,
    "quality_director": 0.7, "partnerships_director": 0.55, "chair": 0.38,
    "non_executive_director": 0.45, "associate_non_executive_director": 0.5,
    "company_secretary": 0.6, "divisional_director": 0.5, "clinical_director": 0.35,
    "associate_director": 0.55, "general_manager": 0.6, "service_manager": 0.7,
    "matron": 0.88, "ward_manager": 0.85, "team_leader": 0.78,
}  # fmt: skip
_BACKGROUND: dict[str, Weighted[str]] = {
    role: weighted(mix)
    for role, mix in {
        "chief_executive": {
            "general_management": 0.4, "nursing": 0.15, "medical": 0.12, "finance": 0.15,
            "ahp": 0.05, "other_clinical": 0.03, "other": 0.1,
        },
        "finance_director": {"finance": 1.0},
        "medical_director": {"medical": 1.0},
        "nursing_director": {"nursing": 1.0},
        "operations_director": {
            "general_management": 0.65, "nursing": 0.15, "ahp": 0.1, "other_clinical": 0.05,
            "other": 0.05,
        },
        "strategy_director": {"general_management": 0.6, "other": 0.3, "finance": 0.1},
        "people_director": {"other": 0.7, "general_management": 0.3},
        "digital_director": {"other": 0.8, "general_management": 0.2},
        "estates_director": {"other": 0.85, "general_management": 0.15},
        "quality_director": {
            "nursing": 0.55, "medical": 0.15, "ahp": 0.1, "other_clinical": 0.1,
            "general_management": 0.1,
        },
        "partnerships_director": {"general_management": 0.7, "other": 0.3},
        "chair": {"other": 0.45, "general_management": 0.25, "finance": 0.2, "medical": 0.1},
        "non_executive_director": {
            "other": 0.35, "finance": 0.25, "general_management": 0.2, "medical": 0.1,
            "nursing": 0.05, "ahp": 0.05,
        },
        "associate_non_executive_director": {
            "other": 0.5, "general_management": 0.2, "finance": 0.1, "medical": 0.1,
            "nursing": 0.1,
        },
        "company_secretary": {"other": 0.6, "general_management": 0.4},
        "divisional_director": {
            "general_management": 0.6, "nursing": 0.2, "ahp": 0.1, "medical": 0.1,
        },
        "clinical_director": {"medical": 0.9, "other_clinical": 0.05, "ahp": 0.05},
        "associate_director": {
            "general_management": 0.4, "other": 0.3, "finance": 0.15, "nursing": 0.1,
            "ahp": 0.05,
        },
        "general_manager": {
            "general_management": 0.7, "nursing": 0.15, "ahp": 0.1, "other": 0.05,
        },
        "service_manager": {
            "general_management": 0.5, "nursing": 0.2, "ahp": 0.2, "other_clinical": 0.1,
        },
        "matron": {"nursing": 1.0},
        "ward_manager": {"nursing": 1.0},
        "team_leader": {"nursing": 0.45, "ahp": 0.25, "other_clinical": 0.2, "other": 0.1},
    }.items()
}  # fmt: skip
# Age when first appointed: mean, standard deviation, youngest, oldest.
_AGE = {
    "chief_executive": (50, 5, 38, 63), "medical_director": (50, 5, 38, 64),
    "chair": (60, 6, 45, 70), "non_executive_director": (56, 7, 35, 68),
    "associate_non_executive_director": (47, 8, 30, 68), "company_secretary": (44, 7, 28, 62),
    "divisional_director": (47, 6, 32, 62), "clinical_director": (46, 6, 34, 63),
    "associate_director": (45, 6, 30, 62), "general_manager": (42, 7, 28, 62),
    "service_manager": (40, 7, 26, 62), "matron": (43, 7, 30, 62),
    "ward_manager": (38, 7, 25, 62), "team_leader": (36, 8, 23, 62),
}  # fmt: skip
_EXECUTIVE_AGE = (47, 5, 34, 62)
_COVER_AGE = {"interim": (54, 6, 38, 66), "acting": (45, 5, 32, 60), "secondment": (45, 5, 32, 60)}
OFFICE_HOLDERS = ("chair", "non_executive_director", "associate_non_executive_director")


@dataclass(slots=True, eq=False)
class Person:
    ref: int
    person_id: str
    given_name: str
    family_name: str
    ethnic_category: str
    sex: str
    disability: str
    professional_background: str
    birth_year: int
    employee_number: str | None
    last_spell: Spell | None = None
    spells: list[Spell] = field(default_factory=list)


class PersonFactory:
    """Creates people with consecutive database ids."""

    def __init__(self, rng: random.Random, first_ref: int) -> None:
        self.rng = rng
        self.names: NameBook = name_book()
        self.people: list[Person] = []
        self._first_ref = self._next_ref = first_ref

    def person(self, ref: int) -> Person:
        return self.people[ref - self._first_ref]

    def new_person(self, role_code: str, level: str, trust: Trust, start: int, kind: str) -> Person:
        rng = self.rng
        female = _FEMALE_SHARE.get(role_code, 0.5)
        draw = rng.random()
        sex = (
            "not_stated" if draw < 0.005 else "other" if draw < 0.007 else
            "female" if rng.random() < female else "male"
        )  # fmt: skip
        bme = rng.random() < BME_FACTOR_BY_LEVEL[level] * trust.bme_staff_share
        white = _WHITE_CATEGORIES["board" if level == "board" else "other"]
        hidden = _BME_CATEGORIES.draw(rng) if bme else white.draw(rng)
        draw = rng.random()
        recorded = (
            "Z" if draw < NOT_STATED_SHARE else
            "99" if draw < NOT_STATED_SHARE + NOT_KNOWN_SHARE else hidden
        )  # fmt: skip
        given, family = self.names.draw(rng, hidden, sex)
        draw = rng.random()
        disability = "yes" if draw < 0.045 else "not_stated" if draw < 0.12 else "no"
        background = _BACKGROUND.get(role_code, _BACKGROUND["chief_executive"]).draw(rng)
        mean, sd, low, high = (
            _COVER_AGE[kind] if kind in _COVER_AGE else _AGE.get(role_code, _EXECUTIVE_AGE)
        )
        age = round(clipped_normal(rng, mean, sd, low, high))
        employee = None if role_code in OFFICE_HOLDERS else f"{rng.randrange(10**7, 10**8)}"
        person = Person(
            ref=self._next_ref,
            person_id=f"DEMO-{self._next_ref:07d}",
            given_name=given,
            family_name=family,
            ethnic_category=recorded,
            sex=sex,
            disability=disability,
            professional_background=background,
            birth_year=year_of(start) - age,
            employee_number=employee,
        )
        self._next_ref += 1
        self.people.append(person)
        return person

    def recategorise(self, person: Person, bme: bool) -> None:
        """Redraw a board member's ethnic category (BME or white) and a name to match."""
        rng = self.rng
        white = _WHITE_CATEGORIES["board"]
        person.ethnic_category = _BME_CATEGORIES.draw(rng) if bme else white.draw(rng)
        person.given_name, person.family_name = self.names.draw(
            rng, person.ethnic_category, person.sex
        )

    def calibrate_board_diversity(self, spells: list[Spell], target: float) -> None:
        """Make the BME share of serving voting board members with a known category
        ``target`` exactly, recategorising people chosen by their trust's workforce share
        (so London boards stay the most diverse)."""
        serving: dict[int, Spell] = {}
        for spell in spells:
            if spell.end is None and spell.post.level == "board" and spell.post.voting:
                serving.setdefault(spell.person, spell)
        known = [
            (self.person(ref), spell)
            for ref, spell in sorted(serving.items())
            if self.person(ref).ethnic_category not in ("Z", "99")
        ]
        bme = [(p, s) for p, s in known if p.ethnic_category in BME_CODES]
        change = round(target * len(known)) - len(bme)
        if change > 0:
            others = [(p, s) for p, s in known if p.ethnic_category not in BME_CODES]
            weights = [s.post.trust.bme_staff_share for _, s in others]
            for person, _ in sample_weighted(self.rng, others, weights, change):
                self.recategorise(person, bme=True)
        elif change < 0:
            weights = [1.0 - s.post.trust.bme_staff_share for _, s in bme]
            for person, _ in sample_weighted(self.rng, bme, weights, -change):
                self.recategorise(person, bme=False)
