"""Development opportunities offered across organisations.

Every trust in scope hosts a few (more at ``all-levels``): secondments, stretch
assignments, board shadowing, projects, mentoring, coaching and programme places. Each
says which LCF domains it develops and which post levels may take it up; board shadowing
and projects are mostly for people below the board, mentoring and coaching mostly for
board members and senior leaders. They start around the as-at date, so most are open.
"""

from __future__ import annotations

import random

from talentboard.demo.organisations import Trust
from talentboard.demo.posts import AS_AT
from talentboard.demo.rng import Weighted, date_of, stream, weighted
from talentboard.reference import framework, programmes

_KINDS = weighted(
    {
        "secondment": 0.15,
        "stretch_assignment": 0.15,
        "board_shadowing": 0.2,
        "project": 0.15,
        "mentoring": 0.12,
        "coaching": 0.1,
        "programme_place": 0.13,
    }
)
_LEVELS: dict[str, Weighted[tuple[str, ...]]] = {
    "secondment": weighted({("board", "senior"): 0.5, ("senior", "middle"): 0.5}),
    "stretch_assignment": weighted(
        {("senior", "middle"): 0.4, ("board", "senior"): 0.35, ("middle", "frontline"): 0.25}
    ),
    "board_shadowing": weighted(
        {("senior", "middle"): 0.5, ("board",): 0.3, ("middle", "frontline"): 0.2}
    ),
    "project": weighted({("senior", "middle", "frontline"): 0.6, ("board", "senior"): 0.4}),
    "mentoring": weighted({("board", "senior"): 0.6, ("middle", "frontline"): 0.4}),
    "coaching": weighted({("board", "senior"): 0.6, ("senior", "middle"): 0.4}),
}
# Who takes up a programme aimed at a level: that level and the one below.
_PROGRAMME_LEVELS = {
    "board": ("board", "senior"),
    "senior": ("senior", "middle"),
    "middle": ("middle", "frontline"),
    "frontline": ("frontline",),
}
# (shortest, longest) length in days, and (smallest, largest) capacity.
_SHAPE = {
    "secondment": ((180, 365), (1, 1)),
    "stretch_assignment": ((90, 270), (1, 2)),
    "board_shadowing": ((60, 180), (1, 3)),
    "project": ((120, 365), (2, 5)),
    "mentoring": ((180, 365), (1, 4)),
    "coaching": ((180, 365), (2, 5)),
    "programme_place": ((180, 400), (2, 5)),
}
_TITLES = {
    "secondment": (
        "Secondment: deputy director of finance",
        "Secondment: deputy chief operating officer",
        "Secondment: deputy director of nursing",
        "Secondment: associate director of strategy",
        "Secondment to the integrated care board's system team",
    ),
    "stretch_assignment": (
        "Stretch assignment: lead the winter resilience plan",
        "Stretch assignment: acting divisional director cover",
        "Stretch assignment: lead the elective recovery programme",
        "Stretch assignment: lead the staff retention plan",
    ),
    "board_shadowing": (
        "Board shadowing: trust board and the quality committee",
        "Board shadowing: finance and performance committee",
        "Board shadowing: people committee",
        "Board shadowing: audit and risk committee",
    ),
    "project": (
        "Project: virtual wards roll-out",
        "Project: reducing health inequalities in outpatient access",
        "Project: electronic patient record optimisation",
        "Project: patient safety incident response framework",
        "Project: community diagnostic centre",
    ),
    "mentoring": (
        "Mentoring by a serving chief executive",
        "Mentoring by an experienced executive director",
        "Reverse mentoring with a member of staff",
    ),
    "coaching": (
        "Executive coaching for aspiring directors",
        "Team coaching for a new executive team",
        "Coaching for leaders in their first board role",
    ),
}


def build_opportunities(
    trusts: list[Trust], seed: int, ids: dict[str, int], *, all_levels: bool
) -> list[dict[str, object]]:
    rng = stream(seed, "opportunities")
    domains = framework("lcf2024").domain_codes
    catalogue = programmes()
    rows: list[dict[str, object]] = []
    for trust in trusts:
        count = rng.randint(5, 10) if all_levels else rng.randint(2, 5)
        for number in range(1, count + 1):
            kind = _KINDS.draw(rng)
            (shortest, longest), (smallest, largest) = _SHAPE[kind]
            if kind == "programme_place":
                programme = rng.choice(catalogue)
                title = f"Programme place: {programme.name}"
                levels = _PROGRAMME_LEVELS[programme.target_level]
                description = programme.description
            else:
                title = rng.choice(_TITLES[kind])
                levels = _LEVELS[kind].draw(rng)
                description = f"Hosted by {trust.name}."
            starts = AS_AT + rng.randint(-150, 240)
            ends = starts + rng.randint(shortest, longest)
            rows.append(
                {
                    "id": ids["opportunities"] + len(rows),
                    "opportunity_id": f"OPP-{trust.ods_code}-{number:02d}",
                    "kind": kind,
                    "host_ods_code": trust.ods_code,
                    "title": title,
                    "develops": sorted(rng.sample(domains, rng.randint(1, 3)), key=domains.index),
                    "levels": list(levels),
                    "capacity": rng.randint(smallest, largest),
                    "starts_on": date_of(starts),
                    "ends_on": date_of(ends),
                    "status": _status(rng, starts, ends),
                    "description": description,
                }
            )
    return rows


def _status(rng: random.Random, starts: int, ends: int) -> str:
    if ends <= AS_AT:
        return "filled" if rng.random() < 0.7 else "closed"
    if starts <= AS_AT:
        return "filled" if rng.random() < 0.4 else "open"
    return "withdrawn" if rng.random() < 0.08 else "open"
