"""The administration forms: a new user."""

from __future__ import annotations

from talentboard import vocab
from talentboard.reference import regions
from talentboard.web.forms.base import Field, choices_of
from talentboard.web.presenters.formatting import label

USER_FIELDS = (
    Field("username", "Username", required=True, max_length=100),
    Field("role", "Role", "radios", required=True, choices=choices_of(vocab.USER_ROLES, label)),
    Field(
        "region_code",
        "Region",
        "select",
        choices=tuple((r.code, r.name) for r in regions()),
        hint="Needed for a regional talent lead; limits a board viewer to one region.",
    ),
    Field(
        "ods_code",
        "Organisation ODS code",
        hint="Needed for an organisation administrator, for example RJ1.",
        max_length=12,
        width="nhsuk-input--width-10",
    ),
    Field(
        "person_id",
        "Person ID",
        hint="Needed for an individual: the person record they may see and edit.",
        max_length=64,
        width="nhsuk-input--width-20",
    ),
    Field(
        "email",
        "Email address",
        hint=(
            "For single sign-on: the address your organisation's sign-in service holds for "
            "the user. Leave the password empty if they only sign in that way."
        ),
        max_length=254,
        width="nhsuk-input--width-30",
    ),
    Field(
        "password",
        "Password",
        "password",
        hint="At least 12 characters. Give it to the user by a separate, secure route.",
    ),
)
