"""The database goes away in the middle of a request, and comes back.

On a PostgreSQL server of its own (``throwaway_postgres``): a save is held waiting on a
row lock inside the database, the server is then stopped as if it had died, and the save
must answer the service's 503 page with a reference, not a traceback; pages asked for
while it is down answer the same; once the server is back the same browser saves.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from talentboard.db import make_engine
from tests.reliability.live import (
    Answer,
    LiveServer,
    browsers,
    is_styled_error,
    person,
    prepare_database,
    wait_until,
)
from tests.reliability.throwaway_postgres import ThrowawayPostgres


@pytest.fixture
def cluster() -> Iterator[ThrowawayPostgres]:
    server = ThrowawayPostgres()
    try:
        server.start()
        yield server
    finally:
        server.remove()


def _wait_for_a_waiting_save(url: str) -> None:
    """Until the save's statement waits on the row lock inside the server."""
    wait_until(
        url,
        "SELECT count(*) > 0 FROM pg_stat_activity WHERE datname = 'talentboard' "
        "AND wait_event_type = 'Lock'",
        "the save to wait on the row lock",
    )


def test_a_database_gone_mid_request_answers_503_and_the_service_recovers(
    cluster: ThrowawayPostgres,
) -> None:
    admin = make_engine(cluster.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("CREATE DATABASE talentboard"))
    admin.dispose()
    url = cluster.url.rsplit("/", 1)[0] + "/talentboard"
    prepare_database(url)

    with (
        LiveServer(url, pool_size=4, max_overflow=4) as live,
        browsers(live, url, "national-user", 1) as (browser,),
    ):
        values = browser.open_form("/people/P-ALICE/edit")
        values["given_name"] = "Alicia"
        holder = make_engine(url)
        lock = holder.connect()
        lock.execute(text("SELECT 1 FROM people WHERE person_id = 'P-ALICE' FOR UPDATE"))
        answers: list[Answer] = []
        save = threading.Thread(
            target=lambda: answers.append(browser.send("/people/P-ALICE/edit", values))
        )
        save.start()
        _wait_for_a_waiting_save(url)
        cluster.stop()  # the server dies with the save inside it
        save.join()
        lock.invalidate()
        holder.dispose()
        while_down = browser.get("/people/P-ALICE")
        api_down = browser.client.get("/api/stats", headers={"Authorization": "Bearer x"})

        cluster.start()
        form_back = browser.get("/people/P-ALICE/edit")
        saved = browser.send("/people/P-ALICE/edit", values)

    (gone,) = answers
    assert gone.status == 503
    assert "Sorry, the service is unavailable" in gone.text
    assert is_styled_error(gone)
    assert gone.headers["retry-after"] == "5"
    assert while_down.status == 503
    assert is_styled_error(while_down)
    assert api_down.status_code == 503
    assert set(api_down.json()) == {"detail", "reference"}
    assert form_back.status == 200
    assert saved.status == 303
    assert person(url, "P-ALICE") == ("Alicia", 2)
