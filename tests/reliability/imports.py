"""Two people confirming imports into the same table at the same moment, over HTTP.

File A adds 1,500 people of its own, file B 1,500 others, and both name the same 500
further people, with different given names. Both imports must load whole, one after the
other: every row of each file is there, and the 500 people both name carry the names of
one file only (the one loaded last), never a mixture.
"""

from __future__ import annotations

import re
import threading

from sqlalchemy import text

from talentboard.db import make_engine
from tests.reliability.live import Answer, Browser, LiveServer, browsers

NATIONAL = "national-user"
UPLOAD_ID = re.compile(r'name="upload_id" value="([^"]+)"')
PEOPLE_HEADER = (
    "person_id,given_name,family_name,ethnic_category,sex,disability,"
    "professional_background,birth_year\n"
)
OWN, SHARED = 1500, 500


def _people_file(prefix: str, own: int, shared: int, label: str) -> str:
    rows = [f"P-{prefix}{n:04d},{label},Own,A,female,no,finance,1970" for n in range(own)]
    rows += [f"P-SHARED{n:04d},{label},Shared,A,male,no,medical,1971" for n in range(shared)]
    return PEOPLE_HEADER + "\n".join(rows) + "\n"


def _upload(browser: Browser, name: str, content: str) -> str:
    page = browser.open_form("/data")
    answer = browser.send(
        "/data/upload",
        {"csrf_token": page["csrf_token"], "kind": "people"},
        files={"file": (name, content.encode(), "text/csv")},
    )
    assert answer.status == 200, answer.text[:500]
    match = UPLOAD_ID.search(answer.text)
    assert match
    return match.group(1)


def two_imports_at_once(server: LiveServer, database: str) -> None:
    files = {
        "a.csv": _people_file("IMPA", OWN, SHARED, "FromA"),
        "b.csv": _people_file("IMPB", OWN, SHARED, "FromB"),
    }
    with browsers(server, database, NATIONAL, 2) as (first, second):
        pending = [
            (first, _upload(first, "a.csv", files["a.csv"]), first.open_form("/data")),
            (second, _upload(second, "b.csv", files["b.csv"]), second.open_form("/data")),
        ]
        start = threading.Barrier(2)
        answers: list[Answer] = []

        def confirm(browser: Browser, upload_id: str, form: dict[str, str]) -> None:
            token = form["csrf_token"]
            start.wait()
            answers.append(
                browser.send("/data/confirm", {"csrf_token": token, "upload_id": upload_id})
            )

        threads = [threading.Thread(target=confirm, args=p) for p in pending]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert [a.status for a in answers] == [200, 200], [a.text[:300] for a in answers]
    assert all("imported" in a.text for a in answers)
    engine = make_engine(database)
    with engine.connect() as connection:
        own = dict(
            connection.execute(
                text(
                    "SELECT substr(person_id, 1, 6), count(*) FROM people "
                    "WHERE person_id LIKE 'P-IMP%' GROUP BY 1"
                )
            ).all()
        )
        shared = dict(
            connection.execute(
                text(
                    "SELECT given_name, count(*) FROM people "
                    "WHERE person_id LIKE 'P-SHARED%' GROUP BY 1"
                )
            ).all()
        )
    engine.dispose()
    assert own == {"P-IMPA": OWN, "P-IMPB": OWN}
    # The 500 people both files name were written by one import after the other, each
    # whole: all carry the name from the file loaded last, none a mixture.
    assert list(shared.values()) == [SHARED]
    assert set(shared) <= {"FromA", "FromB"}
