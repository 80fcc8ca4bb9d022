"""Forms for the register: people and appointments."""

from __future__ import annotations

from talentboard import vocab
from talentboard.reference import ethnic_categories
from talentboard.web.forms.base import Field, choices_of
from talentboard.web.presenters.formatting import label

PERSON_FIELDS = (
    Field("given_name", "Given name", required=True, max_length=100),
    Field("family_name", "Family name", required=True, max_length=100),
    Field("employee_number", "Employee number", max_length=32, width="nhsuk-input--width-10"),
    Field(
        "ethnic_category",
        "Ethnic category",
        "select",
        choices=tuple((e.code, e.label) for e in ethnic_categories()),
        hint="NHS Data Dictionary ethnic category, as the person stated it.",
    ),
    Field("sex", "Sex", "radios", choices=choices_of(vocab.SEXES, label)),
    Field("disability", "Disability", "radios", choices=choices_of(vocab.DISABILITY, label)),
    Field(
        "professional_background",
        "Professional background",
        "select",
        choices=choices_of(vocab.PROFESSIONAL_BACKGROUNDS, label),
    ),
    Field("birth_year", "Year of birth", "integer", minimum=1900, maximum=2100),
)

NEW_PERSON_FIELDS = (
    Field(
        "person_id",
        "Person ID",
        required=True,
        max_length=64,
        hint="A stable identifier, unique across the service, for example P-000123.",
        width="nhsuk-input--width-20",
    ),
    *PERSON_FIELDS,
)

APPOINTMENT_FIELDS = (
    Field(
        "post_id",
        "Post ID",
        required=True,
        max_length=64,
        hint="The post's identifier, as on the organisation's board page.",
        width="nhsuk-input--width-20",
    ),
    Field(
        "appointment_type",
        "Type of appointment",
        "radios",
        required=True,
        choices=choices_of(vocab.APPOINTMENT_TYPES, label),
    ),
    Field("start_date", "Start date", "date", required=True, hint="For example, 1 4 2024"),
    Field("end_date", "End date", "date", hint="Leave empty while the person is in post."),
    Field(
        "end_reason",
        "Reason for leaving",
        "select",
        choices=choices_of(vocab.END_REASONS, label),
    ),
    Field("exit_notes", "Notes from the exit conversation", "textarea", max_length=4000),
)
