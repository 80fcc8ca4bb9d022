"""Signing in and out, the user's own account page and the access statement."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from talentboard.web import audit
from talentboard.web.accounts import sign_in
from talentboard.web.csrf import renew_csrf_token
from talentboard.web.deps import SessionDep, SettingsDep, client_address, requires, session_stamp
from talentboard.web.permissions import GRANTS, Capability, Principal
from talentboard.web.presenters.account import account_page, role_label
from talentboard.web.templating import render

router = APIRouter(include_in_schema=False)

SignedIn = Annotated[Principal, Depends(requires(Capability.SIGNED_IN))]


def _safe_next(target: str | None) -> str:
    """Only a path on this site, so the sign-in page cannot send people elsewhere."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request, next: str | None = None) -> Response:
    return render(
        request,
        "auth/sign_in.jinja",
        {"title": "Sign in", "next": _safe_next(next), "username": ""},
    )


@router.post("/sign-in", response_class=HTMLResponse)
def sign_in_submit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    source = client_address(request)
    target = _safe_next(next)
    errors: list[dict[str, str]] = []
    if not username.strip():
        errors.append({"text": "Enter your username", "href": "#username"})
    if not password:
        errors.append({"text": "Enter your password", "href": "#password"})
    if errors:
        return _sign_in_again(request, username, target, errors, 400)
    if not request.app.state.sign_in_limiter.allow(source or "unknown"):
        audit.record(
            session,
            username=username,
            action="sign_in_failed",
            entity="user",
            key=username,
            source=source,
            detail={"reason": "rate limited"},
        )
        session.commit()
        message = "Too many attempts to sign in from your device. Wait a minute and try again"
        return _sign_in_again(
            request, username, target, [{"text": message, "href": "#username"}], 429
        )
    result = sign_in(
        session,
        username.strip(),
        password,
        max_failures=settings.login_max_failures,
        lockout=dt.timedelta(minutes=settings.lockout_minutes),
    )
    if result.user is None:
        audit.record(
            session,
            username=username.strip(),
            action="locked_out" if result.just_locked else "sign_in_failed",
            entity="user",
            key=username.strip(),
            source=source,
            detail={"locked": result.locked_until is not None},
        )
        session.commit()
        if result.locked_until is not None:
            message = (
                "This account is locked after too many failed attempts to sign in. "
                f"Try again after {settings.lockout_minutes} minutes"
            )
        else:
            message = "Enter a correct username and password"
        return _sign_in_again(
            request, username, target, [{"text": message, "href": "#username"}], 401
        )
    audit.record(
        session,
        username=result.user.username,
        action="sign_in",
        entity="user",
        key=result.user.username,
        source=source,
    )
    session.commit()
    request.session.clear()
    request.session["user_id"] = result.user.id
    request.session["stamp"] = session_stamp(result.user)
    renew_csrf_token(request)
    return RedirectResponse(target, status_code=303)


def _sign_in_again(
    request: Request, username: str, target: str, errors: list[dict[str, str]], status: int
) -> Response:
    return render(
        request,
        "auth/sign_in.jinja",
        {"title": "Sign in", "next": target, "username": username, "errors": errors},
        status_code=status,
    )


@router.post("/sign-out")
def sign_out(request: Request, session: SessionDep, principal: SignedIn) -> Response:
    audit.by(request, session, principal, "sign_out", "user", principal.username)
    session.commit()
    request.session.clear()
    return RedirectResponse("/sign-in", status_code=303)


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, session: SessionDep, principal: SignedIn) -> Response:
    return render(request, "auth/account.jinja", account_page(session, principal))


@router.get("/access", response_class=HTMLResponse)
def access_statement(request: Request) -> Response:
    roles = [
        {
            "role": role_label(role),
            "capabilities": ", ".join(sorted(c.value.replace("_", " ") for c in grants)),
        }
        for role, grants in GRANTS.items()
    ]
    return render(
        request, "auth/access.jinja", {"title": "Access and data protection", "roles": roles}
    )
