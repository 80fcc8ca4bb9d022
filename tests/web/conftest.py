"""Web fixtures: the application on the test's database session, and signed-in clients.

The application's session dependency is replaced by the test's ``session`` (rolled back
after the test), so every page is exercised against SQLite and PostgreSQL alike.

``client_for(role)`` signs a client in by giving it the session cookie the sign-in page
would have set (signed with the test secret): Argon2 makes a real sign-in take a sizeable
fraction of a second, and the scope test needs hundreds. The sign-in page itself is tested
through the real form in ``test_security.py``.
"""

from __future__ import annotations

import json
import re
import secrets
from base64 import b64encode
from collections.abc import Callable, Iterator

import itsdangerous
import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from talentboard.db.models import Setting
from talentboard.web.app import SESSION_COOKIE, create_app
from talentboard.web.deps import get_session, session_stamp
from talentboard.web.settings import WebSettings
from tests.web.world import PASSWORD, World, build_world

SECRET = "test-secret-key-for-signing-cookies"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

ClientFor = Callable[[str | None], TestClient]


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


def make_app(session: Session, **overrides: object) -> FastAPI:
    settings = WebSettings(
        secret_key=SECRET,
        login_max_failures=3,
        lockout_minutes=15,
        login_attempts_per_minute=1000,
        **overrides,  # type: ignore[arg-type]
    )
    application = create_app(settings, engine=session.get_bind())  # type: ignore[arg-type]

    def test_session() -> Iterator[Session]:
        yield session

    application.dependency_overrides[get_session] = test_session
    return application


@pytest.fixture
def app(session: Session, world: World) -> Iterator[FastAPI]:
    application = make_app(session)
    yield application
    # What the server's lifespan would do at its end (these clients do not run it).
    application.state.chart_process.close()


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real form."""
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def session_cookie(world: World, role: str, csrf: str) -> str:
    """The signed session cookie of a browser signed in as the user of ``role``."""
    user = world.users[role]
    data = {"user_id": user.id, "stamp": session_stamp(user), "csrf": csrf}
    payload = b64encode(json.dumps(data).encode())
    return itsdangerous.TimestampSigner(SECRET).sign(payload).decode()


@pytest.fixture
def client_for(app: FastAPI, world: World) -> Iterator[ClientFor]:
    """A new client signed in as the user of ``role`` (anonymous for None).

    The client's CSRF token is in ``client.csrf`` for form posts.
    """
    clients: list[TestClient] = []

    def make(role: str | None) -> TestClient:
        client = TestClient(app, base_url="http://testserver")
        clients.append(client)
        client.csrf = secrets.token_urlsafe(16)  # type: ignore[attr-defined]
        if role is not None:
            client.cookies.set(SESSION_COOKIE, session_cookie(world, role, client.csrf))  # type: ignore[attr-defined]
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def as_at(session: Session) -> None:
    """The pages show the world as at 30 September 2026 (the demo's date setting)."""
    session.add(Setting(key="demo_as_at", value="2026-09-30"))
    session.flush()
