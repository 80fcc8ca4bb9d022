"""Keeping spreadsheet formulas out of exported cells (CSV injection, OWASP).

A spreadsheet treats a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula, so a name such as ``=cmd|calc!A1`` written to a CSV file as it is would
run when the file is opened. Exports therefore write such text so it shows as text:

- **CSV**: a leading apostrophe (``'=cmd|calc!A1``), which spreadsheets show as text. So
  that importing the file gives back exactly what was exported, a genuine value that
  begins with an apostrophe followed by one of those characters or by another apostrophe
  gets an apostrophe too; the importer removes one leading apostrophe from exactly those
  cells (:func:`unescape_csv`), and from no others: ``'Brien`` stays as it is.
- **XLSX**: the cell is written as a text cell marked as quoted (Excel's own mark for text
  typed after an apostrophe), with its value unchanged, so nothing needs undoing on import.

Only text is escaped: a number (such as ``-3``) is written as the number it is.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "CSV_ESCAPED",
    "FORMULA_START",
    "QUOTE",
    "TRIGGERS",
    "escape_csv",
    "looks_like_formula",
    "mark_text_cell",
    "unescape_csv",
]

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"

# Text the CSV export writes with an apostrophe in front (and the importer's test for one).
FORMULA_START = r"^[=+\-@\t\r]"
CSV_ESCAPED = r"^'[=+\-@\t\r']"
_NEEDS_QUOTE = re.compile(f"{FORMULA_START}|{CSV_ESCAPED}")
_ESCAPED = re.compile(CSV_ESCAPED)


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula."""
    return text.startswith(TRIGGERS)


def escape_csv(value: Any) -> Any:
    """``value`` as a CSV cell that a spreadsheet shows as text; anything but text unchanged."""
    if isinstance(value, str) and _NEEDS_QUOTE.match(value):
        return QUOTE + value
    return value


def unescape_csv(text: str) -> str:
    """The value :func:`escape_csv` was given, from the cell it wrote."""
    return text[1:] if _ESCAPED.match(text) else text


def mark_text_cell(cell: Any) -> None:
    """Make an openpyxl cell holding text that looks like a formula a quoted text cell."""
    if isinstance(cell.value, str) and looks_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
