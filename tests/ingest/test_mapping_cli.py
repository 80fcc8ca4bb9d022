"""``talentboard mapping suggest``, and ``import``/``export`` with ``--mapping``, on a
database file of their own (``talentboard init``, copied for each test)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from talentboard.ingest import KINDS
from talentboard.ingest.mapping import parse_mapping, read_mapping, suggest
from talentboard.ingest.read import read_table
from tests.conftest import Run

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "esr-style"
ESR_KINDS = ("posts", "people", "appointments")

# Every value of the example that does not map by itself, with its row count.
UNMAPPED = {
    "posts": {"role_code": [("Board Level Director", 1)]},
    "people": {
        "ethnic_category": [("Undefined", 1)],
        "professional_background": [
            ("Administrative and Clerical", 4),
            ("Add Prof Scientific and Technic", 1),
            ("Allied Health Professionals", 1),
            ("Medical and Dental", 1),
            ("Nursing and Midwifery Registered", 1),
        ],
    },
    "appointments": {
        "appointment_type": [("Permanent", 6), ("Fixed Term Temp", 1)],
        "end_reason": [
            ("Dismissal - Some Other Substantial Reason", 1),
            ("End of Fixed Term Contract", 1),
            ("Retirement Age", 1),
            ("Voluntary Resignation - Promotion", 1),
        ],
    },
}


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from talentboard.cli import main

    path = tmp_path_factory.mktemp("mapping-cli") / "talentboard.db"
    code: object = 0
    try:
        main(["init", "--db", f"sqlite:///{path}"])
    except SystemExit as done:
        code = done.code
    assert not code
    return path


@pytest.fixture
def db(initialised: Path, tmp_path: Path) -> str:
    path = tmp_path / "talentboard.db"
    with sqlite3.connect(initialised) as source, sqlite3.connect(path) as target:
        source.backup(target)
    return f"sqlite:///{path}"


def _count(db: str, table: str) -> int:
    with sqlite3.connect(db.removeprefix("sqlite:///")) as connection:
        (count,) = connection.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(count)


@pytest.mark.parametrize("kind", ESR_KINDS)
def test_suggestion_maps_every_header_and_lists_exactly_the_unmapped_values(kind: str) -> None:
    table = read_table(EXAMPLE / f"{kind}.csv")
    suggestion = suggest(KINDS[kind], table, f"{kind}.csv")
    example = read_mapping(EXAMPLE / f"{kind}.toml")
    assert suggestion.unused == ()
    assert set(suggestion.mapping.columns.values()) == set(table.header)
    assert suggestion.mapping.columns == example.columns
    assert suggestion.unmapped == UNMAPPED[kind]


def test_suggest_command_writes_the_mapping_to_fill_in(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "people.toml"
    code, stdout, _ = run(
        "mapping", "suggest", "people", str(EXAMPLE / "people.csv"), "--out", str(out)
    )
    assert code == 0
    assert "9 columns of people found in people.csv" in stdout
    assert "Values of 'Ethnic Origin' to map in [values.ethnic_category]: 'Undefined' (1)" in stdout
    text = out.read_text(encoding="utf-8")
    # The values left to map are written as comments to fill in, with their row counts.
    assert '# "Administrative and Clerical" = ""  # 4 rows' in text
    assert "# professional_background takes one of: medical, nursing, ahp," in text
    assert parse_mapping(text).columns == read_mapping(EXAMPLE / "people.toml").columns
    # An existing file is kept unless --force is given.
    code, _, stderr = run(
        "mapping", "suggest", "people", str(EXAMPLE / "people.csv"), "--out", str(out)
    )
    assert code == 2
    assert "already exists" in stderr


def test_import_the_example_then_export_and_reimport_in_its_own_layout(
    run: Run, db: str, tmp_path: Path
) -> None:
    for kind in ESR_KINDS:
        args = (str(EXAMPLE / f"{kind}.csv"), "--mapping", str(EXAMPLE / f"{kind}.toml"))
        code, stdout, stderr = run("import", kind, *args, "--db", db)
        assert code == 0, stderr
    assert (_count(db, "posts"), _count(db, "appointments")) == (7, 8)
    exported = tmp_path / "people-esr.csv"
    mapping = str(EXAMPLE / "people.toml")
    code, stdout, _ = run("export", "people", str(exported), "--mapping", mapping, "--db", db)
    assert code == 0
    lines = exported.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == (
        "Employee Number,First Name,Last Name,Ethnic Origin,Gender,Disability,Staff Group,"
        "Date of Birth"
    )
    # The mapping's values are written back as the file's own; "Undefined" maps to 99.
    assert "10234615,Samuel,Adeyemi,Undefined,male,no,Administrative and Clerical,1970" in lines
    code, stdout, _ = run("import", "people", str(exported), "--mapping", mapping, "--db", db)
    assert code == 0
    assert "people: 0 inserted, 0 updated, 8 unchanged" in stdout
    appointments = tmp_path / "appointments-esr.xlsx"
    mapping = str(EXAMPLE / "appointments.toml")
    assert (
        run("export", "appointments", str(appointments), "--mapping", mapping, "--db", db)[0] == 0
    )
    code, stdout, _ = run(
        "import", "appointments", str(appointments), "--mapping", mapping, "--db", db
    )
    assert code == 0
    assert "appointments: 0 inserted, 0 updated, 8 unchanged" in stdout


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'ethnic_category = "Ethnic Origin"',
            'ethnic_category = "Ethnicity"',
            "bad.toml: columns.ethnic_category: 'Ethnicity' is not a column of people.csv",
        ),
        (
            '"Medical and Dental" = "medical"',
            '"Medical and Dental" = "doctor"',
            'bad.toml: values.professional_background."Medical and Dental": maps to '
            "'doctor', which is not allowed for professional_background",
        ),
        (
            'kind = "people"',
            'kind = "people"\nsheet = 3\n[extras]',
            "bad.toml: extras: not a mapping key",
        ),
        ('kind = "people"', 'kind = "people', "bad.toml: (the file): not valid TOML"),
    ],
)
def test_a_mapping_that_cannot_be_used_is_refused_with_exit_2(
    run: Run, db: str, tmp_path: Path, old: str, new: str, message: str
) -> None:
    text = (EXAMPLE / "people.toml").read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace(old, new), encoding="utf-8")
    code, _, stderr = run(
        "import", "people", str(EXAMPLE / "people.csv"), "--mapping", str(bad), "--db", db
    )
    assert code == 2
    assert f"Error: {message}" in stderr
    assert _count(db, "people") == 0
    if "not a column of people.csv" not in message:
        # Export refuses the same mapping; only a file being read can lack a column.
        out = tmp_path / "out.csv"
        code, _, stderr = run("export", "people", str(out), "--mapping", str(bad), "--db", db)
        assert (code, out.exists()) == (2, False)
        assert f"Error: {message}" in stderr
