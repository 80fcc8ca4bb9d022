"""Display values: each case written out with the text a reader should see."""

from __future__ import annotations

import datetime as dt

import pytest

from talentboard.reports.model import SUPPRESSED, Cell, ColumnKind
from talentboard.reports.presenters import (
    format_cell,
    format_date,
    format_headline,
    in_words,
    mid_sentence,
)


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (0.372, "share", "37.2%"),
        (0.0, "share", "0.0%"),
        (SUPPRESSED, "share", "*"),
        (SUPPRESSED, "count", "*"),
        (None, "share", "–"),
        (1234, "count", "1,234"),
        (-16.04, "pp", "−16.0 pp"),
        (2.5, "pp", "+2.5 pp"),
        (2.049, "years", "2.0"),
        (45.0, "days", "45"),
        (0.4567, "number", "0.46"),
        ("Director of finance", "text", "Director of finance"),
        (dt.date(2026, 9, 30), "date", "30 September 2026"),
    ],
)
def test_format_cell(value: Cell, kind: ColumnKind, text: str) -> None:
    assert format_cell(value, kind) == text


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (3.72, "years", "3.7 years"),
        (None, "years", "–"),  # a median not reached: no unit on a dash
        (SUPPRESSED, "years", "*"),
        (0.371, "share", "37.1%"),
        (-16.5, "pp", "−16.5 pp"),
    ],
)
def test_format_headline(value: Cell, kind: ColumnKind, text: str) -> None:
    assert format_headline(value, kind) == text


@pytest.mark.parametrize(
    ("label", "text"),
    [
        ("Vacancy rate", "vacancy rate"),
        ("Director of finance", "director of finance"),
        ("BME share of voting board members", "BME share of voting board members"),
        ("NHS England region", "NHS England region"),
        ("ICB", "ICB"),
        ("London", "London"),
        ("", ""),
    ],
)
def test_mid_sentence_keeps_abbreviations_and_names(label: str, text: str) -> None:
    assert mid_sentence(label) == text


def test_dates_have_no_leading_zero() -> None:
    assert format_date(dt.date(2026, 3, 1)) == "1 March 2026"


@pytest.mark.parametrize(
    ("share", "words"),
    [
        (0.0, "none"),
        (0.3, "3 in 10"),
        (0.37, "4 in 10"),  # 3.7 tenths rounds to 4
        (0.75, "8 in 10"),  # half up: 7.5 tenths is 8
        (0.095, "1 in 10"),
        (0.07, "about 1 in 14"),  # 1 / 0.07 = 14.3
        (0.96, "more than 9 in 10"),
        (1.0, "all"),
    ],
)
def test_in_words(share: float, words: str) -> None:
    assert in_words(share) == words
