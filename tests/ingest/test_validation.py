"""Every validation rule, each with a hand-written bad file and the exact problems expected.

Each case loads the canonical files of the kinds the file refers to, checks the bad file,
asserts every (row, column, reason) reported (rows numbered as a spreadsheet shows them,
the header being row 1), then imports it and asserts that no table changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from talentboard.ingest import import_file, validate_file
from tests.ingest.helpers import found, load, load_before, snapshot, write

LCF_DOMAINS = "outcomes, strategy, equality, governance, culture, partnerships"
HLM_DIMENSIONS = (
    "inspiring_shared_purpose, leading_with_care, evaluating_information, "
    "connecting_our_service, sharing_the_vision, engaging_the_team, holding_to_account, "
    "developing_capability, influencing_for_results"
)
NO_ORGANISATION = "no organisation with this {} in the database (import organisations first)"
NO_PERSON = "no person with this person_id in the database (import people first)"
NO_POST = "no post with this post_id in the database (import posts first)"

CASES = {
    "organisations: kind, region, headcount, share": (
        "organisations",
        "ods_code,name,kind,region_code,icb_code,staff_headcount,bme_staff_share\n"
        "X1,Trust A,hospital,Y56,,100,0.2\n"
        "X2,Trust B,acute,Y99,,-5,1.2\n"
        'X3,Trust C,acute,y56,,"1,200",23%\n'
        "X4,Trust D,acute,Y56,,12.5,abc\n",
        [
            (
                2,
                "kind",
                "not one of: acute, mental_health, community, ambulance, specialist, icb, other",
            ),
            (3, "region_code", "not one of: Y56, Y58, Y59, Y60, Y61, Y62, Y63"),
            (3, "staff_headcount", "must be between 0 and 2000000"),
            (3, "bme_staff_share", "must be between 0 and 1 (or 0% and 100%)"),
            (5, "staff_headcount", "not a whole number"),
            (5, "bme_staff_share", "not a number"),
        ],
    ),
    "organisations: opened after closed": (
        "organisations",
        "ods_code,name,kind,region_code,icb_code,staff_headcount,bme_staff_share,opened_on,"
        "closed_on\n"
        "X1,Trust A,acute,Y56,,,,2020-01-01,2019-12-31\n"
        "X2,Trust B,acute,Y56,,,,2020-01-01,2020-01-01\n",
        [(2, "closed_on", "is before opened_on (2020-01-01)")],
    ),
    "performance: segment, rating, duplicate, unknown organisation": (
        "performance",
        "ods_code,effective_from,oversight_segment,cqc_rating\n"
        "RJ1,2025-04-01,6,good\n"
        "RJ1,01/04/2025,2,Good\n"
        "NOPE,2025-04-01,0,excellent\n",
        [
            (2, "oversight_segment", "must be between 1 and 5"),
            (3, "ods_code, effective_from", "duplicate of row 2 (same ods_code, effective_from)"),
            (4, "ods_code", NO_ORGANISATION.format("ods_code")),
            (4, "oversight_segment", "must be between 1 and 5"),
            (4, "cqc_rating", "not one of: outstanding, good, requires_improvement, inadequate"),
        ],
    ),
    "posts: role, level, booleans, dates": (
        "posts",
        "post_id,ods_code,role_code,title,level,executive,voting,established_from,"
        "established_to\n"
        "A1,RJ1,chief_exec,CEO,board,true,true,2010-04-01,2010-04-01\n"
        "A2,RJ1,chief_executive,CEO,Board,maybe,,31/02/2020,\n"
        "A3,ZZZ,chief_executive,,ward,1,0,2020-13-01,1899-12-31\n",
        [
            (2, "role_code", "not a known role code"),
            (2, "established_to", "is not after established_from (2010-04-01)"),
            (3, "executive", "not true/false, yes/no or 1/0"),
            (3, "established_from", "no such date"),
            (4, "ods_code", NO_ORGANISATION.format("ods_code")),
            (4, "title", "a value is required"),
            (4, "level", "not one of: board, senior, middle, frontline"),
            (4, "established_from", "no such date"),
            (4, "established_to", "year outside 1900-2100"),
        ],
    ),
    "people: required, enumerations, ethnic category, birth year, duplicate": (
        "people",
        "person_id,given_name,family_name,ethnic_category,sex,disability,"
        "professional_background,birth_year\n"
        "P1,Ann,Lee,white - british,F,no,nursing,1970\n"
        "P2,,Lee,XX,female,maybe,nursing,1899\n"
        "P1,Bob,Stone,A,male,no,finance,19x0\n",
        [
            (2, "sex", "not one of: female, male, other, not_stated"),
            (3, "given_name", "a value is required"),
            (3, "ethnic_category", "not a known NHS Data Dictionary ethnic category code or label"),
            (3, "disability", "not one of: yes, no, not_stated"),
            (3, "birth_year", "must be between 1900 and 2100"),
            (4, "person_id", "duplicate of row 2 (same person_id)"),
            (4, "birth_year", "not a whole number"),
        ],
    ),
    "appointments: dates, end reason, references, type, duplicate": (
        "appointments",
        "person_id,post_id,start_date,end_date,appointment_type,end_reason\n"
        "P001,TST01-CHAIR,2020-01-01,2019-12-31,substantive,retired\n"
        "P001,TST01-CHAIR,2021-01-01,,acting,retired\n"
        "P999,TST01-CHAIR,2022-01-01,,substantive,\n"
        "P001,NOPE,2022-01-01,,substantive,\n"
        "P001,TST01-CHAIR,2022-01-01,,permanent,\n"
        "P001,TST01-CHAIR,01/01/2021,30/06/2021,interim,other\n",
        [
            (2, "end_date", "is before start_date (2020-01-01)"),
            (3, "end_reason", "only allowed with an end_date"),
            (4, "person_id", NO_PERSON),
            (5, "post_id", NO_POST),
            (6, "appointment_type", "not one of: substantive, interim, acting, secondment, joint"),
            (
                7,
                "person_id, post_id, start_date",
                "duplicate of row 3 (same person_id, post_id, start_date)",
            ),
        ],
    ),
    "appointments: overlapping substantive appointments in the file": (
        "appointments",
        "person_id,post_id,start_date,end_date,appointment_type,end_reason\n"
        "P001,TST01-DOS,2013-01-01,2015-12-31,substantive,other\n"
        "P001,TST01-DOS,2015-12-31,,joint,\n"
        "P001,TST01-DOS,2014-06-01,2014-12-31,interim,end_of_term\n"
        "P003,TST01-DOS,2016-01-01,2016-06-30,substantive,other\n"
        "P003,TST01-DOS,2016-06-30,2017-01-01,substantive,other\n"
        "P003,TST01-DOS,2016-03-01,2016-04-01,substantive,other\n"
        "P001,TST01-DOS,2020-01-01,,substantive,\n",
        [
            (
                7,
                "start_date",
                "overlaps the substantive appointment to this post from 2016-01-01 to "
                "2016-06-30 (row 5)",
            ),
            (
                8,
                "start_date",
                "overlaps the joint appointment to this post from 2015-12-31 to open (row 3)",
            ),
        ],
    ),
    "talent: readiness, regions, consent, one profile per review": (
        "talent",
        "person_id,target_role_code,readiness,willing_regions,cross_org_consent,reviewed_on\n"
        "P001,chief_executive,ready_soon,Y56;Y99;Y00,true,2025-05-14\n"
        "P001,finance_director,ready_now,Y56,maybe,2025-05-14\n"
        "P001,medical_director,ready_now,Y58,false,2025-05-14\n"
        "P001,medical_director,ready_now,Y58,false,2024-05-14\n",
        [
            (2, "readiness", "not one of: ready_now, ready_1_2y, ready_3_5y, not_yet"),
            (2, "willing_regions", "unknown region code: Y99, Y00"),
            (3, "cross_org_consent", "not true/false, yes/no or 1/0"),
            (
                4,
                "willing_regions",
                "differs from row 3 for the same person and reviewed_on; a person has one set "
                "of willing regions",
            ),
            (
                4,
                "cross_org_consent",
                "differs from row 2 for the same person and reviewed_on; consent is given by "
                "the person, not per role",
            ),
        ],
    ),
    "assessments: framework domains and scales": (
        "assessments",
        "person_id,framework,domain_code,rater_relation,score,assessed_on\n"
        "P001,lcf2024,outcomes,self,5,2025-03-10\n"
        "P001,lcf2024,leading_with_care,self,2,2025-03-10\n"
        "P001,hlm,leading_with_care,self,,2025-03-10\n"
        "P001,hlm,outcomes,boss,3,2025-03-10\n"
        "P001,LCF2024,Culture,peer,,2025-03-10\n"
        "P001,lcf2024,nonsense,self,x,2025-03-10\n"
        "P001,lcf2025,outcomes,self,3,2025-03-10\n",
        [
            (2, "score", "not on the lcf2024 scale (1-4)"),
            (3, "domain_code", f"not one of the lcf2024 domains: {LCF_DOMAINS}"),
            (4, "score", "a value is required for hlm (1-4)"),
            (5, "domain_code", f"not one of the hlm dimensions: {HLM_DIMENSIONS}"),
            (5, "rater_relation", "not one of: self, manager, peer, direct_report, other"),
            (7, "domain_code", "not a known framework domain code"),
            (7, "score", "not a whole number"),
            (8, "framework", "not one of: lcf2024, hlm"),
        ],
    ),
    "succession: boolean, duplicate, references, required date": (
        "succession",
        "post_id,person_id,readiness,emergency_cover,reviewed_on\n"
        "TST01-CEO,P001,ready_now,sometimes,2025-05-14\n"
        "TST01-CEO,P001,ready_now,true,2025-06-01\n"
        "NOPE,P001,ready_now,,2025-05-14\n"
        "TST01-CFO,P999,not_yet,false,\n",
        [
            (2, "emergency_cover", "not true/false, yes/no or 1/0"),
            (3, "post_id, person_id", "duplicate of row 2 (same post_id, person_id)"),
            (4, "post_id", NO_POST),
            (5, "person_id", NO_PERSON),
            (5, "reviewed_on", "a value is required"),
        ],
    ),
    "opportunities: kind, codes, capacity, dates, host": (
        "opportunities",
        "opportunity_id,kind,host_ods_code,title,develops,levels,capacity,starts_on,ends_on\n"
        "O1,internship,RJ1,Title,governance;finance,board;exec,0,2025-09-01,2025-08-31\n"
        "O2,project,NOPE,Title,,,2,,\n"
        "O3,project,RJ1,Title,;,;,1,,\n",
        [
            (
                2,
                "kind",
                "not one of: secondment, stretch_assignment, board_shadowing, project, "
                "mentoring, coaching, programme_place",
            ),
            (2, "develops", "unknown framework domain code: finance"),
            (2, "levels", "unknown post level: exec"),
            (2, "capacity", "must be between 1 and 10000"),
            (2, "ends_on", "is before starts_on (2025-09-01)"),
            (3, "host_ods_code", NO_ORGANISATION.format("host_ods_code")),
            (3, "levels", "a value is required"),
            (4, "levels", "a value is required"),
        ],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_each_rule_reports_the_row_column_and_reason(
    session: Session, folder: Path, case: str
) -> None:
    kind, text, expected = CASES[case]
    load_before(session, kind)
    path = write(folder, f"{kind}.csv", text)
    assert found(validate_file(session, kind, path)) == expected
    before = snapshot(session)
    result = import_file(session, kind, path)
    assert not result.ok
    assert result.counts == {}
    assert snapshot(session) == before


def test_problem_records_name_the_file_and_the_cell_text(session: Session, folder: Path) -> None:
    load_before(session, "people")
    path = write(
        folder,
        "board.csv",
        "person_id,given_name,family_name,ethnic_category,sex,disability,"
        "professional_background,birth_year\n"
        "P1,Ann,Lee,A,female,no,nursing, 18x0 \n",
    )
    (problem,) = validate_file(session, "people", path).problems
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "board.csv",
        2,
        "birth_year",
        "18x0",
    )
    assert problem.as_line() == "board.csv, row 2, column birth_year: '18x0' not a whole number"


def _appointments_loaded(session: Session) -> None:
    load(session, "organisations", "performance", "posts", "people", "appointments")


def test_overlap_with_an_open_appointment_in_the_database(session: Session, folder: Path) -> None:
    """P002 has held TST01-CEO substantively since 2019-10-01 (canonical appointments)."""
    _appointments_loaded(session)
    path = write(
        folder,
        "a.csv",
        "person_id,post_id,start_date,end_date,appointment_type,end_reason\n"
        "P002,TST01-CEO,2024-01-01,,substantive,\n"
        "P004,TST01-DOS,2020-01-01,2020-12-31,acting,other\n",
    )
    assert found(validate_file(session, "appointments", path)) == [
        (
            2,
            "start_date",
            "overlaps the substantive appointment to this post from 2019-10-01 to open "
            "(already in the database)",
        )
    ]


def test_overlap_with_a_later_appointment_in_the_database(session: Session, folder: Path) -> None:
    """P004 held TST01-DOS from 2012-01-01 to 2024-03-31; a file row before it overlaps it."""
    _appointments_loaded(session)
    path = write(
        folder,
        "a.csv",
        "person_id,post_id,start_date,end_date,appointment_type,end_reason\n"
        "P004,TST01-DOS,2010-06-01,2012-06-01,substantive,other\n",
    )
    assert found(validate_file(session, "appointments", path)) == [
        (
            2,
            "start_date",
            "overlaps the substantive appointment to this post from 2012-01-01 to 2024-03-31 "
            "(already in the database)",
        )
    ]


def test_a_file_row_replaces_the_stored_appointment_with_its_key(
    session: Session, folder: Path
) -> None:
    """Closing P002's open appointment in the same file lets a new one start after it."""
    _appointments_loaded(session)
    path = write(
        folder,
        "a.csv",
        "person_id,post_id,start_date,end_date,appointment_type,end_reason\n"
        "P002,TST01-CEO,2019-10-01,2023-12-31,substantive,retired\n"
        "P002,TST01-CEO,2024-01-01,,substantive,\n",
    )
    result = import_file(session, "appointments", path)
    assert result.ok, result.report.problems
    assert result.counts["appointments"].inserted == 1
    assert result.counts["appointments"].updated == 1


