"""Forms for a person's talent record: profile and aspirations, readiness reviews,
career conversations and their development actions, assessments and self-assessment.

Each is a record kind (``web.records``): declared here, served by the shared handlers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from talentboard.db.models import (
    Assessment,
    CareerConversation,
    DevelopmentAction,
    Person,
    ReadinessReview,
    TalentProfile,
)
from talentboard.reference import Framework, frameworks
from talentboard.web.forms.base import Field, FormResult
from talentboard.web.forms.talent import (
    ACTION_FIELDS,
    ASPIRATION_FIELDS,
    CONVERSATION_FIELDS,
    NO_CHANCE,
    PROFILE_FIELDS,
    READINESS_FIELDS,
    assessment_fields,
    rating_fields,
    score_field_name,
)
from talentboard.web.permissions import (
    Capability,
    NotFoundError,
    own_person,
    talent_editable_person,
)
from talentboard.web.person_records import profile_of
from talentboard.web.presenters.formatting import full_name
from talentboard.web.records import (
    AuditEntry,
    Edit,
    FormError,
    Imported,
    Page,
    RecordKind,
    mount,
)

router = APIRouter(prefix="/people", include_in_schema=False)


# What every record about a person shares: found in the editor's scope, their name as the
# page's caption, a link back to their record, the audit event on the person.


def _talent_editable(edit: Edit) -> Person:
    return talent_editable_person(edit.session, edit.principal, edit.path["person_id"])


def _own(edit: Edit) -> Person:
    return own_person(edit.session, edit.principal, edit.path["person_id"])


def _person_page(title: str, lede: str | None = None) -> Callable[[Edit], Page]:
    def page(edit: Edit) -> Page:
        person: Person = edit.parent
        return Page(
            title=title,
            caption=full_name(person.given_name, person.family_name),
            back={"href": f"/people/{person.person_id}", "text": "Back to the record"},
            lede=lede,
        )

    return page


def _on_person(record: str, **detail: Any) -> Callable[[Edit, str, Any], AuditEntry]:
    def entry(edit: Edit, action: str, _saved: Any) -> AuditEntry:
        return AuditEntry("person", edit.parent.person_id, {"record": record, **detail})

    return entry


def _to_person(edit: Edit, _saved: Any) -> str:
    return f"/people/{edit.parent.person_id}"


def _fields(fields: tuple[Field, ...]) -> Callable[[Edit], tuple[Field, ...]]:
    return lambda edit: fields


def _of_person(kind: str) -> Imported:
    """The record is one row of import ``kind``, naming the person by their ID."""
    return Imported(kind, lambda edit, values: [{"person_id": edit.parent.person_id, **values}])


# Talent profile (talent leads and administrators) and aspirations (the person themselves):
# one profile per person, made by the first save.


def _profile_kind(
    noun: str,
    capability: Capability,
    path: str,
    scope: Callable[[Edit], Person],
    fields: tuple[Field, ...],
    title: str,
) -> RecordKind[TalentProfile]:
    return RecordKind[TalentProfile](
        noun=noun,
        capability=capability,
        edit_path=path,
        scope=scope,
        find=lambda edit: profile_of(edit.session, edit.parent),
        fields=_fields(fields),
        page=_person_page(title),
        create=lambda edit, values: edit.add(TalentProfile(person_ref=edit.parent.id, **values)),
        audit=_on_person("talent profile"),
        done=_to_person,
    )


PROFILE = _profile_kind(
    "talent profile",
    Capability.EDIT_TALENT,
    "/{person_id}/profile",
    _talent_editable,
    PROFILE_FIELDS,
    "Talent profile",
)
ASPIRATIONS = _profile_kind(
    "aspirations",
    Capability.EDIT_OWN_RECORD,
    "/{person_id}/aspirations",
    _own,
    ASPIRATION_FIELDS,
    "Your aspirations",
)


# Readiness reviews: each review is kept, so a new one is added rather than edited.


def _check_readiness(edit: Edit, result: FormResult) -> None:
    if not result.ok:
        return
    profile = profile_of(edit.session, edit.parent)
    duplicate = profile is not None and edit.session.scalar(
        select(ReadinessReview.id).where(
            ReadinessReview.profile_ref == profile.id,
            ReadinessReview.target_role_code == result.values["target_role_code"],
            ReadinessReview.reviewed_on == result.values["reviewed_on"],
        )
    )
    if duplicate:
        result.errors["reviewed_on"] = (
            "A review for this target role on this date is already recorded: choose another date"
        )


def _create_readiness(edit: Edit, values: dict[str, Any]) -> ReadinessReview:
    profile = profile_of(edit.session, edit.parent)
    if profile is None:
        profile = TalentProfile(person_ref=edit.parent.id, willing_regions=[], programmes=[])
        edit.session.add(profile)
        edit.session.flush()
    return edit.add(ReadinessReview(profile_ref=profile.id, **values))


READINESS = RecordKind[ReadinessReview](
    noun="readiness review",
    capability=Capability.EDIT_TALENT,
    new_path="/{person_id}/readiness/new",
    scope=_talent_editable,
    fields=_fields(READINESS_FIELDS),
    page=_person_page("Record a readiness review"),
    check=_check_readiness,
    imported=_of_person("talent"),
    create=_create_readiness,
    audit=_on_person("readiness review"),
    done=_to_person,
)


# Career conversations and development actions.


def _conversation(session: Session, person: Person, ref: int) -> CareerConversation:
    conversation = session.get(CareerConversation, ref)
    if conversation is None or conversation.person_ref != person.id:
        raise NotFoundError
    return conversation


def _check_conversation(edit: Edit, result: FormResult) -> None:
    """One conversation per person and date."""
    if not result.ok:
        return
    found = edit.session.scalar(
        select(CareerConversation.id).where(
            CareerConversation.person_ref == edit.parent.id,
            CareerConversation.held_on == result.values["held_on"],
        )
    )
    if found is not None and (edit.record is None or found != edit.record.id):
        result.errors["held_on"] = "A conversation on this date is already recorded"


CONVERSATION = RecordKind[CareerConversation](
    noun="career conversation",
    capability=Capability.EDIT_TALENT,
    new_path="/{person_id}/conversations/new",
    edit_path="/{person_id}/conversations/{ref}/edit",
    scope=_talent_editable,
    find=lambda edit: _conversation(edit.session, edit.parent, edit.path["ref"]),
    fields=_fields(CONVERSATION_FIELDS),
    page=_person_page(
        "Career conversation",
        lede=(
            "Scope for Growth: where the person sits on impact and growth, and the growth "
            "they want."
        ),
    ),
    check=_check_conversation,
    imported=_of_person("conversations"),
    create=lambda edit, values: edit.add(CareerConversation(person_ref=edit.parent.id, **values)),
    audit=_on_person("career conversation"),
    done=_to_person,
)


def _person_with_conversation(edit: Edit) -> Person:
    person = _talent_editable(edit)
    edit.found["conversation"] = _conversation(edit.session, person, edit.path["ref"])
    return person


def _action_row(edit: Edit, values: dict[str, Any]) -> list[dict[str, Any]]:
    """An action is a row of the conversations import: its conversation's columns, then
    the action's."""
    held: CareerConversation = edit.found["conversation"]
    conversation = {f.name: getattr(held, f.name) for f in CONVERSATION_FIELDS}
    return [{"person_id": edit.parent.person_id, **conversation, **values}]


