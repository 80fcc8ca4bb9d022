"""``talentboard report``: the format follows the extension; bad input exits 2, no file.

The command reads what is committed, so these tests use a database file of their own
(a migrated SQLite file with the register of registers.py committed to it).
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy.orm import Session

from talentboard.db import make_engine, upgrade
from talentboard.db.seed import load_reference_organisations
from talentboard.reports.xlsx import HEADER_ROW
from tests.cli_run import run_captured as run
from tests.reports.registers import report_register


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('report-db') / 'tb.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session, session.begin():
        load_reference_organisations(session)
        report_register().save(session)
    engine.dispose()
    return url


def test_html_report_for_a_region(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "london.html"
    code, stdout, stderr = run(
        ["report", "--db", database, "--at", "30/09/2026", "--region", "y56", "--out", str(out)],
        capsys,
    )
    assert code == 0, stderr
    assert stdout.strip() == f"Report written to {out} (London region, as at 2026-09-30)."
    html = out.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "London region · as at 30 September 2026" in html
    # Progress goes to standard error as plain lines when it is not a terminal.
    assert "Building the report" in stderr


def test_xlsx_report(database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "england.xlsx"
    code, _, stderr = run(
        ["report", "--db", database, "--at", "2026-09-30", "--out", str(out)], capsys
    )
    assert code == 0, stderr
    workbook = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert workbook.sheetnames[0] == "Headline figures"
    first = workbook["Headline figures"].cell(HEADER_ROW + 1, 2).value
    assert first == "orgs_with_exec_vacancy_share"


def test_pdf_report(database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "england.PDF"
    code, _, stderr = run(["report", "--db", database, "--at", "demo", "--out", str(out)], capsys)
    assert code == 0, stderr
    assert out.read_bytes().startswith(b"%PDF-")


def test_the_command_as_its_own_process_ends_with_everything_written(
    database: str, tmp_path: Path
) -> None:
    """Run as the console command, ``report`` ends its process itself once the file is
    written (cli/app.py, ``end_process``): exit code 0, its line printed, the workbook
    whole."""
    out = tmp_path / "england.xlsx"
    entry = [sys.executable, "-c", "from talentboard.cli import main; main()"]
    done = subprocess.run(
        [*entry, "report", "--db", database, "--at", "2026-09-30", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Report written to {out} (England, as at 2026-09-30).\n"
    workbook = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert workbook.sheetnames[0] == "Headline figures"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--out", "report.docx"], "unknown format '.docx'; use .html, .pdf or .xlsx"),
        (["--out", "report"], "unknown format '(no extension)'"),
        (["--out", "r.html", "--region", "Y99"], "--region Y99: not an NHS England region code"),
        (["--out", "r.html", "--at", "31/02/2026"], "--at '31/02/2026': not a date"),
        (["--out", "missing/r.html"], "the folder missing does not exist"),
        (
            ["--out", "r.html", "--org", "TST01", "--region", "Y56"],
            "a report is for a region or for one organisation",
        ),
        (["--out", "r.html", "--org", "ZZZ99"], "--org ZZZ99: no organisation with this ODS code"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    database: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    arguments: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = run(["report", "--db", database, *arguments], capsys)
    assert code == 2
    assert stdout == ""
    assert message in stderr
    assert stderr.startswith("Error: ")
    assert list(tmp_path.iterdir()) == []


def test_a_database_without_the_schema_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.html"
    code, _, stderr = run(
        ["report", "--db", f"sqlite:///{tmp_path / 'empty.db'}", "--out", str(out)], capsys
    )
    assert code == 1
    assert "run 'talentboard init' first" in stderr
    assert not out.exists()


def test_a_report_for_one_organisation_has_its_exact_figures(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "own.xlsx"
    code, stdout, stderr = run(
        ["report", "--db", database, "--at", "2026-09-30", "--org", "tst02", "--out", str(out)],
        capsys,
    )
    assert code == 0, stderr
    assert stdout.startswith(f"Report written to {out} (")
    workbook = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    sheet = workbook["By role"]
    header = [c.value for c in sheet[HEADER_ROW]]
    rows = {
        row[0]: dict(zip(header, row, strict=True))
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
    }
    # TST02's chief operating officer post: vacant, covered by an interim. Counts of 1,
    # which a published report withholds, are given as they are.
    coo = rows["Chief operating officer"]
    assert coo["Executive posts"] == 1
    assert coo["Vacant executive posts"] == 1
    assert coo["Posts under interim cover"] == 1
    assert rows["Chief executive"]["Vacant executive posts"] == 0
    headlines = [
        " ".join(str(c) for c in row if c)
        for row in workbook["Headline figures"].iter_rows(values_only=True)
    ]
    assert any(
        "The organisation has at least one executive director post without a substantive "
        "holder." in line
        for line in headlines
    )
    assert any("25.0% of executive director posts at" in line for line in headlines)