def test_header_problems_are_file_level_and_name_the_column(session: Session, folder: Path) -> None:
    load_before(session, "appointments")
    path = write(
        folder,
        "a.csv",
        "person_id,post_id,end_date,end_reason\nP001,TST01-CEO,,\n",
    )
    report = validate_file(session, "appointments", path)
    assert found(report) == [
        (None, "start_date", "column missing from the header"),
        (None, "appointment_type", "column missing from the header"),
    ]


def test_a_column_named_twice_is_refused(session: Session, folder: Path) -> None:
    path = write(
        folder,
        "p.csv",
        "person_id,given_name,family_name,Person_ID,ethnic_category,sex,disability,"
        "professional_background,birth_year\nP1,Ann,Lee,P1,A,female,no,nursing,1970\n",
    )
    assert found(validate_file(session, "people", path)) == [
        (None, "person_id", "appears twice in the header (columns A and D)")
    ]


def test_header_ignores_case_and_spaces_and_warns_of_unknown_columns(
    session: Session, folder: Path
) -> None:
    path = write(
        folder,
        "p.csv",
        " Person_ID ,GIVEN_NAME,family_name,Ethnic_Category,sex,disability,"
        "professional_background,birth_year,Notes,\n"
        "P1,Ann,Lee,A,female,no,nursing,1970,likes hiking,\n",
    )
    report = validate_file(session, "people", path)
    assert report.ok
    assert [(w.column, w.reason) for w in report.warnings] == [
        ("Notes", "unknown column (column I); ignored")
    ]


