"""Single sign-on end to end, against providers on real sockets (tests/web/oidc_providers.py).

The honest provider is ``oidc-provider-mock``; the tokens no honest provider sends (a bad
signature, another audience, expired, another nonce or issuer) come from the test's own
provider, whose token endpoint returns the token the test signed. Every refusal must show
the refusal page with its reason, sign nobody in, and be in the audit log with the reason
and without the token.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from itsdangerous import TimestampSigner
from joserfc.jwk import OctKey, RSAKey
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from talentboard.db.models import AuditEvent, User
from talentboard.web.accounts import add_user, disable_user
from talentboard.web.app import SESSION_COOKIE
from tests.web.conftest import SECRET, csrf_of, make_app
from tests.web.oidc_providers import (
    CLIENT_ID,
    CLIENT_SECRET,
    Forger,
    MockProvider,
    forger,
    mock_provider,
    path_and_query,
    query_of,
    unsigned,
)

PASSWORD = "a long enough password"
LONDON_GROUP = "0b7f6c1e-talentboard-london"
ROLE_MAP = [
    {"value": "talentboard-national", "role": "national"},
    {"value": LONDON_GROUP, "role": "regional", "region": "Y56"},
    {"value": "talentboard-barts", "role": "org_admin", "org": "R1H"},
]


@pytest.fixture(scope="module")
def provider() -> Iterator[MockProvider]:
    with mock_provider() as running:
        yield running


@pytest.fixture(scope="module")
def forged() -> Iterator[Forger]:
    with forger() as running:
        yield running


def sso_app(session: Session, issuer: str, **overrides: Any) -> FastAPI:
    settings: dict[str, Any] = {
        "oidc_issuer": issuer,
        "oidc_client_id": CLIENT_ID,
        "oidc_client_secret": CLIENT_SECRET,
        "oidc_provider_name": "NHS Care Identity Service 2",
        "oidc_role_claim": "groups",
        "oidc_role_map": ROLE_MAP,
    }
    return make_app(session, **(settings | overrides))


def account(session: Session, username: str, **options: Any) -> User:
    """An account an administrator made, committed as the command would (the test's
    transaction is still rolled back at its end)."""
    options.setdefault("password", None)
    user = add_user(session, username, **options)
    session.commit()
    return user


def start(client: TestClient, next_path: str = "/account") -> str:
    """Press "Sign in with ..." : the provider address the browser is sent to."""
    response = client.get(f"/sign-in/oidc?next={next_path}", follow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    return response.headers["location"]


def sign_in_at(provider: MockProvider, client: TestClient, sub: str) -> Any:
    back = provider.authorise(start(client), sub)
    assert back.startswith("http://testserver/sign-in/oidc/callback?")
    return client.get(path_and_query(back), follow_redirects=False)


def events(session: Session, action: str) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


def refusal(session: Session) -> dict[str, Any]:
    """The detail of the last refused sign-in."""
    found = events(session, "sign_in_failed")
    assert found, "the refusal is not in the audit log"
    return dict(found[-1].detail)


def assert_refused(response: Any, status: int, words: str) -> None:
    assert response.status_code == status, response.text[:500]
    assert "<h1>You have not been signed in</h1>" in response.text
    assert words in response.text


def assert_signed_out(client: TestClient) -> None:
    page = client.get("/account", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/sign-in")


def audit_text(session: Session) -> str:
    rows = session.scalars(select(AuditEvent)).all()
    return json.dumps([[r.username, r.entity_key, r.detail] for r in rows], default=str)


# The honest provider ----------------------------------------------------------------


def test_an_account_made_by_an_administrator_signs_in_by_verified_email(
    session: Session, provider: MockProvider
) -> None:
    account(session, "maya.patel", role="org_admin", ods_code="R1H", email="Maya.Patel@nhs.net")
    provider.set_user("entra-oid-1", {"email": "maya.patel@NHS.net", "email_verified": True})
    client = TestClient(sso_app(session, provider.issuer), base_url="http://testserver")

    page = client.get("/sign-in")
    assert "Sign in with NHS Care Identity Service 2" in page.text
    authorisation = start(client)
    sent = query_of(authorisation)
    assert authorisation.startswith(f"{provider.issuer}/oauth2/authorize?")
    assert sent["response_type"] == "code"
    assert sent["client_id"] == CLIENT_ID
    assert sent["code_challenge_method"] == "S256"
    assert len(sent["code_challenge"]) == 43
    assert len(sent["state"]) >= 43
    assert sent["nonce"]
    assert sent["scope"] == "openid email profile"

    back = provider.authorise(authorisation, "entra-oid-1")
    answer = client.get(path_and_query(back), follow_redirects=False)
    assert answer.status_code == 303, answer.text[:500]
    assert answer.headers["location"] == "/account"
    own = client.get("/account")
    assert own.status_code == 200
    assert "maya.patel" in own.text

    user = session.scalars(select(User).where(User.username == "maya.patel")).one()
    assert user.sso_subject == f"{provider.issuer}#entra-oid-1"
    (signed,) = events(session, "sign_in")
    assert signed.username == "maya.patel"
    assert signed.detail == {
        "method": "single sign-on",
        "issuer": provider.issuer,
        "matched_by": "email",
    }

    # A second sign-in finds the account by the provider's subject, even after the
    # person's email changes at the provider.
    provider.set_user("entra-oid-1", {"email": "m.patel@nhs.net", "email_verified": True})
    again = TestClient(sso_app(session, provider.issuer), base_url="http://testserver")
    assert sign_in_at(provider, again, "entra-oid-1").status_code == 303
    assert events(session, "sign_in")[-1].detail["matched_by"] == "subject"


def test_a_replayed_state_is_refused(session: Session, provider: MockProvider) -> None:
    account(session, "sam", role="viewer", email="sam@nhs.net")
    provider.set_user("sam-1", {"email": "sam@nhs.net", "email_verified": True})
    client = TestClient(sso_app(session, provider.issuer), base_url="http://testserver")
    back = path_and_query(provider.authorise(start(client), "sam-1"))
    assert client.get(back, follow_redirects=False).status_code == 303
    client.post("/sign-out", data={"csrf_token": csrf_of(client.get("/account").text)})
    assert_signed_out(client)

    replayed = client.get(back, follow_redirects=False)
    assert_refused(replayed, 400, "This sign-in link has already been used")
    assert_signed_out(client)
    assert refusal(session) == {"method": "single sign-on", "reason": "unknown_state"}
    # The state of another browser's sign-in is refused just the same.
    other = TestClient(sso_app(session, provider.issuer), base_url="http://testserver")
    stolen = path_and_query(provider.authorise(start(other), "sam-1"))
    assert_refused(client.get(stolen, follow_redirects=False), 400, "already been used")
    assert refusal(session)["reason"] == "unknown_state"
    assert len(events(session, "sign_in")) == 1
    assert query_of(back)["code"] not in audit_text(session)


def test_an_unknown_person_is_refused(session: Session, provider: MockProvider) -> None:
    provider.set_user("stranger-1", {"email": "stranger@nhs.net", "email_verified": True})
    client = TestClient(sso_app(session, provider.issuer), base_url="http://testserver")
    answer = sign_in_at(provider, client, "stranger-1")
    assert_refused(answer, 403, "You do not have an account in this service")
    assert_signed_out(client)
    (failed,) = events(session, "sign_in_failed")
    assert failed.username == "stranger@nhs.net"
    assert failed.detail == {"method": "single sign-on", "reason": "not_registered"}
    assert session.scalar(select(User).where(User.email == "stranger@nhs.net")) is None


def test_an_unverified_email_is_not_matched(session: Session, provider: MockProvider) -> None:
    account(session, "una", role="national", email="una@nhs.net")
    provider.set_user("una-1", {"email": "una@nhs.net", "email_verified": False})
    client = TestClient(sso_app(session, provider.issuer), base_url="http://testserver")
    assert_refused(sign_in_at(provider, client, "una-1"), 403, "has not verified your email")
    assert refusal(session)["reason"] == "email_not_verified"
    # A provider that does not say is trusted, unless the setting asks for it.
    provider.set_user("una-2", {"email": "una@nhs.net"})
    strict = TestClient(
        sso_app(session, provider.issuer, oidc_require_email_verified=True),
        base_url="http://testserver",
    )
    assert_refused(sign_in_at(provider, strict, "una-2"), 403, "has not verified")
    trusting = TestClient(sso_app(session, provider.issuer), base_url="http://testserver")
    assert sign_in_at(provider, trusting, "una-2").status_code == 303


def test_a_disabled_account_is_refused(session: Session, provider: MockProvider) -> None:
    account(session, "dee", role="viewer", email="dee@nhs.net")
    disable_user(session, "dee")
    session.commit()
    provider.set_user("dee-1", {"email": "dee@nhs.net", "groups": ["talentboard-national"]})
    client = TestClient(sso_app(session, provider.issuer), base_url="http://testserver")
    assert_refused(sign_in_at(provider, client, "dee-1"), 403, "Your account here is disabled")
    assert refusal(session)["reason"] == "account_disabled"


def test_a_mapped_group_claim_admits_with_its_role_and_scope(
    session: Session, provider: MockProvider
) -> None:
    provider.set_user(
        "lead-1",
        {
            "email": "lena.lead@nhs.net",
            "email_verified": True,
            "groups": ["all-staff", LONDON_GROUP, "talentboard-barts"],
        },
    )
    client = TestClient(sso_app(session, provider.issuer), base_url="http://testserver")
    assert sign_in_at(provider, client, "lead-1").status_code == 303
    own = client.get("/account")
    assert "lena.lead@nhs.net" in own.text
    assert "London" in own.text
    user = session.scalars(select(User).where(User.username == "lena.lead@nhs.net")).one()
    # The first entry of the map the person's groups hold decides.
    assert (user.role, user.region_code, user.ods_code) == ("regional", "Y56", None)
    assert user.sso_managed
    assert user.email == "lena.lead@nhs.net"
    (created,) = events(session, "user_created")
    assert created.detail == {"role": "regional", "by": "role claim", "claim_value": LONDON_GROUP}
    assert events(session, "sign_in")[-1].detail["matched_by"] == "role claim"
    # Regional pages of London answer; the administration does not.
    assert client.get("/organisations/R1H").status_code == 200
    assert client.get("/admin").status_code == 404

    # Moved to Barts only: the role follows the claim at the next sign-in.
    provider.set_user("lead-1", {"email": "lena.lead@nhs.net", "groups": ["talentboard-barts"]})
    moved = TestClient(sso_app(session, provider.issuer), base_url="http://testserver")
    assert sign_in_at(provider, moved, "lead-1").status_code == 303
    session.refresh(user)
    assert (user.role, user.ods_code, user.region_code) == ("org_admin", "R1H", None)

    # Out of every mapped group: refused.
    provider.set_user("lead-1", {"email": "lena.lead@nhs.net", "groups": ["all-staff"]})
    gone = TestClient(sso_app(session, provider.issuer), base_url="http://testserver")
    assert_refused(sign_in_at(provider, gone, "lead-1"), 403, "no longer gives you a role")
    assert refusal(session)["reason"] == "no_role"


def test_a_mapped_group_admits_without_trusting_an_unverified_email(
    session: Session, provider: MockProvider
) -> None:
    account(session, "una", role="national", email="una@nhs.net")
    provider.set_user(
        "guest-1",
        {
            "email": "una@nhs.net",
            "email_verified": False,
            "preferred_username": "guest.person@partner.org",
            "groups": ["talentboard-barts"],
        },
    )
    client = TestClient(sso_app(session, provider.issuer), base_url="http://testserver")
    assert sign_in_at(provider, client, "guest-1").status_code == 303
    # Signed in to a new account of the group's role, never to the national account
    # whose email the provider did not verify.
    made = events(session, "sign_in")[-1]
    assert made.username == "guest.person@partner.org"
    user = session.scalars(select(User).where(User.username == made.username)).one()
    assert (user.role, user.ods_code, user.email) == ("org_admin", "R1H", None)
    una = session.scalars(select(User).where(User.username == "una")).one()
    assert una.sso_subject is None


def test_a_dotted_role_claim_reads_inside_objects(session: Session, provider: MockProvider) -> None:
    """NHS Care Identity Service 2 sends roles as objects (``nhsid_nrbac_roles``)."""
    provider.set_user(
        "cis2-1",
        {
            "email": "cis2.user@nhs.net",
            "nhsid_nrbac_roles": [
                {"org_code": "R1H", "role_code": "S8000:G8000:R8001"},
                {"org_code": "RJ1", "role_code": "S8000:G8001:R8003"},
            ],
        },
    )
    client = TestClient(
        sso_app(
            session,
            provider.issuer,
            oidc_role_claim="nhsid_nrbac_roles.role_code",
            oidc_role_map=[{"value": "S8000:G8001:R8003", "role": "viewer"}],
        ),
        base_url="http://testserver",
    )
    assert sign_in_at(provider, client, "cis2-1").status_code == 303
    user = session.scalars(select(User).where(User.username == "cis2.user@nhs.net")).one()
    assert user.role == "viewer"


def test_the_provider_refusing_is_shown(session: Session, provider: MockProvider) -> None:
    client = TestClient(sso_app(session, provider.issuer), base_url="http://testserver")
    back = provider.deny(start(client))
    answer = client.get(path_and_query(back), follow_redirects=False)
    assert_refused(answer, 403, "did not sign you in (access_denied)")
    assert refusal(session)["reason"] == "provider_refused"


def test_local_passwords_switched_off_refuse_a_right_password(
    session: Session, provider: MockProvider
) -> None:
    account(session, "pat", role="national", password=PASSWORD)
    switched_off = sso_app(session, provider.issuer, local_passwords=False)
    page = TestClient(switched_off, base_url="http://testserver").get("/sign-in")
    assert 'name="password"' not in page.text
    assert "Sign in with NHS Care Identity Service 2" in page.text
    # Posted all the same, by a browser with a session and its CSRF token.
    client = TestClient(switched_off, base_url="http://testserver")
    csrf = "a-csrf-token-of-this-browser"
    payload = base64.b64encode(json.dumps({"csrf": csrf}).encode())
    client.cookies.set(SESSION_COOKIE, TimestampSigner(SECRET).sign(payload).decode())
    answer = client.post(
        "/sign-in",
        data={"username": "pat", "password": PASSWORD, "csrf_token": csrf},
        follow_redirects=False,
    )
    assert answer.status_code == 403
    assert "Signing in with a password is switched off here" in answer.text
    assert_signed_out(client)
    assert refusal(session) == {
        "method": "password",
        "reason": "local passwords are switched off",
    }
    # With them on (the default) the same password signs in.
    on = TestClient(sso_app(session, provider.issuer), base_url="http://testserver")
    page = on.get("/sign-in")
    assert 'name="password"' in page.text
    answer = on.post(
        "/sign-in",
        data={"username": "pat", "password": PASSWORD, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert answer.status_code == 303


def test_an_account_for_single_sign_on_only_has_no_password(session: Session) -> None:
    from talentboard.web.accounts import sign_in

    account(session, "ona", role="viewer", email="ona@nhs.net")
    user = session.scalars(select(User).where(User.username == "ona")).one()
    assert user.password_hash == "!"
    import datetime as dt

    for attempt in ("!", "", PASSWORD):
        result = sign_in(session, "ona", attempt, max_failures=5, lockout=dt.timedelta(minutes=1))
        assert result.user is None


# Tokens no honest provider sends ------------------------------------------------------


def forged_callback(
    session: Session, provider: Forger, **changes: Any
) -> tuple[TestClient, Any, str]:
    """Start a sign-in, give the provider a token with ``changes``, and come back."""
    username = changes.pop("username", "frances")
    if username == "frances":
        account(session, "frances", role="viewer", email="frances.forde@nhs.net")
    client = TestClient(sso_app(session, provider.issuer), base_url="http://testserver")
    sent = query_of(start(client))
    key = changes.pop("key", None)
    claims = provider.claims(sent["nonce"], **changes)
    provider.id_token = unsigned(claims) if key == "none" else provider.sign(claims, key)
    answer = client.get(
        f"/sign-in/oidc/callback?code=forged-code&state={sent['state']}", follow_redirects=False
    )
    return client, answer, sent["code_challenge"]


def test_an_honest_token_from_the_test_provider_signs_in_with_pkce(
    session: Session, forged: Forger
) -> None:
    forged.token_requests.clear()
    client, answer, challenge = forged_callback(session, forged)
    assert answer.status_code == 303
    assert client.get("/account").status_code == 200
    (request,) = forged.token_requests
    verifier = request["code_verifier"]
    digest = hashlib.sha256(verifier.encode()).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == challenge
    assert request["grant_type"] == "authorization_code"
    assert request["code"] == "forged-code"
    expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert request["authorization"] == f"Basic {expected}"


@pytest.mark.parametrize(
    ("changes", "status", "words", "reason"),
    [
        (
            {"key": RSAKey.generate_key(2048, {"kid": "forger-1"})},
            403,
            "not signed with a key of your organisation",
            "bad_signature",
        ),
        (
            {"key": RSAKey.generate_key(2048, {"kid": "unpublished"})},
            403,
            "not signed with a key of your organisation",
            "bad_signature",
        ),
        (
            {"key": OctKey.import_key(CLIENT_SECRET)},
            403,
            "a token that cannot be read",
            "malformed_token",
        ),
        ({"key": "none"}, 403, "a token that cannot be read", "malformed_token"),
        ({"aud": "another-service"}, 403, "meant for another service", "wrong_audience"),
        (
            {"aud": ["another-service", CLIENT_ID]},
            403,
            "meant for another service",
            "wrong_audience",
        ),
        ({"exp": 1_700_000_000, "iat": 1_699_999_000}, 403, "has expired", "expired_token"),
        ({"nonce": "another-nonce"}, 403, "does not belong to this browser", "nonce_mismatch"),
        ({"nonce": None}, 403, "does not belong to this browser", "nonce_mismatch"),
        ({"iss": "https://login.example.org"}, 403, "does not trust", "wrong_issuer"),
    ],
    ids=[
        "bad-signature",
        "unpublished-key",
        "hs256-with-the-client-secret",
        "alg-none",
        "wrong-audience",
        "another-audience-without-azp",
        "expired",
        "wrong-nonce",
        "no-nonce",
        "wrong-issuer",
    ],
)
def test_a_forged_token_is_refused(
    sqlite_session: Session,
    forged: Forger,
    changes: dict[str, Any],
    status: int,
    words: str,
    reason: str,
) -> None:
    """On SQLite only: the checks are the token's, before any account is looked up (the
    refusals' audit on PostgreSQL is covered by the honest provider's tests)."""
    session = sqlite_session
    client, answer, _ = forged_callback(session, forged, **changes)
    assert_refused(answer, status, words)
    assert_signed_out(client)
    assert refusal(session) == {"method": "single sign-on", "reason": reason}
    assert events(session, "sign_in") == []
    assert forged.id_token not in audit_text(session)
    signature = forged.id_token.split(".")[2]
    assert not signature or signature not in audit_text(session)


# Set-up ---------------------------------------------------------------------------------


def test_without_single_sign_on_its_addresses_do_not_exist(session: Session) -> None:
    client = TestClient(make_app(session), base_url="http://testserver")
    assert client.get("/sign-in/oidc", follow_redirects=False).status_code == 404
    assert client.get("/sign-in/oidc/callback?state=x&code=y").status_code == 404
    assert "Sign in with" not in client.get("/sign-in").text


def test_an_unreachable_provider_gives_a_clear_page(session: Session) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on once it is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = TestClient(sso_app(session, f"http://127.0.0.1:{port}"), base_url="http://testserver")
    answer = client.get("/sign-in/oidc", follow_redirects=False)
    assert_refused(answer, 503, "The sign-in service could not be reached")
    detail = refusal(session)
    assert detail["reason"] == "provider_unavailable"
    assert f"http://127.0.0.1:{port}/.well-known/openid-configuration" in detail["detail"]


def test_the_settings_come_from_the_environment_and_a_settings_file(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pydantic import ValidationError

    from talentboard.web.settings import WebSettings

    file = tmp_path / "talentboard.toml"
    file.write_text(
        'oidc_issuer = "https://login.microsoftonline.com/0000-tenant/v2.0"\n'
        'oidc_client_id = "from-the-file"\n'
        'oidc_client_secret = "secret-from-the-file"\n'
        'oidc_role_claim = "roles"\n'
        "local_passwords = false\n"
        "\n"
        "[[oidc_role_map]]\n"
        'value = "Talentboard.Regional.London"\n'
        'role = "regional"\n'
        'region = "Y56"\n'
    )
    monkeypatch.setenv("TALENTBOARD_SETTINGS_FILE", str(file))
    monkeypatch.setenv("TALENTBOARD_OIDC_CLIENT_ID", "from-the-environment")
    settings = WebSettings()
    assert settings.oidc_issuer == "https://login.microsoftonline.com/0000-tenant/v2.0"
    assert settings.oidc_client_id == "from-the-environment"
    assert settings.oidc_client_secret is not None
    assert settings.oidc_client_secret.get_secret_value() == "secret-from-the-file"
    assert "secret-from-the-file" not in repr(settings)
    assert [(e.value, e.role, e.region) for e in settings.oidc_role_map] == [
        ("Talentboard.Regional.London", "regional", "Y56")
    ]
    assert settings.local_passwords is False

    monkeypatch.setenv("TALENTBOARD_SETTINGS_FILE", str(tmp_path / "missing.toml"))
    with pytest.raises(ValueError, match="no settings file at"):
        WebSettings()
    monkeypatch.delenv("TALENTBOARD_SETTINGS_FILE")
    monkeypatch.delenv("TALENTBOARD_OIDC_CLIENT_ID")
    bad = [
        ({"local_passwords": False}, "nobody could sign in"),
        ({"oidc_issuer": "https://idp"}, "needs TALENTBOARD_OIDC_CLIENT_ID"),
        (
            {"oidc_issuer": "https://idp", "oidc_client_id": "c", "oidc_role_claim": "groups",
             "oidc_role_map": [{"value": "g", "role": "individual"}]},
            "an individual's account is made by an administrator",
        ),
        (
            {"oidc_issuer": "https://idp", "oidc_client_id": "c", "oidc_role_claim": "groups",
             "oidc_role_map": [{"value": "g", "role": "regional"}]},
            "a regional role needs a region",
        ),
        (
            {"oidc_issuer": "https://idp", "oidc_client_id": "c", "oidc_role_claim": "groups",
             "oidc_role_map": [{"value": "g", "role": "viewer", "region": "Y99"}]},
            "unknown region 'Y99'",
        ),
        (
            {"oidc_issuer": "https://idp", "oidc_client_id": "c",
             "oidc_role_map": [{"value": "g", "role": "national"}]},
            "a role map needs TALENTBOARD_OIDC_ROLE_CLAIM",
        ),
    ]  # fmt: skip
    for values, message in bad:
        with pytest.raises(ValidationError, match=message):
            WebSettings(**values)


def test_the_command_line_adds_an_account_for_single_sign_on(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from talentboard.db import make_engine
    from tests.web.test_cli import run

    database = f"sqlite:///{tmp_path / 'talentboard.db'}"
    assert run(capsys, "init", "--db", database)[0] == 0
    code, out, _ = run(
        capsys, "users", "add", "nadia", "--role", "national", "--email", "Nadia.N@nhs.net",
        "--db", database,
    )  # fmt: skip
    assert (code, out.strip()) == (0, "Added nadia (national).")
    engine = make_engine(database)
    with Session(engine) as check:
        user = check.scalars(select(User).where(User.username == "nadia")).one()
        assert (user.email, user.password_hash) == ("nadia.n@nhs.net", "!")
    engine.dispose()
    code, out, _ = run(capsys, "users", "list", "--db", database)
    assert "nadia\tnational\t\t\t\tyes\tsingle sign-on (nadia.n@nhs.net)" in out.splitlines()
    for argv, message in [
        (("users", "add", "x", "--role", "viewer"), "give a password, or an email address"),
        (("users", "add", "x", "--role", "viewer", "--email", "nadia.n@nhs.net"),
         "a user with the email address 'nadia.n@nhs.net' already exists"),
        (("users", "add", "x", "--role", "viewer", "--email", "not-an-address"),
         "'not-an-address' is not an email address"),
    ]:  # fmt: skip
        code, _, err = run(capsys, *argv, "--db", database)
        assert code == 2
        assert message in err


def test_userinfo_claims_are_added_for_the_same_subject_only(
    session: Session, forged: Forger
) -> None:
    """As NHS CIS2 does, the test provider sends the email only from UserInfo."""
    forged.userinfo = {"sub": "forged-subject-1", "email": "frances.forde@nhs.net"}
    try:
        _, answer, _ = forged_callback(session, forged, email=None)
        assert answer.status_code == 303
        assert events(session, "sign_in")[-1].username == "frances"
        forged.userinfo = {"sub": "someone-else", "email": "frances.forde@nhs.net"}
        _, answer, _ = forged_callback(session, forged, email=None, username="frances2")
        assert_refused(answer, 403, "described another person")
        assert refusal(session)["reason"] == "userinfo_mismatch"
    finally:
        forged.userinfo = None


def test_an_administrator_adds_an_account_for_single_sign_on(
    session: Session, client_for: Any
) -> None:
    client = client_for("national")
    answer = client.post(
        "/admin/users/new",
        data={
            "username": "rhona",
            "role": "regional",
            "region_code": "Y56",
            "email": "Rhona.R@nhs.net",
            "password": "",
            "csrf_token": client.csrf,
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:500]
    user = session.scalars(select(User).where(User.username == "rhona")).one()
    assert (user.email, user.password_hash, user.region_code) == ("rhona.r@nhs.net", "!", "Y56")
    assert "single sign-on (rhona.r@nhs.net)" in client.get("/admin").text
    refused = client.post(
        "/admin/users/new",
        data={"username": "rory", "role": "viewer", "csrf_token": client.csrf},
        follow_redirects=False,
    )
    assert refused.status_code == 400
    assert "Give a password, or an email address for single sign-on" in refused.text
