"""A random register for tests that compare with a reference on many spells (seeded)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from talentboard.frames.register import RegisterFrames
from talentboard.reference import roles

EXECUTIVE_ROLES = [r.code for r in roles() if r.level == "board" and r.executive]
KINDS = ["acute", "mental_health", "community", "ambulance"]
REGIONS = ["Y56", "Y58", "Y59", "Y60", "Y61", "Y62", "Y63"]
BACKGROUNDS = ["medical", "nursing", "finance", "general_management", None]
ETHNICITY = ["A", "A", "A", "C", "H", "N", "Z", "99", None]
FIRST = dt.date(2005, 1, 1)


def random_register(seed: int, organisations: int = 40) -> RegisterFrames:
    """Organisations with the executive roles, each post a history of substantive spells
    (some renewed back to back, some followed by interim cover), through 2027."""
    rng = np.random.default_rng(seed)
    orgs, ratings, posts, people, appointments = [], [], [], [], []
    for o in range(organisations):
        code = f"R{o:03d}"
        orgs.append(
            {
                "ods_code": code,
                "name": f"Trust {o}",
                "kind": KINDS[o % len(KINDS)],
                "region_code": REGIONS[o % len(REGIONS)],
                "icb_code": None,
                "staff_headcount": None if o % 9 == 0 else int(rng.integers(1000, 15000)),
                "bme_staff_share": None if o % 7 == 0 else float(rng.uniform(0.05, 0.45)),
            }
        )
        for year, segment in ((2019, rng.integers(1, 5)), (2024, rng.integers(1, 5))):
            ratings.append(
                {
                    "ods_code": code,
                    "effective_from": dt.date(year, 4, 1),
                    "oversight_segment": None if o % 11 == 5 else int(segment),
                    "cqc_rating": None,
                }
            )
        hazard = 1.0 + 0.4 * (o % 4)
        for role in EXECUTIVE_ROLES:
            post_ref = len(posts) + 1
            posts.append(
                {
                    "post_ref": post_ref,
                    "post_id": f"{code}-{role}",
                    "ods_code": code,
                    "role_code": role,
                    "title": role,
                    "level": "board",
                    "executive": True,
                    "voting": role in ("chief_executive", "finance_director", "medical_director"),
                    "established_from": None,
                    "established_to": None,
                }
            )
            day = FIRST + dt.timedelta(days=int(rng.integers(0, 400)))
            while day < dt.date(2027, 1, 1):
                person_ref = len(people) + 1
                people.append(
                    {
                        "person_ref": person_ref,
                        "person_id": f"P{person_ref}",
                        "given_name": "A",
                        "family_name": "B",
                        "ethnic_category": ETHNICITY[int(rng.integers(0, len(ETHNICITY)))],
                        "sex": None,
                        "disability": None,
                        "professional_background": BACKGROUNDS[
                            int(rng.integers(0, len(BACKGROUNDS)))
                        ],
                        "birth_year": None,
                    }
                )
                length = int(rng.exponential(1500 / hazard)) + 30
                end = day + dt.timedelta(days=length)
                still = end > dt.date(2027, 1, 1)
                renewal = day + dt.timedelta(days=length // 2)
                pieces = [(day, end)]
                if rng.random() < 0.25 and length > 200:
                    gap = int(rng.integers(0, 2))
                    pieces = [(day, renewal), (renewal + dt.timedelta(days=gap), end)]
                for k, (start, stop) in enumerate(pieces):
                    last = k == len(pieces) - 1
                    appointments.append(
                        {
                            "appointment_ref": len(appointments) + 1,
                            "person_ref": person_ref,
                            "post_ref": post_ref,
                            "start_date": start,
                            "end_date": None if (still and last) else stop,
                            "appointment_type": "substantive",
                            "end_reason": None
                            if (still and last)
                            else ("dismissed_or_forced" if rng.random() < 0.1 else "moved_nhs"),
                        }
                    )
                gap_days = int(rng.exponential(60)) if rng.random() < 0.4 else 0
                if gap_days > 20 and not still:
                    appointments.append(
                        {
                            "appointment_ref": len(appointments) + 1,
                            "person_ref": int(rng.integers(1, person_ref + 1)),
                            "post_ref": post_ref,
                            "start_date": end,
                            "end_date": end + dt.timedelta(days=gap_days),
                            "appointment_type": "interim",
                            "end_reason": "other",
                        }
                    )
                day = end + dt.timedelta(days=gap_days)
    return RegisterFrames.from_rows(
        organisations=orgs,
        ratings=ratings,
        posts=posts,
        people=people,
        appointments=appointments,
    )
