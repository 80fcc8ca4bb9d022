"""Administration pages: the users table and the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

from talentboard.db.models import AuditEvent, User
from talentboard.web.accounts import sign_in_methods
from talentboard.web.presenters.formatting import date, label, region_name


def _scope(user: User) -> str:
    if user.role == "org_admin" or (user.role == "viewer" and user.ods_code):
        return f"Organisation {user.ods_code}"
    if user.role == "regional" or (user.role == "viewer" and user.region_code):
        return region_name(user.region_code)
    if user.role == "individual":
        return "Own record"
    return "England"


def user_rows(
    users: Sequence[User], csrf_field: str, csrf_token: str
) -> list[list[dict[str, Any]]]:
    rows: list[list[dict[str, Any]]] = []
    for user in users:
        actions: Markup = Markup("")
        if user.active:
            actions = _post_button(
                f"/admin/users/{user.username}/token",
                "New API token",
                user.username,
                csrf_field,
                csrf_token,
            ) + _post_button(
                f"/admin/users/{user.username}/disable",
                "Disable",
                user.username,
                csrf_field,
                csrf_token,
            )
        rows.append(
            [
                {"text": user.username},
                {"text": label(user.role)},
                {"text": _scope(user)},
                {"text": sign_in_methods(user)},
                {"text": "Active" if user.active else "Disabled"},
                {"html": actions},
            ]
        )
    return rows


def _post_button(action: str, text: str, username: str, field: str, token: str) -> Markup:
    return Markup(
        '<form class="app-inline-form" method="post" action="{action}">'
        '<input type="hidden" name="{field}" value="{token}">'
        '<button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small">'
        '{text}<span class="nhsuk-u-visually-hidden"> for {username}</span></button></form>'
    ).format(
        action=escape(action),
        field=escape(field),
        token=escape(token),
        text=escape(text),
        username=escape(username),
    )


def audit_rows(events: Sequence[AuditEvent]) -> list[list[dict[str, str]]]:
    return [
        [
            {"text": date(e.at)},
            {"text": e.username or "Unknown"},
            {"text": e.action.replace("_", " ")},
            {"text": e.entity.replace("_", " ") + (f" {e.entity_key}" if e.entity_key else "")},
            {"text": e.source or ""},
        ]
        for e in events
    ]
