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
from typing import Any

import openpyxl
import polars as pl
from openpyxl.styles import Font

from talentboard.formulas import CSV_ESCAPED, FORMULA_START, escape_csv, mark_text_cell
from talentboard.ingest.cells import Date, Text
from talentboard.ingest.mapping.model import ISO, UK, ColumnMap, fold
from talentboard.ingest.schema import Column, Kind

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


def _mapped_columns(
    kind: Kind, mapping: ColumnMap, frame: pl.DataFrame
) -> list[tuple[str, Column, list[Any]]]:
    """Each of the file's columns: its header, the kind's column and the cells to write.

    A header that holds two canonical columns is written once, from the first. Values
    listed in the mapping are written as the file's value (the first listed, when several
    give the same value); dates in the mapping's date format.
    """
    written: dict[str, tuple[Column, list[Any]]] = {}
    for column in kind.columns:
        header = mapping.columns.get(column.name)
        if header is None or fold(header) in {fold(h) for h in written}:
            continue
        values = frame[column.name]
        texts = column.type.to_text(values)
        table = mapping.values.get(column.name, {})
        if table:
            targets = pl.Series(column.name, list(table.values()), dtype=pl.String)
            parsed, _ = column.type.parse(targets.replace("", None))
            canonical = column.type.to_text(parsed).to_list()
            inverse: dict[str, str] = {}
            for given, text in zip(table, canonical, strict=True):
                if text:
                    inverse.setdefault(text, given)
            cells: list[Any] = [inverse.get(t, t) for t in texts]
        elif isinstance(column.type, Date) and mapping.date_format == UK:
            cells = values.dt.strftime("%d/%m/%Y").fill_null("").to_list()
        else:
            cells = [column.type.to_cell(v) for v in values]
        written[header] = (column, cells)
    return [(header, column, cells) for header, (column, cells) in written.items()]


def write_mapped(kind: Kind, mapping: ColumnMap, frame: pl.DataFrame, path: Path) -> None:
    """Write ``frame`` (parsed values in the kind's columns) in the layout ``mapping`` reads."""
    columns = _mapped_columns(kind, mapping, frame)
    if file_format(path) == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([header for header, _, _ in columns])
        texts = [
            [
                "" if c is None else _text(c) if column.type.numeric else escape_csv(_text(c))
                for c in cells
            ]
            for _, column, cells in columns
        ]
        writer.writerows(zip(*texts, strict=True))
        path.write_bytes(("\ufeff" + out.getvalue()).encode("utf-8"))
        return
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = mapping.sheet or kind.name
    sheet.append([header for header, _, _ in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in zip(*(cells for _, _, cells in columns), strict=True):
        sheet.append([None if c == "" else c for c in row])
    for index, (header, column, _) in enumerate(columns, start=1):
        letter = openpyxl.utils.get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(header) + 2)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd" if mapping.date_format == ISO else "dd/mm/yyyy"
            elif isinstance(column.type, Text) and isinstance(cell.value, str):
                cell.data_type = "s"
                mark_text_cell(cell)
    sheet.freeze_panes = "A2"
    workbook.properties.creator = "talentboard"
    workbook.save(path)


def _text(cell: Any) -> str:
    """A cell written by ``to_cell`` as the text a CSV holds."""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float):
        return repr(cell)
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)
