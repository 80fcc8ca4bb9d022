"""The person page: details, appointments, talent profile, conversations, assessments,
development plan, proposals and Fit and Proper Person checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import polars as pl
from markupsafe import Markup

from talentboard.db.models import (
    Appointment,
    Assessment,
    CareerConversation,
    DevelopmentAction,
    FitAndProperCheck,
    MatchProposal,
    Opportunity,
    Organisation,
    Person,
    Post,
    ReadinessReview,
    TalentProfile,
)
from talentboard.reference import framework
from talentboard.talent import schemas
from talentboard.talent.assessments import scale_label
from talentboard.talent.conversations import placements
from talentboard.web.presenters.formatting import (
    NOT_RECORDED,
    date,
    ethnic_labels,
    label,
    programme_names,
    region_name,
    yes_no,
)
from talentboard.web.presenters.organisations import link


def _row(key: str, value: str | Markup) -> dict[str, Any]:
    content = {"html": value} if isinstance(value, Markup) else {"text": value}
    return {"key": {"text": key}, "value": content}


def details_rows(person: Person) -> list[dict[str, Any]]:
    return [
        _row("Person ID", person.person_id),
        _row("Employee number", person.employee_number or NOT_RECORDED),
        _row("Ethnic category", ethnic_labels().get(person.ethnic_category or "", NOT_RECORDED)),
        _row("Sex", label(person.sex)),
        _row("Disability", label(person.disability)),
        _row("Professional background", label(person.professional_background)),
        _row("Year of birth", str(person.birth_year) if person.birth_year else NOT_RECORDED),
    ]


def appointment_rows(
    rows: Sequence[tuple[Appointment, Post, Organisation]],
    person_id: str,
    editable: bool,
    in_scope: frozenset[str] | None = None,
) -> list[list[dict[str, Any]]]:
    """The person's appointments. An organisation outside the caller's scope (``in_scope``,
    None for every organisation) is named without a link, and its appointments offer no
    "Change": neither page would open for the caller."""
    table = []
    for appointment, post, organisation in rows:
        reachable = in_scope is None or organisation.ods_code in in_scope
        row: list[dict[str, Any]] = [
            {"text": post.title},
            {"html": link(f"/organisations/{organisation.ods_code}", organisation.name)}
            if reachable
            else {"text": organisation.name},
            {"text": label(appointment.appointment_type)},
            {"text": date(appointment.start_date)},
            {"text": date(appointment.end_date, "In post")},
            {"text": label(appointment.end_reason) if appointment.end_date else ""},
        ]
        if editable and not reachable:
            row.append({"text": ""})
        elif editable:
            row.append(
                {
                    "html": link(
                        f"/people/{person_id}/appointments/{appointment.id}/edit",
                        "Change",
                    )
                    + Markup('<span class="nhsuk-u-visually-hidden"> {}</span>').format(post.title)
                }
            )
        table.append(row)
    return table


def profile_rows(profile: TalentProfile | None) -> list[dict[str, Any]]:
    if profile is None:
        return []
    regions_text = (
        ", ".join(region_name(code) for code in profile.willing_regions)
        or "The region of their own organisation"
    )
    programmes_text = (
        ", ".join(programme_names().get(code, code) for code in profile.programmes)
        or "None recorded"
    )
    placement = (
        f"Impact {label(profile.impact).lower()}, growth {label(profile.growth).lower()}"
        if profile.impact and profile.growth
        else NOT_RECORDED
    )
    return [
        _row("Regions willing to work in", regions_text),
        _row("Consent to be considered across organisations", yes_no(profile.cross_org_consent)),
        _row("Timeframe for the next move", profile.timeframe or NOT_RECORDED),
        _row("Placement at the last talent review", placement),
        _row("Programmes attended", programmes_text),
        _row("Last talent review", date(profile.reviewed_on)),
    ]


def grid_place(
    profile: TalentProfile | None, conversations: Sequence[CareerConversation], at: dt.date
) -> str:
    """Where the person sits on the 3x3 talent grid at ``at``, and from what: the talent
    grid's own rule (``talent.conversations.placements``), so the record and the grid
    always agree."""
    profiles = schemas.frame(
        schemas.PROFILES,
        [
            {
                "person_ref": profile.person_ref,
                "impact": profile.impact,
                "growth": profile.growth,
                "reviewed_on": profile.reviewed_on,
            }
        ]
        if profile
        else [],
    )
    held = schemas.frame(
        schemas.CONVERSATIONS,
        [
            {
                "person_ref": c.person_ref,
                "held_on": c.held_on,
                "impact": c.impact,
                "growth": c.growth,
            }
            for c in conversations
        ],
    )
    placed = placements(profiles, held, at)
    if placed.is_empty():
        return "Not placed: no talent review or career conversation has placed them"
    row = placed.row(0, named=True)
    source = (
        f"the career conversation on {date(row['placed_on'])}"
        if row["source"] == "conversation"
        else f"the talent review on {date(row['placed_on'])}"
        if row["placed_on"]
        else "the talent review"
    )
    return (
        f"Impact {label(row['impact']).lower()}, growth {label(row['growth']).lower()} "
        f"(box {row['box']}), from {source}"
    )


def readiness_rows(reviews: Sequence[ReadinessReview]) -> list[list[dict[str, str]]]:
    return [
        [
            {"text": label(r.target_role_code)},
            {"text": label(r.readiness)},
            {"text": date(r.reviewed_on)},
        ]
        for r in reviews
    ]


def conversation_cards(
    conversations: Sequence[CareerConversation],
    actions: dict[int, list[DevelopmentAction]],
    person_id: str,
    editable: bool,
) -> list[dict[str, Any]]:
    cards = []
    for c in conversations:
        placement = (
            f"Impact {label(c.impact).lower()}, growth {label(c.growth).lower()}"
            if c.impact and c.growth
            else "Placement not recorded"
        )
        cards.append(
            {
                "heading": f"Conversation on {date(c.held_on)}",
                "held_with": c.held_with or "",
                "placement": placement,
                "growth_wanted": label(c.growth_wanted) if c.growth_wanted else "Not recorded",
                "summary": c.summary or "",
                "edit_href": f"/people/{person_id}/conversations/{c.id}/edit" if editable else None,
                "add_action_href": (
                    f"/people/{person_id}/conversations/{c.id}/actions/new" if editable else None
                ),
                "actions": [
                    [
                        {"text": a.action},
                        {"text": label(a.opportunity_kind) if a.opportunity_kind else ""},
                        {"text": programme_names().get(a.programme_code or "", "")},
                        {"text": date(a.due_on, "")},
                        {"text": label(a.status)},
                    ]
                    for a in actions.get(c.id, [])
                ],
            }
        )
    return cards


def assessment_tables(summary: pl.DataFrame) -> list[dict[str, Any]]:
    """The latest round per framework: self score, others' mean and evidence per domain."""
    tables = []
    for framework_code in summary["framework"].unique(maintain_order=True).to_list():
        fw = framework(framework_code)
        names = {d.code: d.name for d in fw.domains}
        part = summary.filter(pl.col("framework") == framework_code)
        rows = []
        for r in part.iter_rows(named=True):
            rows.append(
                [
                    {"text": names.get(r["domain_code"], r["domain_code"])},
                    {"text": _score(framework_code, r["self_score"])},
                    {"text": _score(framework_code, r["others_mean"])},
                    {"text": str(r["others_count"])},
                    {"text": str(r["no_chance"])},
                ]
            )
        round_end = part["round_ends_on"].max()
        tables.append(
            {
                "framework": fw.name,
                "code": framework_code,
                "caption": f"{fw.name}: latest round, ending {date(round_end)}",  # type: ignore[arg-type]
                "rows": rows,
            }
        )
    return tables


