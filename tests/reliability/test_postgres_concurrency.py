"""Concurrent work on PostgreSQL against a real server over HTTP: 50 people editing the
same records through the web forms at once, and two imports into the same table."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reliability.editing import check_final_state, run_race
from tests.reliability.imports import two_imports_at_once
from tests.reliability.live import LiveServer, audit_count, browsers, person

CLIENTS = 50
RECORDS = [f"P-X{n:02d}" for n in range(1, 11)]
NATIONAL = "national-user"


@pytest.fixture(scope="module")
def server(postgres_database: str) -> Iterator[LiveServer]:
    with LiveServer(postgres_database, pool_size=10, max_overflow=10) as live:
        yield live


def test_fifty_editors_of_ten_records_lose_no_save_and_see_no_server_error(
    server: LiveServer, postgres_database: str
) -> None:
    first = {p: person(postgres_database, p)[1] for p in RECORDS}
    updates = {p: audit_count(postgres_database, "update", p) for p in RECORDS}
    with browsers(server, postgres_database, NATIONAL, CLIENTS) as editors:
        race = run_race(editors, RECORDS)
    # Every answer was the page, a save or the conflict page; each editor saved once.
    assert race.unexpected == []
    assert set(race.statuses) <= {200, 303, 409}
    assert race.statuses[200] == CLIENTS
    assert race.statuses[303] == CLIENTS
    assert race.statuses[409] == race.conflicts
    # Of each record's 5 editors, 4 lose the first round, 3 the next...: at most 10 refusals
    # a record (fewer when a refusal's page already shows a later save).
    assert race.conflicts <= 10 * len(RECORDS)
    per_record = CLIENTS // len(RECORDS)
    for p in RECORDS:
        final = person(postgres_database, p)
        assert final[1] == first[p] + per_record
        check_final_state(race, p, first[p], final)
        assert audit_count(postgres_database, "update", p) == updates[p] + per_record


def test_two_imports_confirmed_at_once_both_load_whole(
    server: LiveServer, postgres_database: str
) -> None:
    two_imports_at_once(server, postgres_database)
