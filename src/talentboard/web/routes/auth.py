"""Signing in and out, the user's own account page and the access statement."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.exc import IntegrityError

from talentboard.db.models import User
from talentboard.web import audit
from talentboard.web.accounts import sign_in
from talentboard.web.csrf import renew_csrf_token
from talentboard.web.deps import SessionDep, SettingsDep, client_address, requires, session_stamp
from talentboard.web.oidc import OidcClient, SignInRefusedError
from talentboard.web.permissions import GRANTS, Capability, NotFoundError, Principal
from talentboard.web.presenters.account import account_page, role_label
from talentboard.web.settings import WebSettings
from talentboard.web.sso import find_account
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


def _sign_in_options(settings: WebSettings, target: str) -> dict[str, object]:
    """What the sign-in page offers: single sign-on, passwords, or both."""
    return {
        "local_passwords": settings.local_passwords,
        "sso": (
            {
                "href": "/sign-in/oidc" + (f"?next={quote(target)}" if target != "/" else ""),
                "provider": settings.oidc_provider_name,
            }
            if settings.single_sign_on
            else None
        ),
    }


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request, settings: SettingsDep, next: str | None = None) -> Response:
    target = _safe_next(next)
    return render(
        request,
        "auth/sign_in.jinja",
        {"title": "Sign in", "next": target, "username": ""} | _sign_in_options(settings, target),
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
    if not settings.local_passwords:
        return _passwords_switched_off(request, session, settings, username, target)
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
    return _signed_in(request, result.user, target)


def _passwords_switched_off(
    request: Request, session: SessionDep, settings: WebSettings, username: str, target: str
) -> Response:
    name = username.strip()[:100] or None
    audit.record(
        session,
        username=name,
        action="sign_in_failed",
        entity="user",
        key=name,
        source=client_address(request),
        detail={"method": "password", "reason": "local passwords are switched off"},
    )
    session.commit()
    message = (
        "Signing in with a password is switched off here. "
        f"Sign in with {settings.oidc_provider_name}"
    )
    return _sign_in_again(request, "", target, [{"text": message, "href": "#sso"}], 403)


def _signed_in(request: Request, user: User, target: str) -> Response:
    """Start the browser session of ``user`` (a new one: nothing of the old is kept)."""
    request.session.clear()
    request.session["user_id"] = user.id
    request.session["stamp"] = session_stamp(user)
    renew_csrf_token(request)
    return RedirectResponse(target, status_code=303)


def _sign_in_again(
    request: Request, username: str, target: str, errors: list[dict[str, str]], status: int
) -> Response:
    settings: WebSettings = request.app.state.settings
    return render(
        request,
        "auth/sign_in.jinja",
        {"title": "Sign in", "next": target, "username": username, "errors": errors}
        | _sign_in_options(settings, target),
        status_code=status,
    )


# Single sign-on ---------------------------------------------------------------------


def _oidc(request: Request) -> OidcClient:
    client: OidcClient | None = request.app.state.oidc
    if client is None:
        raise NotFoundError
    return client


def _callback_address(request: Request, settings: WebSettings) -> str:
    return settings.oidc_redirect_uri or str(request.url_for("oidc_callback"))


@router.get("/sign-in/oidc")
def oidc_start(
    request: Request, session: SessionDep, settings: SettingsDep, next: str | None = None
) -> Response:
    """Send the browser to the provider, with a new state, nonce and PKCE challenge."""
    client = _oidc(request)
    try:
        address = client.start(
            request.session, _callback_address(request, settings), _safe_next(next)
        )
    except SignInRefusedError as refusal:
        return _refused(request, session, refusal)
    return RedirectResponse(address, status_code=303)


@router.get("/sign-in/oidc/callback", name="oidc_callback")
def oidc_callback(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """The provider's answer: check it, find the account, and sign the person in."""
    client = _oidc(request)
    try:
        identity = client.finish(
            request.session, request.query_params, _callback_address(request, settings)
        )
        match = find_account(session, identity, settings)
    except SignInRefusedError as refusal:
        session.rollback()
        return _refused(request, session, refusal)
    except IntegrityError:
        # Two first sign-ins of one person at the same moment: the other one made the account.
        session.rollback()
        message = "Another sign-in of yours was being saved at the same moment. Sign in again"
        return _refused(request, session, SignInRefusedError("conflict", message, status=409))
    user = match.user
    source = client_address(request)
    if match.created and match.grant is not None:
        audit.record(
            session,
            username=user.username,
            action="user_created",
            entity="user",
            key=user.username,
            source=source,
            detail={"role": user.role, "by": "role claim", "claim_value": match.grant.value},
        )
    audit.record(
        session,
        username=user.username,
        action="sign_in",
        entity="user",
        key=user.username,
        source=source,
        detail={"method": "single sign-on", "issuer": identity.issuer, "matched_by": match.how},
    )
    session.commit()
    return _signed_in(request, user, identity.next)


def _refused(request: Request, session: SessionDep, refusal: SignInRefusedError) -> Response:
    """Audit a refused single sign-on and say why, in words, on a page of its own."""
    detail = {"method": "single sign-on", "reason": refusal.reason}
    if refusal.detail:
        detail["detail"] = refusal.detail[:300]
    name = refusal.username[:100] if refusal.username else None
    audit.record(
        session,
        username=name,
        action="sign_in_failed",
        entity="user",
        key=name,
        source=client_address(request),
        detail=detail,
    )
    session.commit()
    return render(
        request,
        "auth/sign_in_refused.jinja",
        {"title": "You have not been signed in", "message": refusal.message},
        status_code=refusal.status,
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
