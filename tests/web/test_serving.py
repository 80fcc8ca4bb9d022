"""``talentboard serve`` as real server processes on one PostgreSQL database.

Two servers run on the world of ``tests.web.world`` (as at 30 September 2026, five
executive board posts, two without a substantive holder: a vacancy rate of 40.0%):

- ``pair``: two worker processes (``--workers 2``), the proxy believed from 127.0.0.1;
- ``single``: one worker process, on another port, believing only a proxy at 192.0.2.1.

The last test stops ``pair`` while a request is in flight (each server takes seconds of
the machine to start, so the tests share them).

The data stamp is read again only once an hour in every server, so a figure can change on
a page only because the change was made known (``web.shared``). Each request carries its
own ``X-Request-ID``, and the server's JSON log line for it says which worker process
answered.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.orm import Session

from talentboard.db import make_engine, upgrade
from talentboard.db.models import Setting
from talentboard.db.seed import load_reference_organisations
from tests.web.conftest import CSRF
from tests.web.test_dashboard import card
from tests.web.world import PASSWORD, build_world

# Longest a server may take to start or stop on a loaded machine before the test gives up.
GIVE_UP_SECONDS = 180
VACANCY = "Executive vacancy rate"
SERVE = "from talentboard.cli import main; main()"


@dataclass
class Server:
    """One ``talentboard serve`` process and the lines it has logged so far."""

    process: subprocess.Popen[str]
    port: int
    workers: int
    lines: list[dict[str, Any]] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def read(self) -> None:
        assert self.process.stderr is not None
        for raw in self.process.stderr:
            with self.changed:
                try:
                    self.lines.append(json.loads(raw))
                except json.JSONDecodeError:
                    self.other.append(raw)
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    def wait_for(self, found: Callable[[list[dict[str, Any]]], Any], what: str) -> Any:
        """What ``found`` returns once the log holds it (the server must still run)."""
        with self.changed:
            result = found(self.lines)
            while not result:
                exited = self.process.poll() is not None
                if exited or not self.changed.wait(GIVE_UP_SECONDS):
                    pytest.fail(f"server never logged {what}: {self.lines[-5:]} {self.other}")
                result = found(self.lines)
            return result

    def worker_of(self, request_id: str) -> int:
        """The worker process that answered the request with this id."""
        line = self.wait_for(
            lambda lines: next((x for x in lines if x.get("request_id") == request_id), None),
            f"request {request_id}",
        )
        return int(line["pid"])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _start(url: str, workers: int, **settings: str) -> Server:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("TALENTBOARD_") and name != "PROMETHEUS_MULTIPROC_DIR"
    }
    environment |= {
        "TALENTBOARD_ANALYSIS_STAMP_SECONDS": "3600",
        "TALENTBOARD_DATABASE_POOL_SIZE": "3",
        "TALENTBOARD_DATABASE_MAX_OVERFLOW": "2",
        "TALENTBOARD_LOGIN_ATTEMPTS_PER_MINUTE": "1000",
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    environment |= {f"TALENTBOARD_{name.upper()}": value for name, value in settings.items()}
    port = _free_port()
    command = [sys.executable, "-c", SERVE, "serve", "--db", url, "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", str(workers)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    server = Server(process, port, workers)
    threading.Thread(target=server.read, daemon=True).start()
    return server


def _started(server: Server) -> Server:
    server.wait_for(
        lambda lines: (
            sum(x["message"] == "Application startup complete." for x in lines) >= server.workers
        ),
        "that every worker started",
    )
    return server


def _stop(server: Server) -> None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(GIVE_UP_SECONDS)


@dataclass(frozen=True)
class Served:
    url: str
    users: dict[str, str]
    appointments: dict[str, tuple[int, int]]  # person: (appointment id, version)


@pytest.fixture(scope="module")
def served(postgres_url: str) -> Iterator[Served]:
    """A database of its own holding the world, committed (the servers read it)."""
    admin = make_engine(postgres_url, isolation_level="AUTOCOMMIT")
    name = f"{make_url(postgres_url).database}_served"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session, session.begin():
        load_reference_organisations(session)
        world = build_world(session)
        session.add(Setting(key="demo_as_at", value="2026-09-30"))
        session.flush()
        users = {role: user.username for role, user in world.users.items()}
        appointments = {
            person: (row.id, row.version)
            for person, row in world.appointments.items()
            if person in ("P-ALICE", "P-BOB")
        }
    engine.dispose()
    try:
        yield Served(url, users, appointments)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def servers(served: Served) -> Iterator[dict[str, Server]]:
    """The two servers, started together."""
    started = {
        "pair": _start(served.url, 2),
        "single": _start(served.url, 1, forwarded_allow_ips="192.0.2.1"),
    }
    try:
        yield {name: _started(server) for name, server in started.items()}
    finally:
        for server in started.values():
            _stop(server)


def _client(server: Server) -> httpx.Client:
    # A new connection for every request, so that either worker may take each one.
    return httpx.Client(base_url=server.url, headers={"Connection": "close"})


def _signed_in(server: Server, username: str) -> httpx.Client:
    client = _client(server)
    page = client.get("/sign-in")
    match = CSRF.search(page.text)
    assert match, page.text[:300]
    form = {"username": username, "password": PASSWORD, "csrf_token": match.group(1)}
    assert client.post("/sign-in", data=form).status_code == 303
    client.csrf = CSRF.search(client.get("/account").text).group(1)  # type: ignore[attr-defined, union-attr]
    return client


def _ask(server: Server, client: httpx.Client, path: str) -> tuple[int, httpx.Response]:
    """The worker that answered, and its answer."""
    request_id = uuid.uuid4().hex
    response = client.get(path, headers={"X-Request-ID": request_id})
    return server.worker_of(request_id), response


def _from_every_worker(server: Server, client: httpx.Client, path: str) -> dict[int, str]:
    """The dashboard's vacancy rate as each worker shows it (asking until all have
    answered; which worker takes a new connection is the kernel's choice)."""
    shown: dict[int, list[str]] = {}
    for _ in range(200):
        worker, response = _ask(server, client, path)
        assert response.status_code == 200, response.text[:300]
        shown.setdefault(worker, []).append(card(response.text, VACANCY))
        if len(shown) == server.workers:
            break
    assert len(shown) == server.workers, f"only workers {sorted(shown)} answered"
    for worker, values in shown.items():
        assert len(set(values)) == 1, f"worker {worker} showed {values}"
    return {worker: values[0] for worker, values in shown.items()}


