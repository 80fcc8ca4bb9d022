"""A small world in the database for matching tests (written out so figures can be checked).

At 2026-09-30: TSTA (acute, London, segment 2) and TSTB (mental health, London, segment
4). P1 and P2 are senior leaders at TSTA, P3 at TSTB; all aim at director of finance: P1
ready in 1-2 years (assessed: governance 2 from her manager; wants stretch), P2 ready now
(never assessed), P3 ready now without consent to move. Opportunities: OPP-1 board
shadowing at TSTB (1 place, develops governance), OPP-2 a secondment at TSTA (1 place),
OPP-3 mentoring at TSTB (2 places). The post TSTA-FD (director of finance) is vacant.

Scores (docs/matching.md): P1-OPP-1: gaps 20 (governance 4 - 2), readiness 30, aspirations
10 (stretch), breadth 20 (new kind, first challenged host) = 80. P1-OPP-3: 15 + 20 = 35.
P2-OPP-1: 10 + 20 = 30. P2-OPP-3: 5 + 20 = 25. P3-OPP-1 and P3-OPP-3 (own organisation):
10 and 5. OPP-2 is eligible for nobody: a secondment in P1's and P2's own trust, and P3
has not consented to another. Optimum: P1-OPP-1, P2-OPP-3, P3-OPP-3 = 110.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from talentboard.db.models import Opportunity, Organisation, PerformanceRating, Person
from tests.talent import factories as f

AT = dt.date(2026, 9, 30)
SINCE = dt.date(2020, 4, 1)


@dataclass
class World:
    p1: Person
    p2: Person
    p3: Person
    opportunities: dict[str, Opportunity]


def organisation(
    session: Session,
    code: str,
    kind: str,
    segment: int,
    *,
    region: str = "Y56",
    headcount: int | None = 4000,
    icb: str | None = None,
) -> Organisation:
    row = Organisation(
        ods_code=code,
        name=f"{code} NHS Trust",
        kind=kind,
        region_code=region,
        icb_code=icb,
        staff_headcount=headcount,
    )
    session.add(row)
    session.flush()
    session.add(
        PerformanceRating(
            ods_code=code, effective_from=dt.date(2026, 3, 1), oversight_segment=segment
        )
    )
    session.flush()
    return row


def opportunity(
    session: Session, opportunity_id: str, kind: str, host: str, capacity: int, develops: list[str]
) -> Opportunity:
    row = Opportunity(
        opportunity_id=opportunity_id,
        kind=kind,
        host_ods_code=host,
        title=f"{kind.replace('_', ' ').capitalize()} at {host}",
        develops=develops,
        levels=["senior"],
        capacity=capacity,
        starts_on=dt.date(2026, 10, 1),
        ends_on=dt.date(2027, 6, 30),
        status="open",
    )
    session.add(row)
    session.flush()
    return row


def build_world(session: Session) -> World:
    organisation(session, "TSTA", "acute", 2)
    organisation(session, "TSTB", "mental_health", 4)
    f.post(session, "TSTA-FD", "TSTA", "finance_director")
    people = []
    for number, (ods, readiness, consent) in enumerate(
        [("TSTA", "ready_1_2y", True), ("TSTA", "ready_now", True), ("TSTB", "ready_now", False)],
        start=1,
    ):
        who = f.person(
            session,
            f"P{number}",
            ethnic_category="A",
            sex="female",
            disability="no",
        )
        post = f.post(session, f"{ods}-AD{number}", ods, "associate_director", level="senior")
        f.appoint(session, who, post, SINCE)
        prof = f.profile(session, who, willing_regions=[], cross_org_consent=consent)
        f.readiness(session, prof, "finance_director", readiness, dt.date(2026, 1, 10))
        people.append(who)
    p1, p2, p3 = people
    f.rate(session, p1, "lcf2024", "governance", "manager", 2, dt.date(2026, 6, 1))
    f.conversation(session, p1, dt.date(2026, 6, 1), growth_wanted="stretch")
    opportunities = {
        "OPP-1": opportunity(session, "OPP-1", "board_shadowing", "TSTB", 1, ["governance"]),
        "OPP-2": opportunity(session, "OPP-2", "secondment", "TSTA", 1, ["strategy"]),
        "OPP-3": opportunity(session, "OPP-3", "mentoring", "TSTB", 2, []),
    }
    return World(p1, p2, p3, opportunities)
