"""Cell types: how the text of a cell becomes a value, and how a value is written back.

Each type parses a whole column at once (a Polars Series of stripped text, null where the
cell is empty) into typed values and a Series of reasons, null where the cell is fine, so
a file of a hundred thousand rows is checked without a Python loop per cell. ``to_text``
is the inverse used by export: parsing what it writes gives the same values back.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

MIN_YEAR = 1900
MAX_YEAR = 2100

# ASCII digits only: \d would also match other scripts' digits, which are not numbers here.
_ISO_DATE = r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$"
_UK_DATE = r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$"
_WHOLE = r"^[+-]?[0-9]+$"
_THOUSANDS = r"^[0-9]{1,3}(,[0-9]{3})+$"
_GROUPED_DECIMAL = r"^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$"
_DECIMAL = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?%?$"

TRUE_WORDS = ("true", "yes", "1")
FALSE_WORDS = ("false", "no", "0")


def _reason(condition: pl.Series, reason: str) -> pl.Series:
    """``reason`` where ``condition`` holds, else null."""
    return pl.select(pl.when(condition).then(pl.lit(reason)).otherwise(None)).to_series()


def _first(*reasons: pl.Series) -> pl.Series:
    """The first non-null reason of each row."""
    return pl.select(pl.coalesce(reasons)).to_series()


def _keep(values: pl.Series, ok: pl.Series) -> pl.Series:
    """``values`` where ``ok`` holds, else null."""
    return pl.select(pl.when(ok).then(values).otherwise(None)).to_series().alias(values.name)


class CellType(ABC):
    """How one column's cells are read and written."""

    dtype: pl.DataType

    @property
    def numeric(self) -> bool:
        """Whether the column holds numbers, written as numbers (never escaped as text)."""
        return False

    @abstractmethod
    def parse(self, raw: pl.Series) -> tuple[pl.Series, pl.Series]:
        """Typed values (null where empty or bad) and reasons (null where the cell is fine)."""

    @abstractmethod
    def describe(self) -> str:
        """The accepted values in words, for the documentation."""

    def to_text(self, values: pl.Series) -> pl.Series:
        """The canonical text of each value, "" for a missing one."""
        return values.cast(pl.String).fill_null("")

    def to_cell(self, value: Any) -> Any:
        """The value to put in a spreadsheet cell."""
        return value


@dataclass(frozen=True)
class Text(CellType):
    """Free text, surrounding spaces removed; ``max_length`` matches the database column."""

    max_length: int | None = None
    dtype: pl.DataType = field(default=pl.String(), init=False)

    def parse(self, raw: pl.Series) -> tuple[pl.Series, pl.Series]:
        if self.max_length is None:
            return raw, pl.Series(raw.name, [None] * len(raw), dtype=pl.String)
        too_long = raw.str.len_chars() > self.max_length
        reasons = _reason(too_long, f"longer than {self.max_length} characters")
        return _keep(raw, ~too_long.fill_null(False)), reasons

    def describe(self) -> str:
        return "text" if self.max_length is None else f"text, at most {self.max_length} characters"


