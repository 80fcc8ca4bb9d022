"""A form field and the import column of the same name accept the same values.

Every web form whose record is a row of an import kind is compared, field by field, with
that kind's columns: the same codes to choose from, the same longest text, the same bounds
on a number, a date for a date, and a value the import requires is one the form requires
(a value the form requires and the import does not, the import fills with its default).
So a record saved through the form can be exported and imported again, and a record
imported can be changed through its form.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from talentboard.ingest.cells import Boolean, Code, CodeList, Date, Fraction, Integer, Text
from talentboard.ingest.kinds import get_kind
from talentboard.ingest.schema import Column
from talentboard.web.forms.base import Field
from talentboard.web.forms.opportunities import opportunity_fields
from talentboard.web.forms.register import APPOINTMENT_FIELDS, NEW_PERSON_FIELDS
from talentboard.web.forms.talent import (
    ACTION_FIELDS,
    ASPIRATION_FIELDS,
    CONVERSATION_FIELDS,
    PROFILE_FIELDS,
    READINESS_FIELDS,
    SUCCESSOR_FIELDS,
)

HOSTS = (("R1H", "Barts Health NHS Trust (R1H)"),)
# A talent profile is not a row of the talent import (whose rows are readiness reviews),
# but the person's willing regions and consent are the same values in both.
PERSON_WIDE = ("willing_regions", "cross_org_consent")

FORMS: dict[str, tuple[Sequence[Field], str]] = {
    "person": (NEW_PERSON_FIELDS, "people"),
    "appointment": (APPOINTMENT_FIELDS, "appointments"),
    "readiness review": (READINESS_FIELDS, "talent"),
    "talent profile": (tuple(f for f in PROFILE_FIELDS if f.name in PERSON_WIDE), "talent"),
    "aspirations": (tuple(f for f in ASPIRATION_FIELDS if f.name in PERSON_WIDE), "talent"),
    "career conversation": (CONVERSATION_FIELDS, "conversations"),
    "development action": (ACTION_FIELDS, "conversations"),
    "successor": (SUCCESSOR_FIELDS, "succession"),
    "opportunity": (opportunity_fields(HOSTS, new=True), "opportunities"),
}

# Where a form rightly differs from its import: the host is chosen from the organisations
# the editor manages (the import checks the host against the database and the importer's
# scope).
CHOSEN_FROM_SCOPE = {("opportunity", "host_ods_code")}


def disagreements(field: Field, column: Column) -> list[str]:
    kind = column.type
    found: list[str] = []
    if field.kind in ("select", "radios", "checkboxes"):
        expected = CodeList if field.kind == "checkboxes" else Code
        if not isinstance(kind, expected):
            return [f"a {field.kind} field but a {type(kind).__name__} column"]
        if {code for code, _ in field.choices} != set(kind.values):
            found.append("offers other codes than the import accepts")
    elif field.kind == "boolean" and not isinstance(kind, Boolean):
        found.append(f"a yes/no field but a {type(kind).__name__} column")
    elif field.kind == "date" and not isinstance(kind, Date):
        found.append(f"a date field but a {type(kind).__name__} column")
    elif field.kind == "integer":
        if not isinstance(kind, Integer):
            return [f"a whole-number field but a {type(kind).__name__} column"]
        if (field.minimum, field.maximum) != (kind.minimum, kind.maximum):
            found.append(
                f"bounds {field.minimum}-{field.maximum}, import {kind.minimum}-{kind.maximum}"
            )
    elif field.kind == "fraction" and not isinstance(kind, Fraction):
        found.append(f"a fraction field but a {type(kind).__name__} column")
    elif field.kind in ("text", "textarea"):
        if not isinstance(kind, Text):
            return [f"a text field but a {type(kind).__name__} column"]
        if field.max_length != kind.max_length:
            found.append(f"at most {field.max_length} characters, import {kind.max_length}")
    if column.required and not field.required:
        found.append("the import requires a value the form does not")
    if field.required and not column.required and column.when_empty is None:
        found.append("the form requires a value the import leaves empty")
    return found


@pytest.mark.parametrize("form", FORMS)
def test_a_form_and_its_import_accept_the_same_values(form: str) -> None:
    fields, kind_name = FORMS[form]
    kind = get_kind(kind_name)
    problems = [
        f"{form}.{field.name}: {problem}"
        for field in fields
        if field.name in kind.column_names and (form, field.name) not in CHOSEN_FROM_SCOPE
        for problem in disagreements(field, kind.column(field.name))
    ]
    assert not problems, "\n".join(problems)


def test_the_fields_compared_are_most_of_each_form() -> None:
    """A renamed field would silently leave the comparison: every form shares at least
    half its fields with its import's columns."""
    for form, (fields, kind_name) in FORMS.items():
        names = get_kind(kind_name).column_names
        shared = [f for f in fields if f.name in names]
        assert len(shared) * 2 >= len(fields), form
