"""Health checks, request ids and logs, metrics, Secure cookies and the settings file, in
one process (``test_serving.py`` runs real server processes)."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, text
from starlette.testclient import TestClient

from talentboard.db import make_engine, upgrade
from talentboard.db.migrate import head_revision
from talentboard.web import metrics
from talentboard.web.app import SESSION_COOKIE, create_app
from talentboard.web.logs import JsonFormatter, TextFormatter
from talentboard.web.settings import SETTINGS_FILE_ENV, WebSettings
from tests.conftest import Run
from tests.web.conftest import SECRET, ClientFor
from tests.web.world import World

TOKEN = "scrape-token-for-tests"
CACHE_LOOKUPS = "talentboard_analysis_cache_lookups_total"


def _served(engine: Engine, **overrides: object) -> TestClient:
    """A client of an application on ``engine`` itself (not the test's session), as a
    server process has it."""
    settings = WebSettings(secret_key=SECRET, **overrides)  # type: ignore[arg-type]
    return TestClient(create_app(settings, engine), raise_server_exceptions=False)


def test_live_answers_without_sign_in(client_for: ClientFor) -> None:
    response = client_for(None).get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_when_the_schema_is_at_the_head(engine: Engine) -> None:
    response = _served(engine).get("/health/ready")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ok"}


def test_not_ready_without_a_schema(tmp_path: Path) -> None:
    empty = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    response = _served(empty).get("/health/ready")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "reason": "database has no talentboard schema (run 'talentboard init')",
    }


def test_not_ready_with_a_schema_behind_the_head(tmp_path: Path) -> None:
    old = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(old)
    with old.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    response = _served(old).get("/health/ready")
    assert response.status_code == 503
    assert response.json()["reason"] == (
        f"database schema at revision 0000, expected {head_revision()} (run 'talentboard init')"
    )


def test_not_ready_when_the_database_cannot_be_reached() -> None:
    # Port 9 (discard) has no PostgreSQL server: the connection is refused at once.
    gone = make_engine("postgresql+psycopg://talentboard:secret-password@127.0.0.1:9/nowhere")
    response = _served(gone).get("/health/ready")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "reason": "database unreachable"}
    assert "secret-password" not in response.text


def test_every_response_carries_a_request_id(client_for: ClientFor) -> None:
    client = client_for("national")
    first, second = client.get("/health/live"), client.get("/health/live")
    assert re.fullmatch(r"[0-9a-f]{32}", first.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]
    # A proxy's id is kept when it looks like one, replaced when it does not.
    given = client.get("/", headers={"X-Request-ID": "nginx-4f2a.9_b"})
    assert given.headers["x-request-id"] == "nginx-4f2a.9_b"
    odd = client.get("/", headers={"X-Request-ID": "x\ty <script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", odd.headers["x-request-id"])


def test_error_pages_show_the_request_id(app: FastAPI, client_for: ClientFor) -> None:
    def fail() -> None:
        raise RuntimeError("a failure the service did not expect")

    app.add_api_route("/failing-for-test", fail)
    client = TestClient(app, raise_server_exceptions=False)
    broken = client.get("/failing-for-test", headers={"X-Request-ID": "ref-500"})
    assert broken.status_code == 500
    assert broken.headers["x-request-id"] == "ref-500"
    assert "Sorry, there is a problem with the service" in broken.text
    assert "quote reference <code>ref-500</code>" in broken.text
    missing = client_for("national").get("/people/P-NOBODY", headers={"X-Request-ID": "ref-404"})
    assert missing.status_code == 404
    assert "quote reference <code>ref-404</code>" in missing.text


def test_one_log_line_per_request_with_no_personal_data(
    client_for: ClientFor, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Alice's record asked for by the national user: the line names the route template,
    the status and the user's id, and nothing of Alice."""
    client = client_for("national")
    with caplog.at_level(logging.INFO, logger="talentboard.request"):
        response = client.get("/people/P-ALICE", headers={"X-Request-ID": "ref-alice"})
    assert response.status_code == 200
    (record,) = [r for r in caplog.records if r.name == "talentboard.request"]
    line = json.loads(JsonFormatter().format(record))
    assert set(line) == {
        "time",
        "level",
        "logger",
        "message",
        "pid",
        "request_id",
        "method",
        "route",
        "status",
        "duration_ms",
        "user_id",
    }
    assert line["request_id"] == "ref-alice"
    assert (line["method"], line["route"], line["status"]) == ("GET", "/people/{person_id}", 200)
    assert line["user_id"] == world.users["national"].id
    assert line["duration_ms"] >= 0
    written = json.dumps(line)
    for personal in ("P-ALICE", "Alice", "Adams", "national"):
        assert personal not in written.replace('"logger": "talentboard.request"', "")


def test_text_log_lines_for_a_terminal(
    client_for: ClientFor, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="talentboard.request"):
        client_for("national").get("/account", headers={"X-Request-ID": "ref-text"})
    (record,) = [r for r in caplog.records if r.name == "talentboard.request"]
    line = TextFormatter("%(levelname)s %(name)s %(message)s").format(record)
    assert line.startswith("INFO talentboard.request request request_id=ref-text method=GET ")
    assert "route=/account status=200 " in line
    assert line.endswith(f"user_id={world.users['national'].id}")


def _sample(exposition: str, name: str, **labels: str) -> float:
    """The value of one sample of the Prometheus text, 0 when it is not there yet."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    pattern = re.compile(rf"^{re.escape(name)}(?:\{{(.*)\}})? (\S+)$", re.MULTILINE)
    for found, value in pattern.findall(exposition):
        if ",".join(sorted(found.split(","))) == wanted or (not found and not wanted):
            return float(value)
    return 0.0


def test_metrics_only_with_the_token_or_from_an_allowed_network() -> None:
    client = _served_app_client(metrics_token=TOKEN)
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    allowed = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert allowed.status_code == 200
    assert allowed.headers["content-type"].startswith("text/plain")
    settings = WebSettings(metrics_allow="10.20.0.0/16, ::1/128")
    assert metrics.may_scrape(settings, "10.20.3.4", None)
    assert metrics.may_scrape(settings, "::1", None)
    assert not metrics.may_scrape(settings, "10.21.0.1", None)
    assert not metrics.may_scrape(settings, "127.0.0.1", None)
    assert not metrics.may_scrape(settings, None, None)


def _served_app_client(**overrides: object) -> TestClient:
    settings = WebSettings(secret_key=SECRET, **overrides)  # type: ignore[arg-type]
    return TestClient(create_app(settings, make_engine("sqlite://")))


def test_metrics_count_requests_by_route_template_and_cache_lookups(
    app: FastAPI, client_for: ClientFor
) -> None:
    """Three requests for two people's records count as three under one route template;
    two dashboards in a row look the register up in the cache, once missing at most."""
    app.state.settings.metrics_token = WebSettings(metrics_token=TOKEN).metrics_token
    client = client_for("national")
    scrape = {"Authorization": f"Bearer {TOKEN}"}
    before = client.get("/metrics", headers=scrape).text
    for person in ("P-ALICE", "P-BOB", "P-ALICE"):
        assert client.get(f"/people/{person}").status_code == 200
    client.get("/")
    client.get("/")
    after = client.get("/metrics", headers=scrape).text
    route = {"method": "GET", "route": "/people/{person_id}"}
    counted = _sample(after, "talentboard_http_requests_total", status="200", **route)
    assert counted - _sample(before, "talentboard_http_requests_total", status="200", **route) == 3
    timed = _sample(after, "talentboard_http_request_duration_seconds_count", **route)
    assert timed - _sample(before, "talentboard_http_request_duration_seconds_count", **route) == 3
    assert "P-ALICE" not in after
    lookups = {
        outcome: _sample(
            after, "talentboard_analysis_cache_lookups_total", kind="register", outcome=outcome
        )
        - _sample(
            before, "talentboard_analysis_cache_lookups_total", kind="register", outcome=outcome
        )
        for outcome in ("hit", "miss")
    }
    assert lookups["miss"] <= 1
    assert lookups["hit"] >= 1


def test_cookies_are_secure_over_https_only(app: FastAPI) -> None:
    plain = TestClient(app, base_url="http://testserver").get("/sign-in")
    secure = TestClient(app, base_url="https://testserver").get("/sign-in")
    assert SESSION_COOKIE in plain.headers["set-cookie"]
    assert "secure" not in plain.headers["set-cookie"].lower()
    assert "strict-transport-security" not in plain.headers
    assert "; secure" in secure.headers["set-cookie"].lower()
    assert secure.headers["strict-transport-security"] == "max-age=31536000"


def test_settings_from_a_file_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "talentboard.toml"
    file.write_text(
        'forwarded_allow_ips = "10.0.0.5"\nmetrics_token = "from-file"\nworkers = 4\n'
        'metrics_allow = "192.0.2.0/24"\n'
    )
    monkeypatch.setenv(SETTINGS_FILE_ENV, str(file))
    monkeypatch.setenv("TALENTBOARD_WORKERS", "3")
    settings = WebSettings()
    assert settings.forwarded_allow_ips == "10.0.0.5"
    assert settings.metrics_token is not None
    assert settings.metrics_token.get_secret_value() == "from-file"
    assert settings.workers == 3  # the environment wins over the file
    assert [str(n) for n in settings.metrics_networks()] == ["192.0.2.0/24"]
    monkeypatch.setenv(SETTINGS_FILE_ENV, str(tmp_path / "missing.toml"))
    with pytest.raises(ValueError, match="no settings file at"):
        WebSettings()


def test_serve_refuses_bad_settings_and_a_database_without_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    """Nothing is started: a settings file that is not there is bad input (exit 2), a
    database without the schema a failure to fix first (exit 1)."""
    monkeypatch.setenv(SETTINGS_FILE_ENV, str(tmp_path / "missing.toml"))
    code, _, err = run("serve", "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert code == 2
    assert f"no settings file at {tmp_path / 'missing.toml'}" in err
    monkeypatch.delenv(SETTINGS_FILE_ENV)
    file = tmp_path / "talentboard.toml"
    file.write_text('log_format = "xml"\n')
    monkeypatch.setenv(SETTINGS_FILE_ENV, str(file))
    code, _, err = run("serve", "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert code == 2
    assert "log_format" in err
    monkeypatch.delenv(SETTINGS_FILE_ENV)
    code, _, err = run("serve", "--db", f"sqlite:///{tmp_path / 'empty.db'}")
    assert code == 1
    assert "the database has no talentboard schema: run 'talentboard init' first" in err
