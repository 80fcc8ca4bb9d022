"""Forms for talent management: profile, readiness, conversations, plans, assessments,
succession entries."""

from __future__ import annotations

from talentboard import vocab
from talentboard.reference import Framework, programmes, regions, roles
from talentboard.web.forms.base import Field, choices_of
from talentboard.web.presenters.formatting import label

REGION_CHOICES = tuple((r.code, r.name) for r in regions())
ROLE_CHOICES = tuple((r.code, r.label) for r in roles())
AXIS_CHOICES = choices_of(vocab.AXIS_LEVELS, label)

ASPIRATION_FIELDS = (
    Field(
        "willing_regions",
        "Regions you would work in",
        "checkboxes",
        choices=REGION_CHOICES,
        hint="Leave all unticked to mean the region of your own organisation.",
    ),
    Field(
        "cross_org_consent",
        "Can you be considered for opportunities in other organisations?",
        "boolean",
        required=True,
    ),
    Field(
        "timeframe",
        "When would you like your next move?",
        max_length=40,
        hint="For example, within 2 years",
    ),
)

PROFILE_FIELDS = (
    *ASPIRATION_FIELDS[:1],
    Field(
        "cross_org_consent",
        "Consent to be considered across organisations",
        "boolean",
        required=True,
    ),
    Field("timeframe", "Timeframe for the next move", max_length=40),
    Field("impact", "Talent review: impact", "radios", choices=AXIS_CHOICES),
    Field("growth", "Talent review: growth", "radios", choices=AXIS_CHOICES),
    Field(
        "programmes",
        "Programmes attended",
        "checkboxes",
        choices=tuple((p.code, p.name) for p in programmes()),
    ),
    Field("reviewed_on", "Date of the talent review", "date"),
)

READINESS_FIELDS = (
    Field("target_role_code", "Target role", "select", required=True, choices=ROLE_CHOICES),
    Field(
        "readiness",
        "Readiness",
        "radios",
        required=True,
        choices=choices_of(vocab.READINESS, label),
    ),
    Field("reviewed_on", "Date of the review", "date", required=True),
)

CONVERSATION_FIELDS = (
    Field("held_on", "Date of the conversation", "date", required=True),
    Field("held_with", "Held with", max_length=200, hint="Who led the conversation"),
    Field("impact", "Where the person sits on impact", "radios", choices=AXIS_CHOICES),
    Field("growth", "Where the person sits on growth", "radios", choices=AXIS_CHOICES),
    Field(
        "growth_wanted",
        "Growth the person wants",
        "radios",
        choices=(
            ("depth", "Depth: grow in the current role"),
            ("breadth", "Breadth: a sideways move for new experience"),
            ("stretch", "Stretch: a bigger role"),
        ),
    ),
    Field("summary", "Summary", "textarea", max_length=4000),
)

ACTION_FIELDS = (
    Field("action", "Development action", "textarea", required=True, max_length=1000),
    Field(
        "opportunity_kind",
        "Kind of opportunity",
        "select",
        choices=choices_of(vocab.OPPORTUNITY_KINDS, label),
    ),
    Field(
        "programme_code",
        "Programme",
        "select",
        choices=tuple((p.code, p.name) for p in programmes()),
    ),
    Field("due_on", "Due by", "date"),
    Field(
        "status",
        "Status",
        "radios",
        required=True,
        choices=choices_of(vocab.PLAN_ACTION_STATUSES, label),
    ),
)


def score_field_name(domain_code: str) -> str:
    return f"score_{domain_code}"


NO_CHANCE = "none"


def assessment_fields(fw: Framework, *, self_assessment: bool) -> tuple[Field, ...]:
    """The assessment form for one framework: date, rater, a score per domain."""
    scale = tuple((NO_CHANCE if score is None else str(score), text) for score, text in fw.scale)
    rater: tuple[Field, ...] = ()
    if not self_assessment:
        rater = (
            Field(
                "rater_relation",
                "Who gave this rating",
                "radios",
                required=True,
                choices=choices_of(vocab.RATER_RELATIONS, label),
            ),
            Field(
                "rater_id",
                "Rater reference",
                max_length=64,
                hint="Tells apart several raters of one kind, for example peer-2. Optional.",
                width="nhsuk-input--width-10",
            ),
        )
    return (
        Field("assessed_on", "Date of the assessment", "date", required=True),
        *rater,
        *(
            Field(score_field_name(d.code), d.name, "radios", required=True, choices=scale)
            for d in fw.domains
        ),
    )


def rating_fields(fw: Framework) -> tuple[Field, ...]:
    scale = tuple((NO_CHANCE if score is None else str(score), text) for score, text in fw.scale)
    return (Field("score", "Rating", "radios", required=True, choices=scale),)


SUCCESSOR_FIELDS = (
    Field(
        "person_id",
        "Person ID of the successor",
        required=True,
        max_length=64,
        width="nhsuk-input--width-20",
    ),
    Field(
        "readiness",
        "Readiness",
        "radios",
        required=True,
        choices=choices_of(vocab.READINESS, label),
    ),
    Field(
        "emergency_cover",
        "Emergency cover",
        "boolean",
        required=True,
        hint="Could step in at short notice",
    ),
    Field("reviewed_on", "Date of the review", "date", required=True),
)

EDIT_SUCCESSOR_FIELDS = SUCCESSOR_FIELDS[1:]
