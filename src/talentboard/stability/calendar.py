"""Calendar shifts and durations as docs/metrics.md defines them."""

from __future__ import annotations

import calendar
import datetime as dt

__all__ = ["DAYS_PER_YEAR", "month_ends", "shift_months", "shift_years"]

DAYS_PER_YEAR = 365.25


def shift_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months, same day of the month; when that month is
    shorter the day is its last (31 March - 1 month = 28 or 29 February)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def shift_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved by whole calendar years: same day and month, except that 29 February
    becomes 28 February in a year that has no 29th (29 Feb 2024 - 12 months = 28 Feb 2023)."""
    return shift_months(day, 12 * years)


def month_ends(last: dt.date, count: int) -> list[dt.date]:
    """The ``count`` month-end dates ending with the month of ``last``, oldest first; the last
    one is ``last`` itself (a series as at a date ends on that date)."""
    result = []
    for back in range(count - 1, 0, -1):
        month = shift_months(last.replace(day=1), -back)
        result.append(month.replace(day=calendar.monthrange(month.year, month.month)[1]))
    result.append(last)
    return result
