"""Concurrent work on SQLite, the embedded default, against a real server over HTTP.

SQLite lets one connection write at a time; saves, imports and downloads arriving at once
must wait their turn (or be told to try again), never fail with a server error.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator

import pytest

from tests.reliability.editing import check_final_state, run_race
from tests.reliability.imports import two_imports_at_once
from tests.reliability.live import (
    Answer,
    Browser,
    LiveServer,
    audit_count,
    browsers,
    form_values,
    is_styled_error,
    person,
    prepare_database,
)

EDITORS = 20
NATIONAL = "national-user"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite-live') / 'talentboard.db'}"
    prepare_database(url)
    return url


@pytest.fixture(scope="module")
def server(database: str) -> Iterator[LiveServer]:
    with LiveServer(database) as live:
        yield live


def test_twenty_editors_saving_one_person_at_once_get_one_save_and_nineteen_conflict_pages(
    server: LiveServer, database: str
) -> None:
    first = person(database, "P-ALICE")[1]
    updates = audit_count(database, "update", "P-ALICE")
    with browsers(server, database, NATIONAL, EDITORS) as editors:
        race = run_race(editors, ["P-ALICE"], until_saved=False)
    # Each person's page opened (200); one save, and the conflict page for the others,
    # whose forms were of the version that save replaced. No server error.
    assert race.unexpected == []
    assert race.statuses == Counter({200: EDITORS, 303: 1, 409: EDITORS - 1})
    final = person(database, "P-ALICE")
    assert final[1] == first + 1
    check_final_state(race, "P-ALICE", first, final)
    assert audit_count(database, "update", "P-ALICE") == updates + 1


def test_twenty_editors_of_twenty_people_at_once_all_save_first_time(
    server: LiveServer, database: str
) -> None:
    people = [f"P-X{n:02d}" for n in range(1, EDITORS + 1)]
    first = {p: person(database, p)[1] for p in people}
    reads = audit_count(database, "read")
    with browsers(server, database, NATIONAL, EDITORS) as editors:
        race = run_race(editors, people)
    # Writers waited their turn: no refusal, no error.
    assert race.unexpected == []
    assert race.conflicts == 0
    assert race.statuses == Counter({200: EDITORS, 303: EDITORS})
    for p in people:
        final = person(database, p)
        assert final[1] == first[p] + 1
        check_final_state(race, p, first[p], final)
    # Each editor's opening of the form and of the page was audited: 2 reads each.
    assert audit_count(database, "read") == reads + 2 * EDITORS


def _keep_editing(
    browser: Browser,
    person_id: str,
    stop: threading.Event,
    answers: list[Answer],
    started: threading.Event,
) -> None:
    """Save the person's details again and again until ``stop``; ``started`` after the
    first answer (whatever it is)."""
    path = f"/people/{person_id}/edit"
    count = 0
    try:
        while not stop.is_set():
            shown = browser.get(path)
            answers.append(shown)
            if shown.status != 200:
                return
            values = form_values(shown.text) | {"given_name": f"Busy{count}"}
            answers.append(browser.send(path, values))
            started.set()
            count += 1
            stop.wait(0.1)  # a person's pace, leaving the server time for the downloads
    finally:
        started.set()


def test_board_report_downloads_succeed_while_others_save(
    server: LiveServer, database: str
) -> None:
    exports = audit_count(database, "export")
    stop, started = threading.Event(), threading.Event()
    edits: list[Answer] = []
    downloads: dict[str, Answer] = {}
    with browsers(server, database, NATIONAL, 5) as opened:
        editors, readers = opened[:2], opened[2:]
        writers = [
            threading.Thread(target=_keep_editing, args=(b, f"P-X{30 + i}", stop, edits, started))
            for i, b in enumerate(editors)
        ]
        for thread in writers:
            thread.start()
        started.wait()

        def download(browser: Browser, name: str, region: str | None) -> None:
            params = {"region": region} if region else {}
            downloads[f"{name}{region or ''}"] = browser.get(f"/reports/{name}", **params)

        fetches = [
            threading.Thread(target=download, args=(b, name, region))
            for b, (name, region) in zip(
                readers,
                (("board.pdf", None), ("board.xlsx", None), ("board.html", "Y56")),
                strict=True,
            )
        ]
        for thread in fetches:
            thread.start()
        for thread in fetches:
            thread.join()
        stop.set()
        for thread in writers:
            thread.join()
    assert {k: a.status for k, a in downloads.items()} == {
        "board.pdf": 200,
        "board.xlsx": 200,
        "board.htmlY56": 200,
    }
    assert downloads["board.pdf"].headers["content-type"] == "application/pdf"
    assert downloads["board.pdf"].text.startswith("%PDF")
    assert downloads["board.xlsx"].text.startswith("PK")
    assert "London" in downloads["board.htmlY56"].text
    assert audit_count(database, "export") == exports + 3
    assert edits
    assert {a.status for a in edits} == {200, 303}


def test_two_imports_confirmed_at_once_both_load_whole(server: LiveServer, database: str) -> None:
    two_imports_at_once(server, database)


def test_a_save_that_cannot_wait_for_the_write_lock_gets_the_try_again_page(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TALENTBOARD_SQLITE_BUSY_TIMEOUT_SECONDS", "0.2")
    path = database.removeprefix("sqlite:///")
    with LiveServer(database) as live, browsers(live, database, NATIONAL, 1) as (browser,):
        values = browser.open_form("/people/P-CAROL/edit")
        values["given_name"] = "Caroline"
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock, and keeps it
        try:
            busy = browser.send("/people/P-CAROL/edit", values)
            audited_read = browser.get("/people/P-CAROL")
            plain_read = browser.get("/organisations")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        saved = browser.send("/people/P-CAROL/edit", values)
    assert busy.status == 503
    assert busy.headers["retry-after"] == "5"
    assert "The service is busy" in busy.text
    assert "Nothing was saved" in busy.text
    assert is_styled_error(busy)
    # Opening a person's record must be audited, so it waits for the lock too; a page of
    # figures only reads, and readers never wait for a writer.
    assert audited_read.status == 503
    assert is_styled_error(audited_read)
    assert plain_read.status == 200
    assert saved.status == 303
    assert person(database, "P-CAROL")[0] == "Caroline"