def _score(framework_code: str, score: float | None) -> str:
    if score is None:
        return "No rating"
    return f"{score:.1f} ({scale_label(framework_code, score)})"


def rating_rows(
    ratings: Sequence[Assessment], person_id: str, can_edit: bool
) -> list[list[dict[str, Any]]]:
    rows = []
    for a in ratings:
        fw = framework(a.framework)
        names = {d.code: d.name for d in fw.domains}
        row: list[dict[str, Any]] = [
            {"text": date(a.assessed_on)},
            {"text": fw.name},
            {"text": names.get(a.domain_code, a.domain_code)},
            {"text": label(a.rater_relation) + (f" ({a.rater_id})" if a.rater_id else "")},
            {"text": dict(fw.scale).get(a.score, "No chance to demonstrate")},
        ]
        if can_edit:
            row.append(
                {
                    "html": link(f"/people/{person_id}/assessments/{a.id}/edit", "Change")
                    + Markup('<span class="nhsuk-u-visually-hidden"> {} rating</span>').format(
                        names.get(a.domain_code, a.domain_code)
                    )
                }
            )
        rows.append(row)
    return rows


def needs_list(needs: pl.DataFrame) -> list[str]:
    return [str(n) for n in needs["need"].to_list()]


def fppt_rows(checks: Sequence[FitAndProperCheck]) -> list[list[dict[str, str]]]:
    return [
        [
            {"text": label(c.check_type)},
            {"text": label(c.outcome)},
            {"text": date(c.checked_on)},
            {"text": date(c.next_due_on, "Not due")},
        ]
        for c in checks
    ]


def proposal_rows(
    proposals: Sequence[tuple[MatchProposal, Opportunity]],
) -> list[list[dict[str, Any]]]:
    return [
        [
            {"html": link(f"/opportunities/{o.opportunity_id}", o.title)},
            {"text": f"{p.score:.2f}"},
            {"text": "; ".join(p.reasons)},
            {"text": label(p.status)},
        ]
        for p, o in proposals
    ]


def table_head(texts: Sequence[str], with_action: bool) -> list[dict[str, str]]:
    return [{"text": t} for t in (*texts, *(("Action",) if with_action else ()))]


APPOINTMENT_HEAD = ("Post", "Organisation", "Type", "Started", "Ended", "Reason for leaving")
RATING_HEAD = ("Date", "Framework", "Domain", "Rater", "Rating")
