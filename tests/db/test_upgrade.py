"""``talentboard db upgrade``: a database made at the first released schema revision (0001)
with data in it is migrated to the newest revision with its data intact.

The data are written with the tables as revision 0001 made them (read back from the
database, not from today's models), so this test keeps working as migrations are added:
every value of every column that 0001 had and the newest schema still has must come
through unchanged, and the register must give the same export and the same figures.

The register, as at 2026-09-30 (figures by hand):

    TST01 (London, acute)          chief executive: Amara Okafor, substantive since 2020-01-01
                                   director of finance: Dan Price, interim since 2026-01-01
    TST02 (North West, mental health, segment 4)
                                   chief executive: Priya Raman, substantive 2018-04-01 to
                                   2025-12-31 (retired): vacant at the date

Executive board posts 3, of which 2 have no substantive holder: exec_vacancy_rate 2/3;
1 of them has interim cover: interim_cover_share 1/3; both organisations have a vacancy:
orgs_with_exec_vacancy_share 1.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from talentboard.db import current_revision, head_revision, make_engine, upgrade
from tests.conftest import Run

FIRST_RELEASED = "0001"
AT = dt.datetime(2026, 10, 1, 8, 30, 0, 250000, tzinfo=dt.UTC)

ROWS: dict[str, list[dict[str, Any]]] = {
    "organisations": [
        {"ods_code": "TST01", "name": "Test London Trust", "kind": "acute", "region_code": "Y56",
         "icb_code": "QMJ", "staff_headcount": 9000, "bme_staff_share": 0.45,
         "opened_on": dt.date(2001, 4, 1), "closed_on": None},
        {"ods_code": "TST02", "name": "Test North West Trust", "kind": "mental_health",
         "region_code": "Y62", "icb_code": None, "staff_headcount": 3100,
         "bme_staff_share": 0.1, "opened_on": None, "closed_on": None},
    ],
    "performance_ratings": [
        {"id": 1, "ods_code": "TST02", "effective_from": dt.date(2025, 7, 1),
         "oversight_segment": 4, "cqc_rating": "requires_improvement"},
    ],
    "posts": [
        {"id": 1, "post_id": "TST01-CEO", "ods_code": "TST01", "role_code": "chief_executive",
         "title": "Chief Executive", "level": "board", "executive": True, "voting": True,
         "established_from": None, "established_to": None},
        {"id": 2, "post_id": "TST01-CFO", "ods_code": "TST01", "role_code": "finance_director",
         "title": "Chief Finance Officer", "level": "board", "executive": True, "voting": True,
         "established_from": None, "established_to": None},
        {"id": 3, "post_id": "TST02-CEO", "ods_code": "TST02", "role_code": "chief_executive",
         "title": "Chief Executive", "level": "board", "executive": True, "voting": True,
         "established_from": None, "established_to": None},
    ],
    "people": [
        {"id": 1, "person_id": "P001", "employee_number": "E1", "given_name": "Amara",
         "family_name": "Okafor", "ethnic_category": "N", "sex": "female", "disability": "no",
         "professional_background": "nursing", "birth_year": 1972, "version": 1},
        {"id": 2, "person_id": "P002", "employee_number": None, "given_name": "Dan",
         "family_name": "Price", "ethnic_category": "A", "sex": "male",
         "disability": "not_stated", "professional_background": "finance", "birth_year": None,
         "version": 3},
        {"id": 3, "person_id": "P003", "employee_number": None, "given_name": "Priya",
         "family_name": "Raman", "ethnic_category": "H", "sex": "female", "disability": None,
         "professional_background": "medical", "birth_year": 1965, "version": 1},
    ],
    "appointments": [
        {"id": 1, "person_ref": 1, "post_ref": 1, "start_date": dt.date(2020, 1, 1),
         "end_date": None, "appointment_type": "substantive", "end_reason": None,
         "exit_notes": None, "version": 1},
        {"id": 2, "person_ref": 2, "post_ref": 2, "start_date": dt.date(2026, 1, 1),
         "end_date": None, "appointment_type": "interim", "end_reason": None,
         "exit_notes": None, "version": 1},
        {"id": 3, "person_ref": 3, "post_ref": 3, "start_date": dt.date(2018, 4, 1),
         "end_date": dt.date(2025, 12, 31), "appointment_type": "substantive",
         "end_reason": "retired", "exit_notes": "Retired after 7 years.", "version": 2},
    ],
    "talent_profiles": [
        {"id": 1, "person_ref": 2, "willing_regions": ["Y56", "Y59"], "cross_org_consent": True,
         "timeframe": "1-2 years", "impact": "high", "growth": "medium", "programmes": [],
         "reviewed_on": dt.date(2026, 3, 1), "version": 1},
    ],
    "readiness_reviews": [
        {"id": 1, "profile_ref": 1, "target_role_code": "finance_director",
         "readiness": "ready_now", "reviewed_on": dt.date(2026, 3, 1)},
    ],
    "users": [
        {"id": 1, "username": "analyst", "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$x$y",
         "role": "national", "region_code": None, "ods_code": None, "person_ref": None,
         "active": True, "failed_logins": 0, "locked_until": None, "created_at": AT},
    ],
    "audit_events": [
        {"id": 1, "at": AT, "username": "analyst", "action": "view", "entity": "person",
         "entity_key": "P002", "source": "127.0.0.1", "detail": {"fields": ["given_name"]}},
        {"id": 2, "at": AT + dt.timedelta(seconds=1), "username": None, "action": "import",
         "entity": "people", "entity_key": "people.csv", "source": "cli",
         "detail": {"rows": 3}},
    ],
    "settings": [{"key": "note", "value": "made at revision 0001"}],
}  # fmt: skip

PEOPLE_CSV = (
    "\ufeffperson_id,given_name,family_name,ethnic_category,sex,disability,"
    "professional_background,birth_year,employee_number\r\n"
    "P001,Amara,Okafor,N,female,no,nursing,1972,E1\r\n"
    "P002,Dan,Price,A,male,not_stated,finance,,\r\n"
    "P003,Priya,Raman,H,female,,medical,1965,\r\n"
)


def _url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'old.db'}"
    url: str = request.getfixturevalue("new_postgres")()
    return url


def _read(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table as the database has it now, sorted by primary key."""
    metadata = sa.MetaData()
    with engine.connect() as conn:
        metadata.reflect(conn)
        found = {}
        for table in metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns))
            found[table.name] = [dict(r._mapping) for r in rows]
    return found


