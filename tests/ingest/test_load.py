"""Loading: the upsert's counts, columns a file leaves out, the talent and succession
rules, dry runs, and a database that refuses the data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from talentboard.db.models import Person, Post, SuccessionPlan, TalentProfile
from talentboard.ingest import TableCounts, import_file
from tests.ingest.helpers import SECTION_6_KINDS, canonical, load, snapshot, write

PEOPLE = canonical("people").read_text(encoding="utf-8")


def _person(session: Session, person_id: str) -> Person:
    session.expire_all()
    return session.scalars(select(Person).where(Person.person_id == person_id)).one()


def test_changed_rows_are_updated_and_counted(session: Session, folder: Path) -> None:
    """One name corrected, one row new, four rows as before."""
    load(session, "people")
    edited = PEOPLE.replace("P002,Daniel,Price", "P002,Daniel,Pryce") + (
        "P006,Grace,Adeyemi,N,female,no,ahp,1990\n"
    )
    result = import_file(session, "people", write(folder, "people.csv", edited))
    assert result.counts == {"people": TableCounts(inserted=1, updated=1, unchanged=4)}
    assert _person(session, "P002").family_name == "Pryce"
    # An import's change is an edit: the row's version goes up, the others stay at 1.
    assert (_person(session, "P002").version, _person(session, "P001").version) == (2, 1)


def test_an_empty_cell_clears_a_stored_value(session: Session, folder: Path) -> None:
    load(session, "people")
    edited = PEOPLE.replace("P003,Priya,Raman,H,female,no,medical,1975", "P003,Priya,Raman,,,,,")
    result = import_file(session, "people", write(folder, "people.csv", edited))
    assert result.counts["people"].updated == 1
    person = _person(session, "P003")
    assert (person.ethnic_category, person.sex, person.birth_year) == (None, None, None)


def test_an_extra_column_left_out_keeps_stored_values(session: Session, folder: Path) -> None:
    """employee_number is an optional extra column: leaving it out keeps what is stored;
    giving it empty clears it."""
    header, *rows = PEOPLE.splitlines()
    with_numbers = "\n".join(
        [header + ",employee_number", *(f"{row},{1000 + n}" for n, row in enumerate(rows))]
    )
    load(session, "people")
    first = import_file(session, "people", write(folder, "numbered.csv", with_numbers + "\n"))
    assert first.counts["people"] == TableCounts(0, 5, 0)
    again = import_file(session, "people", canonical("people"))
    assert again.counts["people"] == TableCounts(0, 0, 5)
    assert _person(session, "P002").employee_number == "1001"
    cleared = with_numbers.replace("1975,1002", "1975,")
    result = import_file(session, "people", write(folder, "cleared.csv", cleared + "\n"))
    assert result.counts["people"] == TableCounts(0, 1, 4)
    assert _person(session, "P003").employee_number is None


def _profile(session: Session, person_id: str) -> TalentProfile:
    session.expire_all()
    return session.scalars(
        select(TalentProfile)
        .join(Person, Person.id == TalentProfile.person_ref)
        .where(Person.person_id == person_id)
    ).one()


def test_talent_profile_follows_the_latest_review(session: Session, folder: Path) -> None:
    """P001's stored profile was reviewed on 2025-05-14. An older review adds history only;
    a newer one replaces the profile's regions and consent."""
    load(session, "organisations", "performance", "posts", "people", "appointments", "talent")
    header = "person_id,target_role_code,readiness,willing_regions,cross_org_consent,reviewed_on\n"
    older = write(folder, "older.csv", header + "P001,chief_executive,not_yet,Y63,no,2023-01-10\n")
    result = import_file(session, "talent", older)
    assert result.counts == {
        "talent_profiles": TableCounts(0, 0, 1),
        "readiness_reviews": TableCounts(1, 0, 0),
    }
    profile = _profile(session, "P001")
    assert (profile.willing_regions, profile.cross_org_consent) == (["Y56", "Y61"], True)
    newer = write(
        folder, "newer.csv", header + "P001,chief_executive,ready_now,Y63,no,2026-01-10\n"
    )
    result = import_file(session, "talent", newer)
    assert result.counts == {
        "talent_profiles": TableCounts(0, 1, 0),
        "readiness_reviews": TableCounts(1, 0, 0),
    }
    profile = _profile(session, "P001")
    assert (profile.willing_regions, profile.cross_org_consent, profile.reviewed_on) == (
        ["Y63"],
        False,
        dt.date(2026, 1, 10),
    )


