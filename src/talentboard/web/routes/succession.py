"""Succession: coverage and risk of the critical posts in scope, with a heat map; each
post's plan, and the forms to add and change successor entries."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard.db.models import Organisation, Person, Post, SuccessionPlan, Successor
from talentboard.talent import services
from talentboard.web import audit
from talentboard.web.analysis import shown_date, succession_view
from talentboard.web.deps import SessionDep, requires
from talentboard.web.forms.base import FormResult
from talentboard.web.forms.talent import EDIT_SUCCESSOR_FIELDS, SUCCESSOR_FIELDS
from talentboard.web.permissions import (
    Capability,
    NotFoundError,
    Principal,
    analysis_scope,
    can,
    host_in_scope,
    narrowed,
    visible_by_ref,
    visible_person,
)
from talentboard.web.presenters.formatting import date, label, percentage, region_names
from talentboard.web.presenters.talent import (
    heat_map,
    region_options,
    rollup_rows,
    succession_rows,
    successor_rows,
)
from talentboard.web.queries import organisation_names
from talentboard.web.records import AuditEntry, Edit, Imported, Page, RecordKind, mount
from talentboard.web.templating import render

router = APIRouter(prefix="/succession", include_in_schema=False)

POSTS_SHOWN = 50

Reader = Annotated[Principal, Depends(requires(Capability.VIEW_PERSONAL))]


def _names(session: Session) -> dict[str, str]:
    return organisation_names(session)


@router.get("", response_class=HTMLResponse)
def succession(
    request: Request,
    session: SessionDep,
    principal: Reader,
    org: str | None = None,
    region: str | None = None,
) -> Response:
    scope = narrowed(analysis_scope(principal), org or None, region or None)
    as_at = shown_date(request, session)
    try:
        view = succession_view(request, session, as_at, scope.ods_code, scope.region_code)
    except services.UnknownScopeError as exc:
        raise NotFoundError from exc
    names = _names(session)
    posts = view.report.posts
    narrow = scope.ods_code is not None or scope.region_code is not None
    return render(
        request,
        "succession/index.jinja",
        {
            "title": "Succession",
            "as_at": date(as_at),
            "coverage": percentage(view.report.coverage_share),
            "critical": f"{posts.height:,}",
            "rows": succession_rows(posts, names, limit=POSTS_SHOWN),
            "rows_note": (
                f"The {POSTS_SHOWN} highest-risk of {posts.height:,} critical posts."
                if posts.height > POSTS_SHOWN
                else ""
            ),
            "heat": heat_map(posts, names) if narrow else None,
            "regions": region_options(scope.region_code),
            "choose_region": scope.ods_code is None
            and analysis_scope(principal).region_code is None,
            "by_region": rollup_rows(view.by_region, region_names(), "region_code"),
            "by_organisation": rollup_rows(view.by_organisation, names, "ods_code")
            if narrow
            else [],
        },
    )


def _post(session: Session, principal: Principal, post_id: str) -> Post:
    post = session.scalar(select(Post).where(Post.post_id == post_id))
    if post is None or not host_in_scope(session, principal, post.ods_code):
        raise NotFoundError
    return post


def _entries(session: Session, principal: Principal, post: Post) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Successor, Person)
        .join(SuccessionPlan, SuccessionPlan.id == Successor.plan_ref)
        .join(Person, Person.id == Successor.person_ref)
        .where(SuccessionPlan.post_ref == post.id)
        .order_by(Successor.readiness, Person.family_name)
    ).all()
    visible = visible_by_ref(session, principal, [p.id for _, p in rows])
    return [
        {
            "ref": s.id,
            "person_id": p.person_id,
            "name": f"{p.given_name} {p.family_name}",
            "visible": p.id in visible,
            "readiness": s.readiness,
            "emergency_cover": s.emergency_cover,
            "reviewed_on": date(s.reviewed_on),
        }
        for s, p in rows
    ]


@router.get("/posts/{post_id}", response_class=HTMLResponse)
def post_plan(request: Request, post_id: str, session: SessionDep, principal: Reader) -> Response:
    post = _post(session, principal, post_id)
    organisation = session.get(Organisation, post.ods_code)
    entries = _entries(session, principal, post)
    editable = can(principal, Capability.EDIT_TALENT)
    audit.by(
        request,
        session,
        principal,
        "read",
        "succession_plan",
        post_id,
        {"people": [e["person_id"] for e in entries if e["visible"]]},
    )
    session.commit()
    head = ["Successor", "Readiness", "Emergency cover", "Reviewed"] + (
        ["Action"] if editable else []
    )
    return render(
        request,
        "succession/post.jinja",
        {
            "title": f"Succession plan: {post.title}",
            "post": post,
            "organisation": organisation.name if organisation else post.ods_code,
            "role": label(post.role_code),
            "head": [{"text": h} for h in head],
            "rows": successor_rows(entries, post_id, editable),
            "editable": editable,
            "back": {"href": "/succession", "text": "Back to succession"},
        },
    )


def _post_scope(edit: Edit) -> Post:
    return _post(edit.session, edit.principal, edit.path["post_id"])


def _successor_page(edit: Edit) -> Page:
    post: Post = edit.parent
    return Page(
        title="Successor",
        caption=f"Succession plan: {post.title}, {post.ods_code}",
        back={"href": f"/succession/posts/{post.post_id}", "text": "Back to the plan"},
    )


def _plan(edit: Edit) -> SuccessionPlan | None:
    return edit.session.scalar(
        select(SuccessionPlan).where(SuccessionPlan.post_ref == edit.parent.id)
    )


def _check_successor(edit: Edit, result: FormResult) -> None:
    """A new successor is someone the editor can see, and not already on the post's plan
    (a changed entry keeps its person)."""
    if edit.record is not None or not result.values.get("person_id"):
        return
    try:
        person = visible_person(edit.session, edit.principal, result.values["person_id"])
    except NotFoundError:
        result.errors["person_id"] = "Enter the ID of a person in the organisations you can see"
        return
    edit.found["person"] = person
    plan = _plan(edit)
    if plan is not None and edit.session.scalar(
        select(Successor.id).where(Successor.plan_ref == plan.id, Successor.person_ref == person.id)
    ):
        result.errors["person_id"] = (
            "This person is already on the plan: change their entry instead"
        )


def _create_successor(edit: Edit, values: dict[str, Any]) -> Successor:
    plan = _plan(edit)
    if plan is None:
        plan = SuccessionPlan(post_ref=edit.parent.id, reviewed_on=values["reviewed_on"])
        edit.session.add(plan)
        edit.session.flush()
    entry = {k: v for k, v in values.items() if k != "person_id"}
    return edit.add(Successor(plan_ref=plan.id, person_ref=edit.found["person"].id, **entry))


def _successor(edit: Edit) -> Successor:
    """The successor entry on this post's plan, of a person the editor can see."""
    row = edit.session.execute(
        select(Successor, Person)
        .join(SuccessionPlan, SuccessionPlan.id == Successor.plan_ref)
        .join(Person, Person.id == Successor.person_ref)
        .where(Successor.id == edit.path["ref"], SuccessionPlan.post_ref == edit.parent.id)
    ).first()
    if row is None:
        raise NotFoundError
    successor, person = row
    edit.found["person"] = visible_person(edit.session, edit.principal, person.person_id)
    return successor


