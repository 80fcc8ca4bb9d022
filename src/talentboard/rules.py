"""The rules a record keeps between its fields, whichever way it arrives.

A record reaches the database through a web form (``web.records``) or an import
(``ingest``). Both check the same rule objects declared here, so the two paths cannot
disagree: an import row and a form submission with the same values are refused for the same
reason. Each path words the refusal its own way: an import names the file, row, column and
value (``ingest.validate``); a form uses the NHS service manual's pattern
(``form_message``).

The rules of every record kind that has any are the :class:`RecordRules` constants below;
``ingest/kinds`` and the web's record descriptions both take them from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


def _given(value: Any) -> bool:
    return value is not None and value != "" and value != []


@dataclass(frozen=True)
class Order:
    """``second`` is on or after ``first`` when both are given (``strict``: after, never
    on the same day)."""

    first: str
    second: str
    strict: bool = False
    form_message: str = ""

    def broken(self, values: Mapping[str, Any]) -> bool:
        """Whether one record's parsed ``values`` break the rule."""
        first: Any = values.get(self.first)
        second: Any = values.get(self.second)
        if not (_given(first) and _given(second)):
            return False
        return bool(second <= first) if self.strict else bool(second < first)

    @property
    def field(self) -> str:
        """The field a broken rule is reported against."""
        return self.second

    @property
    def message(self) -> str:
        relation = "after" if self.strict else "the same as or after"
        return self.form_message or f"{_named(self.second)} must be {relation} {self.first}"


@dataclass(frozen=True)
class Requires:
    """``column`` may only be given when ``needs`` is given too."""

    column: str
    needs: str
    form_message: str = ""

    def broken(self, values: Mapping[str, Any]) -> bool:
        return _given(values.get(self.column)) and not _given(values.get(self.needs))

    @property
    def field(self) -> str:
        return self.column

    @property
    def message(self) -> str:
        return self.form_message or (
            f"Enter {_named(self.needs).lower()}, or leave {self.column} empty"
        )


def _named(name: str) -> str:
    return name.replace("_", " ").capitalize()


Rule = Order | Requires


@dataclass(frozen=True)
class RecordRules:
    """The rules between the fields of one record kind."""

    orders: tuple[Order, ...] = ()
    requires: tuple[Requires, ...] = ()

    @property
    def all(self) -> tuple[Rule, ...]:
        return (*self.orders, *self.requires)

    def broken(self, values: Mapping[str, Any]) -> dict[str, str]:
        """The form message of each broken rule, by the field it is reported against."""
        found: dict[str, str] = {}
        for rule in self.all:
            if rule.field not in found and rule.broken(values):
                found[rule.field] = rule.message
        return found


ORGANISATION = RecordRules(orders=(Order("opened_on", "closed_on"),))

POST = RecordRules(orders=(Order("established_from", "established_to", strict=True),))

APPOINTMENT = RecordRules(
    orders=(
        Order(
            "start_date",
            "end_date",
            form_message="End date must be the same as or after the start date",
        ),
    ),
    requires=(
        Requires(
            "end_reason",
            "end_date",
            form_message="Enter an end date, or leave the reason for leaving empty",
        ),
    ),
)

OPPORTUNITY = RecordRules(
    orders=(
        Order(
            "starts_on",
            "ends_on",
            form_message="The end date must be the same as or after the start date",
        ),
    ),
)

# A conversation's development action: what describes the action needs the action.
DEVELOPMENT_ACTION = RecordRules(
    requires=(
        Requires("opportunity_kind", "action"),
        Requires("programme_code", "action"),
        Requires("due_on", "action"),
        Requires("status", "action"),
    ),
)

FPPT_CHECK = RecordRules(orders=(Order("checked_on", "next_due_on"),))

APPRAISAL = RecordRules(
    orders=(
        Order("period_start", "period_end", strict=True),
        Order("period_start", "appraised_on"),
    ),
)

INDICATOR_VALUE = RecordRules(orders=(Order("period_start", "period_end"),))
