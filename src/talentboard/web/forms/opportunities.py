"""The opportunity form."""

from __future__ import annotations

from talentboard import vocab
from talentboard.reference import frameworks
from talentboard.web.forms.base import Field, choices_of
from talentboard.web.presenters.formatting import label


def _domain_choices() -> tuple[tuple[str, str], ...]:
    seen: dict[str, str] = {}
    for fw in frameworks().values():
        for d in fw.domains:
            seen.setdefault(d.code, f"{d.name} ({fw.name})")
    return tuple(seen.items())


def opportunity_fields(
    host_choices: tuple[tuple[str, str], ...], *, new: bool
) -> tuple[Field, ...]:
    identity = (
        (
            Field(
                "opportunity_id",
                "Opportunity ID",
                required=True,
                max_length=64,
                hint="A stable identifier, for example OPP-2026-014.",
                width="nhsuk-input--width-20",
            ),
        )
        if new
        else ()
    )
    return (
        *identity,
        Field("title", "Title", required=True, max_length=200),
        Field(
            "kind",
            "Kind",
            "radios",
            required=True,
            choices=choices_of(vocab.OPPORTUNITY_KINDS, label),
        ),
        Field("host_ods_code", "Host organisation", "select", required=True, choices=host_choices),
        Field(
            "develops", "What it develops", "checkboxes", required=True, choices=_domain_choices()
        ),
        Field(
            "levels",
            "Levels it is open to",
            "checkboxes",
            required=True,
            choices=choices_of(vocab.POST_LEVELS, label),
        ),
        Field("capacity", "Places", "integer", required=True, minimum=1, maximum=10_000),
        Field("starts_on", "Starts", "date"),
        Field("ends_on", "Ends", "date"),
        Field(
            "status",
            "Status",
            "radios",
            required=True,
            choices=choices_of(vocab.OPPORTUNITY_STATUSES, label),
        ),
        Field("description", "Description", "textarea", max_length=4000),
    )