def _as_row(edit: Edit, values: dict[str, Any]) -> dict[str, Any]:
    """A successor entry as a row of the succession import: the post, and the person (a
    changed entry keeps its person, whom its form does not show)."""
    person = edit.found.get("person")
    named = {"person_id": person.person_id} if person is not None else {}
    return {"post_id": edit.parent.post_id, **named, **values}


SUCCESSOR = RecordKind[Successor](
    noun="successor",
    capability=Capability.EDIT_TALENT,
    new_path="/posts/{post_id}/successors/new",
    edit_path="/posts/{post_id}/successors/{ref}/edit",
    scope=_post_scope,
    find=_successor,
    fields=lambda edit: EDIT_SUCCESSOR_FIELDS if edit.record is not None else SUCCESSOR_FIELDS,
    initial=lambda edit: {"emergency_cover": False},
    page=_successor_page,
    check=_check_successor,
    imported=Imported("succession", lambda edit, values: [_as_row(edit, values)]),
    create=_create_successor,
    audit=lambda edit, action, successor: AuditEntry(
        "succession_plan", edit.parent.post_id, {"successor": edit.found["person"].person_id}
    ),
    done=lambda edit, successor: f"/succession/posts/{edit.parent.post_id}",
)
mount(router, SUCCESSOR)
