"""Display values: figures as people read them in a board paper.

Shares are fractions in the data and percentages on the page; a value withheld by
disclosure control shows as ``*`` and a value that does not apply (a zero denominator)
as an en dash. Dates are written the NHS way: 30 September 2026.
"""

from __future__ import annotations

import datetime as dt
import math

from talentboard.reports.model import Cell, ColumnKind, Suppressed

__all__ = [
    "NOT_APPLICABLE",
    "format_cell",
    "format_date",
    "format_headline",
    "in_words",
    "is_numeric",
    "mid_sentence",
]

NOT_APPLICABLE = "–"


def format_date(value: dt.date) -> str:
    """``30 September 2026``."""
    return f"{value.day} {value:%B %Y}"


def format_cell(value: Cell, kind: ColumnKind) -> str:
    """The text a table cell or headline shows for ``value``."""
    if isinstance(value, Suppressed):
        return "*"
    if value is None:
        return NOT_APPLICABLE
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, str):
        return value
    match kind:
        case "share":
            return f"{100 * value:.1f}%"
        case "pp":
            sign = "+" if value > 0 else "−" if value < 0 else ""
            return f"{sign}{abs(value):.1f} pp"
        case "years" | "score":
            return f"{value:.1f}"
        case "count" | "days":
            return f"{round(value):,}"
        case "number":
            return f"{value:,.2f}"
        case _:
            return str(value)


def format_headline(value: Cell, kind: ColumnKind) -> str:
    """A headline figure with its unit where the number alone does not say it:
    ``3.7 years``; ``37.1%``, ``*`` and ``–`` as in a table."""
    text = format_cell(value, kind)
    if kind == "years" and isinstance(value, int | float) and math.isfinite(value):
        return f"{text} years"
    return text


# Words that keep their capital at the start of a label inside a sentence.
_NAMES = frozenset({"England", "London", "Midlands", "North", "South", "East", "West"})


def mid_sentence(text: str) -> str:
    """A label as it reads inside a sentence: its first letter in lower case, unless its
    first word is an abbreviation (``BME share``, ``NHS trust``, ``ICB``) or a name."""
    first = text.split(" ", 1)[0]
    if not first or any(c.isupper() for c in first[1:]) or first in _NAMES:
        return text
    return first[0].lower() + text[1:]


def is_numeric(kind: ColumnKind) -> bool:
    """Whether a column holds numbers (right-aligned, typed in spreadsheets)."""
    return kind not in ("text", "date")


def in_words(share: float) -> str:
    """A share as people say it: ``3 in 10``, ``about 1 in 14``, ``none``, ``all``.

    Tenths are used from one in ten up (rounded, so 0.37 is "4 in 10"); below that,
    "about 1 in N" with N rounded; "more than 9 in 10" short of all.
    """
    if share <= 0:
        return "none"
    if share >= 1:
        return "all"
    if share >= 0.095:
        # Half up (7.5 tenths is 8 in 10), not Python's round-half-to-even.
        tenths = math.floor(share * 10 + 0.5)
        return "more than 9 in 10" if tenths == 10 else f"{tenths} in 10"
    return f"about 1 in {math.floor(1 / share + 0.5)}"