def _leaves(client: httpx.Client, served: Served, person: str, post_id: str, start: str) -> None:
    """The person's appointment ends on 30 June 2026, saved through the form."""
    ref, version = served.appointments[person]
    data = {
        "csrf_token": client.csrf,  # type: ignore[attr-defined]
        "post_id": post_id,
        "appointment_type": "substantive",
        "end_reason": "retired",
        "version": str(version),
    }
    for name, day in (
        ("start_date", dt.date.fromisoformat(start)),
        ("end_date", dt.date(2026, 6, 30)),
    ):
        data |= {
            f"{name}[day]": str(day.day),
            f"{name}[month]": str(day.month),
            f"{name}[year]": str(day.year),
        }
    saved = client.post(f"/people/{person}/appointments/{ref}/edit", data=data)
    assert saved.status_code == 303, saved.text[:500]


def test_an_edit_through_one_process_shows_on_the_next_request_to_every_other(
    servers: dict[str, Server], served: Served
) -> None:
    """Both workers of ``pair`` and the ``single`` server show 40.0%. Alice leaving, saved
    through ``single``, shows 60.0% (three of five posts vacant) on the next request to
    each worker of ``pair``; Bob leaving, saved through ``pair``, shows 80.0% on the next
    request to ``single`` and to both workers of ``pair``. One sign-in cookie serves both
    workers of ``pair``: they sign cookies with the same key."""
    pair, single = servers["pair"], servers["single"]
    national = served.users["national"]
    at_pair, at_single = _signed_in(pair, national), _signed_in(single, national)
    assert set(_from_every_worker(pair, at_pair, "/").values()) == {"40.0%"}
    assert card(at_single.get("/").text, VACANCY) == "40.0%"

    _leaves(at_single, served, "P-ALICE", "R1H-CEO", "2020-01-01")
    assert card(at_single.get("/").text, VACANCY) == "60.0%"
    assert set(_from_every_worker(pair, at_pair, "/").values()) == {"60.0%"}

    _leaves(at_pair, served, "P-BOB", "R1K-CEO", "2019-06-01")
    assert card(at_single.get("/").text, VACANCY) == "80.0%"
    assert set(_from_every_worker(pair, at_pair, "/").values()) == {"80.0%"}


