"""The account page: who the user is, what they may see, their API tokens."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard.db.models import ApiToken, Organisation, Person
from talentboard.web.permissions import Principal
from talentboard.web.presenters.formatting import date, label, region_name


def role_label(role: str) -> str:
    return label(role)


def scope_description(session: Session, principal: Principal) -> str:
    """The caller's scope in words."""
    if principal.role == "individual" and principal.person_ref is not None:
        person = session.get(Person, principal.person_ref)
        name = f"{person.given_name} {person.family_name}" if person else "your record"
        return f"Your own record ({name})"
    if principal.ods_code is not None and principal.role in ("org_admin", "viewer"):
        organisation = session.get(Organisation, principal.ods_code)
        name = organisation.name if organisation else principal.ods_code
        return f"{name} ({principal.ods_code})"
    if principal.region_code is not None and principal.role in ("regional", "viewer"):
        return f"Organisations in the {region_name(principal.region_code)} region"
    return "All organisations in England"


def account_page(session: Session, principal: Principal) -> dict[str, Any]:
    tokens = session.scalars(
        select(ApiToken).where(ApiToken.user_ref == principal.user_id).order_by(ApiToken.id)
    ).all()
    return {
        "title": "Your account",
        "summary": [
            {"key": {"text": "Username"}, "value": {"text": principal.username}},
            {"key": {"text": "Role"}, "value": {"text": role_label(principal.role)}},
            {
                "key": {"text": "What you can see"},
                "value": {"text": scope_description(session, principal)},
            },
        ],
        "token_rows": [
            [
                {"text": f"Token {i}"},
                {"text": date(t.created_at)},
                {"text": date(t.last_used_at, "Never")},
                {"text": "Revoked" if t.revoked else "Active"},
            ]
            for i, t in enumerate(tokens, start=1)
        ],
    }