def test_a_row_longer_than_the_header_is_refused(session: Session, folder: Path) -> None:
    """An unquoted comma in a name shifts every later cell: the extra cell shows it."""
    path = write(
        folder,
        "p.csv",
        "person_id,given_name,family_name,ethnic_category,sex,disability,"
        "professional_background,birth_year\n"
        "P1,Ann,Lee,A,female,no,nursing,1970,,\n"
        "P2,Smith, Jr,Bob,A,male,no,finance,1965\n",
    )
    report = validate_file(session, "people", path)
    assert found(report) == [
        (3, "ethnic_category", "not a known NHS Data Dictionary ethnic category code or label"),
        (3, "sex", "not one of: female, male, other, not_stated"),
        (3, "disability", "not one of: yes, no, not_stated"),
        (
            3,
            "professional_background",
            "not one of: medical, nursing, ahp, other_clinical, finance, general_management, other",
        ),
        (3, "birth_year", "not a whole number"),
        (
            3,
            "column I",
            "has more cells than the header has columns (is a comma missing its quotes?)",
        ),
    ]
    assert report.problems[-1].value == "1965"


def test_several_bad_rows_are_all_reported_and_nothing_is_written(
    session: Session, folder: Path
) -> None:
    """Rows 2 and 4 are valid, rows 3 and 5 are not: neither valid row is written."""
    load_before(session, "appointments")
    path = write(
        folder,
        "a.csv",
        "person_id,post_id,start_date,end_date,appointment_type,end_reason\n"
        "P001,TST01-CEO,2019-04-01,2019-09-30,interim,end_of_term\n"
        "P001,TST01-CEO,2019-13-01,,interim,\n"
        "P002,TST01-CEO,2019-10-01,,substantive,\n"
        "P003,TST01-CFO,2019-10-01,,substantive,fired\n",
    )
    before = snapshot(session)
    result = import_file(session, "appointments", path)
    assert found(result.report) == [
        (3, "start_date", "no such date"),
        (
            5,
            "end_reason",
            "not one of: retired, moved_nhs, promoted_internal, left_nhs, "
            "dismissed_or_forced, end_of_term, death, other",
        ),
        (5, "end_reason", "only allowed with an end_date"),
    ]
    assert result.report.bad_rows == 2
    assert snapshot(session) == before