def test_succession_plan_takes_the_latest_entry_date(session: Session, folder: Path) -> None:
    load(session, *SECTION_6_KINDS)
    path = write(
        folder,
        "s.csv",
        "post_id,person_id,readiness,emergency_cover,reviewed_on\n"
        "TST01-CEO,P004,ready_3_5y,no,2025-12-01\n"
        "TST01-CEO,P003,ready_1_2y,no,2025-12-01\n",
    )
    result = import_file(session, "succession", path)
    assert result.counts == {
        "succession_plans": TableCounts(0, 1, 0),
        "successors": TableCounts(1, 1, 0),
    }
    session.expire_all()
    reviewed = session.scalar(
        select(SuccessionPlan.reviewed_on)
        .join(Post, Post.id == SuccessionPlan.post_ref)
        .where(Post.post_id == "TST01-CEO")
    )
    assert reviewed == dt.date(2025, 12, 1)


def test_dry_run_counts_without_writing(session: Session, folder: Path) -> None:
    """P002 and P004 have no profile yet: a dry run counts their profile and reviews as new."""
    load(session, "organisations", "performance", "posts", "people", "appointments", "talent")
    path = write(
        folder,
        "t.csv",
        "person_id,target_role_code,readiness,willing_regions,cross_org_consent,reviewed_on\n"
        "P001,chief_executive,ready_now,Y56;Y61,true,2025-05-14\n"
        "P002,chief_executive,ready_now,,no,2025-06-01\n"
        "P002,finance_director,ready_now,,no,2025-06-01\n"
        "P004,chair,ready_1_2y,Y61,yes,2025-06-01\n",
    )
    before = snapshot(session)
    result = import_file(session, "talent", path, dry_run=True)
    assert result.ok
    assert result.dry_run
    assert not result.written
    assert result.counts == {
        "talent_profiles": TableCounts(2, 0, 1),
        "readiness_reviews": TableCounts(3, 0, 1),
    }
    assert snapshot(session) == before
    real = import_file(session, "talent", path)
    assert real.counts == result.counts


def _refuse_inserts(session: Session) -> None:
    """A trigger standing for a rule only the database knows."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            text(
                "CREATE TEMP TRIGGER refuse_people BEFORE INSERT ON people "
                "WHEN NEW.person_id = 'P005' "
                "BEGIN SELECT RAISE(ABORT, 'people are frozen'); END"
            )
        )
    else:
        session.execute(
            text(
                "CREATE FUNCTION refuse_people() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN IF NEW.person_id = 'P005' THEN RAISE EXCEPTION 'people are frozen'; "
                "END IF; RETURN NEW; END $$"
            )
        )
        session.execute(
            text(
                "CREATE TRIGGER refuse_people BEFORE INSERT ON people "
                "FOR EACH ROW EXECUTE FUNCTION refuse_people()"
            )
        )


def _allow_inserts(session: Session) -> None:
    session.execute(
        text(
            "DROP TRIGGER IF EXISTS refuse_people"
            + ("" if session.get_bind().dialect.name == "sqlite" else " ON people")
        )
    )
    if session.get_bind().dialect.name != "sqlite":
        session.execute(text("DROP FUNCTION IF EXISTS refuse_people()"))


def test_a_database_refusal_rolls_everything_back(session: Session) -> None:
    """The file is valid, but the database refuses its last row: no row is kept, and the
    refusal is reported as one line."""
    before = snapshot(session)
    _refuse_inserts(session)
    session.commit()
    try:
        result = import_file(session, "people", canonical("people"))
        assert not result.ok
        assert result.report.ok
        assert result.failure is not None
        assert result.failure.startswith("the database refused the data, so nothing was imported:")
        assert "people are frozen" in result.failure
        assert "\n" not in result.failure
        assert snapshot(session) == before
    finally:
        _allow_inserts(session)
    assert import_file(session, "people", canonical("people")).counts["people"].inserted == 5
