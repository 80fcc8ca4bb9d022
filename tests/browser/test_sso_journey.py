"""Single sign-on in real Chromium: through ``oidc-provider-mock`` and back.

The service runs as in the other journeys (uvicorn in a thread, a SQLite file), set up for
single sign-on against the mock provider the test starts, with local passwords switched
off. The mock shows its own page, where the person picks who they are.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from oidc_provider_mock import User as ProviderUser
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard.db import make_engine
from talentboard.db.models import AuditEvent
from talentboard.web.accounts import add_user
from talentboard.web.app import create_app
from talentboard.web.settings import WebSettings
from tests.browser.conftest import (
    AXE,
    CHROMIUM,
    NHSUK_CSS,
    User,
    _free_port,
    _talentboard,
    _unavailable,
)
from tests.web.oidc_providers import CLIENT_ID, CLIENT_SECRET, mock_provider


@dataclass
class SsoSite:
    url: str
    database: str
    issuer: str


@pytest.fixture(scope="module")
def sso_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SsoSite]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    if not AXE.exists() or not NHSUK_CSS.exists():
        _unavailable("the front-end assets are not built (make setup)")
    folder: Path = tmp_path_factory.mktemp("sso")
    database = f"sqlite:///{folder / 'talentboard.db'}"
    _talentboard(["init", "--db", database])
    engine = make_engine(database)
    with Session(engine) as session:
        add_user(session, "nadia", role="national", password=None, email="nadia.n@nhs.net")
        session.commit()
    people = [
        ProviderUser(sub="nadia-oid", claims={"email": "nadia.n@nhs.net", "email_verified": True}),
        ProviderUser(sub="oscar-oid", claims={"email": "oscar@nhs.net", "email_verified": True}),
    ]
    with mock_provider(people) as provider:
        issuer = provider.issuer
        settings = WebSettings(
            database_url=database,
            secret_key="sso-browser-test-secret-key",
            upload_dir=folder / "uploads",
            local_passwords=False,
            oidc_issuer=issuer,
            oidc_client_id=CLIENT_ID,
            oidc_client_secret=CLIENT_SECRET,  # type: ignore[arg-type]
            oidc_provider_name="NHS Care Identity Service 2",
        )
        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings, engine), host="127.0.0.1", port=port)
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        try:
            yield SsoSite(f"http://127.0.0.1:{port}", database, issuer)
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            engine.dispose()


@pytest.fixture
def person(sso_site: SsoSite, browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def make(name: str) -> User:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        user = User(page, sso_site, name)  # type: ignore[arg-type]
        page.on(
            "console",
            lambda message: (
                user.blocked.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        return user

    yield make
    for context in contexts:
        context.close()


def audit(site: SsoSite) -> list[tuple[str | None, str, dict[str, Any]]]:
    engine = make_engine(site.database)
    with Session(engine) as session:
        rows = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action.in_(("sign_in", "sign_in_failed")))
            .order_by(AuditEvent.id)
        ).all()
        found = [(r.username, r.action, dict(r.detail)) for r in rows]
    engine.dispose()
    return found


def test_sign_in_through_the_organisations_provider(person: Any, sso_site: SsoSite) -> None:
    # given a national analyst whose account an administrator made with her email address
    nadia = person("sso-nadia")
    # when she opens her account page, she is asked to sign in, without a password form
    nadia.visit("/account")
    expect(nadia.page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(nadia.page.get_by_label("Password", exact=True)).to_have_count(0)
    nadia.check("sign in with single sign-on only")
    # and when she signs in with her organisation's account at the provider
    nadia.page.get_by_role("button", name="Sign in with NHS Care Identity Service 2").click()
    expect(nadia.page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    nadia.page.get_by_role("button", name="nadia-oid").click()
    # then she is back on the page she asked for, signed in as herself
    expect(nadia.page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(nadia.page.get_by_text("nadia", exact=True).first).to_be_visible()
    nadia.check("account after single sign-on")
    assert nadia.page.url == f"{sso_site.url}/account"
    assert audit(sso_site)[-1] == (
        "nadia",
        "sign_in",
        {"method": "single sign-on", "issuer": sso_site.issuer, "matched_by": "email"},
    )


def test_a_person_without_an_account_is_told_why(person: Any, sso_site: SsoSite) -> None:
    oscar = person("sso-oscar")
    oscar.visit("/sign-in")
    oscar.page.get_by_role("button", name="Sign in with NHS Care Identity Service 2").click()
    oscar.page.get_by_role("button", name="oscar-oid").click()
    expect(oscar.page.get_by_role("heading", level=1)).to_have_text("You have not been signed in")
    expect(oscar.page.locator("#reason")).to_contain_text(
        "You do not have an account in this service"
    )
    oscar.check("single sign-on refused")
    assert audit(sso_site)[-1] == (
        "oscar@nhs.net",
        "sign_in_failed",
        {"method": "single sign-on", "reason": "not_registered"},
    )