ACTION = RecordKind[DevelopmentAction](
    noun="development action",
    capability=Capability.EDIT_TALENT,
    new_path="/{person_id}/conversations/{ref}/actions/new",
    scope=_person_with_conversation,
    fields=_fields(ACTION_FIELDS),
    initial=lambda edit: {"status": "planned"},
    page=_person_page("Add a development action"),
    imported=Imported("conversations", _action_row),
    create=lambda edit, values: edit.add(
        DevelopmentAction(conversation_ref=edit.path["ref"], **values)
    ),
    audit=_on_person("development action"),
    done=_to_person,
)


# Assessments: a round of ratings against one framework; self-assessment by the person.


DEFAULT_FRAMEWORK = "lcf2024"


def _framework(code: str | None) -> Framework:
    """The framework named in the address (the board Leadership Competency Framework when
    none is named)."""
    found = frameworks().get(code or DEFAULT_FRAMEWORK)
    if found is None:
        raise NotFoundError
    return found


def _round_framework(edit: Edit) -> Framework:
    return _framework(edit.query("framework"))


def _score(chosen: str) -> int | None:
    return None if chosen == NO_CHANCE else int(chosen)


def _round(edit: Edit, values: dict[str, Any]) -> list[dict[str, Any]]:
    """A round of ratings as rows of the assessments import: one per domain. A
    self-assessment's form does not ask who rated."""
    fw = _round_framework(edit)
    return [
        {
            "framework": fw.code,
            "domain_code": domain.code,
            "rater_relation": values.get("rater_relation", "self"),
            "rater_id": values.get("rater_id") or "",
            "score": _score(values.get(score_field_name(domain.code)) or NO_CHANCE),
            "assessed_on": values.get("assessed_on"),
        }
        for domain in fw.domains
    ]


