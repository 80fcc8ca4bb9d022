"""Imports and exports limited to a set of organisations (``talentboard.ingest.scope``).

The world: posts R1H-CEO and R1H-FD at Barts Health (R1H), RA7-CEO at Bristol (RA7);
Ann holds R1H-CEO, Cat holds RA7-CEO, Una has no appointment yet. A scope of {R1H}
(an organisation's) sees Ann; Una is new and may be placed there; Cat is outside.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentboard.db.models import Appointment, Person, Post
from talentboard.ingest import Problem, export_frame, import_file, validate_file
from talentboard.ingest.scope import ImportScope

BARTS = ImportScope(frozenset({"R1H"}))
HEADER = "person_id,post_id,start_date,end_date,appointment_type,end_reason\n"


def build(session: Session) -> None:
    posts = {
        post_id: Post(
            post_id=post_id,
            ods_code=post_id[:3],
            role_code=role,
            title=role.replace("_", " ").capitalize(),
            level="board",
            executive=True,
            voting=True,
            established_from=dt.date(2010, 1, 1),
        )
        for post_id, role in (
            ("R1H-CEO", "chief_executive"),
            ("R1H-FD", "finance_director"),
            ("RA7-CEO", "chief_executive"),
        )
    }
    people = {
        pid: Person(person_id=pid, given_name=pid, family_name="Test")
        for pid in ("ANN", "CAT", "UNA")
    }
    session.add_all([*posts.values(), *people.values()])
    session.flush()
    for pid, post_id in (("ANN", "R1H-CEO"), ("CAT", "RA7-CEO")):
        session.add(
            Appointment(
                person_ref=people[pid].id,
                post_ref=posts[post_id].id,
                start_date=dt.date(2020, 1, 1),
                appointment_type="substantive",
            )
        )
    session.flush()


def appointments(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Appointment)) or 0


def test_rows_inside_the_scope_load(session: Session, tmp_path: Path) -> None:
    build(session)
    path = tmp_path / "appointments.csv"
    path.write_text(
        HEADER
        + "UNA,R1H-FD,2026-01-01,,substantive,\nANN,R1H-FD,2025-01-01,2025-06-30,interim,other\n"
    )
    result = import_file(session, "appointments", path, scope=BARTS)
    assert result.ok, result.report.problems
    assert appointments(session) == 4


def test_rows_outside_the_scope_are_each_reported_and_nothing_is_written(
    session: Session, tmp_path: Path
) -> None:
    build(session)
    path = tmp_path / "appointments.csv"
    # Row 2 is fine; row 3 names Cat (appointed only at RA7); row 4 a post at RA7; row 5
    # both.
    path.write_text(
        HEADER
        + "UNA,R1H-FD,2026-01-01,,substantive,\n"
        + "CAT,R1H-FD,2026-01-01,,interim,\n"
        + "ANN,RA7-CEO,2026-01-01,,interim,\n"
        + "CAT,RA7-CEO,2026-02-01,,interim,\n"
    )
    # Out of scope answers exactly as a record that does not exist (DESIGN section 8).
    no_person = "no person with this person_id in the database (import people first)"
    no_post = "no post with this post_id in the database (import posts first)"
    expected = [
        Problem("appointments.csv", 3, "person_id", "CAT", no_person),
        Problem("appointments.csv", 4, "post_id", "RA7-CEO", no_post),
        Problem("appointments.csv", 5, "person_id", "CAT", no_person),
        Problem("appointments.csv", 5, "post_id", "RA7-CEO", no_post),
    ]
    assert list(validate_file(session, "appointments", path, scope=BARTS).problems) == expected
    result = import_file(session, "appointments", path, scope=BARTS)
    assert not result.ok
    assert list(result.report.problems) == expected
    assert appointments(session) == 2
    # Without a scope (the administrator's CLI) the same file is valid.
    assert validate_file(session, "appointments", path).ok
    # And the reasons are word for word those for people and posts that do not exist.
    missing = tmp_path / "missing.csv"
    missing.write_text(HEADER + "NOBODY,NO-POST,2026-01-01,,interim,\n")
    assert [p.reason for p in validate_file(session, "appointments", missing).problems] == [
        no_person,
        no_post,
    ]


def test_a_region_scope_names_the_region_and_posts_files_check_the_organisation(
    session: Session, tmp_path: Path
) -> None:
    build(session)
    london = ImportScope(frozenset({"R1H", "R1K"}), "region")
    path = tmp_path / "posts.csv"
    path.write_text(
        "post_id,ods_code,role_code,title,level,executive,voting,established_from,established_to\n"
        "R1K-CEO,R1K,chief_executive,Chief executive,board,yes,yes,2010-01-01,\n"
        "RA7-MD,RA7,medical_director,Medical director,board,yes,yes,2010-01-01,\n"
        # An existing post of Bristol's would be moved to R1H: refused.
        "RA7-CEO,R1H,chief_executive,Chief executive,board,yes,yes,2010-01-01,\n"
    )
    report = validate_file(session, "posts", path, scope=london)
    assert [(p.row, p.column, p.value, p.reason) for p in report.problems] == [
        (3, "ods_code", "RA7", "outside your region"),
        (4, "post_id", "RA7-CEO", "outside your region"),
    ]


def test_a_scoped_export_keeps_only_rows_inside(session: Session) -> None:
    build(session)
    people = export_frame(session, "people", scope=BARTS)
    # Una has no appointment, so she is in nobody's scope yet and is not exported.
    assert people["person_id"].to_list() == ["ANN"]
    rows = export_frame(session, "appointments", scope=BARTS)
    assert rows.select("person_id", "post_id").rows() == [("ANN", "R1H-CEO")]
    posts = export_frame(session, "posts", scope=BARTS)
    assert posts["post_id"].to_list() == ["R1H-CEO", "R1H-FD"]
    everyone = export_frame(session, "people")
    assert {"ANN", "CAT", "UNA"} <= set(everyone["person_id"])
