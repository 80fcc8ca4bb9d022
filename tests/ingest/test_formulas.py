"""Formula injection: exported text that a spreadsheet would run is written as text, and
importing the export gives back exactly what was exported (issue 11)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard.db.models import Person
from talentboard.formulas import escape_csv, unescape_csv
from talentboard.ingest import Column, errors_csv, export_kind, import_file
from talentboard.ingest.cells import Integer, Text
from talentboard.ingest.mapping.model import parse_mapping
from talentboard.ingest.read import RawTable
from talentboard.ingest.report import Problem
from talentboard.ingest.schema import Kind
from talentboard.ingest.validate import check_table
from talentboard.ingest.write import csv_bytes
from tests.ingest.helpers import write

HEADER = (
    "person_id,given_name,family_name,ethnic_category,sex,disability,"
    "professional_background,birth_year\r\n"
)
# The given name of issue 11, each formula start, and genuine apostrophes.
HOSTILE = {
    "F01": ("=cmd|calc!A1", "Formula"),
    "F02": ("+44 20 7946 0000", "Plus"),
    "F03": ("-Minus", "Hyphen"),
    "F04": ("@SUM(1+1)*cmd|' /C calc'!A0", "At"),
    "F05": ("'=already quoted", "Apostrophe-formula"),
    "F06": ("''", "Two apostrophes"),
    "F07": ("D'Arcy", "'Brien"),
}


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=cmd|calc!A1", "'=cmd|calc!A1"),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("'=x", "''=x"),
        ("''", "'''"),
        ("'-", "''-"),
        ("'Brien", "'Brien"),
        ("'", "'"),
        ("O'Brien", "O'Brien"),
        ("Amara", "Amara"),
        ("", ""),
        (-3, -3),
        (2.5, 2.5),
    ],
)
def test_a_csv_cell_escapes_formula_starts_and_reads_back(value: object, cell: object) -> None:
    assert escape_csv(value) == cell
    if isinstance(cell, str):
        assert unescape_csv(cell) == value


@given(st.text(max_size=12))
def test_unescape_undoes_escape_for_any_text(value: str) -> None:
    written = escape_csv(value)
    assert unescape_csv(written) == value
    assert not written.startswith(("=", "+", "-", "@", "\t", "\r"))


def _people(session: Session) -> dict[str, tuple[str, str]]:
    session.expire_all()
    rows = session.execute(
        select(Person.person_id, Person.given_name, Person.family_name).where(
            Person.person_id.like("F%")
        )
    )
    return {p: (g, f) for p, g, f in rows}


def _hostile_file(folder: Path) -> Path:
    lines = [HEADER]
    for person_id, (given_name, family_name) in HOSTILE.items():
        cells = [person_id, escape_csv(given_name), escape_csv(family_name)]
        fields = io.StringIO()
        csv.writer(fields, lineterminator="").writerow(cells)
        lines.append(f"{fields.getvalue()},A,female,no,medical,1970\r\n")
    return write(folder, "people.csv", "".join(lines))


def test_csv_export_of_a_formula_name_is_text_and_imports_back_unchanged(
    session: Session, folder: Path
) -> None:
    """The person of issue 11, ``=cmd|calc!A1``, comes out as ``'=cmd|calc!A1``."""
    assert import_file(session, "people", _hostile_file(folder)).ok
    # Names a form could store: import strips spaces, so tab and CR starts come this way.
    session.add_all(
        [
            Person(person_id="F08", given_name="\tTab", family_name="\rReturn"),
            Person(person_id="F09", given_name="-", family_name="=1+2"),
        ]
    )
    session.flush()
    stored = _people(session)
    assert stored["F01"] == ("=cmd|calc!A1", "Formula")
    assert stored["F05"] == ("'=already quoted", "Apostrophe-formula")

    exported = export_kind(session, "people", folder / "out.csv")
    assert exported >= 9
    text = (folder / "out.csv").read_bytes().decode("utf-8-sig")
    rows = {r[0]: r for r in csv.reader(io.StringIO(text, newline=""))}
    assert rows["F01"][1:3] == ["'=cmd|calc!A1", "Formula"]
    assert rows["F02"][1] == "'+44 20 7946 0000"
    assert rows["F03"][1] == "'-Minus"
    assert rows["F04"][1] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert rows["F05"][1] == "''=already quoted"
    assert rows["F06"][1] == "'''"
    assert rows["F07"][1:3] == ["D'Arcy", "'Brien"]
    assert rows["F08"][1:3] == ["'\tTab", "'\rReturn"]
    assert rows["F09"][1:3] == ["'-", "'=1+2"]
    assert "\r\nF01,'=cmd|calc!A1,Formula,A,female,no,medical,1970,\r\n" in text
    for row in rows.values():
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)

    again = import_file(session, "people", folder / "out.csv")
    assert again.ok, again.report.problems
    assert again.counts["people"].updated == 0
    assert again.counts["people"].unchanged == exported
    assert _people(session) == stored


