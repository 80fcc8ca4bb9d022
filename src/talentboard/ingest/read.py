"""Reading CSV and Excel files into rows of text, numbered as a spreadsheet shows them.

CSV is read as UTF-8 (with or without a byte-order mark); a file that is not valid UTF-8
is read as Windows-1252, which is what Excel's plain "CSV (Comma delimited)" save writes,
and the encoding is reported. Workbooks (xlsx, xlsm, xls, ods) are recognised by their
content, whatever the file is called, and read with python-calamine; their cells are
turned into the same text a CSV would hold: dates as ``YYYY-MM-DD``, whole numbers
without a decimal point, booleans as ``true``/``false``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import python_calamine

UTF8 = "utf-8"
UTF8_BOM = "utf-8 with byte-order mark"
WINDOWS_1252 = "windows-1252"
WORKBOOK = "excel workbook"

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BOMS_UTF16 = (b"\xff\xfe", b"\xfe\xff")
_MAX_EXACT_FLOAT = 2.0**53


class ReadError(Exception):
    """The file cannot be read as a table at all; the message says why."""


@dataclass(frozen=True, slots=True)
class RawTable:
    """A file's header and non-empty data rows as text, with spreadsheet row numbers.

    ``quoted_formulas``: the cells may carry the apostrophe a CSV export puts in front of
    text a spreadsheet would take for a formula (``talentboard.formulas``); true for CSV.
    """

    encoding: str
    header_row: int
    header: list[str]
    row_numbers: list[int]
    rows: list[list[str]]
    quoted_formulas: bool = False


def read_table(path: Path, sheet: str | None = None) -> RawTable:
    """Read ``path`` (CSV or workbook); ``sheet`` picks a worksheet by name when present."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ReadError("file not found") from exc
    except IsADirectoryError as exc:
        raise ReadError("is a folder, not a file") from exc
    except OSError as exc:
        raise ReadError(f"cannot be read: {exc.strerror or exc}") from exc
    if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        return _table(WORKBOOK, _workbook_rows(data, sheet))
    return _read_csv(data)


def _read_csv(data: bytes) -> RawTable:
    if data.startswith(_BOMS_UTF16):
        raise ReadError(
            "the file is UTF-16 text (Excel's 'Unicode Text'); save it as "
            "'CSV UTF-8 (Comma delimited)' or as an Excel workbook"
        )
    if b"\x00" in data:
        raise ReadError("not a CSV file: it contains binary data (NUL bytes)")
    encoding, text = _decode(data)
    lines = io.StringIO(text, newline="")
    first = lines.readline()
    # Excel honours (and some tools write) a first line naming the separator.
    if first.strip().lower().startswith("sep=") and len(first.strip()) == 5:
        if first.strip()[4] != ",":
            raise ReadError(f"columns must be separated by commas, not {first.strip()[4]!r}")
        offset = 1
    else:
        lines.seek(0)
        offset = 0
    try:
        records = list(csv.reader(lines, strict=True))
    except csv.Error as exc:
        raise ReadError(f"not a readable CSV file: {exc}") from exc
    table = _table(encoding, ((offset + i + 1, r) for i, r in enumerate(records)))
    _check_separator(table)
    return replace(table, quoted_formulas=True)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return UTF8_BOM, data[3:].decode(UTF8)
        except UnicodeDecodeError as exc:
            raise ReadError(
                f"starts with a UTF-8 byte-order mark but is not valid UTF-8 "
                f"(byte {exc.start + 3} is not)"
            ) from exc
    try:
        return UTF8, data.decode(UTF8)
    except UnicodeDecodeError:
        pass
    try:
        return WINDOWS_1252, data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"not text in UTF-8 or Windows-1252 (byte {exc.start} cannot be read); "
            "save the file as 'CSV UTF-8 (Comma delimited)'"
        ) from exc


def _check_separator(table: RawTable) -> None:
    named = [h for h in table.header if h.strip()]
    if len(named) == 1:
        for separator, name in ((";", "semicolons"), ("\t", "tabs")):
            if separator in named[0]:
                raise ReadError(f"columns must be separated by commas; this file uses {name}")


def _workbook_rows(data: bytes, sheet: str | None) -> list[tuple[int, list[str]]]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = workbook.sheet_names
        if not names:
            raise ReadError("the workbook has no worksheets")
        chosen = next((n for n in names if sheet and n.strip().lower() == sheet.lower()), None)
        worksheet = (
            workbook.get_sheet_by_name(chosen)
            if chosen is not None
            else workbook.get_sheet_by_index(0)
        )
        cells = worksheet.to_python(skip_empty_area=False)
    except ReadError:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine may also panic on a damaged file
        detail = str(exc).strip().splitlines()
        raise ReadError(
            "not a readable Excel workbook" + (f": {detail[0]}" if detail else "")
        ) from exc
    return [(i + 1, [_cell_text(c) for c in row]) for i, row in enumerate(cells)]


def _cell_text(value: Any) -> str:
    """A workbook cell as the text a CSV would hold."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _MAX_EXACT_FLOAT:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _blank(cells: list[str]) -> bool:
    # Most rows start with a key: look no further than the first cell for them.
    return not cells or (not cells[0].strip() and not "".join(cells).strip())


def _table(encoding: str, numbered: Any) -> RawTable:
    header_row = 0
    header: list[str] = []
    row_numbers: list[int] = []
    rows: list[list[str]] = []
    for number, cells in numbered:
        if _blank(cells):
            continue
        if not header_row:
            header_row, header = number, cells
            continue
        row_numbers.append(number)
        rows.append(cells)
    if not header_row:
        raise ReadError("the file is empty: no header row")
    while header and not header[-1].strip():
        header.pop()
    return RawTable(encoding, header_row, header, row_numbers, rows)
