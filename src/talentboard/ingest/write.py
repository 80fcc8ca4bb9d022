"""Writing a kind's rows as CSV or as an Excel workbook, by the file's extension.

CSV is written as UTF-8 with a byte-order mark (so Excel shows accented names correctly)
and CRLF line ends; the same rows always give the same bytes. In a workbook, dates are
date cells, numbers are numbers and identifiers are text, so nothing is re-interpreted
when it is opened and saved again.

Text that a spreadsheet would take for a formula (it begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is written as text (``talentboard.formulas``): in CSV
with a leading apostrophe, which the importer removes again; in a workbook as a quoted text
cell. Numbers are never escaped: ``-3`` in a number column stays a number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import polars as pl
from openpyxl.styles import Font

from talentboard.formulas import CSV_ESCAPED, FORMULA_START, mark_text_cell
from talentboard.ingest.cells import Date
from talentboard.ingest.schema import Kind

CSV_SUFFIXES = (".csv",)
XLSX_SUFFIXES = (".xlsx",)


class WriteError(ValueError):
    """The file cannot be written in the form asked for."""


def file_format(path: Path) -> str:
    """``csv`` or ``xlsx``, from the file's extension."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in XLSX_SUFFIXES:
        return "xlsx"
    raise WriteError(f"{path.name}: the file name must end in .csv or .xlsx")


def write_rows(kind: Kind, frame: pl.DataFrame, path: Path) -> None:
    """Write ``frame`` (parsed values in the kind's columns) to ``path``."""
    if file_format(path) == "csv":
        path.write_bytes(csv_bytes(kind, frame))
    else:
        _write_xlsx(kind, frame, path)


def csv_bytes(kind: Kind, frame: pl.DataFrame) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(kind.column_names)
    texts = [
        c.type.to_text(frame[c.name]) if c.type.numeric else _escaped(c.type.to_text(frame[c.name]))
        for c in kind.columns
    ]
    writer.writerows(zip(*texts, strict=True))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _escaped(texts: pl.Series) -> pl.Series:
    """``formulas.escape_csv`` over a column of text."""
    needs = texts.str.contains(FORMULA_START) | texts.str.contains(CSV_ESCAPED)
    return pl.select(pl.when(needs).then("'" + texts).otherwise(texts)).to_series()


def _write_xlsx(kind: Kind, frame: pl.DataFrame, path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = kind.name
    sheet.append(list(kind.column_names))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in frame.select(kind.column_names).iter_rows():
        row = [c.type.to_cell(v) for c, v in zip(kind.columns, values, strict=True)]
        sheet.append(row)
    for index, column in enumerate(kind.columns, start=1):
        letter = openpyxl.utils.get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(column.name) + 2)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(column.type, Date) and isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif not column.type.numeric:
                # Text that starts with '=' is still text, never a formula.
                mark_text_cell(cell)
    sheet.freeze_panes = "A2"
    workbook.properties.creator = "talentboard"
    workbook.save(path)
