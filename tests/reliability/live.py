"""A real server for the reliability tests, and browsers that talk to it over HTTP.

``LiveServer`` runs the application under Uvicorn in a thread of the test process, on a
free port, against a real database file or server (no session is shared with the test).
``Browser`` is an HTTP client with a browser's session cookie: it opens a form, fills it
as a person would (every field keeps the value shown unless changed) and sends it.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from base64 import b64encode
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import httpx
import itsdangerous
import uvicorn
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from talentboard.db import make_engine, upgrade
from talentboard.db.models import AuditEvent, Person, User
from talentboard.db.seed import load_reference_organisations
from talentboard.web.app import SESSION_COOKIE, create_app
from talentboard.web.deps import session_stamp
from talentboard.web.editing import STALE_MESSAGE
from talentboard.web.settings import WebSettings
from tests.web.world import build_world

SECRET = "reliability-test-secret-key"
# People added beside the web tests' world, one per concurrent editor.
EXTRA_PEOPLE = 50


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def prepare_database(url: str) -> None:
    """Migrate the database at ``url`` and fill it with the web tests' world, plus
    ``EXTRA_PEOPLE`` people P-X01... (no appointments), all committed."""
    engine = make_engine(url)
    try:
        upgrade(engine)
        with Session(engine) as session, session.begin():
            load_reference_organisations(session)
            build_world(session)
            session.add_all(
                Person(person_id=f"P-X{n:02d}", given_name=f"Extra{n}", family_name="Person")
                for n in range(1, EXTRA_PEOPLE + 1)
            )
    finally:
        engine.dispose()


class LiveServer:
    """The application served by Uvicorn in a thread, at ``self.url``."""

    def __init__(self, database_url: str, *, pool_size: int = 10, max_overflow: int = 10) -> None:
        settings = WebSettings(
            database_url=database_url,
            secret_key=SECRET,
            login_attempts_per_minute=100_000,
            database_pool_size=pool_size,
            database_max_overflow=max_overflow,
        )
        self.app = create_app(settings)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join()
        engine: Engine = self.app.state.engine
        engine.dispose()


class _Form(HTMLParser):
    """The fields of the page's main form, with the values a browser would send."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._in_form = False
        self._select: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == "main-form":
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            if a.get("type") not in ("radio", "checkbox") or "checked" in a:
                self.values[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
                self.values.setdefault(self._select, self._first_option)
            if "selected" in a:
                self.values[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "form":
            self._in_form = False


def form_values(html: str) -> dict[str, str]:
    parser = _Form()
    parser.feed(html)
    return parser.values


@dataclass
class Answer:
    status: int
    text: str
    headers: httpx.Headers


class Browser:
    """One signed-in browser session (its own cookie and CSRF token) on the live server."""

    def __init__(self, base_url: str, cookie: str | None = None) -> None:
        self.client = httpx.Client(base_url=base_url, timeout=120, follow_redirects=False)
        if cookie is not None:
            self.client.cookies.set(SESSION_COOKIE, cookie)

    def get(self, path: str, **params: str) -> Answer:
        response = self.client.get(path, params=params or None)
        return Answer(response.status_code, response.text, response.headers)

    def open_form(self, path: str) -> dict[str, str]:
        page = self.get(path)
        assert page.status == 200, page.text[:300]
        return form_values(page.text)

    def send(self, path: str, values: dict[str, str], files: Any = None) -> Answer:
        response = self.client.post(path, data=values, files=files)
        return Answer(response.status_code, response.text, response.headers)

    def close(self) -> None:
        self.client.close()


def signed_cookie(user: User, csrf: str) -> str:
    """The session cookie the sign-in page sets for ``user`` (signed with ``SECRET``)."""
    data = {"user_id": user.id, "stamp": session_stamp(user), "csrf": csrf}
    payload = b64encode(json.dumps(data).encode())
    return itsdangerous.TimestampSigner(SECRET).sign(payload).decode()


@contextmanager
def browsers(
    server: LiveServer, database_url: str, username: str, count: int
) -> Iterator[list[Browser]]:
    """``count`` browser sessions signed in as ``username``, each with its own CSRF token."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        cookies = [signed_cookie(user, f"csrf-{username}-{n}") for n in range(count)]
    engine.dispose()
    opened = [Browser(server.url, cookie) for cookie in cookies]
    try:
        yield opened
    finally:
        for browser in opened:
            browser.close()


def is_stale_page(answer: Answer) -> bool:
    """The form came back because someone else saved first (the conflict page)."""
    return answer.status == 409 and STALE_MESSAGE.split(",")[0] in answer.text


def is_styled_error(answer: Answer) -> bool:
    """A page in the service's layout with a reference, not a bare error or a traceback."""
    return (
        "nhsuk-header" in answer.text
        and "quote reference <code>" in answer.text
        and "Traceback" not in answer.text
    )


def person(database_url: str, person_id: str) -> tuple[str, int]:
    """The person's stored given name and version, read on a connection of its own."""
    engine = make_engine(database_url)
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT given_name, version FROM people WHERE person_id = :p"), {"p": person_id}
        ).one()
    engine.dispose()
    return str(row[0]), int(row[1])


def audit_count(database_url: str, action: str, key: str | None = None) -> int:
    engine = make_engine(database_url)
    query = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    if key is not None:
        query = query.where(AuditEvent.entity_key == key)
    with Session(engine) as session:
        value = session.scalar(query) or 0
    engine.dispose()
    return value


def wait_until(url: str, query: str, what: str, seconds: float = 120.0) -> None:
    """Ask ``query`` (one boolean) again, each time in a transaction of its own (PostgreSQL
    keeps ``pg_stat_activity`` fixed within one), until it is true; fail after ``seconds``
    naming ``what`` was awaited, rather than hang."""
    engine = make_engine(url, isolation_level="AUTOCOMMIT")
    deadline = time.monotonic() + seconds
    try:
        with engine.connect() as connection:
            while not connection.execute(text(query)).scalar_one():
                if time.monotonic() > deadline:
                    raise AssertionError(f"gave up waiting for {what}")
                time.sleep(0.02)
    finally:
        engine.dispose()
