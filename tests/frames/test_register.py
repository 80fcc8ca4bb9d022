"""load_register and the derived frames: spells, segment at a date, positions at a date."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from talentboard.frames.register import (
    APPOINTMENTS_SCHEMA,
    ORGANISATIONS_SCHEMA,
    PEOPLE_SCHEMA,
    POSTS_SCHEMA,
    RATINGS_SCHEMA,
    SPELLS_SCHEMA,
    RegisterFrames,
    load_register,
    positions_at,
    segment_at,
    spells,
)
from tests.frames.registers import RegisterBuilder, d


def small_register() -> RegisterBuilder:
    return (
        RegisterBuilder()
        .org("TST01", kind="mental_health", region="Y58", headcount=4000, bme=0.2, segment=2)
        .rating("TST01", "2025-04-01", 4)
        .org("TST02")
        .post("TST01-CEO", "TST01", "chief_executive", established_from="2010-01-01")
        .post("TST01-SD", "TST01", "strategy_director", established_to="2030-03-31")
        .post("TST02-CHAIR", "TST02", "chair")
        .person("ann", "A", background="nursing")
        .person("bo", "99")
        .appoint("ann", "TST01-CEO", "2019-04-01", "2022-03-31", reason="end_of_term")
        .appoint("ann", "TST01-CEO", "2022-04-01")
        .appoint("bo", "TST01-SD", "2024-01-15", "2024-06-30", kind="interim")
        .appoint("bo", "TST02-CHAIR", "2023-01-01")
    )


def test_load_register_reads_every_table_typed(session: Session) -> None:
    frames = small_register().save(session)
    assert frames.organisations.schema == ORGANISATIONS_SCHEMA
    assert frames.ratings.schema == RATINGS_SCHEMA
    assert frames.posts.schema == POSTS_SCHEMA
    assert frames.people.schema == PEOPLE_SCHEMA
    assert frames.appointments.schema == APPOINTMENTS_SCHEMA
    # The session fixture loaded the 202 reference trusts; ours come on top.
    assert frames.organisations.height == 204
    tst01 = frames.organisations.filter(pl.col("ods_code") == "TST01").row(0, named=True)
    assert tst01 == {
        "ods_code": "TST01",
        "name": "TST01 NHS Trust",
        "kind": "mental_health",
        "region_code": "Y58",
        "icb_code": None,
        "staff_headcount": 4000,
        "bme_staff_share": 0.2,
    }
    ratings = frames.ratings.filter(pl.col("ods_code") == "TST01").sort("effective_from")
    assert ratings["oversight_segment"].to_list() == [2, 4]
    assert ratings["effective_from"].to_list() == [d("2000-01-01"), d("2025-04-01")]
    posts = frames.posts.sort("post_id")
    assert posts["post_id"].to_list() == ["TST01-CEO", "TST01-SD", "TST02-CHAIR"]
    assert posts["executive"].to_list() == [True, True, False]
    assert posts["voting"].to_list() == [True, False, True]
    assert posts["established_from"].to_list() == [d("2010-01-01"), None, None]
    assert posts["established_to"].to_list() == [None, d("2030-03-31"), None]
    # Refs are the database ids: every appointment joins its person and its post.
    joined = frames.appointments.join(frames.people, on="person_ref").join(
        frames.posts, on="post_ref"
    )
    assert sorted(
        zip(joined["person_id"], joined["post_id"], joined["start_date"], strict=True)
    ) == [
        ("ann", "TST01-CEO", d("2019-04-01")),
        ("ann", "TST01-CEO", d("2022-04-01")),
        ("bo", "TST01-SD", d("2024-01-15")),
        ("bo", "TST02-CHAIR", d("2023-01-01")),
    ]
    ann = frames.people.filter(pl.col("person_id") == "ann").row(0, named=True)
    assert ann["ethnic_category"] == "A"
    assert ann["professional_background"] == "nursing"
    ended = frames.appointments.filter(pl.col("end_date").is_not_null()).sort("start_date")
    assert ended["end_reason"].to_list() == ["end_of_term", "other"]


def test_load_register_of_an_empty_register_keeps_the_columns(session: Session) -> None:
    frames = load_register(session)
    assert frames.appointments.height == 0
    assert frames.appointments.schema == APPOINTMENTS_SCHEMA
    assert frames.posts.schema == POSTS_SCHEMA


def test_load_register_names_a_bad_date(sqlite_session: Session) -> None:
    """SQLite stores dates as text, so a row written around the ORM can hold anything.

    (PostgreSQL's date type cannot hold a malformed date, so this is SQLite only.)
    """
    session = sqlite_session
    small_register().save(session)
    session.execute(
        text("UPDATE appointments SET start_date = '01/04/2022' WHERE end_date IS NULL")
    )
    with pytest.raises(ValueError, match=r"appointments, column start_date: '01/04/2022'"):
        load_register(session)


def spells_of(*rows: tuple[str, str | None, str, str | None]) -> pl.DataFrame:
    """Appointments of one person to one post: (start, end, type, end reason)."""
    builder = RegisterBuilder().org("TST01").post("P", "TST01", "finance_director").person("ann")
    for start, end, kind, reason in rows:
        builder.appoint("ann", "P", start, end, kind=kind or "substantive", reason=reason)
    return spells(builder.frames().appointments)


def test_back_to_back_contracts_merge_into_one_spell() -> None:
    """Gap 0 (ends 2020-03-31, next starts 2020-03-31) and gap 1 (ends 2021-03-31, next
    starts 2021-04-01: one uncovered day) merge; the spell ends with the last contract and
    takes its end reason."""
    result = spells_of(
        ("2019-04-01", "2020-03-31", "substantive", "end_of_term"),
        ("2020-03-31", "2021-03-31", "joint", "end_of_term"),
        ("2021-04-01", "2023-06-30", "substantive", "retired"),
    )
    assert result.select("start_date", "end_date", "end_reason", "appointments").rows() == [
        (d("2019-04-01"), d("2023-06-30"), "retired", 3)
    ]
    assert result.schema == SPELLS_SCHEMA


def test_a_two_day_gap_starts_a_new_spell() -> None:
    """Ends 2020-03-31 (the first day not served), next starts 2020-04-02: 31 March and
    1 April are uncovered, a gap of two days, so two spells."""
    result = spells_of(
        ("2019-04-01", "2020-03-31", "substantive", "end_of_term"),
        ("2020-04-02", None, "substantive", None),
    )
    assert result.select("start_date", "end_date", "end_reason").rows() == [
        (d("2019-04-01"), d("2020-03-31"), "end_of_term"),
        (d("2020-04-02"), None, None),
    ]


def test_interim_appointments_are_not_spells_and_do_not_bridge_them() -> None:
    """An acting spell between two substantive contracts is no part of either spell."""
    result = spells_of(
        ("2019-04-01", "2020-03-31", "substantive", "moved_nhs"),
        ("2020-03-31", "2020-09-30", "acting", "other"),
        ("2020-09-30", None, "substantive", None),
    )
    assert result.select("start_date", "end_date").rows() == [
        (d("2019-04-01"), d("2020-03-31")),
        (d("2020-09-30"), None),
    ]


def test_an_open_contract_keeps_the_merged_spell_open() -> None:
    """An open contract overlapped by a later, ended one: the spell stays open."""
    result = spells_of(
        ("2019-04-01", None, "substantive", None),
        ("2020-01-01", "2020-12-31", "substantive", "other"),
    )
    assert result.select("start_date", "end_date", "end_reason").rows() == [
        (d("2019-04-01"), None, None)
    ]


def test_a_contained_contract_does_not_end_the_spell_early() -> None:
    """2019-2025 contains 2020-2021; 2025-06-30 +1 day 2025-07-01 merges; the spell's end
    reason is that of the contract that ends it (the last to end)."""
    result = spells_of(
        ("2019-04-01", "2025-06-30", "substantive", "end_of_term"),
        ("2020-01-01", "2021-01-01", "joint", "other"),
        ("2025-07-01", "2026-01-31", "substantive", "dismissed_or_forced"),
    )
    assert result.select("start_date", "end_date", "end_reason", "appointments").rows() == [
        (d("2019-04-01"), d("2026-01-31"), "dismissed_or_forced", 3)
    ]


def test_spells_are_per_person_and_post() -> None:
    frames = (
        RegisterBuilder()
        .org("TST01")
        .post("P1", "TST01", "finance_director")
        .post("P2", "TST01", "medical_director")
        .person("ann")
        .person("bo")
        .appoint("ann", "P1", "2020-01-01", "2021-01-01")
        .appoint("ann", "P2", "2021-01-01", "2022-01-01")
        .appoint("bo", "P1", "2021-01-01")
        .frames()
    )
    result = spells(frames.appointments)
    assert result.select("person_ref", "post_ref", "start_date").rows() == [
        (1, 1, d("2020-01-01")),
        (1, 2, d("2021-01-01")),
        (2, 1, d("2021-01-01")),
    ]


def test_spells_of_no_appointments() -> None:
    empty = RegisterFrames.from_rows().appointments
    assert spells(empty).schema == SPELLS_SCHEMA
    assert spells(empty).height == 0


def test_segment_at_takes_the_latest_rating_on_or_before_the_date() -> None:
    frames = (
        RegisterBuilder()
        .org("TST01", segment=2, rated_from="2024-01-01")
        .rating("TST01", "2025-04-01", 4)
        .org("TST02", segment=1, rated_from="2026-01-01")
        .frames()
    )
    before = segment_at(frames.ratings, dt.date(2025, 3, 31)).sort("ods_code")
    assert before.rows() == [("TST01", 2)]
    on = segment_at(frames.ratings, dt.date(2025, 4, 1)).sort("ods_code")
    assert on.rows() == [("TST01", 4)]
    later = segment_at(frames.ratings, dt.date(2026, 1, 1)).sort("ods_code")
    assert later.rows() == [("TST01", 4), ("TST02", 1)]


def test_positions_at_takes_the_first_covering_appointment_by_start(session: Session) -> None:
    """bo holds the TST02 chair from 2023 and the TST01 strategy post (interim) from 2024:
    on 2024-03-01 both cover, and the chair started first. On 2024-07-01 (after the interim
    ended on 2024-06-30) only the chair covers. ann is TST01's chief executive throughout."""
    frames = small_register().save(session)
    people = dict(zip(frames.people["person_id"], frames.people["person_ref"], strict=True))
    posts = dict(zip(frames.posts["post_id"], frames.posts["post_ref"], strict=True))
    expected = [
        (people["ann"], posts["TST01-CEO"], "TST01", "Y58", "board", "chief_executive"),
        (people["bo"], posts["TST02-CHAIR"], "TST02", "Y56", "board", "chair"),
    ]
    for at in (dt.date(2024, 3, 1), dt.date(2024, 7, 1)):
        assert positions_at(frames, at).rows() == sorted(expected)
    assert positions_at(frames, dt.date(2018, 1, 1)).height == 0


def test_positions_at_prefers_the_earlier_start_whatever_the_insertion_order() -> None:
    frames = (
        RegisterBuilder()
        .org("TST01")
        .org("TST02", region="Y62")
        .post("LATE", "TST01", "matron")
        .post("EARLY", "TST02", "ward_manager")
        .person("cy")
        .appoint("cy", "LATE", "2024-05-01")
        .appoint("cy", "EARLY", "2024-02-01", "2024-12-31", kind="secondment")
        .frames()
    )
    assert positions_at(frames, dt.date(2024, 6, 1)).rows() == [
        (1, 2, "TST02", "Y62", "frontline", "ward_manager")
    ]
    assert positions_at(frames, dt.date(2025, 1, 1)).rows() == [
        (1, 1, "TST01", "Y56", "middle", "matron")
    ]


def test_text_survives_the_round_trip(session: Session) -> None:
    """Commas, quotes, a line break, an empty string (not a missing value) and non-ASCII
    text come back exactly; missing values come back as nulls."""
    builder = RegisterBuilder().org("TST01").post('P, "1"', "TST01", "chair").person("ann")
    builder.posts[0]["title"] = 'Chair, "interim"\nboard'
    builder.people[0]["given_name"] = "Siân"
    builder.people[0]["family_name"] = ""
    frames = builder.save(session)
    post = frames.posts.filter(pl.col("ods_code") == "TST01").row(0, named=True)
    assert post["post_id"] == 'P, "1"'
    assert post["title"] == 'Chair, "interim"\nboard'
    person = frames.people.row(0, named=True)
    assert (person["given_name"], person["family_name"]) == ("Siân", "")
    assert person["ethnic_category"] is None
    assert person["birth_year"] is None
