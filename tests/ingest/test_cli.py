"""``talentboard import``, ``export`` and ``template`` on a database file of their own.

The commands commit for real, so each test makes a fresh SQLite database with
``talentboard init``; the database behaviour itself is tested on both backends through
the functions the commands call.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest

from talentboard.ingest import KINDS
from tests.cli_run import exit_code as run
from tests.ingest.helpers import canonical, write


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "talentboard.db"
    assert run("init", "--db", f"sqlite:///{path}") == 0
    return path


@pytest.fixture
def db(initialised: Path, tmp_path: Path) -> str:
    """A database made by ``talentboard init``, copied for this test."""
    path = tmp_path / "talentboard.db"
    with sqlite3.connect(initialised) as source, sqlite3.connect(path) as target:
        source.backup(target)
    return f"sqlite:///{path}"


def test_import_success_prints_counts(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    for kind in ("organisations", "performance", "posts"):
        assert run("import", kind, str(canonical(kind)), "--db", db) == 0
    out = capsys.readouterr().out
    assert (
        "Imported posts.csv (5 rows as posts):\n  posts: 5 inserted, 0 updated, 0 unchanged" in out
    )
    assert run("import", "posts", str(canonical("posts")), "--db", db) == 0
    assert "posts: 0 inserted, 0 updated, 5 unchanged" in capsys.readouterr().out


def test_dry_run_writes_nothing(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    errors = str(tmp_path / "errors.csv")
    people = str(canonical("people"))
    assert run("import", "people", people, "--dry-run", "--errors-out", errors, "--db", db) == 0
    assert "people: 5 inserted, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert Path(errors).read_text(encoding="utf-8") == "file,row,column,value,reason\n"
    assert run("import", "people", str(canonical("people")), "--db", db) == 0
    assert "people: 5 inserted" in capsys.readouterr().out


def test_invalid_file_exits_2_and_reports_every_problem(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(
        tmp_path,
        "people.csv",
        "person_id,given_name,family_name,ethnic_category,sex,disability,"
        "professional_background,birth_year,hobby\n"
        "P1,Ann,Lee,A,female,no,nursing,1970,\n"
        "P2,,Lee,Q,female,no,nursing,1970,\n"
        "P3,Cy,Lee,A,female,no,nursing,twenty,\n",
    )
    errors = tmp_path / "errors.csv"
    code = run("import", "people", str(bad), "--errors-out", str(errors), "--db", db)
    assert code == 2
    err = capsys.readouterr().err
    assert "Warning: people.csv, column hobby: unknown column (column I); ignored" in err
    assert "people.csv, row 3, column given_name: a value is required" in err
    assert "people.csv, row 4, column birth_year: 'twenty' not a whole number" in err
    assert "Error: people.csv: 3 problems in 2 rows; nothing was imported" in err
    rows = list(csv.reader(io.StringIO(errors.read_text(encoding="utf-8"))))
    assert rows == [
        ["file", "row", "column", "value", "reason"],
        ["people.csv", "3", "given_name", "", "a value is required"],
        [
            "people.csv",
            "3",
            "ethnic_category",
            "Q",
            "not a known NHS Data Dictionary ethnic category code or label",
        ],
        ["people.csv", "4", "birth_year", "twenty", "not a whole number"],
    ]
    assert run("export", "people", str(tmp_path / "out.csv"), "--db", db) == 0
    assert (tmp_path / "out.csv").read_text(encoding="utf-8-sig").count("\n") == 1


def test_long_reports_are_capped_on_screen(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        "person_id,given_name,family_name,ethnic_category,sex,disability,"
        "professional_background,birth_year"
    ]
    lines += [f"P{n},Ann,Lee,A,female,no,nursing,x" for n in range(60)]
    bad = write(tmp_path, "people.csv", "\n".join(lines) + "\n")
    errors = tmp_path / "errors.csv"
    assert run("import", "people", str(bad), "--errors-out", str(errors), "--db", db) == 2
    err = capsys.readouterr().err
    assert err.count("not a whole number") == 50
    assert f"... and 10 more, see {errors}" in err
    assert len(errors.read_text(encoding="utf-8").splitlines()) == 61


def test_missing_file_exits_2(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("import", "people", str(tmp_path / "absent.csv"), "--db", db) == 2
    assert "absent.csv: file not found" in capsys.readouterr().err


def test_unknown_kind_exits_2_listing_the_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("import", "staff", "x.csv") == 2
    err = capsys.readouterr().err
    assert err.strip() == "Error: unknown kind 'staff': use one of " + ", ".join(KINDS)


def test_template_and_export(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("template", "appointments", str(tmp_path / "appointments.xlsx")) == 0
    assert run("template", "people", str(tmp_path / "people.csv")) == 0
    text = (tmp_path / "people.csv").read_text(encoding="utf-8-sig").splitlines()
    assert text[0] == (
        "person_id,given_name,family_name,ethnic_category,sex,disability,"
        "professional_background,birth_year,employee_number"
    )
    assert len(text) == 3
    assert run("template", "people", str(tmp_path / "people.txt")) == 2
    assert "people.txt: the file name must end in .csv or .xlsx" in capsys.readouterr().err
    assert run("import", "people", str(tmp_path / "people.csv"), "--db", db) == 0
    assert run("export", "people", str(tmp_path / "out.xlsx"), "--db", db) == 0
    assert "Exported 2 rows of people to" in capsys.readouterr().out


def test_a_database_without_the_schema_is_a_failure(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    assert run("import", "people", str(canonical("people")), "--db", url) == 1
