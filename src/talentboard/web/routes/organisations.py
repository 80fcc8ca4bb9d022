"""Organisations: search and filter, and one organisation's page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from talentboard.talent.succession import post_states
from talentboard.web import audit
from talentboard.web.analysis import (
    cached,
    dashboard,
    organisation_analysis,
    shown_date,
    stability_by_organisation,
)
from talentboard.web.deps import SessionDep, requires
from talentboard.web.permissions import (
    AnalysisScope,
    Capability,
    Principal,
    can,
    exact_figures,
    host_in_scope,
    visible_organisation,
)
from talentboard.web.presenters.formatting import counted, date, label, percentage
from talentboard.web.presenters.organisations import (
    LIST_COLUMNS,
    board_rows,
    buddy_items,
    coverage_rows,
    filter_options,
    fppt_rows,
    history_items,
    organisation_rows,
    organisation_summary,
    skills_rows,
    sort_head,
    sort_organisations,
)
from talentboard.web.presenters.outcomes import peer_view
from talentboard.web.presenters.stats import headline_cards
from talentboard.web.queries import (
    OrganisationSearch,
    board_history,
    board_posts,
    buddy_pairings_of,
    find_organisations,
    post_holders,
    register_frames_for_posts,
    segments_at,
)
from talentboard.web.routes.outcomes import outcome_inputs
from talentboard.web.templating import fragment, render

router = APIRouter(prefix="/organisations", include_in_schema=False)

HISTORY_SHOWN = 25
FPPT_SHOWN = 25

Viewer = Annotated[Principal, Depends(requires(Capability.VIEW_ORGANISATIONS))]


def _segment(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and 1 <= int(value) <= 5 else None


@router.get("", response_class=HTMLResponse)
def organisations(
    request: Request,
    session: SessionDep,
    principal: Viewer,
    q: str | None = None,
    region: str | None = None,
    kind: str | None = None,
    segment: Annotated[str | None, Query()] = None,
    sort: str | None = None,
    order: str | None = None,
) -> Response:
    as_at = shown_date(request, session)
    search = OrganisationSearch(q or None, region or None, kind or None, _segment(segment))
    found = find_organisations(session, principal, search, as_at)
    exact = exact_figures(principal)
    stability = stability_by_organisation(request, session, as_at, exact=exact)
    column = sort if sort in dict(LIST_COLUMNS) else "name"
    descending = order == "descending"
    found = sort_organisations(found, stability, column, descending)
    query = {
        k: v for k, v in (("q", q), ("region", region), ("kind", kind), ("segment", segment)) if v
    }
    return render(
        request,
        "organisations/index.jinja",
        {
            "title": "Organisations",
            "as_at": date(as_at),
            "q": q or "",
            "rows": organisation_rows(found, stability),
            "head": sort_head(column, descending, query),
            "exact": exact,
            "found": counted(len(found), "organisation", "organisations"),
            **filter_options(search.region_code, search.kind, search.segment),
        },
    )


@dataclass(frozen=True)
class PersonalSection:
    """The part of an organisation page shown only with personal-data access, rendered:
    today's board, succession, board skills, Fit and Proper Person checks, buddying and
    history. It depends on the data alone, so it is rendered once while the data is
    unchanged; ``people`` are those on the board today, for the audit of each read."""

    html: Markup
    people: tuple[str, ...]


def _personal_section(
    request: Request, session: Session, ods_code: str, as_at: dt.date
) -> PersonalSection:
    posts = board_posts(session, ods_code, as_at)
    holders = post_holders(session, [p.id for p in posts], as_at)
    frames = register_frames_for_posts(
        session, posts, [a for people in holders.values() for _, a in people]
    )
    states = {
        row["post_ref"]: row["state"]
        for row in post_states(frames.posts, frames.appointments, as_at).iter_rows(named=True)
    }
    history = history_items(board_history(session, ods_code))
    analysis = organisation_analysis(request, session, ods_code, as_at)
    fppt = analysis.fppt
    section = {
        "board": board_rows(posts, states, holders),
        "history": history[:HISTORY_SHOWN],
        "history_note": (
            f"The {HISTORY_SHOWN} most recent of {len(history):,} events."
            if len(history) > HISTORY_SHOWN
            else ""
        ),
        "coverage": percentage(analysis.coverage_share),
        "coverage_rows": coverage_rows(analysis.critical_posts),
        "skills_rows": skills_rows(analysis.skills.domains),
        "skills_next": analysis.skills.next_appointment,
        "fppt_rows": fppt_rows(fppt.attention.head(FPPT_SHOWN)),
        "fppt_note": (
            f"The {FPPT_SHOWN} most pressing of {fppt.attention.height:,} checks."
            if fppt.attention.height > FPPT_SHOWN
            else ""
        ),
        "missing_references": [
            f"{r['name']} ({label(r['role_code']) if 'role_code' in r else r['person_id']})"
            for r in fppt.missing_references.iter_rows(named=True)
        ],
        "buddies": buddy_items(buddy_pairings_of(session, ods_code), ods_code),
    }
    return PersonalSection(
        html=fragment("organisations/personal_section.jinja", "personal_section", section),
        people=tuple(sorted({p.person_id for v in holders.values() for p, _ in v})),
    )


@router.get("/{ods_code}", response_class=HTMLResponse)
def organisation(
    request: Request,
    ods_code: str,
    session: SessionDep,
    principal: Viewer,
    at: dt.date | None = None,
) -> Response:
    found = visible_organisation(session, principal, ods_code)
    as_at = at or shown_date(request, session)
    segment = cached(
        request,
        session,
        ("segment", ods_code, as_at),
        lambda: segments_at(session, as_at, [ods_code]).get(ods_code),
    )
    context = {
        "title": found.name,
        "organisation": found,
        "as_at": date(as_at),
        "summary": organisation_summary(found, segment),
        "personal": can(principal, Capability.VIEW_PERSONAL),
        "add_person": can(principal, Capability.EDIT_REGISTER)
        and host_in_scope(session, principal, ods_code),
        "headlines": headline_cards(
            dashboard(
                request,
                session,
                AnalysisScope(ods_code=ods_code),
                as_at,
                exact=exact_figures(principal),
                organisation_name=found.name,
                trends=False,
            ).headlines
        ),
        "exact": exact_figures(principal),
        "back": {"href": "/organisations", "text": "Organisations you can see"},
        "peers": cached(
            request,
            session,
            ("peers", ods_code, as_at, exact_figures(principal)),
            lambda: peer_view(
                outcome_inputs(request, session, AnalysisScope()),
                ods_code,
                found.name,
                found.kind,
                as_at,
                exact=exact_figures(principal),
            ),
        ),
    }
    if context["personal"]:
        section = cached(
            request,
            session,
            ("organisation-personal", ods_code, as_at),
            lambda: _personal_section(request, session, ods_code, as_at),
        )
        context["personal_section"] = section.html
        audit.by(
            request,
            session,
            principal,
            "read",
            "organisation_board",
            ods_code,
            {"people": list(section.people)},
        )
        session.commit()
    return render(request, "organisations/organisation.jinja", context)
