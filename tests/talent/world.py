"""A small, hand-worked register with talent data, as at 2026-09-30 (``AT``).

Organisations (shipped): RJ1 (London Y56, segment 1), RRK (Midlands Y60, segment 3), R0A
(North West Y62, segment 3). Staff: RJ1 20,000 at 50% BME, RRK 10,000 at 20% BME, R0A
unknown BME share.

| person | sex, ethnic category, disability, background | appointment(s)                        |
|--------|----------------------------------------------|---------------------------------------|
| P01    | female, A, no, medical                      | RJ1-CEO from 2024-10-01               |
| P02    | male, H, no, general_management             | RJ1-COO from 2022-01-01               |
| P03    | female, M, yes, nursing                     | RJ1-DD 2019-01-01 to 2026-06-30 (forced) |
| P04    | male, A, no, finance                        | RJ1-FD interim from 2026-07-01        |
| P05    | female, N, no, nursing                      | RJ1-DD from 2026-07-01                |
| P06    | female, Z, not_stated, ahp                  | RRK-GM from 2020-01-01                |
| P07    | male, A, no, finance                        | R0A-CEO from 2016-10-01               |
| P08    | male, A, no, finance                        | RJ1-NED from 2023-01-01 to 2027-03-31 |
| P09    | female, A, no, other                        | RJ1-CHAIR from 2021-04-01             |
| P10    | male, A, no, medical                        | RJ1-MD 2025-01-01 to 2026-03-31 (term)|
| P11    | female, N, no, medical                      | RJ1-MD from 2026-04-01                |
| P12    | female, A, not_stated, other                | RJ1-SEC (secretary) from 2020-01-01   |
| P13    | male, A, yes, other                         | RJ1-WM (ward manager) from 2018-01-01 |
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.orm import Session

from talentboard.db.models import AppraisalRecord, Organisation, Person, Post
from tests.talent import factories as f

D = dt.date
AT = D(2026, 9, 30)
LCF_DOMAINS = ("outcomes", "strategy", "equality", "governance", "culture", "partnerships")

PEOPLE = {
    "P01": ("female", "A", "no", "medical"),
    "P02": ("male", "H", "no", "general_management"),
    "P03": ("female", "M", "yes", "nursing"),
    "P04": ("male", "A", "no", "finance"),
    "P05": ("female", "N", "no", "nursing"),
    "P06": ("female", "Z", "not_stated", "ahp"),
    "P07": ("male", "A", "no", "finance"),
    "P08": ("male", "A", "no", "finance"),
    "P09": ("female", "A", "no", "other"),
    "P10": ("male", "A", "no", "medical"),
    "P11": ("female", "N", "no", "medical"),
    "P12": ("female", "A", "not_stated", "other"),
    "P13": ("male", "A", "yes", "other"),
}
POSTS = {
    "RJ1-CEO": ("RJ1", "chief_executive"),
    "RJ1-COO": ("RJ1", "operations_director"),
    "RJ1-FD": ("RJ1", "finance_director"),
    "RJ1-MD": ("RJ1", "medical_director"),
    "RJ1-DD": ("RJ1", "divisional_director"),
    "RJ1-CHAIR": ("RJ1", "chair"),
    "RJ1-NED": ("RJ1", "non_executive_director"),
    "RJ1-SEC": ("RJ1", "company_secretary"),
    "RJ1-WM": ("RJ1", "ward_manager"),
    "RRK-MD": ("RRK", "medical_director"),
    "RRK-GM": ("RRK", "general_manager"),
    "R0A-CEO": ("R0A", "chief_executive"),
}


def build_world(session: Session) -> tuple[dict[str, Person], dict[str, Post]]:
    """Add the world above to the session (flushed, not committed)."""
    session.execute(
        update(Organisation)
        .where(Organisation.ods_code == "RJ1")
        .values(staff_headcount=20000, bme_staff_share=0.5)
    )
    session.execute(
        update(Organisation)
        .where(Organisation.ods_code == "RRK")
        .values(staff_headcount=10000, bme_staff_share=0.2)
    )
    session.execute(
        update(Organisation).where(Organisation.ods_code == "R0A").values(bme_staff_share=None)
    )
    people = {
        pid: f.person(
            session,
            pid,
            sex=sex,
            ethnic_category=ethnic,
            disability=disability,
            professional_background=background,
        )
        for pid, (sex, ethnic, disability, background) in PEOPLE.items()
    }
    posts = {pid: f.post(session, pid, ods, role) for pid, (ods, role) in POSTS.items()}
    p, s = people, posts
    f.appoint(session, p["P01"], s["RJ1-CEO"], D(2024, 10, 1))
    f.appoint(session, p["P02"], s["RJ1-COO"], D(2022, 1, 1))
    f.appoint(
        session,
        p["P03"],
        s["RJ1-DD"],
        D(2019, 1, 1),
        D(2026, 6, 30),
        end_reason="dismissed_or_forced",
        exit_notes="Left after the governance review",
    )
    f.appoint(session, p["P04"], s["RJ1-FD"], D(2026, 7, 1), kind="interim")
    f.appoint(session, p["P05"], s["RJ1-DD"], D(2026, 7, 1))
    f.appoint(session, p["P06"], s["RRK-GM"], D(2020, 1, 1))
    f.appoint(session, p["P07"], s["R0A-CEO"], D(2016, 10, 1))
    f.appoint(session, p["P08"], s["RJ1-NED"], D(2023, 1, 1), D(2027, 3, 31))
    f.appoint(session, p["P09"], s["RJ1-CHAIR"], D(2021, 4, 1))
    f.appoint(
        session, p["P10"], s["RJ1-MD"], D(2025, 1, 1), D(2026, 3, 31), end_reason="end_of_term"
    )
    f.appoint(session, p["P11"], s["RJ1-MD"], D(2026, 4, 1))
    f.appoint(session, p["P12"], s["RJ1-SEC"], D(2020, 1, 1))
    f.appoint(session, p["P13"], s["RJ1-WM"], D(2018, 1, 1))

    # Succession plans, reviewed 2026-01-01.
    on = D(2026, 1, 1)
    f.plan(
        session, s["RJ1-CEO"], [(p["P02"], "ready_now", False), (p["P03"], "ready_1_2y", False)], on
    )
    f.plan(
        session, s["RJ1-FD"], [(p["P04"], "ready_now", False), (p["P05"], "ready_1_2y", True)], on
    )
    f.plan(session, s["RJ1-DD"], [(p["P06"], "ready_3_5y", False)], on)
    f.plan(session, s["RRK-MD"], [(p["P02"], "ready_now", True)], on)

    # Talent pool.
    p02 = f.profile(session, p["P02"], cross_org_consent=True, reviewed_on=D(2026, 1, 1))
    f.readiness(session, p02, "chief_executive", "ready_1_2y", D(2025, 1, 1))
    f.readiness(session, p02, "chief_executive", "ready_now", D(2026, 1, 1))
    p05 = f.profile(
        session,
        p["P05"],
        willing_regions=["Y56", "Y60"],
        cross_org_consent=True,
        programmes=["ready_now"],
        timeframe="1-2 years",
        reviewed_on=D(2026, 6, 1),
    )
    f.readiness(session, p05, "finance_director", "ready_1_2y", D(2026, 6, 1))
    p06 = f.profile(session, p["P06"], impact="medium", growth="low", reviewed_on=D(2025, 5, 1))
    f.readiness(session, p06, "divisional_director", "ready_3_5y", D(2025, 5, 1))
    p13 = f.profile(session, p["P13"], programmes=["mary_seacole"], reviewed_on=D(2026, 2, 1))
    f.readiness(session, p13, "matron", "ready_1_2y", D(2026, 2, 1))

    # Scope for Growth conversations.
    f.conversation(
        session,
        p["P05"],
        D(2026, 6, 1),
        held_with="P01",
        impact="high",
        growth="high",
        growth_wanted="stretch",
        actions=(
            {
                "action": "Nye Bevan Programme",
                "programme_code": "nye_bevan",
                "due_on": D(2026, 12, 31),
                "status": "planned",
            },
            {
                "action": "Board shadowing at RRK",
                "opportunity_kind": "board_shadowing",
                "due_on": D(2026, 8, 31),
                "status": "in_progress",
            },
            {"action": "Finance masterclass", "due_on": D(2026, 7, 31), "status": "done"},
        ),
    )
    f.conversation(
        session, p["P06"], D(2025, 5, 1), impact="medium", growth="low", growth_wanted="depth"
    )

    # Assessments: P05 (LCF, self and others); P02 and P09 for the board skills matrix.
    lcf = "lcf2024"
    for domain, own, manager, peer in (
        ("outcomes", 3, 3, 4),
        ("strategy", 2, 2, 2),
        ("equality", 4, 3, None),
        ("governance", 3, 2, 2),
        ("culture", 4, 4, 3),
        ("partnerships", 3, None, None),
    ):
        f.rate(session, p["P05"], lcf, domain, "self", own, D(2026, 5, 1))
        f.rate(session, p["P05"], lcf, domain, "manager", manager, D(2026, 5, 20))
        f.rate(session, p["P05"], lcf, domain, "peer", peer, D(2026, 5, 20), rater_id="p1")
    f.rate(session, p["P02"], lcf, "strategy", "manager", 3, D(2026, 3, 1))
    f.rate(session, p["P02"], lcf, "strategy", "peer", 4, D(2026, 3, 1), rater_id="p1")
    f.rate(session, p["P02"], lcf, "equality", "self", 2, D(2026, 3, 1))
    f.rate(session, p["P09"], lcf, "governance", "self", 4, D(2026, 2, 1))
    f.rate(session, p["P09"], lcf, "partnerships", "self", 4, D(2026, 2, 1))

    # Appraisals.
    session.add_all(
        [
            AppraisalRecord(
                person_ref=p["P01"].id,
                period_start=D(2025, 4, 1),
                period_end=D(2026, 3, 31),
                appraised_on=D(2026, 5, 1),
                appraiser="P09",
                multi_source_feedback=True,
                domain_ratings=dict(zip(LCF_DOMAINS, (4, 4, 2, 3, 4, 3), strict=True)),
                objectives=["Deliver the recovery plan", "Close the WRES gap"],
                edi_objective="Close the WRES indicator 9 gap by 5 points",
            ),
            AppraisalRecord(
                person_ref=p["P02"].id,
                period_start=D(2024, 4, 1),
                period_end=D(2025, 3, 31),
                appraised_on=D(2025, 5, 1),
                multi_source_feedback=True,
                domain_ratings={},
                edi_objective="Mentor two Stepping Up graduates",
            ),
            AppraisalRecord(
                person_ref=p["P08"].id,
                period_start=D(2025, 4, 1),
                period_end=D(2026, 3, 31),
                appraised_on=D(2026, 6, 1),
                multi_source_feedback=False,
                domain_ratings={"outcomes": 3, "strategy": 2, "governance": 4, "culture": 2},
            ),
        ]
    )

    # Fit and Proper Person checks for the RJ1 chief executive and chief operating officer.
    for check_type in (
        "identity_right_to_work",
        "insolvency_bankruptcy",
        "disqualified_directors",
        "employment_history_references",
        "qualifications",
        "professional_registration",
        "social_media",
        "self_attestation",
        "chair_sign_off",
    ):
        f.check(session, p["P01"], check_type, D(2026, 2, 1))
    f.check(session, p["P01"], "dbs", D(2023, 1, 1))
    f.check(session, p["P02"], "self_attestation", D(2025, 10, 15))
    f.check(session, p["P02"], "social_media", D(2026, 1, 10), outcome="concern")
    session.flush()
    return people, posts
