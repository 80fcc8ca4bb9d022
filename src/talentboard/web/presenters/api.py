"""Records as the JSON API returns them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard.db.models import Appointment, Organisation, Person, Post


def organisation_json(organisation: Organisation, segment: int | None) -> dict[str, Any]:
    return {
        "ods_code": organisation.ods_code,
        "name": organisation.name,
        "kind": organisation.kind,
        "region_code": organisation.region_code,
        "icb_code": organisation.icb_code,
        "staff_headcount": organisation.staff_headcount,
        "bme_staff_share": organisation.bme_staff_share,
        "oversight_segment": segment,
    }


def person_json(session: Session, person: Person) -> dict[str, Any]:
    rows = session.execute(
        select(Appointment, Post)
        .join(Post, Post.id == Appointment.post_ref)
        .where(Appointment.person_ref == person.id)
        .order_by(Appointment.start_date)
    ).all()
    return {
        "person_id": person.person_id,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "ethnic_category": person.ethnic_category,
        "sex": person.sex,
        "disability": person.disability,
        "professional_background": person.professional_background,
        "birth_year": person.birth_year,
        "appointments": [
            {
                "post_id": post.post_id,
                "ods_code": post.ods_code,
                "role_code": post.role_code,
                "title": post.title,
                "start_date": a.start_date.isoformat(),
                "end_date": a.end_date.isoformat() if a.end_date else None,
                "appointment_type": a.appointment_type,
                "end_reason": a.end_reason,
            }
            for a, post in rows
        ],
    }
