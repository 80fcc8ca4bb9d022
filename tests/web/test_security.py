"""Sign-in, lock-out, CSRF, security headers, API tokens, stale edits and the audit trail."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from talentboard.db.models import AuditEvent, Person, User
from talentboard.web.accounts import create_token
from talentboard.web.accounts import sign_in as check_sign_in
from talentboard.web.app import SESSION_COOKIE
from tests.web.conftest import ClientFor, csrf_of, make_app, sign_in
from tests.web.world import PASSWORD, World


def events(session: Session, action: str, key: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == action)
    if key is not None:
        query = query.where(AuditEvent.entity_key == key)
    return list(session.scalars(query.order_by(AuditEvent.id)))


def test_sign_in_sets_a_signed_http_only_lax_cookie_and_is_audited(
    client_for: ClientFor, session: Session
) -> None:
    client = client_for(None)
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"username": "national-user", "password": PASSWORD, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    set_cookie = response.headers["set-cookie"].lower()
    assert set_cookie.startswith(SESSION_COOKIE)
    assert "httponly" in set_cookie
    assert "samesite=lax" in set_cookie
    assert "secure" not in set_cookie
    assert client.get("/", follow_redirects=False).status_code == 200
    assert len(events(session, "sign_in", "national-user")) == 1


def test_the_cookie_is_secure_under_https(session: Session, world: World) -> None:
    client = TestClient(make_app(session, https=True), base_url="https://testserver")
    sign_in(client, "national-user")
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"username": "national-user", "password": PASSWORD, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert "secure" in response.headers["set-cookie"].lower()
    assert response.headers["strict-transport-security"] == "max-age=31536000"


def test_a_wrong_password_is_refused_and_counted(client_for: ClientFor, session: Session) -> None:
    client = client_for(None)
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"username": "regional-user", "password": "wrong", "csrf_token": csrf_of(page.text)},
    )
    assert response.status_code == 401
    assert "Enter a correct username and password" in response.text
    user = session.scalar(select(User).where(User.username == "regional-user"))
    assert user is not None
    assert user.failed_logins == 1
    assert events(session, "sign_in_failed", "regional-user")


def test_three_failures_lock_the_account_even_against_the_right_password(
    session: Session, world: World
) -> None:
    """The test application locks after 3 failures in a row for 15 minutes."""
    at = dt.datetime(2026, 9, 30, 12, 0, tzinfo=dt.UTC)
    lockout = dt.timedelta(minutes=15)
    for _ in range(2):
        result = check_sign_in(
            session, "viewer-user", "bad", max_failures=3, lockout=lockout, at=at
        )
        assert result.user is None
        assert result.locked_until is None
    third = check_sign_in(session, "viewer-user", "bad", max_failures=3, lockout=lockout, at=at)
    assert third.just_locked
    assert third.locked_until == at + lockout
    right = check_sign_in(
        session,
        "viewer-user",
        PASSWORD,
        max_failures=3,
        lockout=lockout,
        at=at + dt.timedelta(minutes=14),
    )
    assert right.user is None
    assert right.locked_until is not None
    later = check_sign_in(
        session,
        "viewer-user",
        PASSWORD,
        max_failures=3,
        lockout=lockout,
        at=at + dt.timedelta(minutes=16),
    )
    assert later.user is not None
    assert later.user.failed_logins == 0


def test_the_sign_in_page_reports_the_lock_out(client_for: ClientFor, session: Session) -> None:
    client = client_for(None)
    for _ in range(3):
        page = client.get("/sign-in")
        client.post(
            "/sign-in",
            data={"username": "viewer-user", "password": "bad", "csrf_token": csrf_of(page.text)},
        )
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"username": "viewer-user", "password": PASSWORD, "csrf_token": csrf_of(page.text)},
    )
    assert response.status_code == 401
    assert "locked" in response.text
    assert events(session, "locked_out", "viewer-user")


def test_sign_in_attempts_from_one_address_are_rate_limited(session: Session, world: World) -> None:
    application = make_app(session)
    application.state.sign_in_limiter.limit = 2
    client = TestClient(application)
    statuses = []
    for _ in range(3):
        page = client.get("/sign-in")
        statuses.append(
            client.post(
                "/sign-in",
                data={"username": "nobody", "password": "x", "csrf_token": csrf_of(page.text)},
            ).status_code
        )
    assert statuses == [401, 401, 429]


def test_a_form_without_the_csrf_token_is_refused(client_for: ClientFor, world: World) -> None:
    client = client_for("national")
    assert client.post("/people/P-ALICE/edit", data={"given_name": "Eve"}).status_code == 403
    wrong = client.post("/people/P-ALICE/edit", data={"given_name": "Eve", "csrf_token": "forged"})
    assert wrong.status_code == 403
    assert world.people["P-ALICE"].given_name == "Alice"


def test_security_headers_on_every_page(client_for: ClientFor) -> None:
    for response in (client_for(None).get("/sign-in"), client_for("national").get("/")):
        headers = response.headers
        csp = headers["content-security-policy"]
        nonce = csp.split("'nonce-")[1].split("'")[0]
        directives = dict(d.split(" ", 1) for d in csp.split("; "))
        # Scripts: this site's files, or inline only with this response's nonce.
        assert directives["script-src"] == f"'self' 'nonce-{nonce}'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe-eval" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["cache-control"] == "no-store"
        assert f'nonce="{nonce}"' in response.text


def test_the_api_needs_a_valid_token(client_for: ClientFor, session: Session, world: World) -> None:
    client = client_for(None)
    assert client.get("/api/people/P-ALICE").status_code == 401
    bad = client.get("/api/people/P-ALICE", headers={"Authorization": "Bearer tb_nonsense"})
    assert bad.status_code == 401
    assert bad.headers["www-authenticate"] == "Bearer"
    signed_in = client_for("national")
    assert signed_in.get("/api/people/P-ALICE").status_code == 401, "cookies are not accepted"


def test_a_token_reads_only_inside_its_scope(client_for: ClientFor, session: Session) -> None:
    token = create_token(session, "org_admin-user")
    headers = {"Authorization": f"Bearer {token}"}
    client = client_for(None)
    alice = client.get("/api/people/P-ALICE", headers=headers)
    assert alice.status_code == 200
    assert alice.json()["appointments"][0]["post_id"] == "R1H-CEO"
    carol = client.get("/api/people/P-CAROL", headers=headers)
    nobody = client.get("/api/people/P-NOBODY", headers=headers)
    assert carol.status_code == nobody.status_code == 404
    assert carol.json() == nobody.json()
    read = events(session, "read", "P-ALICE")
    assert [(e.username, e.detail["via"]) for e in read] == [("org_admin-user", "api")]


def test_a_disabled_user_loses_session_and_tokens(client_for: ClientFor, session: Session) -> None:
    token = create_token(session, "regional-user")
    client = client_for("regional")
    assert client.get("/", follow_redirects=False).status_code == 200
    admin = client_for("national")
    admin.post("/admin/users/regional-user/disable", data={"csrf_token": admin.csrf})  # type: ignore[attr-defined]
    assert client.get("/", follow_redirects=False).status_code == 303
    api = client_for(None).get("/api/people/P-ALICE", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401


def test_reading_a_person_is_audited_with_who_and_where(
    client_for: ClientFor, session: Session
) -> None:
    client_for("regional").get("/people/P-BOB")
    (event,) = events(session, "read", "P-BOB")
    assert (event.username, event.entity, event.source) == ("regional-user", "person", "testclient")


def test_an_edit_from_a_stale_form_is_refused_and_nothing_is_overwritten(
    client_for: ClientFor, session: Session, world: World
) -> None:
    """Two editors open Alice's details at version 1; the first saves (version 2); the
    second, still on version 1, is refused with the clash explained."""
    first, second = client_for("national"), client_for("org_admin")
    form = {"given_name": "Alicia", "family_name": "Adams", "version": "1"}
    saved = first.post(
        "/people/P-ALICE/edit",
        data=form | {"csrf_token": first.csrf},  # type: ignore[attr-defined]
        follow_redirects=False,
    )
    assert saved.status_code == 303
    stale = second.post(
        "/people/P-ALICE/edit",
        data=form | {"given_name": "Ally", "csrf_token": second.csrf},  # type: ignore[attr-defined]
    )
    assert stale.status_code == 409
    assert "Someone else changed this record" in stale.text
    person = session.scalar(select(Person).where(Person.person_id == "P-ALICE"))
    assert person is not None
    session.refresh(person)
    assert (person.given_name, person.version) == ("Alicia", 2)
    assert [e.username for e in events(session, "update", "P-ALICE")] == ["national-user"]


def test_the_api_is_described_with_its_bearer_tokens(client_for: ClientFor) -> None:
    document = client_for(None).get("/api/openapi.json").json()
    assert sorted(document["paths"]) == [
        "/api/forecast",
        "/api/matching/proposals",
        "/api/organisations",
        "/api/organisations/{ods_code}",
        "/api/outcomes",
        "/api/people/{person_id}",
        "/api/posts/{post_id}/shortlist",
        "/api/stats",
        "/api/succession",
    ]
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert all(
        operation["security"] == [{"HTTPBearer": []}]
        for path in document["paths"].values()
        for operation in path.values()
    )
