"""The data page's CSV and Excel downloads show a formula-like name as text (issue 11)."""

from __future__ import annotations

import csv
import io

import openpyxl
from sqlalchemy.orm import Session

from tests.web.conftest import ClientFor
from tests.web.world import World


def test_downloads_write_a_formula_name_as_text(
    session: Session, world: World, client_for: ClientFor
) -> None:
    world.people["P-ALICE"].given_name = "=cmd|calc!A1"
    world.people["P-ALICE"].family_name = "@Adams"
    session.flush()
    client = client_for("national")

    download = client.get("/data/exports/people.csv")
    assert download.status_code == 200
    rows = {r[0]: r for r in csv.reader(io.StringIO(download.content.decode("utf-8-sig")))}
    assert rows["P-ALICE"][1:3] == ["'=cmd|calc!A1", "'@Adams"]

    workbook = client.get("/data/exports/people.xlsx")
    assert workbook.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None
    alice = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "P-ALICE")
    assert [c.value for c in alice[1:3]] == ["=cmd|calc!A1", "@Adams"]
    assert all(c.data_type == "s" and c.quotePrefix for c in alice[1:3])
