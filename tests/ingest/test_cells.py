"""Cell types: the accepted forms of each value, and export text that parses back the same."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from talentboard.ingest.cells import (
    Boolean,
    CellType,
    Code,
    CodeList,
    Date,
    Fraction,
    Integer,
    Text,
)
from talentboard.ingest.kinds import KINDS


def parse(cell_type: CellType, *cells: str | None) -> list[tuple[Any, str | None]]:
    values, reasons = cell_type.parse(pl.Series("c", list(cells), dtype=pl.String))
    return list(zip(values.to_list(), reasons.to_list(), strict=True))


def test_dates() -> None:
    assert parse(
        Date(),
        "2024-02-29",
        "29/02/2024",
        "1/4/2024",
        "2023-02-29",
        "31/04/2024",
        "2024-13-01",
        "0099-01-01",
        "2024/02/29",
        "29-02-2024",
        "yesterday",
        "٢٠٢٤-٠١-٠١",
        None,
    ) == [
        (dt.date(2024, 2, 29), None),
        (dt.date(2024, 2, 29), None),
        (dt.date(2024, 4, 1), None),
        (None, "no such date"),
        (None, "no such date"),
        (None, "no such date"),
        (None, "year outside 1900-2100"),
        (None, "not a date: use YYYY-MM-DD or DD/MM/YYYY"),
        (None, "not a date: use YYYY-MM-DD or DD/MM/YYYY"),
        (None, "not a date: use YYYY-MM-DD or DD/MM/YYYY"),
        # Digits of other scripts are not read as numbers.
        (None, "not a date: use YYYY-MM-DD or DD/MM/YYYY"),
        (None, None),
    ]


def test_booleans() -> None:
    assert parse(Boolean(), "true", "FALSE", "Yes", "no", "1", "0", "y", "2", None) == [
        (True, None),
        (False, None),
        (True, None),
        (False, None),
        (True, None),
        (False, None),
        (None, "not true/false, yes/no or 1/0"),
        (None, "not true/false, yes/no or 1/0"),
        (None, None),
    ]


def test_whole_numbers() -> None:
    assert parse(Integer(1, 5), "1", "+5", "0", "6", "2.0", "1e2", "٣", "1,000") == [
        (1, None),
        (5, None),
        (None, "must be between 1 and 5"),
        (None, "must be between 1 and 5"),
        (None, "not a whole number"),
        (None, "not a whole number"),
        (None, "not a whole number"),
        (None, "must be between 1 and 5"),
    ]
    # Excel writes thousands separators when a cell is formatted so.
    assert parse(Integer(minimum=0), "22,637", "1,00", "99999999999999999999") == [
        (22637, None),
        (None, "not a whole number"),
        (None, "not a whole number"),
    ]


def test_fractions() -> None:
    assert parse(Fraction(), "0.23", "23%", "1", "0", ".5", "1.01", "-0.1", "nan", "inf") == [
        (0.23, None),
        (0.23, None),
        (1.0, None),
        (0.0, None),
        (0.5, None),
        (None, "must be between 0 and 1 (or 0% and 100%)"),
        (None, "must be between 0 and 1 (or 0% and 100%)"),
        (None, "not a number"),
        (None, "not a number"),
    ]


def test_codes_ignore_case_and_accept_aliases() -> None:
    ethnic = KINDS["people"].column("ethnic_category").type
    assert parse(ethnic, "a", "99", "Mixed - White and Asian", "WHITE  -  IRISH", "White") == [
        ("A", None),
        ("99", None),
        ("F", None),
        ("B", None),
        (None, "not a known NHS Data Dictionary ethnic category code or label"),
    ]
    assert parse(Code(("yes", "no")), "YES", "maybe") == [
        ("yes", None),
        (None, "not one of: yes, no"),
    ]


def test_code_lists_keep_the_catalogue_order() -> None:
    regions = CodeList(("Y56", "Y58", "Y59"), noun="region code")
    assert parse(regions, "y59; Y56 ;y59", "Y56;Y99;X", ";", "") == [
        (["Y56", "Y59"], None),
        (None, "unknown region code: Y99, X"),
        (None, None),
        (None, None),
    ]


def test_text_length() -> None:
    assert parse(Text(5), "Smith", "Smithson") == [
        ("Smith", None),
        (None, "longer than 5 characters"),
    ]


@pytest.mark.parametrize(
    ("cell_type", "values"),
    [
        (Date(), [dt.date(1900, 1, 1), dt.date(2100, 12, 31), None]),
        (Boolean(), [True, False, None]),
        (Integer(), [0, -7, 123456789, None]),
        (Fraction(), [0.1, 1 / 3, 0.30000000000000004, 1.0, 0.0, None]),
        (CodeList(("a", "b")), [["a"], ["a", "b"], None]),
    ],
)
def test_export_text_parses_back_to_the_same_values(cell_type: CellType, values: list[Any]) -> None:
    text = cell_type.to_text(pl.Series("c", values, dtype=cell_type.dtype))
    parsed, reasons = cell_type.parse(text.replace("", None))
    assert parsed.to_list() == values
    assert reasons.null_count() == len(values)
