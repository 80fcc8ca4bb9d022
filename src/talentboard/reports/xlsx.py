"""The report's tables as an XLSX workbook, one worksheet per table.

Laid out the way the Government Statistical Service asks for accessible spreadsheets:
each sheet starts with its title in A1 and short notes beneath, then one table whose
header row is an Excel table header. Cells are typed: counts and durations are numbers,
shares are numbers formatted as percentages, dates are dates. A value withheld by
disclosure control is the text ``*``; a value that does not apply is left empty. Text that
a spreadsheet would take for a formula (an organisation named ``=...``) is a quoted text
cell, shown as text and never run (``talentboard.formulas``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table as ExcelTable
from openpyxl.worksheet.table import TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from talentboard.formulas import mark_text_cell
from talentboard.reports.model import Cell, ColumnKind, Report, Suppressed, Table
from talentboard.reports.presenters import format_date

__all__ = ["HEADER_ROW", "render_xlsx"]

HEADER_ROW = 4
"""The row of every sheet's table header (title in row 1, notes in rows 2 and 3)."""

_FORMATS: dict[ColumnKind, str] = {
    "share": "0.0%",
    "pp": "+0.0;-0.0;0.0",
    "years": "0.00",
    "days": "#,##0",
    "count": "#,##0",
    "number": "#,##0.00",
    "score": "0.0",
    "date": "dd/mm/yyyy",
    "text": "General",
}
_KEY = "* = withheld by disclosure control (appendix B of the report); empty = not applicable."
_BAD_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")


def _value(value: Cell) -> str | int | float | dt.date | None:
    if isinstance(value, Suppressed):
        return "*"
    return value


def _sheet_title(table: Table, used: set[str]) -> str:
    base = table.sheet or table.name.replace("_", " ").capitalize()
    base = _BAD_SHEET_CHARACTERS.sub(" ", base)[:31]
    title, n = base, 2
    while title.lower() in used:
        suffix = f" {n}"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def _table_name(title: str) -> str:
    name = re.sub(r"\W", "_", title)
    return name if name[:1].isalpha() else f"t_{name}"


def _write(
    sheet: Worksheet,
    *,
    title: str,
    notes: Sequence[str],
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    kinds: Sequence[Sequence[ColumnKind]],
    widths: Sequence[int],
) -> None:
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=14)
    mark_text_cell(sheet["A1"])
    for offset, note in enumerate(notes[:2]):
        mark_text_cell(sheet.cell(row=2 + offset, column=1, value=note))
    for column, label in enumerate(header, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=label)
        mark_text_cell(cell)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, (row, row_kinds) in enumerate(zip(rows, kinds, strict=True), start=HEADER_ROW + 1):
        for c, (value, kind) in enumerate(zip(row, row_kinds, strict=True), start=1):
            cell = sheet.cell(row=r, column=c, value=_value(value))
            mark_text_cell(cell)
            cell.number_format = _FORMATS[kind]
            if isinstance(value, Suppressed):
                cell.alignment = Alignment(horizontal="right")
            elif kind == "text" and isinstance(value, str) and len(value) > 60:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    last = f"{get_column_letter(len(header))}{HEADER_ROW + max(len(rows), 1)}"
    excel_table = ExcelTable(displayName=_table_name(sheet.title), ref=f"A{HEADER_ROW}:{last}")
    excel_table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
    sheet.add_table(excel_table)
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"


def _width(label: str, kind: ColumnKind) -> int:
    if kind == "text":
        return max(14, min(48, len(label) + 4))
    return max(12, min(24, len(label) + 2))


def _headline_sheet(sheet: Worksheet, report: Report, context: str) -> None:
    header = ("Figure", "Name", "Value", "Count", "Out of", "In words", "Definition")
    rows: list[tuple[Cell, ...]] = []
    kinds: list[tuple[ColumnKind, ...]] = []
    for headline in report.headlines():
        rows.append(
            (
                headline.label,
                headline.metric,
                headline.value,
                headline.numerator,
                headline.denominator,
                headline.sentence,
                headline.definition,
            )
        )
        kinds.append(("text", "text", headline.kind, "count", "count", "text", "text"))
    _write(
        sheet,
        title=f"Headline figures: {context}",
        notes=(_KEY, "Shares are fractions shown as percentages; durations are in years."),
        header=header,
        rows=rows,
        kinds=kinds,
        widths=(34, 30, 12, 12, 13, 60, 80),
    )


def render_xlsx(report: Report) -> bytes:
    """The workbook as bytes: headline figures, the report's workbook tables, methods."""
    workbook = Workbook()
    context = f"{report.scope}, as at {format_date(report.as_at)}"
    used: set[str] = {"headline figures", "methods"}
    headline_sheet = workbook.active
    assert headline_sheet is not None
    headline_sheet.title = "Headline figures"
    _headline_sheet(headline_sheet, report, context)
    for table in report.workbook:
        sheet = workbook.create_sheet(_sheet_title(table, used))
        _write(
            sheet,
            title=f"{table.caption}: {context}",
            notes=(_KEY, *table.notes),
            header=[c.label for c in table.columns],
            rows=table.rows,
            kinds=[[c.kind for c in table.columns]] * len(table.rows),
            widths=[_width(c.label, c.kind) for c in table.columns],
        )
    methods = workbook.create_sheet("Methods")
    _write(
        methods,
        title=f"Methods and definitions: {context}",
        notes=report.disclosure[:2],
        header=("Name", "Figure", "Definition"),
        rows=[(d.name, d.label, d.text) for d in report.methods],
        kinds=[("text", "text", "text")] * len(report.methods),
        widths=(32, 36, 110),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