def _utc(value: Any) -> Any:
    """SQLite keeps no time zone: its times are UTC."""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def _kept(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``after`` restricted to the columns ``before`` had, times in UTC."""
    columns = set(before[0]) if before else set()
    return [{k: _utc(v) for k, v in row.items() if k in columns} for row in after]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_database_at_the_first_revision_upgrades_with_its_data(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, run: Run
) -> None:
    url = _url(backend, tmp_path, request)
    engine = make_engine(url)
    upgrade(engine, FIRST_RELEASED)
    metadata = sa.MetaData()
    with engine.begin() as conn:
        metadata.reflect(conn)
        for name, rows in ROWS.items():
            conn.execute(metadata.tables[name].insert(), rows)
    before = _read(engine)
    assert current_revision(engine) == FIRST_RELEASED

    code, out, err = run("db", "current", "--db", url)
    assert code == 0, err
    assert "schema revision 0001" in out

    code, out, err = run("db", "upgrade", "--db", url)
    assert code == 0, err
    assert current_revision(engine) == head_revision()
    if head_revision() != FIRST_RELEASED:
        assert f"migrated from revision 0001 to schema revision {head_revision()}" in out
    after = _read(engine)
    engine.dispose()

    assert set(before) <= set(after)
    for name, rows in before.items():
        assert _kept(rows, after[name]) == [{k: _utc(v) for k, v in r.items()} for r in rows], name
    assert [r["given_name"] for r in after["people"]] == ["Amara", "Dan", "Priya"]
    assert after["audit_events"][0]["detail"] == {"fields": ["given_name"]}

    export = tmp_path / "people.csv"
    assert run("export", "people", str(export), "--db", url)[0] == 0
    assert export.read_bytes().decode("utf-8") == PEOPLE_CSV

    code, out, err = run("stats", "--at", "2026-09-30", "--format", "json", "--db", url)
    assert code == 0, err
    figures = json.loads(out)
    assert figures["exec_vacancy_rate"] == pytest.approx(2 / 3)
    assert figures["interim_cover_share"] == pytest.approx(1 / 3)
    assert figures["orgs_with_exec_vacancy_share"] == 1

    code, out, _ = run("audit", "--format", "json", "--db", url)
    assert [(e["id"], e["at"], e["action"]) for e in json.loads(out)] == [
        (2, "2026-10-01T08:30:01.250000+00:00", "import"),
        (1, "2026-10-01T08:30:00.250000+00:00", "view"),
    ]


def test_upgrade_again_does_nothing_and_a_newer_database_is_refused(
    tmp_path: Path, run: Run
) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    code, out, _ = run("db", "upgrade", "--db", url)
    assert code == 0
    assert f"migrated from an empty database to schema revision {head_revision()}" in out
    code, out, _ = run("db", "upgrade", "--db", url)
    assert code == 0
    assert "nothing to do" in out

    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    code, out, _ = run("db", "current", "--db", url)
    assert "9999, newer than this talentboard knows" in out
    code, _, err = run("db", "upgrade", "--db", url)
    assert code == 2
    assert "newer than this talentboard knows" in err
