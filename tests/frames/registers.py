"""A small register builder for tests: write out a register once, then get it as pure frames
or save it through the real database and load it back with ``load_register``.

Organisations get ``TST``-prefixed ODS codes in the fixtures so they never collide with the
reference trusts the ``session`` fixture loads (those have no posts, so they change no figure).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from talentboard.db.models import Appointment, Organisation, PerformanceRating, Person, Post
from talentboard.frames.register import RegisterFrames, load_register
from talentboard.reference import roles

ROLE = {r.code: r for r in roles()}


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@dataclass
class RegisterBuilder:
    organisations: list[dict[str, Any]] = field(default_factory=list)
    ratings: list[dict[str, Any]] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)
    appointments: list[dict[str, Any]] = field(default_factory=list)

    def org(
        self,
        ods_code: str,
        *,
        kind: str = "acute",
        region: str = "Y56",
        headcount: int | None = None,
        bme: float | None = None,
        segment: int | None = None,
        rated_from: str = "2000-01-01",
    ) -> RegisterBuilder:
        self.organisations.append(
            {
                "ods_code": ods_code,
                "name": f"{ods_code} NHS Trust",
                "kind": kind,
                "region_code": region,
                "icb_code": None,
                "staff_headcount": headcount,
                "bme_staff_share": bme,
            }
        )
        if segment is not None:
            self.rating(ods_code, rated_from, segment)
        return self

    def rating(self, ods_code: str, effective_from: str, segment: int | None) -> RegisterBuilder:
        self.ratings.append(
            {
                "ods_code": ods_code,
                "effective_from": d(effective_from),
                "oversight_segment": segment,
                "cqc_rating": None,
            }
        )
        return self

    def post(
        self,
        post_id: str,
        ods_code: str,
        role_code: str,
        *,
        established_from: str | None = None,
        established_to: str | None = None,
        **overrides: Any,
    ) -> RegisterBuilder:
        role = ROLE[role_code]
        self.posts.append(
            {
                "post_ref": len(self.posts) + 1,
                "post_id": post_id,
                "ods_code": ods_code,
                "role_code": role_code,
                "title": role.label,
                "level": overrides.get("level", role.level if role.level != "other" else "middle"),
                "executive": overrides.get("executive", role.executive),
                "voting": overrides.get("voting", role.voting),
                "established_from": d(established_from) if established_from else None,
                "established_to": d(established_to) if established_to else None,
            }
        )
        return self

    def person(
        self,
        person_id: str,
        ethnic_category: str | None = None,
        *,
        background: str | None = None,
    ) -> RegisterBuilder:
        self.people.append(
            {
                "person_ref": len(self.people) + 1,
                "person_id": person_id,
                "given_name": person_id.title(),
                "family_name": "Example",
                "ethnic_category": ethnic_category,
                "sex": None,
                "disability": None,
                "professional_background": background,
                "birth_year": None,
            }
        )
        return self

    def appoint(
        self,
        person_id: str,
        post_id: str,
        start: str,
        end: str | None = None,
        kind: str = "substantive",
        reason: str | None = None,
    ) -> RegisterBuilder:
        person_ref = next(p["person_ref"] for p in self.people if p["person_id"] == person_id)
        post_ref = next(p["post_ref"] for p in self.posts if p["post_id"] == post_id)
        if end is not None and reason is None:
            reason = "other"
        self.appointments.append(
            {
                "appointment_ref": len(self.appointments) + 1,
                "person_ref": person_ref,
                "post_ref": post_ref,
                "start_date": d(start),
                "end_date": d(end) if end else None,
                "appointment_type": kind,
                "end_reason": reason,
            }
        )
        return self

    def frames(self) -> RegisterFrames:
        """The register as pure frames (refs numbered from 1 in the order written)."""
        return RegisterFrames.from_rows(
            organisations=self.organisations,
            ratings=self.ratings,
            posts=self.posts,
            people=self.people,
            appointments=self.appointments,
        )

    def save(self, session: Session) -> RegisterFrames:
        """Insert the register through the ORM, then read it back with ``load_register``."""
        session.add_all(Organisation(**row) for row in self.organisations)
        session.flush()
        session.add_all(PerformanceRating(**row) for row in self.ratings)
        posts = {
            row["post_ref"]: Post(**{k: v for k, v in row.items() if k != "post_ref"})
            for row in self.posts
        }
        people = {
            row["person_ref"]: Person(**{k: v for k, v in row.items() if k != "person_ref"})
            for row in self.people
        }
        session.add_all([*posts.values(), *people.values()])
        session.flush()
        session.add_all(
            Appointment(
                person_ref=people[row["person_ref"]].id,
                post_ref=posts[row["post_ref"]].id,
                start_date=row["start_date"],
                end_date=row["end_date"],
                appointment_type=row["appointment_type"],
                end_reason=row["end_reason"],
            )
            for row in self.appointments
        )
        session.flush()
        return load_register(session)
