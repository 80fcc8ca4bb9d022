"""Files in a user's own layout, read through a mapping, load exactly what the canonical
files load; the ESR-style example imports and equals its canonical form.

Each kind's canonical file in ``data/`` is rewritten in a layout of its own: headers
renamed and in reverse order, code values spelled the user's way (listed in the mapping),
booleans as Y/N and dates as DD/MM/YYYY (both recognised by themselves), and a column the
mapping does not name. Loading every such file in order must leave the same rows as
loading the canonical files.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from talentboard.ingest import KINDS, export_frame, import_file, validate_file
from talentboard.ingest.cells import Boolean, Code, CodeList, Date
from talentboard.ingest.mapping import ColumnMap, MappingError, read_mapping
from talentboard.ingest.mapping.values import ethnic_category
from tests.ingest.helpers import canonical, isolated, kinds_with_files, load, load_before, write

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "esr-style"
ESR_KINDS = ("posts", "people", "appointments")


def _their_value(text: str) -> str:
    return f"{text.upper()} (our code)"


def in_own_layout(kind: str) -> tuple[str, ColumnMap]:
    """The canonical file of ``kind`` rewritten in a layout of its own, and its mapping."""
    chosen = KINDS[kind]
    rows = list(csv.DictReader(io.StringIO(canonical(kind).read_text(encoding="utf-8-sig"))))
    present = [c for c in chosen.columns if c.name in rows[0]]
    columns = {c.name: f"Their {c.name.replace('_', ' ').title()}" for c in present}
    values: dict[str, dict[str, str]] = {}
    cells: dict[str, list[str]] = {}
    for column in present:
        texts = [row[column.name].strip() for row in rows]
        if isinstance(column.type, Code | CodeList):
            values[column.name] = {_their_value(t): t for t in sorted(set(texts)) if t}
            texts = [_their_value(t) if t else "" for t in texts]
        elif isinstance(column.type, Boolean):
            words = dict.fromkeys(("true", "yes", "1"), "Y") | dict.fromkeys(
                ("false", "no", "0"), "N"
            )
            texts = [words.get(t.lower(), "") for t in texts]
        elif isinstance(column.type, Date):
            texts = [f"{t[8:10]}/{t[5:7]}/{t[:4]}" if t else "" for t in texts]
        cells[column.name] = texts
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    order = list(reversed(present))
    writer.writerow(["Notes", *(columns[c.name] for c in order)])
    for index in range(len(rows)):
        writer.writerow(["not read", *(cells[c.name][index] for c in order)])
    mapping = ColumnMap(kind, columns, {}, values, source=f"{kind}.toml")
    return out.getvalue(), mapping


def _exports(session: Session) -> dict[str, pl.DataFrame]:
    return {kind: export_frame(session, kind) for kind in KINDS}


def test_mapped_import_equals_canonical_import_for_every_kind(
    engine: Engine, tmp_path: Path
) -> None:
    with isolated(engine) as session:
        load(session)
        expected = _exports(session)
    with isolated(engine) as session:
        for kind in kinds_with_files():
            text, mapping = in_own_layout(kind)
            path = write(tmp_path, f"{kind}-own.csv", text)
            result = import_file(session, kind, path, mapping=mapping)
            assert result.ok, (kind, result.report.problems)
            assert [w.reason for w in result.report.warnings] == [
                f"not named in {kind}.toml; ignored"
            ]
        found = _exports(session)
    assert set(kinds_with_files()) == set(KINDS)
    for kind in KINDS:
        assert expected[kind].height > 0, kind
        assert_frame_equal(found[kind], expected[kind])


# The ESR-style example, as the canonical files a user would otherwise write by hand.
ESR_CANONICAL = {
    "posts": """\
post_id,ods_code,role_code,title,level,executive,voting,established_from,established_to
40011001,RJ1,chief_executive,Chief Executive,board,,,2004-04-01,
40011002,RJ1,finance_director,Director of Finance,board,,,2004-04-01,
40011003,RJ1,nursing_director,Chief Nurse,board,,,2004-04-01,
40011004,RJ1,operations_director,Chief Operating Officer,board,,,2015-10-01,
40011005,RJ1,chair,Trust Chair,board,,,2004-04-01,
40011006,RJ1,non_executive_director,Non-Executive Director (Audit),board,,,2004-04-01,
40011007,RJ1,strategy_director,Director of Strategy,board,,,2021-04-01,
""",
    "people": """\
