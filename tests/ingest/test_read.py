"""Reading files as people save them: encodings, Excel's CSV quirks, workbooks, UK dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard.db.models import Appointment, Person
from talentboard.ingest import import_file, validate_file
from talentboard.ingest.read import UTF8_BOM, WINDOWS_1252, WORKBOOK, ReadError, read_table
from tests.ingest.helpers import found, load_before, snapshot, write

PEOPLE_HEADER = (
    "person_id,given_name,family_name,ethnic_category,sex,disability,"
    "professional_background,birth_year"
)


def test_utf8_byte_order_mark(session: Session, folder: Path) -> None:
    path = write(folder, "p.csv", f"\ufeff{PEOPLE_HEADER}\nP1,Zoë,Ó Briain,A,female,no,ahp,1980\n")
    result = import_file(session, "people", path)
    assert result.ok
    assert result.report.encoding == UTF8_BOM
    person = session.scalars(select(Person).where(Person.person_id == "P1")).one()
    assert (person.given_name, person.family_name) == ("Zoë", "Ó Briain")


def test_windows_1252_is_read_and_reported(session: Session, folder: Path) -> None:
    """Excel's plain 'CSV (Comma delimited)' writes Windows-1252: â is byte 0xE2, ’ is 0x92."""
    path = write(
        folder,
        "p.csv",
        f"{PEOPLE_HEADER}\r\nP1,Siân,O’Neill,A,female,no,ahp,1980\r\n",
        encoding="cp1252",
    )
    assert b"Si\xe2n,O\x92Neill" in path.read_bytes()
    result = import_file(session, "people", path)
    assert result.ok
    assert result.report.encoding == WINDOWS_1252
    assert [w.reason for w in result.report.warnings] == [
        "not UTF-8: read as Windows-1252, the encoding of Excel's 'CSV (Comma delimited)'"
    ]
    person = session.scalars(select(Person).where(Person.person_id == "P1")).one()
    assert (person.given_name, person.family_name) == ("Siân", "O’Neill")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            # 0x81 is neither UTF-8 on its own nor a Windows-1252 character.
            PEOPLE_HEADER.encode() + b"\nP1,Ann\x81,Lee,A,female,no,ahp,1980\n",
            f"not text in UTF-8 or Windows-1252 (byte {len(PEOPLE_HEADER) + 7} cannot be "
            "read); save the file as 'CSV UTF-8 (Comma delimited)'",
        ),
        (
            PEOPLE_HEADER.encode("utf-16"),
            "the file is UTF-16 text (Excel's 'Unicode Text'); save it as "
            "'CSV UTF-8 (Comma delimited)' or as an Excel workbook",
        ),
        (b"person_id\x00,given_name\n", "not a CSV file: it contains binary data (NUL bytes)"),
        (b"", "the file is empty: no header row"),
        (b"\r\n,,,\r\n", "the file is empty: no header row"),
        (
            PEOPLE_HEADER.replace(",", ";").encode() + b"\nP1;Ann\n",
            "columns must be separated by commas; this file uses semicolons",
        ),
        (
            b"PK\x03\x04 not really a workbook",
            "not a readable Excel workbook: Cannot detect file format",
        ),
    ],
)
def test_unreadable_files_get_one_file_level_problem(
    session: Session, folder: Path, data: bytes, reason: str
) -> None:
    path = folder / "p.csv"
    path.write_bytes(data)
    assert found(validate_file(session, "people", path)) == [(None, None, reason)]


def test_a_missing_file_is_a_problem_not_an_exception(session: Session, folder: Path) -> None:
    report = validate_file(session, "people", folder / "absent.csv")
    assert found(report) == [(None, None, "file not found")]


def test_excel_csv_quirks(session: Session, folder: Path) -> None:
    """Quoted commas, doubled quotes and line breaks in cells, CRLF, a 'sep=' line, empty
    trailing columns, blank rows. Rows are numbered as the spreadsheet shows them: the
    three-line cell is one row, blank rows count, the 'sep=' line is row 1."""
    load_before(session, "appointments")
    text = (
        "sep=,\r\n"
        "person_id,post_id,start_date,end_date,appointment_type,end_reason,exit_notes,,\r\n"
        'P001,TST01-CEO,01/04/2019,30/9/2019,interim,end_of_term,"Covered, as agreed,\r\n'
        'until the ""new"" chief executive\r\nstarted",,\r\n'
        ",,,,,,,,\r\n"
        "P002,TST01-CEO,2019-10-01,,SUBSTANTIVE,,,,\r\n"
        "P003,TST01-CFO,2019-10-01,,joint,death,,,\r\n"
        ",,,,,,,,\r\n"
        ",,,,,,,,\r\n"
    )
    path = write(folder, "a.csv", text)
    report = validate_file(session, "appointments", path)
    assert found(report) == [(6, "end_reason", "only allowed with an end_date")]
    table = read_table(path)
    assert (table.header_row, table.row_numbers) == (2, [3, 5, 6])
    fixed = write(folder, "b.csv", text.replace(",joint,death,", ",joint,,"))
    result = import_file(session, "appointments", fixed)
    assert result.ok, result.report.problems
    assert result.counts["appointments"].inserted == 3
    note, start, end, kind = session.execute(
        select(
            Appointment.exit_notes,
            Appointment.start_date,
            Appointment.end_date,
            Appointment.appointment_type,
        ).where(Appointment.end_reason == "end_of_term")
    ).one()
    assert note == 'Covered, as agreed,\r\nuntil the "new" chief executive\r\nstarted'
    assert (start, end, kind) == (dt.date(2019, 4, 1), dt.date(2019, 9, 30), "interim")


