"""FastAPI dependencies: the database session, the signed-in principal, route guards.

Every route that shows or changes anything declares its guard with :func:`requires` (pages)
or :func:`api_requires` (JSON API); the scope test walks the route table and checks each
guard against every role.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from talentboard.db.models import User
from talentboard.web.accounts import principal_for, user_for_token
from talentboard.web.permissions import Capability, Principal, require
from talentboard.web.settings import WebSettings


class SignInRequiredError(Exception):
    """A page needs a signed-in user and there is none (or the session has ended)."""


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A database session for the request, closed (its connection returned) at the end.

    A request that may change data (any method but GET, HEAD and OPTIONS) gets a session
    whose transaction takes SQLite's write lock when it begins, waiting its turn behind
    other writers; a page that shows data reads without it (``db.engine``).

    Opening a session does no I/O (it connects on first use, in the route's worker
    thread), so only closing it, which ends the transaction, needs a worker thread. FastAPI
    runs every synchronous dependency in a thread of its own; these guards and this
    session therefore cost the request no extra thread hand-overs.
    """
    state = request.app.state
    factory = (
        state.session_factory if request.method in SAFE_METHODS else state.writing_session_factory
    )
    session: Session = factory()
    try:
        yield session
    finally:
        await run_in_threadpool(session.close)


SessionDep = Annotated[Session, Depends(get_session)]


def get_settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


SettingsDep = Annotated[WebSettings, Depends(get_settings)]


def session_stamp(user: User) -> str:
    """Ties a browser session to the password it was opened with: a new password ends it."""
    return hashlib.sha256(f"{user.id}:{user.password_hash}".encode()).hexdigest()[:32]


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def current_principal(request: Request, session: SessionDep) -> Principal:
    """The user signed in to this browser session; disabled users are signed out."""
    user_id = request.session.get("user_id")
    if not isinstance(user_id, int):
        raise SignInRequiredError
    user = session.get(User, user_id)
    if user is None or not user.active or request.session.get("stamp") != session_stamp(user):
        request.session.clear()
        raise SignInRequiredError
    principal = principal_for(user)
    request.state.principal = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]


Guard = Callable[[Principal], Coroutine[Any, Any, Principal]]


def requires(capability: Capability) -> Guard:
    """A page guard: the signed-in principal, if their role has ``capability`` (else 404)."""

    async def guard(principal: PrincipalDep) -> Principal:
        require(principal, capability)
        return principal

    guard.capability = capability  # type: ignore[attr-defined]
    return guard


UNAUTHORISED = HTTPException(
    status_code=401,
    detail="A valid API token is required: 'Authorization: Bearer TOKEN'.",
    headers={"WWW-Authenticate": "Bearer"},
)


BEARER = HTTPBearer(
    auto_error=False,
    description="A token from 'talentboard users token NAME'.",
)


def api_principal(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
) -> Principal:
    """The holder of the bearer token; the session cookie is never accepted here."""
    if credentials is None or not credentials.credentials.strip():
        raise UNAUTHORISED
    user = user_for_token(session, credentials.credentials.strip())
    if user is None:
        raise UNAUTHORISED
    session.commit()
    principal = principal_for(user)
    request.state.principal = principal
    return principal


ApiPrincipalDep = Annotated[Principal, Depends(api_principal)]


def api_requires(capability: Capability) -> Guard:
    """An API guard: the token holder, if their role has ``capability`` (else 404)."""

    async def guard(principal: ApiPrincipalDep) -> Principal:
        require(principal, capability)
        return principal

    guard.capability = capability  # type: ignore[attr-defined]
    return guard


async def submitted_form(request: Request) -> FormData:
    """The submitted form (already read once by the CSRF check, so served from memory)."""
    return await request.form()


FormDep = Annotated[FormData, Depends(submitted_form)]
