"""Vacancy shortlists: the board posts in scope that are vacant or covered by an interim,
and for a post the ranked candidates (``talentboard.matching.services.shortlist_for_post``)
with their readiness, framework fit, breadth and reasons, and the people left out and why."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import polars as pl
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard.db.models import Organisation, Person
from talentboard.matching.services import shortlist_for_post
from talentboard.matching.vacancy import Shortlist
from talentboard.talent.succession import post_states
from talentboard.web import audit
from talentboard.web.analysis import ready_now_for_post, register, scoped, shown_date
from talentboard.web.deps import SessionDep, requires
from talentboard.web.permissions import (
    Capability,
    Principal,
    analysis_scope,
    visible_by_ref,
    visible_post,
)
from talentboard.web.presenters.formatting import date, label
from talentboard.web.presenters.organisations import STATE_TAGS, link, tag
from talentboard.web.presenters.vacancies import (
    ShortlistView,
    candidate_rows,
    excluded_rows,
    hidden_note,
    shortlist_view,
)
from talentboard.web.queries import organisation_names
from talentboard.web.templating import render

router = APIRouter(prefix="/vacancies", include_in_schema=False)

Reader = Annotated[Principal, Depends(requires(Capability.VIEW_PERSONAL))]
OPEN_STATES = ("vacant", "interim")


def visible_shortlist(
    session: Session, principal: Principal, post_id: str, at: dt.date
) -> tuple[Shortlist, ShortlistView]:
    """The post's shortlist and the part of it the caller may see (404 outside scope)."""
    visible_post(session, principal, post_id)
    shortlist = shortlist_for_post(session, post_id, at)
    refs = [*shortlist.candidates["person_ref"], *shortlist.excluded["person_ref"]]
    visible = visible_by_ref(session, principal, refs)
    names = {
        p.id: f"{p.given_name} {p.family_name}"
        for p in session.scalars(select(Person).where(Person.id.in_(sorted(visible))))
    }
    return shortlist, shortlist_view(shortlist, visible, names)


def audit_shortlist(
    session: Session, request: Request, principal: Principal, post_id: str, view: ShortlistView
) -> None:
    """Reading a shortlist reads the record of everyone named on it."""
    audit.by(
        request,
        session,
        principal,
        "read",
        "vacancy_shortlist",
        post_id,
        {"people": sorted({r["person_id"] for r in [*view.candidates, *view.excluded]})},
    )
    session.commit()


@router.get("", response_class=HTMLResponse)
def vacancies(request: Request, session: SessionDep, principal: Reader) -> Response:
    as_at = shown_date(request, session)
    frames = scoped(register(request, session), analysis_scope(principal))
    posts = frames.posts.filter(
        (pl.col("level") == "board")
        & (pl.col("established_from").is_null() | (pl.col("established_from") <= as_at))
        & (pl.col("established_to").is_null() | (pl.col("established_to") > as_at))
    )
    states = post_states(posts, frames.appointments, as_at).filter(
        pl.col("state").is_in(OPEN_STATES)
    )
    names = organisation_names(session)
    found = posts.join(states, on="post_ref").sort("ods_code", "title")
    rows = []
    for post in found.iter_rows(named=True):
        text, colour = STATE_TAGS[post["state"]]
        rows.append(
            [
                {"html": link(f"/vacancies/{post['post_id']}", post["title"])},
                {"text": names.get(post["ods_code"], post["ods_code"])},
                {"html": tag(text, colour)},
            ]
        )
    return render(
        request,
        "vacancies/index.jinja",
        {"title": "Vacancy shortlists", "as_at": date(as_at), "rows": rows},
    )


@router.get("/{post_id}", response_class=HTMLResponse)
def shortlist(
    request: Request,
    post_id: str,
    session: SessionDep,
    principal: Reader,
    at: dt.date | None = None,
) -> Response:
    as_at = at or shown_date(request, session)
    found, view = visible_shortlist(session, principal, post_id, as_at)
    audit_shortlist(session, request, principal, post_id, view)
    organisation = session.get(Organisation, found.post.ods_code)
    return render(
        request,
        "vacancies/shortlist.jinja",
        {
            "title": f"Shortlist: {found.post.title}",
            "organisation": organisation.name if organisation else found.post.ods_code,
            "ods_code": found.post.ods_code,
            "post_id": post_id,
            "role": label(found.post.role_code),
            "as_at": date(as_at),
            "named_ready_now": ready_now_for_post(
                request, session, as_at, found.post.ods_code, post_id
            ),
            "candidates": candidate_rows(view),
            "candidates_note": hidden_note(view.candidates_hidden, "more shortlisted"),
            "excluded": excluded_rows(view),
            "excluded_note": hidden_note(view.excluded_hidden, "more"),
            "not_ready": view.not_ready,
            "back": {"href": "/vacancies", "text": "All vacancy shortlists"},
        },
    )