def _sample(exposition: str, name: str, labels: str = "") -> float:
    found = re.search(rf"^{re.escape(name)}{re.escape(labels)} (\S+)$", exposition, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def test_metrics_add_up_every_worker(servers: dict[str, Server]) -> None:
    """Requests answered by either worker of ``pair`` are all counted, whichever worker
    answers the scrape; the pools' capacity is that of two workers: 2 x (3 + 2) = 10."""
    pair = servers["pair"]
    client = _client(pair)
    live = '{method="GET",route="/health/live",status="200"}'
    before = _sample(client.get("/metrics").text, "talentboard_http_requests_total", live)
    workers: set[int] = set()
    asked = 0
    while len(workers) < 2 and asked < 200:
        worker, response = _ask(pair, client, "/health/live")
        assert response.status_code == 200
        workers.add(worker)
        asked += 1
    assert len(workers) == 2
    assert _ask(pair, client, "/health/ready")[1].status_code == 200
    scraped = client.get("/metrics").text
    assert _sample(scraped, "talentboard_http_requests_total", live) - before == asked
    assert _sample(scraped, "talentboard_db_pool_capacity") == 10
    assert _sample(scraped, "talentboard_db_pool_connections_in_use") == 0
    assert _sample(scraped, "talentboard_db_pool_connections_open") >= 1


def test_proxy_headers_are_believed_only_from_the_configured_addresses(
    servers: dict[str, Server],
) -> None:
    """``pair`` believes 127.0.0.1: a request forwarded over HTTPS gets a Secure cookie and
    HSTS, and one forwarded for 203.0.113.9 is outside the metrics network. ``single``
    believes only 192.0.2.1, so the same headers from 127.0.0.1 change nothing."""
    https = {"X-Forwarded-Proto": "https"}
    away = {"X-Forwarded-For": "203.0.113.9"}
    pair, single = _client(servers["pair"]), _client(servers["single"])

    secure = pair.get("/sign-in", headers=https)
    assert "; secure" in secure.headers["set-cookie"].lower()
    assert secure.headers["strict-transport-security"] == "max-age=31536000"
    plain = pair.get("/sign-in")
    assert "secure" not in plain.headers["set-cookie"].lower()
    assert pair.get("/metrics", headers=away).status_code == 403
    assert pair.get("/metrics").status_code == 200

    ignored = single.get("/sign-in", headers=https)
    assert "secure" not in ignored.headers["set-cookie"].lower()
    assert "strict-transport-security" not in ignored.headers
    assert single.get("/metrics", headers=away).status_code == 200


def test_stopping_lets_the_request_in_flight_finish(
    servers: dict[str, Server], served: Served
) -> None:
    """A sign-in whose form is still being sent when ``pair`` is told to stop (SIGTERM to
    the supervising process) is answered in full; then every process exits cleanly."""
    stopping = servers["pair"]
    page = _client(stopping).get("/sign-in")
    cookie = page.headers["set-cookie"].split(";", 1)[0]
    token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    body = urlencode(
        {"username": served.users["national"], "password": PASSWORD, "csrf_token": token}
    ).encode()
    head = (
        f"POST /sign-in HTTP/1.1\r\nHost: 127.0.0.1:{stopping.port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nCookie: {cookie}\r\n"
        "X-Request-ID: in-flight\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", stopping.port)) as connection:
        connection.sendall(head)
        # The server asks for the body once the application reads it: the request is
        # being served.
        assert connection.recv(64).startswith(b"HTTP/1.1 100 Continue")
        stopping.process.send_signal(signal.SIGTERM)
        stopping.wait_for(
            lambda lines: any("Waiting for connections to close" in x["message"] for x in lines),
            "that it waits for the request in flight",
        )
        connection.sendall(body)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 303"), answer[:300]
    assert b"\r\nlocation: /\r\n" in answer.lower()
    assert stopping.process.wait(GIVE_UP_SECONDS) == 0
    assert any(x.get("request_id") == "in-flight" and x["status"] == 303 for x in stopping.lines)