def test_short_rows_are_padded_with_empty_cells(session: Session, folder: Path) -> None:
    """Excel drops the separators of empty trailing cells on some rows."""
    path = write(folder, "p.csv", f"{PEOPLE_HEADER}\nP1,Ann,Lee,A,female\nP2,Bob\n")
    assert found(validate_file(session, "people", path)) == [
        (3, "family_name", "a value is required")
    ]


def test_uk_dates(session: Session, folder: Path) -> None:
    load_before(session, "appointments")
    path = write(
        folder,
        "a.csv",
        "person_id,post_id,start_date,end_date,appointment_type,end_reason\n"
        "P001,TST01-CEO,1/4/2019,30/09/2019,interim,end_of_term\n"
        "P002,TST01-CEO,29/02/2019,,substantive,\n"
        "P003,TST01-CFO,10/13/2019,,substantive,\n",
    )
    assert found(validate_file(session, "appointments", path)) == [
        (3, "start_date", "no such date"),
        (4, "start_date", "no such date"),
    ]


def _people_workbook(path: Path) -> None:
    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "Read me"
    notes["A1"] = "Board register, exported for the talent team"
    sheet = workbook.create_sheet("People")
    sheet.append(PEOPLE_HEADER.split(","))
    sheet.append([1001, "Ann", "Lee", "A", "female", "no", "nursing", 1970.0])
    sheet.append(["P0002", "Bob", "Stone", 99, "male", None, None, None])
    sheet.append([None] * 8)
    sheet.append(["P0003", "Cat", "Ng", "R", "Female", "NO", "medical", "1981"])
    workbook.save(path)


def test_workbook_cells_become_the_same_text(session: Session, folder: Path) -> None:
    """Whole-number cells lose their '.0', and the sheet named like the kind is read."""
    path = folder / "people.xlsx"
    _people_workbook(path)
    table = read_table(path, sheet="people")
    assert table.encoding == WORKBOOK
    assert table.row_numbers == [2, 3, 5]
    assert table.rows[0] == ["1001", "Ann", "Lee", "A", "female", "no", "nursing", "1970"]
    assert table.rows[1][3] == "99"
    result = import_file(session, "people", path)
    assert result.ok, result.report.problems
    stored = dict(session.execute(select(Person.person_id, Person.birth_year)).all())
    assert stored == {"1001": 1970, "P0002": None, "P0003": 1981}


def test_workbook_dates_booleans_and_fractions(session: Session, folder: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "post_id",
            "ods_code",
            "role_code",
            "title",
            "level",
            "executive",
            "voting",
            "established_from",
            "established_to",
        ]
    )
    sheet.append(
        ["X-1", "RJ1", "chair", "Chair", "board", False, True, dt.datetime(2010, 4, 1), None]
    )
    sheet.append(
        ["X-2", "RJ1", "matron", "Matron", "middle", 0, 0, dt.date(2011, 5, 2), "2012-01-01"]
    )
    sheet.append(
        [
            "X-3",
            "RJ1",
            "matron",
            "Matron",
            "middle",
            None,
            None,
            dt.datetime(2011, 5, 2, 9, 30),
            None,
        ]
    )
    path = folder / "posts.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert table.rows[0][5:8] == ["false", "true", "2010-04-01"]
    assert table.rows[2][7] == "2011-05-02 09:30:00"
    report = validate_file(session, "posts", path)
    assert found(report) == [(4, "established_from", "not a date: use YYYY-MM-DD or DD/MM/YYYY")]


def test_damaged_workbook(session: Session, folder: Path) -> None:
    path = folder / "people.xlsx"
    _people_workbook(path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = bytes(64)
    path.write_bytes(bytes(data))
    before = snapshot(session)
    report = validate_file(session, "people", path)
    assert len(report.problems) == 1
    assert report.problems[0].row is None
    assert report.problems[0].reason.startswith("not a readable Excel workbook")
    assert snapshot(session) == before


def test_read_error_is_an_exception_only_inside_the_reader(folder: Path) -> None:
    with pytest.raises(ReadError, match="file not found"):
        read_table(folder / "absent.csv")
