"""Exported cells that look like formulas show as text, and import back unchanged.

People whose names begin with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or an
apostrophe are exported to CSV and to Excel by the export writer; in the CSV no cell
begins with one of those characters, in the workbook each such cell is a text cell marked
as quoted; importing either file gives back exactly the names exported.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import openpyxl
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from talentboard.formulas import TRIGGERS
from talentboard.ingest import export_frame, get_kind, import_file
from talentboard.ingest.write import write_rows
from tests.ingest.helpers import load_before

NAME = st.builds(
    lambda start, rest: (start + rest).rstrip(" "),
    st.sampled_from([*TRIGGERS, "'", "'=", "''", "-1", "=1+1", "x"]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
).filter(lambda v: v.strip() == v.lstrip(" \n") and v.strip())


@settings(
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(given=NAME, family=NAME, fmt=st.sampled_from(["csv", "xlsx"]))
def test_export_then_import_gives_back_the_names(
    session: Session, given: str, family: str, fmt: str
) -> None:
    load_before(session, "people")
    kind = get_kind("people")
    frame = pl.DataFrame(
        {c.name: [None] for c in kind.columns},
        schema={c.name: pl.String for c in kind.columns},
    ).with_columns(
        person_id=pl.lit("P-FORMULA"),
        given_name=pl.lit(given),
        family_name=pl.lit(family),
        ethnic_category=pl.lit("A"),
        sex=pl.lit("female"),
        disability=pl.lit("no"),
        professional_background=pl.lit("nursing"),
        birth_year=pl.lit(-1970).cast(pl.Int64) * -1,
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"people.{fmt}"
        write_rows(kind, frame, path)
        if fmt == "csv":
            text = path.read_bytes().decode("utf-8-sig")
            for row in list(csv.reader(io.StringIO(text, newline="")))[1:]:
                assert not [cell for cell in row if cell.startswith(TRIGGERS)], row
        else:
            sheet = openpyxl.load_workbook(path).active
            assert sheet is not None
            cells = list(sheet[2][1:3])
            assert [c.value for c in cells] == [given, family]
            for cell in cells:
                assert cell.data_type == "s"
                assert cell.quotePrefix == str(cell.value).startswith(TRIGGERS)
        result = import_file(session, "people", path)
        assert result.ok, result.report.problems
    back = export_frame(session, "people").filter(pl.col("person_id") == "P-FORMULA")
    assert back.row(0, named=True)["given_name"] == given
    assert back.row(0, named=True)["family_name"] == family
    assert back.row(0, named=True)["birth_year"] == 1970
