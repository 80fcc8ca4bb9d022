"""Display values shared by every page: dates, figures, labels from the vocabularies."""

from __future__ import annotations

import datetime as dt
from functools import cache

from talentboard.reference import ethnic_categories, programmes, regions, roles

NOT_RECORDED = "Not recorded"

_LABELS: dict[str, str] = {
    "ready_now": "Ready now",
    "ready_1_2y": "Ready in 1 to 2 years",
    "ready_3_5y": "Ready in 3 to 5 years",
    "not_yet": "Not yet ready",
    "substantive": "Substantive",
    "interim": "Interim",
    "acting": "Acting",
    "secondment": "Secondment",
    "joint": "Joint",
    "mental_health": "Mental health",
    "icb": "Integrated care board",
    "general_management": "General management",
    "other_clinical": "Other clinical",
    "ahp": "Allied health professional",
    "moved_nhs": "Moved within the NHS",
    "promoted_internal": "Promoted internally",
    "left_nhs": "Left the NHS",
    "dismissed_or_forced": "Dismissed or forced exit",
    "end_of_term": "End of term",
    "not_stated": "Not stated",
    "stretch_assignment": "Stretch assignment",
    "board_shadowing": "Board shadowing",
    "programme_place": "Programme place",
    "requires_improvement": "Requires improvement",
    "direct_report": "Direct report",
    "in_progress": "In progress",
    "org_admin": "Organisation administrator",
    "national": "National analyst",
    "regional": "Regional talent lead",
    "viewer": "Board viewer",
    "individual": "Individual",
    "not_satisfactory": "Not satisfactory",
    "not_applicable": "Not applicable",
}


def label(code: str | None) -> str:
    """A vocabulary code as people read it (``ready_1_2y`` -> "Ready in 1 to 2 years")."""
    if code is None or code == "":
        return NOT_RECORDED
    if code in _LABELS:
        return _LABELS[code]
    role = role_labels().get(code)
    if role is not None:
        return role
    return code.replace("_", " ").capitalize()


@cache
def role_labels() -> dict[str, str]:
    return {r.code: r.label for r in roles()}


@cache
def region_names() -> dict[str, str]:
    return {r.code: r.name for r in regions()}


@cache
def ethnic_labels() -> dict[str, str]:
    return {e.code: e.label for e in ethnic_categories()}


@cache
def programme_names() -> dict[str, str]:
    return {p.code: p.name for p in programmes()}


def region_name(code: str | None) -> str:
    if code is None:
        return NOT_RECORDED
    return region_names().get(code, code)


def date(value: dt.date | dt.datetime | None, missing: str = NOT_RECORDED) -> str:
    """A date as the NHS style guide writes it: 1 March 2026."""
    if value is None:
        return missing
    if isinstance(value, dt.datetime):
        return f"{value.day} {value:%B %Y at %H:%M}"
    return f"{value.day} {value:%B %Y}"


def iso(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def percentage(share: float | None, digits: int = 0) -> str:
    """A share between 0 and 1 as a percentage; None (no denominator or suppressed)."""
    if share is None:
        return "Not available"
    return f"{100 * share:.{digits}f}%"


def number(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "Not available"
    return f"{value:,.{digits}f}"


def years(value: float | None) -> str:
    if value is None:
        return "Not available"
    return f"{value:.1f} years"


def counted(count: int, noun: str, plural: str) -> str:
    """``1 opportunity``, ``682 opportunities``, ``0 people``."""
    return f"{count:,} {noun if count == 1 else plural}"


def yes_no(value: bool | None) -> str:
    if value is None:
        return NOT_RECORDED
    return "Yes" if value else "No"


def full_name(given_name: str, family_name: str) -> str:
    return f"{given_name} {family_name}"
