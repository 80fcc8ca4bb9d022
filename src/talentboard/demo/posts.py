"""The posts of each trust: the board, and for ``all-levels`` leadership posts board to ward.

Board: every trust has a chief executive and directors of finance, medicine, nursing and
operations, a chair, five to seven non-executive directors and a company secretary; most
have a people director; some have strategy, digital, estates, quality or partnerships
directors and an associate non-executive director. A few posts were created during the
history (digital and partnerships directors mostly) and a few abolished. Executive and
voting flags come from the role catalogue.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from functools import cache
from importlib import resources

from talentboard.demo.calibration import DEMO_AS_AT
from talentboard.demo.organisations import Trust
from talentboard.demo.rng import day, stream
from talentboard.reference import roles

AS_AT = day(DEMO_AS_AT)

_SHORT = {
    "chief_executive": "CEO",
    "finance_director": "DOF",
    "medical_director": "MD",
    "nursing_director": "DON",
    "operations_director": "COO",
    "strategy_director": "DOS",
    "people_director": "DOP",
    "digital_director": "CDIO",
    "estates_director": "DOE",
    "quality_director": "DOQ",
    "partnerships_director": "DPA",
    "chair": "CHAIR",
    "non_executive_director": "NED",
    "associate_non_executive_director": "ANED",
    "company_secretary": "COSEC",
    "divisional_director": "DIV",
    "clinical_director": "CD",
    "associate_director": "AD",
    "general_manager": "GM",
    "service_manager": "SM",
    "matron": "MAT",
    "ward_manager": "WM",
    "team_leader": "TL",
}

CORE_EXECUTIVES = (
    "chief_executive",
    "finance_director",
    "medical_director",
    "nursing_director",
    "operations_director",
)
# Optional executive roles: (share of trusts with one, share of those created during the
# history, the years it was created in).
_OPTIONAL_EXECUTIVES = {
    "people_director": (0.88, 0.12, (2009, 2016)),
    "strategy_director": (0.5, 0.1, (2010, 2020)),
    "digital_director": (0.4, 0.65, (2014, 2022)),
    "estates_director": (0.25, 0.0, (2010, 2010)),
    "quality_director": (0.2, 0.3, (2011, 2020)),
    "partnerships_director": (0.3, 0.75, (2018, 2023)),
}
# Posts abolished during the history: (share of trusts, years abolished in).
_ABOLISHED = {
    "strategy_director": (0.08, (2011, 2020)),
    "estates_director": (0.06, (2010, 2019)),
    "non_executive_director": (0.12, (2010, 2020)),
}


@dataclass(slots=True)
class PostPlan:
    ref: int
    post_id: str
    trust: Trust
    role_code: str
    title: str
    level: str
    executive: bool
    voting: bool
    established_from: int
    established_to: int | None

    def exists_at(self, when: int) -> bool:
        return self.established_from <= when and (
            self.established_to is None or when < self.established_to
        )

    @property
    def executive_board(self) -> bool:
        return self.level == "board" and self.executive


class PostFactory:
    """Makes posts with consecutive database ids and unique external ids."""

    def __init__(self, first_ref: int) -> None:
        self._next_ref = first_ref
        self._catalogue = {r.code: r for r in roles()}
        self._counts: dict[tuple[str, str], int] = {}
        self.posts: list[PostPlan] = []

    def add(
        self,
        trust: Trust,
        role_code: str,
        *,
        title: str | None = None,
        established_from: int | None = None,
        established_to: int | None = None,
        width: int = 0,
    ) -> PostPlan:
        role = self._catalogue[role_code]
        key = (trust.ods_code, role_code)
        number = self._counts.get(key, 0) + 1
        self._counts[key] = number
        suffix = f"{number:0{width}d}" if width else ("" if number == 1 else str(number))
        post = PostPlan(
            ref=self._next_ref,
            post_id=f"{trust.ods_code}-{_SHORT[role_code]}{suffix}",
            trust=trust,
            role_code=role_code,
            title=title or role.label,
            level=role.level,
            executive=role.executive,
            voting=role.voting,
            established_from=max(trust.start, established_from or trust.start),
            established_to=established_to,
        )
        self._next_ref += 1
        self.posts.append(post)
        return post


def _created_on(rng: random.Random, years: tuple[int, int]) -> int:
    year = rng.randint(*years)
    return day(DEMO_AS_AT.replace(year=year, month=rng.choice((1, 4, 7, 10)), day=1))


def add_board_posts(factory: PostFactory, trust: Trust, seed: int) -> None:
    """The board posts of one trust, including any created or abolished during the history."""
    rng = stream(seed, "board_posts", trust.ods_code)
    for role_code in CORE_EXECUTIVES:
        factory.add(trust, role_code)
    for role_code, (share, created_share, years) in _OPTIONAL_EXECUTIVES.items():
        if rng.random() < share:
            created = _created_on(rng, years) if rng.random() < created_share else None
            factory.add(trust, role_code, established_from=created)
    factory.add(trust, "chair")
    for _ in range(rng.choices((5, 6, 7), weights=(0.3, 0.45, 0.25))[0]):
        factory.add(trust, "non_executive_director", title="Non-executive director")
    if rng.random() < 0.3:
        created = _created_on(rng, (2016, 2022)) if rng.random() < 0.8 else None
        factory.add(trust, "associate_non_executive_director", established_from=created)
    factory.add(trust, "company_secretary")
    for role_code, (share, years) in _ABOLISHED.items():
        if rng.random() < share:
            abolished = _created_on(rng, years)
            if abolished - trust.start > 2 * 365:
                factory.add(trust, role_code, established_to=abolished)


# Leadership posts below the board, per 1,000 staff, by trust kind (acute figures for
# kinds not listed), and the smallest number a trust has.
_LOWER_RATES = {
    "divisional_director": ({"acute": 0.6, "ambulance": 0.4}, 2),
    "clinical_director": (
        {"acute": 2.0, "mental_health": 1.2, "community": 0.7, "ambulance": 0.3},
        2,
    ),
    "associate_director": ({"acute": 1.5}, 3),
    "general_manager": ({"acute": 3.0, "ambulance": 1.2}, 2),
    "service_manager": ({"acute": 6.0}, 3),
    "matron": ({"acute": 3.5, "mental_health": 2.6, "community": 2.4, "ambulance": 0.0}, 0),
    "ward_manager": ({"acute": 10.0, "mental_health": 8.0, "community": 4.0, "ambulance": 0.0}, 0),
    "team_leader": (
        {"acute": 66.0, "mental_health": 82.0, "community": 94.0, "ambulance": 77.0},
        4,
    ),
}
# A trust with no published headcount is treated as this size.
_DEFAULT_HEADCOUNT = 1500


def lower_post_counts(trust: Trust) -> dict[str, int]:
    """How many posts of each leadership role below the board the trust has."""
    headcount = trust.staff_headcount or _DEFAULT_HEADCOUNT
    counts = {}
    for role_code, (rates, minimum) in _LOWER_RATES.items():
        rate = rates.get(trust.kind, rates["acute"])
        counts[role_code] = max(minimum if rate else 0, round(rate * headcount / 1000))
    return counts


@cache
def _title_words() -> dict[tuple[str, str], tuple[str, ...]]:
    """Specialties and divisions by trust kind, and corporate functions, for post titles."""
    text = (resources.files("talentboard.demo") / "data" / "post_titles.csv").read_text("utf-8")
    words: dict[tuple[str, str], list[str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        words.setdefault((row["list"], row["kind"]), []).append(row["name"])
    return {key: tuple(names) for key, names in words.items()}


def _lower_title(role_code: str, index: int, trust: Trust) -> str:
    words = _title_words()
    specialties = words.get(("specialty", trust.kind), words[("specialty", "acute")])
    divisions = words.get(("division", trust.kind), words[("division", "acute")])
    functions = words[("function", "")]
    specialty = specialties[index % len(specialties)]
    if role_code == "divisional_director":
        return f"Divisional director, {divisions[index % len(divisions)]}"
    if role_code == "associate_director":
        return f"Associate director of {functions[index % len(functions)]}"
    if role_code == "ward_manager":
        return f"Ward manager, {specialty} ward {index // len(specialties) + 1}"
    if role_code == "team_leader":
        return f"Team leader, {specialty} team {index // len(specialties) + 1}"
    label = {
        "clinical_director": "Clinical director",
        "general_manager": "General manager",
        "service_manager": "Service manager",
        "matron": "Matron",
    }[role_code]
    return f"{label}, {specialty}"


def add_lower_posts(factory: PostFactory, trust: Trust, seed: int) -> None:
    """Senior, middle and frontline leadership posts; some wards open or close in the history."""
    rng = stream(seed, "lower_posts", trust.ods_code)
    for role_code, count in lower_post_counts(trust).items():
        for index in range(count):
            created: int | None = None
            abolished: int | None = None
            if role_code in ("ward_manager", "team_leader", "service_manager"):
                draw = rng.random()
                if draw < 0.08:
                    created = _created_on(rng, (2010, 2024))
                elif draw < 0.16:
                    abolished = _created_on(rng, (2010, 2024))
                    if abolished - trust.start < 2 * 365:
                        abolished = None
            factory.add(
                trust,
                role_code,
                title=_lower_title(role_code, index, trust),
                established_from=created,
                established_to=abolished,
                width=3,
            )
