"""Succession: coverage and risk of the critical posts in scope, with a heat map; each
post's plan, and the forms to add and change successor entries."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard.db.models import Organisation, Person, Post, SuccessionPlan, Successor
from talentboard.talent import services
from talentboard.web import audit
from talentboard.web.analysis import shown_date, succession_view
from talentboard.web.deps import FormDep, SessionDep, client_address, requires
from talentboard.web.editing import STALE_MESSAGE, StaleEditError, parse_version, save_edit
from talentboard.web.forms.base import FormResult, parse_form, raw_from_values
from talentboard.web.forms.pages import form_page
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
from talentboard.web.templating import render

router = APIRouter(prefix="/succession", include_in_schema=False)

POSTS_SHOWN = 50

Reader = Annotated[Principal, Depends(requires(Capability.VIEW_PERSONAL))]
Editor = Annotated[Principal, Depends(requires(Capability.EDIT_TALENT))]


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
    audit.record(
        session,
        username=principal.username,
        action="read",
        entity="succession_plan",
        key=post_id,
        source=client_address(request),
        detail={"people": [e["person_id"] for e in entries if e["visible"]]},
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


def _successor_form(
    request: Request,
    post: Post,
    action: str,
    fields: tuple[Any, ...],
    raw: dict[str, Any],
    result: FormResult | None = None,
    version: int | None = None,
    status: int = 200,
) -> Response:
    return form_page(
        request,
        title="Successor",
        caption=f"Succession plan: {post.title}, {post.ods_code}",
        action=action,
        fields=fields,
        raw=raw,
        result=result,
        version=version,
        back={"href": f"/succession/posts/{post.post_id}", "text": "Back to the plan"},
        status=status,
    )


@router.get("/posts/{post_id}/successors/new", response_class=HTMLResponse)
def new_successor(
    request: Request, post_id: str, session: SessionDep, principal: Editor
) -> Response:
    post = _post(session, principal, post_id)
    return _successor_form(
        request,
        post,
        f"/succession/posts/{post_id}/successors/new",
        SUCCESSOR_FIELDS,
        raw_from_values(SUCCESSOR_FIELDS, {"emergency_cover": False}),
    )


@router.post("/posts/{post_id}/successors/new", response_class=HTMLResponse)
def create_successor(
    request: Request, post_id: str, session: SessionDep, principal: Editor, form: FormDep
) -> Response:
    post = _post(session, principal, post_id)
    action = f"/succession/posts/{post_id}/successors/new"
    result = parse_form(SUCCESSOR_FIELDS, form)
    person = None
    if result.values.get("person_id"):
        try:
            person = visible_person(session, principal, result.values["person_id"])
        except NotFoundError:
            result.errors["person_id"] = "Enter the ID of a person in the organisations you can see"
    plan = session.scalar(select(SuccessionPlan).where(SuccessionPlan.post_ref == post.id))
    if person is not None and plan is not None:
        already = session.scalar(
            select(Successor.id).where(
                Successor.plan_ref == plan.id, Successor.person_ref == person.id
            )
        )
        if already is not None:
            result.errors["person_id"] = (
                "This person is already on the plan: change their entry instead"
            )
    if not result.ok or person is None:
        return _successor_form(
            request, post, action, SUCCESSOR_FIELDS, result.raw, result, status=400
        )
    if plan is None:
        plan = SuccessionPlan(post_ref=post.id, reviewed_on=result.values["reviewed_on"])
        session.add(plan)
        session.flush()
    values = {k: v for k, v in result.values.items() if k != "person_id"}
    session.add(Successor(plan_ref=plan.id, person_ref=person.id, **values))
    session.flush()
    audit.record(
        session,
        username=principal.username,
        action="create",
        entity="succession_plan",
        key=post_id,
        source=client_address(request),
        detail={"successor": person.person_id},
    )
    session.commit()
    return RedirectResponse(f"/succession/posts/{post_id}", status_code=303)


def _successor(
    session: Session, principal: Principal, post: Post, ref: int
) -> tuple[Successor, Person]:
    row = session.execute(
        select(Successor, Person)
        .join(SuccessionPlan, SuccessionPlan.id == Successor.plan_ref)
        .join(Person, Person.id == Successor.person_ref)
        .where(Successor.id == ref, SuccessionPlan.post_ref == post.id)
    ).first()
    if row is None:
        raise NotFoundError
    successor, person = row
    visible_person(session, principal, person.person_id)
    return successor, person


@router.get("/posts/{post_id}/successors/{ref}/edit", response_class=HTMLResponse)
def edit_successor(
    request: Request, post_id: str, ref: int, session: SessionDep, principal: Editor
) -> Response:
    post = _post(session, principal, post_id)
    successor, _ = _successor(session, principal, post, ref)
    values = {f.name: getattr(successor, f.name) for f in EDIT_SUCCESSOR_FIELDS}
    return _successor_form(
        request,
        post,
        f"/succession/posts/{post_id}/successors/{ref}/edit",
        EDIT_SUCCESSOR_FIELDS,
        raw_from_values(EDIT_SUCCESSOR_FIELDS, values),
        version=successor.version,
    )


@router.post("/posts/{post_id}/successors/{ref}/edit", response_class=HTMLResponse)
def save_successor(
    request: Request, post_id: str, ref: int, session: SessionDep, principal: Editor, form: FormDep
) -> Response:
    post = _post(session, principal, post_id)
    successor, person = _successor(session, principal, post, ref)
    action = f"/succession/posts/{post_id}/successors/{ref}/edit"
    result = parse_form(EDIT_SUCCESSOR_FIELDS, form)
    if not result.ok:
        return _successor_form(
            request, post, action, EDIT_SUCCESSOR_FIELDS, result.raw, result, successor.version, 400
        )
    try:
        save_edit(session, successor, parse_version(form.get("version")), result.values)
    except StaleEditError:
        values = {f.name: getattr(successor, f.name) for f in EDIT_SUCCESSOR_FIELDS}
        return _successor_form(
            request,
            post,
            action,
            EDIT_SUCCESSOR_FIELDS,
            raw_from_values(EDIT_SUCCESSOR_FIELDS, values),
            FormResult(errors={"version": STALE_MESSAGE}),
            successor.version,
            409,
        )
    audit.record(
        session,
        username=principal.username,
        action="update",
        entity="succession_plan",
        key=post_id,
        source=client_address(request),
        detail={"successor": person.person_id},
    )
    session.commit()
    return RedirectResponse(f"/succession/posts/{post_id}", status_code=303)
