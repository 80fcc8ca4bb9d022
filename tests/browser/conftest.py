"""Browser tests: the real application in Debian's Chromium, driven by Playwright.

The server runs in this process (uvicorn in a thread) on a free localhost port, over a
SQLite file holding the region-scale demo and one user of each role. Every page a journey
visits is checked with axe-core (served from the application's own static folder) for
serious or critical WCAG 2.2 AA violations, and for scripts the Content-Security-Policy
blocked; a screenshot of each is kept under ``test-artifacts/``.

Outside CI these tests skip, saying why, when Chromium or the built front-end assets are
missing; with ``CI=true`` they fail instead.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import text
from sqlalchemy.orm import Session

from talentboard.cli import main
from talentboard.db import make_engine
from talentboard.web.accounts import add_user
from talentboard.web.app import create_app
from talentboard.web.settings import WebSettings
from talentboard.web.templating import STATIC

CHROMIUM = Path("/usr/bin/chromium")
AXE = STATIC / "vendor" / "axe.min.js"
NHSUK_CSS = STATIC / "nhsuk" / "nhsuk-frontend.min.css"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
IN_CI = os.environ.get("CI", "").lower() == "true"
PASSWORD = "correct horse battery staple"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# The NHS.UK stylesheet names its Frutiger fonts on a CDN; the policy blocks them and the
# pages fall back to Arial, as the NHS.UK frontend intends. Nothing else may be blocked.
ALLOWED_BLOCKS = re.compile(r"font-src")


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"browser tests are required in CI: {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


def _talentboard(argv: list[str]) -> None:
    code: object = 0
    try:
        main(argv)
    except SystemExit as exit_:
        code = exit_.code
    assert not code, f"talentboard {' '.join(argv)} failed"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Site:
    url: str
    database: str
    org_admin_ods: str


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    if not AXE.exists() or not NHSUK_CSS.exists():
        _unavailable("the front-end assets are not built (make setup)")
    folder = tmp_path_factory.mktemp("browser")
    database = f"sqlite:///{folder / 'talentboard.db'}"
    for argv in (["init", "--db", database], ["demo", "--db", database, "--scale", "region"]):
        _talentboard(argv)
    engine = make_engine(database)
    with Session(engine) as session:
        ods = session.execute(
            # An organisation with a succession plan, for the org_admin journeys.
            text(
                "SELECT p.ods_code FROM succession_plans s JOIN posts p ON p.id = s.post_ref "
                "ORDER BY p.ods_code LIMIT 1"
            )
        ).scalar_one()
        person = session.execute(
            text(
                "SELECT p.person_id FROM people p "
                "JOIN talent_profiles t ON t.person_ref = p.id ORDER BY p.person_id LIMIT 1"
            )
        ).scalar_one()
        region = session.execute(
            text(f"SELECT region_code FROM organisations WHERE ods_code = '{ods}'")
        ).scalar_one()
        for role, scope in (
            ("national", {}),
            ("regional", {"region_code": region}),
            ("org_admin", {"ods_code": ods}),
            ("viewer", {}),
            ("individual", {"person_id": person}),
        ):
            add_user(session, f"{role}-user", role=role, password=PASSWORD, **scope)
        session.commit()
    settings = WebSettings(
        database_url=database,
        secret_key="browser-test-secret-key",
        upload_dir=folder / "uploads",
        # Every journey signs in afresh from 127.0.0.1, many a minute: the sign-in rate
        # limit (tested in tests/web) would refuse the later ones.
        login_attempts_per_minute=10_000,
    )
    app = create_app(settings, engine)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield Site(f"http://127.0.0.1:{port}", database, ods)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@dataclass
class User:
    """A person at the browser: one page, with what the checks found."""

    page: Any
    site: Site
    name: str
    blocked: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def visit(self, path: str) -> None:
        self.page.goto(self.site.url + path)
        self.check(path)

    def check(self, label: str) -> None:
        """axe-core and a screenshot of the page as it is now."""
        self.page.wait_for_load_state("networkidle")
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.add_script_tag(url="/static/vendor/axe.min.js")
        result = self.page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            WCAG,
        )
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        ARTIFACTS.mkdir(exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", f"{self.name}-{label}".lower()).strip("-")
        self.page.screenshot(path=str(ARTIFACTS / f"{slug}.png"), full_page=True)
        self.checked.append(label)
        assert not serious, f"accessibility violations on {label}: {serious}"
        bad = [b for b in self.blocked if not ALLOWED_BLOCKS.search(b)]
        assert not bad, f"the Content-Security-Policy blocked something on {label}: {bad}"


@pytest.fixture
def user_for(site: Site, browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def make(role: str, width: int = 1280) -> User:
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        user = User(page, site, role)
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
