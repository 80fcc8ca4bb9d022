"""Administration: users, roles, API tokens and the audit log (national users only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from talentboard.web import audit
from talentboard.web.accounts import AccountError, add_user, create_token, disable_user, list_users
from talentboard.web.csrf import FIELD, csrf_token
from talentboard.web.deps import FormDep, SessionDep, requires
from talentboard.web.forms.admin import USER_FIELDS
from talentboard.web.forms.base import parse_form, render_fields
from talentboard.web.permissions import Capability, NotFoundError, Principal
from talentboard.web.presenters.admin import audit_rows, user_rows
from talentboard.web.templating import render

router = APIRouter(prefix="/admin", include_in_schema=False)

Admin = Annotated[Principal, Depends(requires(Capability.ADMINISTER))]
AUDIT_PAGE_SIZE = 100


@router.get("", response_class=HTMLResponse)
def admin_home(request: Request, session: SessionDep, principal: Admin) -> Response:
    rows = user_rows(list_users(session), FIELD, csrf_token(request))
    return render(request, "admin/index.jinja", {"title": "Administration", "rows": rows})


@router.get("/users/new", response_class=HTMLResponse)
def new_user(request: Request, principal: Admin) -> Response:
    return _user_form(request, {}, {})


def _user_form(
    request: Request, raw: dict[str, object], errors: dict[str, str], status: int = 200
) -> Response:
    error_list = [{"text": message, "href": f"#{name}"} for name, message in errors.items()]
    return render(
        request,
        "form.jinja",
        {
            "title": "Add a user",
            "action": "/admin/users/new",
            "fields": render_fields(USER_FIELDS, raw, errors),
            "errors": error_list,
            "submit": "Add user",
            "back": {"href": "/admin", "text": "Back to administration"},
        },
        status_code=status,
    )


@router.post("/users/new", response_class=HTMLResponse)
def create_user(request: Request, session: SessionDep, principal: Admin, form: FormDep) -> Response:
    result = parse_form(USER_FIELDS, form)
    if result.ok:
        values = result.values
        try:
            user = add_user(
                session,
                values["username"],
                role=values["role"],
                password=str(form.get("password", "")) or None,
                region_code=values["region_code"],
                ods_code=values["ods_code"],
                person_id=values["person_id"],
                email=values["email"],
            )
        except AccountError as exc:
            result.errors["username"] = str(exc)[:1].upper() + str(exc)[1:]
        else:
            audit.by(
                request,
                session,
                principal,
                "user_created",
                "user",
                user.username,
                {"role": user.role},
            )
            session.commit()
            return RedirectResponse("/admin", status_code=303)
    return _user_form(request, result.raw, result.errors, status=400)


@router.post("/users/{username}/disable")
def disable(request: Request, username: str, session: SessionDep, principal: Admin) -> Response:
    try:
        disable_user(session, username)
    except AccountError as exc:
        raise NotFoundError from exc
    audit.by(request, session, principal, "user_disabled", "user", username)
    session.commit()
    return RedirectResponse("/admin", status_code=303)


@router.post("/users/{username}/token", response_class=HTMLResponse)
def new_token(request: Request, username: str, session: SessionDep, principal: Admin) -> Response:
    try:
        token = create_token(session, username)
    except AccountError as exc:
        raise NotFoundError from exc
    audit.by(request, session, principal, "token_created", "user", username)
    session.commit()
    return render(
        request,
        "admin/token.jinja",
        {"title": "New API token", "username": username, "token": token},
    )


@router.get("/audit", response_class=HTMLResponse)
def audit_log(
    request: Request,
    session: SessionDep,
    principal: Admin,
    username: str | None = None,
    entity: str | None = None,
    key: str | None = None,
) -> Response:
    where = audit.AuditFilter(
        username=username or None,
        entity=entity or None,
        key=key or None,
        limit=AUDIT_PAGE_SIZE,
    )
    events = audit.list_events(session, where)
    return render(
        request,
        "admin/audit.jinja",
        {
            "title": "Audit log",
            "rows": audit_rows(events),
            "filters": {"username": username or "", "entity": entity or "", "key": key or ""},
            "limit": AUDIT_PAGE_SIZE,
            "back": {"href": "/admin", "text": "Back to administration"},
        },
    )
