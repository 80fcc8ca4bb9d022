"""Values that map by themselves: codes with their labels, sex and yes/no words, dates.

Exports from the Electronic Staff Record and other systems write NHS Data Dictionary codes
with their labels ("A White - British", "A - White British"), or the label alone ("White -
British"), words for codes ("Female", "Chief Executive", "Not Declared") and dates with
month names ("31-Mar-2025"). :func:`recogniser` gives, for a column, the function that
turns such a value into the canonical text, or None when it does not know the value: the
value is then left as it is, and the column's own check decides.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import cache

from talentboard import vocab
from talentboard.ingest.cells import Boolean, Code, Date
from talentboard.ingest.schema import Column
from talentboard.reference import ETHNIC_CODES, ROLE_CODES, ethnic_categories, roles

Recogniser = Callable[[str], str | None]

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_CODE_FIRST = re.compile(r"^\s*([0-9]{1,2}|[A-Za-z][0-9A-Za-z]?)(?:\s*[-:.)]\s*|\s+)(.+)$")
_MONTH_DATE = re.compile(r"^([0-9]{1,2})[-/ ]([A-Za-z]{3,9})\.?[-/ ,]+([0-9]{4})$")
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T][0-9:.]+)?$")
_UK_DATE = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})(?: [0-9:.]+)?$")
_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (
        dt.date(2000, number, 1).strftime("%b").lower(),
        dt.date(2000, number, 1).strftime("%B").lower(),
    )
} | {"sept": 9}

NOT_STATED_WORDS = (
    "not stated",
    "not known",
    "unknown",
    "not declared",
    "not disclosed",
    "prefer not to say",
    "prefer not to answer",
    "not specified",
    "do not wish to disclose",
    "i do not wish to disclose",
    "i do not wish to disclose my disability status",
    "not recorded",
)
SEX_WORDS = {
    "f": "female",
    "woman": "female",
    "m": "male",
    "man": "male",
    # NHS Data Dictionary person stated gender codes.
    "1": "male",
    "2": "female",
    "9": "other",
    "x": "not_stated",
    "0": "not_stated",
    "indeterminate": "other",
    "non binary": "other",
    "intersex": "other",
} | dict.fromkeys(NOT_STATED_WORDS, "not_stated")
YES_NO_WORDS = {"y": "yes", "n": "no", "true": "yes", "false": "no", "1": "yes", "0": "no"}
DISABILITY_WORDS = YES_NO_WORDS | dict.fromkeys(NOT_STATED_WORDS, "not_stated")
BOOLEAN_WORDS = {"y": "true", "n": "false", "t": "true", "f": "false"}


def norm(text: str) -> str:
    """Lower case, every run of punctuation and spaces one space: how values are matched."""
    return _NOT_ALNUM.sub(" ", text.lower()).strip()


def _from_table(table: dict[str, str]) -> Recogniser:
    def recognise(text: str) -> str | None:
        return table.get(norm(text))

    return recognise


@cache
def _ethnic_forms() -> dict[str, dict[str, str]]:
    """For each ethnic category code, its label in the ways exports write it."""
    forms: dict[str, dict[str, str]] = {}
    for category in ethnic_categories():
        group, _, detail = category.label.partition(" - ")
        texts = {category.label, f"{group} {detail}"}
        if detail:
            texts.add(detail)
        forms[category.code] = {norm(t): category.code for t in texts if t.strip()}
    return forms


@cache
def _ethnic_by_label() -> dict[str, str]:
    """Each label form that names exactly one category."""
    seen: dict[str, set[str]] = {}
    for code, texts in _ethnic_forms().items():
        for text in texts:
            seen.setdefault(text, set()).add(code)
    return {text: codes.pop() for text, codes in seen.items() if len(codes) == 1}


def ethnic_category(text: str) -> str | None:
    """The NHS Data Dictionary ethnic category that ``text`` names with its code, its label
    or both: "A White - British", "A - White British" and "White - British" all give "A".

    A two-character local sub-code ("CA White English") gives its national code when the
    label is in the same group ("White"); a code whose label names another category gives
    None, as does anything else not recognised.
    """
    labels = _ethnic_by_label()
    found = labels.get(norm(text))
    if found is not None:
        return found
    if text.strip().upper() in ETHNIC_CODES:
        return text.strip().upper()
    match = _CODE_FIRST.match(text)
    if match is None:
        return None
    code, label = match.group(1).upper(), norm(match.group(2))
    forms = _ethnic_forms()
    if code in forms:
        return code if label in forms[code] else None
    if len(code) == 2 and code[0] in forms and code[0] not in ("Z",):
        group = next(c.label for c in ethnic_categories() if c.code == code[0])
        if label.split(" ")[0] == norm(group).split(" ")[0]:
            return code[0]
    return None


def _code_words(column: Column) -> dict[str, str]:
    """A code column's codes and labels as matched words ("Chief Executive", "ready now")."""
    assert isinstance(column.type, Code)
    table = {norm(k): v for k, v in column.type.aliases.items()}
    table.update({norm(v): v for v in column.type.values})
    if column.type.values == ROLE_CODES:
        table.update({norm(r.label): r.code for r in roles()})
    if column.type.values == vocab.SEXES:
        table.update(SEX_WORDS)
    if column.type.values == vocab.DISABILITY:
        table.update(DISABILITY_WORDS)
    return table


def date_text(text: str) -> str | None:
    """A date with a month name ("31-Mar-2025", "1 April 2024") or a time after it, as
    ``YYYY-MM-DD``; None for anything else."""
    match = _MONTH_DATE.match(text.strip())
    if match:
        month = _MONTHS.get(match.group(2).lower())
        if month is None:
            return None
        day, year = int(match.group(1)), int(match.group(3))
    else:
        match = _ISO_DATE.match(text.strip())
        if match:
            year, month, day = (int(g) for g in match.groups())
        else:
            match = _UK_DATE.match(text.strip())
            if match is None:
                return None
            day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def birth_year(text: str) -> str | None:
    """The year of a date of birth; only the year is kept."""
    found = date_text(text)
    return found[:4] if found else None


def recogniser(column: Column) -> Recogniser | None:
    """How ``column`` recognises values a mapping does not list; None when it does not."""
    if column.name == "ethnic_category":
        words = _code_words(column)

        def ethnic(text: str) -> str | None:
            return ethnic_category(text) or words.get(norm(text))

        return ethnic
    if isinstance(column.type, Code):
        return _from_table(_code_words(column))
    if isinstance(column.type, Boolean):
        return _from_table(BOOLEAN_WORDS)
    if isinstance(column.type, Date):
        return date_text
    if column.name == "birth_year":
        return birth_year
    return None
