"""Failed requests answer a page in the service's style with a reference, never a bare
"Internal Server Error"; the reference is in the log beside the error."""

from __future__ import annotations

import logging
import threading

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from talentboard.db import make_engine
from talentboard.web.app import create_app
from talentboard.web.failures import CLASH, classify
from talentboard.web.settings import WebSettings

REFERENCE = "quote reference <code>"


def _failing_app(engine: Engine, error: BaseException) -> FastAPI:
    app = create_app(WebSettings(secret_key="error-page-test"), engine=engine)

    def fail() -> None:
        raise error

    app.add_api_route("/fails", fail)
    app.add_api_route("/api/fails", fail)
    return app


def _reference(page: str) -> str:
    start = page.index(REFERENCE) + len(REFERENCE)
    return page[start : page.index("<", start)]


def test_an_unexpected_error_answers_the_styled_page_with_a_logged_reference(
    sqlite_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    app = _failing_app(sqlite_engine, RuntimeError("the chart could not be drawn"))
    client = TestClient(app, raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR, logger="talentboard.web.failures"):
        page = client.get("/fails")
        api = client.get("/api/fails")
    assert page.status_code == 500
    assert "<h1>Sorry, there is a problem with the service</h1>" in page.text
    assert 'class="nhsuk-header' in page.text
    assert "Traceback" not in page.text
    reference = _reference(page.text)
    assert reference  # the request's id (web.logs), quoted on the page and logged
    assert api.status_code == 500
    assert api.json()["reference"] not in ("", reference)
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert len(logged) == 1
    assert logged[0].exc_info is not None
    assert "the chart could not be drawn" in str(logged[0].exc_info[1])


def _deadlock(url: str) -> OperationalError:
    """Two transactions each lock a row the other then asks for: PostgreSQL breaks the
    deadlock by failing one of them. That one's error is returned."""
    engine = make_engine(url)
    caught: list[OperationalError] = []
    both_locked = threading.Barrier(2)

    def worker(first: str, second: str) -> None:
        with engine.connect() as connection:
            try:
                connection.execute(
                    text("UPDATE people SET version = version WHERE person_id = :p"), {"p": first}
                )
                both_locked.wait()
                connection.execute(
                    text("UPDATE people SET version = version WHERE person_id = :p"),
                    {"p": second},
                )
            except OperationalError as exc:
                caught.append(exc)
            finally:
                connection.rollback()

    threads = [
        threading.Thread(target=worker, args=("P-X01", "P-X02")),
        threading.Thread(target=worker, args=("P-X02", "P-X01")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert len(caught) == 1
    return caught[0]


def test_a_deadlock_answers_the_try_again_page_not_a_server_error(
    postgres_database: str,
) -> None:
    error = _deadlock(postgres_database)
    assert "deadlock detected" in str(error)
    assert classify(error) is CLASH
    engine = make_engine(postgres_database)
    client = TestClient(_failing_app(engine, error), raise_server_exceptions=False)
    page = client.get("/fails")
    engine.dispose()
    assert page.status_code == 409
    assert "<h1>Your change was not saved</h1>" in page.text
    assert "nothing of it was saved" in page.text
    assert _reference(page.text)