@dataclass(frozen=True)
class Code(CellType):
    """One value of a closed list, matched ignoring case; ``aliases`` maps other spellings.

    The reason lists the allowed values when there are few; otherwise it names ``noun``.
    """

    values: tuple[str, ...]
    noun: str = "value"
    aliases: Mapping[str, str] = field(default_factory=dict)
    dtype: pl.DataType = field(default=pl.String(), init=False)

    def _lookup(self) -> dict[str, str]:
        table = {_fold(k): v for k, v in self.aliases.items()}
        table.update({_fold(v): v for v in self.values})
        return table

    def parse(self, raw: pl.Series) -> tuple[pl.Series, pl.Series]:
        folded = raw.str.to_lowercase().str.replace_all(r"\s+", " ")
        values = folded.replace_strict(self._lookup(), default=None, return_dtype=pl.String)
        if len(self.values) <= 8:
            message = "not one of: " + ", ".join(self.values)
        else:
            message = f"not a known {self.noun}"
        return values.alias(raw.name), _reason(raw.is_not_null() & values.is_null(), message)

    def describe(self) -> str:
        listed = "one of " + ", ".join(f"`{v}`" for v in self.values)
        return listed + (", or its label" if self.aliases else "") + " (any case)"


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class Integer(CellType):
    """A whole number, optionally bounded; Excel's thousands separators (``1,234``) accepted."""

    minimum: int | None = None
    maximum: int | None = None
    dtype: pl.DataType = field(default=pl.Int64(), init=False)

    @property
    def numeric(self) -> bool:
        return True

    def parse(self, raw: pl.Series) -> tuple[pl.Series, pl.Series]:
        digits = pl.select(
            pl.when(raw.str.contains(_THOUSANDS))
            .then(raw.str.replace_all(",", "", literal=True))
            .when(raw.str.contains(_WHOLE))
            .then(raw)
            .otherwise(None)
        ).to_series()
        numbers = digits.cast(pl.Int64, strict=False)
        not_number = _reason(raw.is_not_null() & numbers.is_null(), "not a whole number")
        outside = pl.repeat(False, len(raw), eager=True)
        if self.minimum is not None:
            outside = outside | (numbers < self.minimum).fill_null(False)
        if self.maximum is not None:
            outside = outside | (numbers > self.maximum).fill_null(False)
        reasons = _first(not_number, _reason(outside, self._range()))
        return _keep(numbers, ~outside).alias(raw.name), reasons

    def _range(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f"must be between {self.minimum} and {self.maximum}"
        if self.minimum is not None:
            return f"must be at least {self.minimum}"
        return f"must be at most {self.maximum}"

    def describe(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f"a whole number from {self.minimum} to {self.maximum}"
        if self.minimum is not None:
            return f"a whole number, at least {self.minimum}"
        if self.maximum is not None:
            return f"a whole number, at most {self.maximum}"
        return "a whole number"

    def to_text(self, values: pl.Series) -> pl.Series:
        return values.cast(pl.Int64).cast(pl.String).fill_null("")


@dataclass(frozen=True)
class Fraction(CellType):
    """A fraction between 0 and 1 (``0.23``); a percentage (``23%``) is read as a fraction."""

    dtype: pl.DataType = field(default=pl.Float64(), init=False)

    @property
    def numeric(self) -> bool:
        return True

    def parse(self, raw: pl.Series) -> tuple[pl.Series, pl.Series]:
        well_formed = raw.str.contains(_DECIMAL).fill_null(False)
        percent = raw.str.ends_with("%").fill_null(False)
        numbers = _keep(raw.str.strip_suffix("%"), well_formed).cast(pl.Float64, strict=False)
        # Adding 0.0 turns -0.0 into 0.0.
        numbers = pl.select(
            pl.when(percent).then(numbers / 100).otherwise(numbers) + 0.0
        ).to_series()
        not_number = _reason(raw.is_not_null() & numbers.is_null(), "not a number")
        outside = ((numbers < 0) | (numbers > 1)).fill_null(False)
        reasons = _first(not_number, _reason(outside, "must be between 0 and 1 (or 0% and 100%)"))
        return _keep(numbers, ~outside).alias(raw.name), reasons

    def describe(self) -> str:
        return "a fraction between 0 and 1 (`0.23`; `23%` is read as 0.23)"

    def to_text(self, values: pl.Series) -> pl.Series:
        # repr is the shortest text that reads back as the same float.
        return pl.Series(
            values.name, ["" if v is None else repr(float(v)) for v in values], dtype=pl.String
        )


@dataclass(frozen=True)
class Number(CellType):
    """A decimal number (``6.79``, ``1,234.5``), at least ``minimum`` when given."""

    minimum: float | None = None
    dtype: pl.DataType = field(default=pl.Float64(), init=False)

    def parse(self, raw: pl.Series) -> tuple[pl.Series, pl.Series]:
        grouped = raw.str.contains(_GROUPED_DECIMAL).fill_null(False)
        plain = pl.select(
            pl.when(grouped).then(raw.str.replace_all(",", "", literal=True)).otherwise(raw)
        ).to_series()
        well_formed = (plain.str.contains(_DECIMAL) & ~plain.str.ends_with("%")).fill_null(False)
        # Adding 0.0 turns -0.0 into 0.0.
        numbers = _keep(plain, well_formed).cast(pl.Float64, strict=False) + 0.0
        not_number = _reason(raw.is_not_null() & numbers.is_null(), "not a number")
        if self.minimum is None:
            return numbers.alias(raw.name), not_number
        outside = (numbers < self.minimum).fill_null(False)
        reasons = _first(not_number, _reason(outside, f"must be at least {self.minimum:g}"))
        return _keep(numbers, ~outside).alias(raw.name), reasons

    def describe(self) -> str:
        if self.minimum is not None:
            return f"a number, at least {self.minimum:g}"
        return "a number"

    def to_text(self, values: pl.Series) -> pl.Series:
        return pl.Series(values.name, [_number_text(v) for v in values], dtype=pl.String)


def _number_text(value: float | None) -> str:
    """The shortest text that reads back as the same number, whole numbers without ``.0``
    (as a spreadsheet shows them)."""
    if value is None:
        return ""
    number = float(value)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


@dataclass(frozen=True)
class Boolean(CellType):
    """``true``/``false``, ``yes``/``no`` or ``1``/``0``, ignoring case."""

    dtype: pl.DataType = field(default=pl.Boolean(), init=False)

    def parse(self, raw: pl.Series) -> tuple[pl.Series, pl.Series]:
        table = dict.fromkeys(TRUE_WORDS, True) | dict.fromkeys(FALSE_WORDS, False)
        values = raw.str.to_lowercase().replace_strict(table, default=None, return_dtype=pl.Boolean)
        reasons = _reason(raw.is_not_null() & values.is_null(), "not true/false, yes/no or 1/0")
        return values.alias(raw.name), reasons

    def describe(self) -> str:
        return "`true`/`false` (also `yes`/`no`, `1`/`0`)"

    def to_text(self, values: pl.Series) -> pl.Series:
        return values.replace_strict(
            {True: "true", False: "false"}, default=None, return_dtype=pl.String
        ).fill_null("")


@dataclass(frozen=True)
class Date(CellType):
    """A date as ``YYYY-MM-DD`` or ``DD/MM/YYYY``, in the years 1900 to 2100."""

    dtype: pl.DataType = field(default=pl.Date(), init=False)

    def parse(self, raw: pl.Series) -> tuple[pl.Series, pl.Series]:
        iso = raw.str.extract_groups(_ISO_DATE).struct.unnest()
        uk = raw.str.extract_groups(_UK_DATE).struct.unnest()
        year = pl.select(pl.coalesce(iso[:, 0], uk[:, 2])).to_series().cast(pl.Int32, strict=False)
        month = pl.select(pl.coalesce(iso[:, 1], uk[:, 1])).to_series().cast(pl.Int32, strict=False)
        day = pl.select(pl.coalesce(iso[:, 2], uk[:, 0])).to_series().cast(pl.Int32, strict=False)
        in_range = ((year >= MIN_YEAR) & (year <= MAX_YEAR)).fill_null(False)
        text = pl.select(
            pl.when(in_range).then(
                pl.format(
                    "{}-{}-{}",
                    year,
                    month.cast(pl.String).str.zfill(2),
                    day.cast(pl.String).str.zfill(2),
                )
            )
        ).to_series()
        values = text.str.to_date("%Y-%m-%d", strict=False)
        reasons = _first(
            _reason(raw.is_not_null() & year.is_null(), "not a date: use YYYY-MM-DD or DD/MM/YYYY"),
            _reason(year.is_not_null() & ~in_range, f"year outside {MIN_YEAR}-{MAX_YEAR}"),
            _reason(in_range & values.is_null(), "no such date"),
        )
        return values.alias(raw.name), reasons

    def describe(self) -> str:
        return "a date, `YYYY-MM-DD` or `DD/MM/YYYY`"

    def to_text(self, values: pl.Series) -> pl.Series:
        return values.dt.strftime("%Y-%m-%d").fill_null("")


@dataclass(frozen=True)
class CodeList(CellType):
    """Codes of a closed list separated by ``;``, matched ignoring case.

    The codes are kept once each, in the list's own order, so ``Y59;Y56`` and ``Y56;Y59``
    are the same value.
    """

    values: tuple[str, ...]
    noun: str = "code"
    dtype: pl.DataType = field(default=pl.List(pl.String()), init=False)

    def parse(self, raw: pl.Series) -> tuple[pl.Series, pl.Series]:
        table = {v.lower(): v for v in self.values}
        parsed: list[list[str] | None] = []
        reasons: list[str | None] = []
        for cell in raw:
            if cell is None:
                parsed.append(None)
                reasons.append(None)
                continue
            codes, unknown = _split_codes(cell, table)
            if unknown:
                parsed.append(None)
                reasons.append(f"unknown {self.noun}: " + ", ".join(unknown))
            elif not codes:
                # Only separators: an empty cell.
                parsed.append(None)
                reasons.append(None)
            else:
                parsed.append(sorted(codes, key=self.values.index))
                reasons.append(None)
        return (
            pl.Series(raw.name, parsed, dtype=self.dtype),
            pl.Series(raw.name, reasons, dtype=pl.String),
        )

    def describe(self) -> str:
        return f"{self.noun}s separated by `;`, each one of " + ", ".join(
            f"`{v}`" for v in self.values
        )

    def to_text(self, values: pl.Series) -> pl.Series:
        return values.list.join(";").fill_null("")

    def to_cell(self, value: Any) -> Any:
        return ";".join(value) if value is not None else None


def _split_codes(cell: str, table: Mapping[str, str]) -> tuple[list[str], list[str]]:
    codes: list[str] = []
    unknown: list[str] = []
    for part in cell.split(";"):
        item = part.strip()
        if not item:
            continue
        code = table.get(item.lower())
        if code is None:
            unknown.append(item)
        elif code not in codes:
            codes.append(code)
    return codes, unknown