person_id,given_name,family_name,ethnic_category,sex,disability,professional_background,birth_year,employee_number
10234561,Amelia,Hartley,A,female,no,general_management,1968,10234561
10234578,Tobias,Okonkwo-Reid,N,male,no,medical,1971,10234578
10234585,Priya,Raman,H,female,not_stated,nursing,1975,10234585
10234592,Gareth,Lloyd-Evans,C,male,no,general_management,1962,10234592
10234608,Helen,Marsh,Z,female,yes,general_management,1966,10234608
10234615,Samuel,Adeyemi,99,male,no,general_management,1970,10234615
10234622,Fiona,McAllister,B,female,no,ahp,1973,10234622
10234639,David,Chen,R,male,no,other_clinical,1969,10234639
""",
    "appointments": """\
person_id,post_id,start_date,end_date,appointment_type,end_reason
10234592,40011001,2012-06-01,2019-03-31,substantive,retired
10234561,40011001,2019-04-01,,substantive,
10234615,40011002,2016-09-01,2023-11-30,substantive,moved_nhs
10234608,40011002,2023-12-01,2024-05-31,interim,end_of_term
10234639,40011002,2024-06-03,,substantive,
10234585,40011003,2018-01-15,,substantive,
10234622,40011004,2015-10-01,2025-02-28,substantive,dismissed_or_forced
10234578,40011004,2025-03-01,,secondment,
""",
}


def test_esr_example_imports_and_equals_its_canonical_form(engine: Engine, tmp_path: Path) -> None:
    with isolated(engine) as session:
        for kind in ESR_KINDS:
            path = write(tmp_path, f"{kind}.csv", ESR_CANONICAL[kind])
            assert import_file(session, kind, path).ok, kind
        expected = {kind: export_frame(session, kind) for kind in ESR_KINDS}
    with isolated(engine) as session:
        for kind in ESR_KINDS:
            mapping = read_mapping(EXAMPLE / f"{kind}.toml")
            result = import_file(session, kind, EXAMPLE / f"{kind}.csv", mapping=mapping)
            assert result.ok, (kind, result.report.problems)
            assert result.report.warnings == ()
        found = {kind: export_frame(session, kind) for kind in ESR_KINDS}
    for kind in ESR_KINDS:
        assert_frame_equal(found[kind], expected[kind])
    people = found["people"].rows_by_key("person_id", named=True, unique=True)
    # "CA White English" is ESR's local sub-code of C; "Undefined" is mapped to 99.
    assert people["10234592"]["ethnic_category"] == "C"
    assert people["10234615"]["ethnic_category"] == "99"
    assert people["10234592"]["birth_year"] == 1962
    posts = found["posts"].rows_by_key("post_id", named=True, unique=True)
    # Empty executive and voting take the role catalogue's values.
    assert (posts["40011001"]["executive"], posts["40011005"]["executive"]) == (True, False)


@pytest.mark.parametrize(
    "text",
    [
        "A White - British",
        "A - White British",
        "White - British",
        "White British",
        "a: white - british",
        "A White British",
        "A",
    ],
)
def test_code_with_label_values_give_ethnic_category_a(text: str) -> None:
    assert ethnic_category(text) == "A"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("N Black or Black British - African", "N"),
        ("Black or Black British - African", "N"),
        ("African", "N"),
        ("R Chinese", "R"),
        ("Z Not Stated", "Z"),
        ("Not stated", "Z"),
        ("99 Not Known", "99"),
        ("CA White English", "C"),
        ("LH Asian British", "L"),
        ("G Mixed - Any other mixed background", "G"),
        # A code whose label names another category is not guessed.
        ("A Black or Black British - African", None),
        ("CA Asian Indian", None),
        ("Other Mixed", None),
        ("Not Given", None),
    ],
)
def test_ethnic_category_codes_and_labels(text: str, code: str | None) -> None:
    assert ethnic_category(text) == code


def test_values_that_do_not_map_are_listed_once_then_row_by_row(
    session: Session, tmp_path: Path
) -> None:
    origins = (
        ["Not Given"] * 9 + ["Other Mixed"] * 3 + ["A - White British", "F Mixed - White and Asian"]
    )
    lines = ["Staff No,Forename,Surname,Ethnic Origin,Gender,Disabled,Staff Group,DOB"]
    lines += [
        f"E{n:03d},Alex,Doe{n},{origin},Female,N,Medical and Dental,01/02/1970"
        for n, origin in enumerate(origins)
    ]
    path = write(tmp_path, "staff.csv", "\n".join(lines) + "\n")
    mapping = ColumnMap(
        "people",
        {
            "person_id": "Staff No",
            "given_name": "Forename",
            "family_name": "Surname",
            "ethnic_category": "Ethnic Origin",
            "sex": "Gender",
            "disability": "Disabled",
            "professional_background": "Staff Group",
            "birth_year": "DOB",
        },
        values={"professional_background": {"Medical and Dental": "medical"}},
        source="staff.toml",
    )
    report = validate_file(session, "people", path, mapping=mapping)
    first = report.problems[0]
    assert (first.row, first.column, first.value) == (None, "Ethnic Origin", None)
    assert first.reason == (
        "12 rows have Ethnic Origin values that do not map: 'Not Given' (9), "
        "'Other Mixed' (3); give each its value in [values.ethnic_category] of staff.toml"
    )
    rows = [(p.row, p.column, p.value) for p in report.problems[1:]]
    # Data rows start at row 2: "Not Given" on rows 2-10, "Other Mixed" on rows 11-13.
    assert rows == [(n, "Ethnic Origin", "Not Given") for n in range(2, 11)] + [
        (n, "Ethnic Origin", "Other Mixed") for n in range(11, 14)
    ]
    assert report.bad_rows == 12
    # With the two values mapped, every row imports: rows 14 and 15 map by themselves.
    mapped = ColumnMap(
        mapping.kind,
        mapping.columns,
        values=mapping.values | {"ethnic_category": {"Not Given": "Z", "other mixed": "G"}},
        source="staff.toml",
    )
    load_before(session, "people")
    result = import_file(session, "people", path, mapping=mapped)
    assert result.ok, result.report.problems
    stored = export_frame(session, "people").filter(pl.col("person_id").str.starts_with("E"))
    assert stored["ethnic_category"].value_counts(sort=True).rows() == [
        ("Z", 9),
        ("G", 3),
        ("A", 1),
        ("F", 1),
    ]
    assert set(stored["birth_year"]) == {1970}


def _example_columns(drop: str = "", **add: str) -> dict[str, str]:
    columns = dict(read_mapping(EXAMPLE / "people.toml").columns)
    columns.pop(drop, None)
    return columns | add


@pytest.mark.parametrize(
    ("data", "key", "reason"),
    [
        (
            {"columns": _example_columns(nickname="Known As")},
            "columns.nickname",
            "not a column of people",
        ),
        (
            {"columns": _example_columns(drop="family_name")},
            "columns.family_name",
            "missing: name the file's column",
        ),
        (
            {"columns": _example_columns(drop="disability"), "constants": {"disability": "maybe"}},
            "constants.disability",
            "'maybe' is not allowed: not one of: yes, no, not_stated",
        ),
        (
            {"columns": _example_columns(), "values": {"sex": {"Female": "woman"}}},
            "values.sex.Female",
            "maps to 'woman', which is not allowed for sex",
        ),
        (
            {"columns": _example_columns(), "values": {"ethnic_category": {"Undefined": "Q"}}},
            "values.ethnic_category.Undefined",
            "maps to 'Q', which is not allowed for ethnic_category",
        ),
        (
            {"kind": "posts", "columns": _example_columns()},
            "kind",
            "is 'posts', but the file is people",
        ),
    ],
)
def test_mappings_the_kind_refuses(data: dict[str, object], key: str, reason: str) -> None:
    from talentboard.ingest.mapping import check_mapping, from_data

    with pytest.raises(MappingError) as caught:
        check_mapping(from_data({"kind": "people"} | data, "people.toml"), KINDS["people"])
    assert caught.value.source == "people.toml"
    assert caught.value.key == key
    assert reason in caught.value.reason


def test_problems_name_the_files_own_columns(session: Session, tmp_path: Path) -> None:
    # Row 3 repeats row 2's key; row 4 has an appointment type no one mapped and an end
    # before its start.
    text = (
        "Employee Number,Position Number,Assignment Start Date,Assignment End Date,"
        "Assignment Category,Leaving Reason\n"
        "10234561,40011001,01/04/2019,,Permanent,\n"
        "10234561,40011001,01/04/2019,,Permanent,\n"
        "10234578,40011004,01/03/2025,01/01/2025,Acting Up,\n"
    )
    path = write(tmp_path, "assignments.csv", text)
    mapping = read_mapping(EXAMPLE / "appointments.toml")
    report = validate_file(session, "appointments", path, mapping=mapping)
    found = [(p.row, p.column, p.value) for p in report.problems]
    assert found[0] == (None, "Assignment Category", None)
    assert (
        3,
        "Employee Number, Position Number, Assignment Start Date",
        "10234561, 40011001, 01/04/2019",
    ) in found
    assert (4, "Assignment Category", "Acting Up") in found
    assert (4, "Assignment End Date", "01/01/2025") in found