def test_xlsx_export_of_a_formula_name_is_a_text_cell_and_imports_back_unchanged(
    session: Session, folder: Path
) -> None:
    assert import_file(session, "people", _hostile_file(folder)).ok
    stored = _people(session)
    export_kind(session, "people", folder / "out.xlsx")

    sheet = openpyxl.load_workbook(folder / "out.xlsx").active
    assert sheet is not None
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    formula = cells["F01"][1]
    assert formula.value == "=cmd|calc!A1"
    assert formula.data_type == "s"
    assert formula.quotePrefix
    assert cells["F07"][2].value == "'Brien"
    assert not cells["F07"][2].quotePrefix
    with zipfile.ZipFile(folder / "out.xlsx") as book:
        xml = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    assert "<f " not in xml

    again = import_file(session, "people", folder / "out.xlsx")
    assert again.ok, again.report.problems
    assert again.counts["people"].updated == 0
    assert _people(session) == stored


def _number_kind() -> Kind:
    return Kind(
        name="numbers",
        summary="a label and a signed whole number",
        columns=(Column("label", Text(40), "", required=True), Column("change", Integer(), "")),
        key=("label",),
        mapping=None,  # type: ignore[arg-type]
        examples=({"label": "a", "change": "-3"},),
    )


def test_negative_numbers_stay_numbers_and_only_text_is_unquoted(sqlite_session: Session) -> None:
    kind = _number_kind()
    frame = pl.DataFrame(
        {"label": ["-3", "fall"], "change": [-3, -12]},
        schema={"label": pl.String, "change": pl.Int64},
    )
    assert csv_bytes(kind, frame) == "\ufefflabel,change\r\n'-3,-3\r\nfall,-12\r\n".encode()

    rows = [["'-3", "-3"], ["fall", "-12"]]
    table = RawTable("utf-8", 1, ["label", "change"], [2, 3], rows, quoted_formulas=True)
    checked = check_table(sqlite_session, kind, "numbers.csv", table)
    assert checked.rows is not None
    assert list(checked.rows.select("label", "change").iter_rows()) == [("-3", -3), ("fall", -12)]

    # An apostrophe before a number is not something the export writes: it stays, so the
    # cell is not a number.
    quoted = RawTable("utf-8", 1, ["label", "change"], [2], [["x", "'-5"]], quoted_formulas=True)
    report = check_table(sqlite_session, kind, "numbers.csv", quoted).report
    assert [(p.row, p.column, p.value, p.reason) for p in report.problems] == [
        (2, "change", "'-5", "not a whole number")
    ]


def test_a_form_value_keeps_its_apostrophe(sqlite_session: Session) -> None:
    """Only a CSV file carries the export's apostrophes; a form's text is taken as it is."""
    kind = _number_kind()
    table = RawTable("utf-8", 1, ["label", "change"], [2], [["'=x", "1"]])
    checked = check_table(sqlite_session, kind, "form", table)
    assert checked.rows is not None
    assert checked.rows["label"].to_list() == ["'=x"]


def test_the_errors_file_shows_a_bad_cells_formula_as_text() -> None:
    problems = [Problem("=evil.csv", 2, "given_name", "=cmd|calc!A1", "too long")]
    rows = list(csv.reader(io.StringIO(errors_csv(problems))))
    assert rows[1] == ["'=evil.csv", "2", "given_name", "'=cmd|calc!A1", "too long"]


MAPPED = """
kind = "people"
[columns]
person_id = "Staff ID"
given_name = "Forename"
family_name = "Surname"
ethnic_category = "Ethnicity"
sex = "Sex"
disability = "Disabled"
professional_background = "Background"
birth_year = "Born"
"""


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_an_export_in_a_mapped_layout_keeps_formulas_as_text_and_imports_back(
    session: Session, folder: Path, suffix: str
) -> None:
    """The same hostile names written in a user's own layout (``--mapping``): a CSV cell
    gets its apostrophe, an Excel cell is quoted text, and the mapped import gives back
    every value unchanged."""
    assert import_file(session, "people", _hostile_file(folder)).ok
    stored = _people(session)
    mapping = parse_mapping(MAPPED, "mapped.toml")
    out = folder / f"mapped.{suffix}"
    export_kind(session, "people", out, mapping=mapping)
    if suffix == "csv":
        text = out.read_bytes().decode("utf-8-sig")
        rows = {r[0]: r for r in csv.reader(io.StringIO(text, newline=""))}
        assert rows["F01"][1:3] == ["'=cmd|calc!A1", "Formula"]
        assert rows["F05"][1] == "''=already quoted"
    else:
        sheet = openpyxl.load_workbook(out).active
        cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
        assert cells["F01"][1].value == "=cmd|calc!A1"
        assert cells["F01"][1].data_type == "s"
        assert cells["F01"][1].quotePrefix
    again = import_file(session, "people", out, mapping=mapping)
    assert again.ok, again.report.problems
    assert again.counts["people"].updated == 0
    assert _people(session) == stored