def _round_rows(edit: Edit, values: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"person_id": edit.parent.person_id, **r} for r in _round(edit, values)]


def _save_ratings(edit: Edit, values: dict[str, Any], clash: str) -> Framework:
    """Add one rating per domain of the round's framework, or FormError when the round is
    already recorded."""
    try:
        with edit.session.begin_nested():
            for rating in _round(edit, values):
                edit.session.add(Assessment(person_ref=edit.parent.id, **rating))
            edit.session.flush()
    except IntegrityError as exc:
        raise FormError("assessed_on", clash) from exc
    return _round_framework(edit)


def _assessment_page(edit: Edit) -> Page:
    fw = _round_framework(edit)
    page = _person_page(f"Assessment: {fw.name}")(edit)
    return Page(
        title=page.title,
        caption=page.caption,
        back=page.back,
        action=f"{edit.address}?framework={fw.code}",
    )


def _round_audit(record: str) -> Callable[[Edit, str, Framework], AuditEntry]:
    def entry(edit: Edit, action: str, fw: Framework) -> AuditEntry:
        return _on_person(record, framework=fw.code)(edit, action, fw)

    return entry


def _round_kind(
    noun: str,
    capability: Capability,
    path: str,
    scope: Callable[[Edit], Person],
    clash: str,
) -> RecordKind[Framework]:
    """A form recording a round of ratings: one against each domain of a framework."""
    own = capability is Capability.EDIT_OWN_RECORD
    return RecordKind[Framework](
        noun=noun,
        capability=capability,
        new_path=path,
        scope=scope,
        fields=lambda edit: assessment_fields(_round_framework(edit), self_assessment=own),
        initial=lambda edit: {"assessed_on": dt.date.today()} if own else {},
        page=_assessment_page,
        imported=Imported("assessments", _round_rows),
        create=lambda edit, values: _save_ratings(edit, values, clash),
        audit=_round_audit(noun),
        done=_to_person,
    )


ASSESSMENT = _round_kind(
    "assessment",
    Capability.EDIT_TALENT,
    "/{person_id}/assessments/new",
    _talent_editable,
    "This rater's assessment on this date is already recorded: change a rating instead",
)
SELF_ASSESSMENT = _round_kind(
    "self-assessment",
    Capability.EDIT_OWN_RECORD,
    "/{person_id}/self-assessment",
    _own,
    "You have already recorded a self-assessment on this date: choose another date",
)


# One rating of a round, changed on its own.


def _rating(edit: Edit) -> Assessment:
    rating = edit.session.get(Assessment, edit.path["ref"])
    if rating is None or rating.person_ref != edit.parent.id:
        raise NotFoundError
    return rating


def _rating_row(edit: Edit, values: dict[str, Any]) -> dict[str, Any]:
    rating: Assessment = edit.record
    return {
        "person_id": edit.parent.person_id,
        "framework": rating.framework,
        "domain_code": rating.domain_code,
        "rater_relation": rating.rater_relation,
        "rater_id": rating.rater_id,
        "score": _score(values.get("score") or NO_CHANCE),
        "assessed_on": rating.assessed_on,
    }


def _rating_page(edit: Edit) -> Page:
    rating: Assessment = edit.record
    fw = _framework(rating.framework)
    domain = {d.code: d.name for d in fw.domains}.get(rating.domain_code, rating.domain_code)
    return _person_page(f"Change a rating: {domain}")(edit)


RATING = RecordKind[Assessment](
    noun="assessment rating",
    capability=Capability.EDIT_TALENT,
    edit_path="/{person_id}/assessments/{ref}/edit",
    scope=_talent_editable,
    find=_rating,
    fields=lambda edit: rating_fields(_framework(edit.record.framework)),
    values=lambda edit, rating: {"score": NO_CHANCE if rating.score is None else str(rating.score)},
    changes=lambda edit, values: {"score": _score(values["score"])},
    imported=Imported("assessments", lambda edit, values: [_rating_row(edit, values)]),
    page=_rating_page,
    audit=_on_person("assessment rating"),
    done=_to_person,
)


for record_kind in (
    PROFILE,
    ASPIRATIONS,
    READINESS,
    CONVERSATION,
    ACTION,
    ASSESSMENT,
    SELF_ASSESSMENT,
    RATING,
):
    mount(router, record_kind)
