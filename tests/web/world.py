"""A small written-out world for the web tests: three trusts in two regions, four people,
one user of each role.

    R1H Barts Health (London, Y56)        chief executive: Alice Adams (substantive, 2020-01-01)
                                          director of finance: vacant
                                          divisional director: Erin Evans (substantive, 2022-09-01)
    R1K London North West (London, Y56)   chief executive: Bob Brown (substantive, 2019-06-01)
    RA7 Bristol (South West, Y58)         chief executive: Carol Clark (substantive, 2021-04-01)
                                          medical director: Dan Davies (interim, 2026-01-01)

Succession plans: Barts' chief executive names Erin (ready now) and Bob (ready in 1 to 2
years); Bristol's names Dan.

Who sees whom (DESIGN section 8): ``national`` everyone; ``regional`` (Y56) Alice, Bob and
Erin; ``org_admin`` (R1H) Alice and Erin; ``viewer`` nobody; ``individual`` Alice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

from sqlalchemy.orm import Session

from talentboard.db.models import (
    Appointment,
    Assessment,
    BuddyPairing,
    CareerConversation,
    MatchProposal,
    MatchRun,
    Opportunity,
    Person,
    Post,
    ReadinessReview,
    SavedMapping,
    SuccessionPlan,
    Successor,
    TalentProfile,
    User,
)
from talentboard.web.accounts import hash_password

PASSWORD = "correct horse battery staple"
ROLES = ("national", "regional", "org_admin", "viewer", "individual")
PEOPLE = ("P-ALICE", "P-BOB", "P-CAROL", "P-DAN", "P-ERIN")
ORGANISATIONS = ("R1H", "R1K", "RA7")

VISIBLE_PEOPLE = {
    "national": {"P-ALICE", "P-BOB", "P-CAROL", "P-DAN", "P-ERIN"},
    "regional": {"P-ALICE", "P-BOB", "P-ERIN"},
    "org_admin": {"P-ALICE", "P-ERIN"},
    "viewer": set(),
    "individual": {"P-ALICE"},
}
VISIBLE_ORGANISATIONS = {
    "national": {"R1H", "R1K", "RA7"},
    "regional": {"R1H", "R1K"},
    "org_admin": {"R1H"},
    "viewer": {"R1H", "R1K", "RA7"},
    "individual": set(),
}


@cache
def password_hash() -> str:
    return hash_password(PASSWORD)


@dataclass
class World:
    people: dict[str, Person]
    posts: dict[str, Post]
    users: dict[str, User]
    appointments: dict[str, Appointment]
    conversations: dict[str, CareerConversation]
    ratings: dict[str, Assessment]
    successors: dict[str, Successor]
    proposals: dict[str, MatchProposal]
    pairings: dict[str, BuddyPairing]
    # Saved column choices by owner (``web.permissions.mapping_owner``).
    mappings: dict[str, SavedMapping] = field(default_factory=dict)


def _post(
    session: Session, post_id: str, ods_code: str, role_code: str, title: str, level: str = "board"
) -> Post:
    row = Post(
        post_id=post_id,
        ods_code=ods_code,
        role_code=role_code,
        title=title,
        level=level,
        executive=level == "board",
        voting=level == "board",
        established_from=dt.date(2010, 1, 1),
    )
    session.add(row)
    return row


def build_world(session: Session) -> World:
    posts = {
        "R1H-CEO": _post(session, "R1H-CEO", "R1H", "chief_executive", "Chief executive"),
        "R1H-FD": _post(session, "R1H-FD", "R1H", "finance_director", "Director of finance"),
        "R1H-DIR": _post(
            session, "R1H-DIR", "R1H", "divisional_director", "Divisional director", "senior"
        ),
        "R1K-CEO": _post(session, "R1K-CEO", "R1K", "chief_executive", "Chief executive"),
        "RA7-CEO": _post(session, "RA7-CEO", "RA7", "chief_executive", "Chief executive"),
        "RA7-MD": _post(session, "RA7-MD", "RA7", "medical_director", "Medical director"),
    }
    people = {
        pid: Person(person_id=pid, given_name=given, family_name=family, ethnic_category=eth)
        for pid, given, family, eth in (
            ("P-ALICE", "Alice", "Adams", "A"),
            ("P-BOB", "Bob", "Brown", "M"),
            ("P-CAROL", "Carol", "Clark", "H"),
            ("P-DAN", "Dan", "Davies", "Z"),
            ("P-ERIN", "Erin", "Evans", "N"),
        )
    }
    session.add_all(people.values())
    session.flush()
    appointments = {}
    for pid, post_id, start, kind in (
        ("P-ALICE", "R1H-CEO", dt.date(2020, 1, 1), "substantive"),
        ("P-BOB", "R1K-CEO", dt.date(2019, 6, 1), "substantive"),
        ("P-CAROL", "RA7-CEO", dt.date(2021, 4, 1), "substantive"),
        ("P-DAN", "RA7-MD", dt.date(2026, 1, 1), "interim"),
        ("P-ERIN", "R1H-DIR", dt.date(2022, 9, 1), "substantive"),
    ):
        appointments[pid] = Appointment(
            person_ref=people[pid].id,
            post_ref=posts[post_id].id,
            start_date=start,
            appointment_type=kind,
        )
        session.add(appointments[pid])
    # Alice and Carol are in the talent pool, each with a conversation and a rating.
    conversations, ratings = {}, {}
    for pid in ("P-ALICE", "P-CAROL"):
        profile = TalentProfile(
            person_ref=people[pid].id,
            willing_regions=["Y56"],
            cross_org_consent=True,
            impact="high",
            growth="medium",
            programmes=[],
        )
        session.add(profile)
        session.flush()
        session.add(
            ReadinessReview(
                profile_ref=profile.id,
                target_role_code="chief_executive",
                readiness="ready_1_2y",
                reviewed_on=dt.date(2026, 3, 1),
            )
        )
        conversations[pid] = CareerConversation(
            person_ref=people[pid].id, held_on=dt.date(2026, 3, 1), growth_wanted="stretch"
        )
        ratings[pid] = Assessment(
            person_ref=people[pid].id,
            framework="lcf2024",
            domain_code="outcomes",
            rater_relation="self",
            rater_id="",
            score=3,
            assessed_on=dt.date(2026, 3, 1),
        )
        session.add_all([conversations[pid], ratings[pid]])
    # Succession plans; ``successors`` holds the first entry of each plan.
    successors: dict[str, Successor] = {}
    plans = {}
    for post_id, pid, readiness in (
        ("R1H-CEO", "P-ERIN", "ready_now"),
        ("R1H-CEO", "P-BOB", "ready_1_2y"),
        ("RA7-CEO", "P-DAN", "ready_1_2y"),
    ):
        if post_id not in plans:
            plans[post_id] = SuccessionPlan(
                post_ref=posts[post_id].id, reviewed_on=dt.date(2026, 3, 1)
            )
            session.add(plans[post_id])
            session.flush()
        entry = Successor(
            plan_ref=plans[post_id].id,
            person_ref=people[pid].id,
            readiness=readiness,
            emergency_cover=False,
            reviewed_on=dt.date(2026, 3, 1),
        )
        session.add(entry)
        successors.setdefault(post_id, entry)
    opportunity = Opportunity(
        opportunity_id="OPP-1",
        kind="board_shadowing",
        host_ods_code="R1H",
        title="Board shadowing at Barts Health",
        develops=["governance"],
        levels=["board", "senior"],
        capacity=1,
        status="open",
    )
    session.add(opportunity)
    # A stored matching round proposing OPP-1 to Alice and to Carol, and a buddying round
    # pairing R1K with R1H (London) and R0D with RA7 (South West).
    created = dt.datetime(2026, 9, 30, 9, 0, tzinfo=dt.UTC)
    match_run = MatchRun(kind="opportunities", as_at=dt.date(2026, 9, 30), created_at=created)
    buddy_run = MatchRun(kind="buddies", as_at=dt.date(2026, 9, 30), created_at=created)
    session.add_all([match_run, buddy_run])
    session.flush()
    proposals = {
        pid: MatchProposal(
            run_ref=match_run.id,
            person_ref=people[pid].id,
            opportunity_ref=opportunity.id,
            score=10,
            reasons=["develops governance, a gap against the target role"],
            status="proposed",
        )
        for pid in ("P-ALICE", "P-CAROL")
    }
    pairings = {
        challenged: BuddyPairing(
            run_ref=buddy_run.id,
            challenged_ods_code=challenged,
            strong_ods_code=strong,
            score=5,
            reasons=["same kind and region"],
            status="proposed",
        )
        for challenged, strong in (("R1K", "R1H"), ("R0D", "RA7"))
    }
    session.add_all([*proposals.values(), *pairings.values()])
    scopes = {
        "national": {},
        "regional": {"region_code": "Y56"},
        "org_admin": {"ods_code": "R1H"},
        "viewer": {},
        "individual": {"person_ref": people["P-ALICE"].id},
    }
    users = {}
    for role, scope in (*scopes.items(), ("spare", {})):
        user = User(
            username=f"{role}-user",
            password_hash=password_hash(),
            role="viewer" if role == "spare" else role,
            active=True,
            failed_logins=0,
            created_at=dt.datetime.now(dt.UTC),
            **scope,
        )
        session.add(user)
        users[role] = user
    mappings = {
        owner: SavedMapping(
            owner=owner,
            kind="people",
            name="ESR people",
            content={"kind": "people", "columns": {"person_id": "Employee Number"}},
            saved_by="national-user",
            saved_at=dt.datetime.now(dt.UTC),
        )
        for owner in ("national", "region:Y56", "org:R1H", "org:RA7")
    }
    session.add_all(mappings.values())
    session.flush()
    return World(
        people,
        posts,
        users,
        appointments,
        conversations,
        ratings,
        successors,
        proposals,
        pairings,
        mappings,
    )
