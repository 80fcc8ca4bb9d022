"""Forms for a person's talent record: profile and aspirations, readiness reviews,
career conversations and their development actions, assessments and self-assessment."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
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
from talentboard.web.deps import FormDep, SessionDep, requires
from talentboard.web.editing import STALE_MESSAGE, StaleEditError, parse_version, save_edit
from talentboard.web.forms.base import Field, FormResult, parse_form, raw_from_values
from talentboard.web.forms.pages import form_page
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
    Principal,
    own_person,
    talent_editable_person,
)
from talentboard.web.person_records import audit_person, profile_of
from talentboard.web.presenters.formatting import full_name

router = APIRouter(prefix="/people", include_in_schema=False)

TalentEditor = Annotated[Principal, Depends(requires(Capability.EDIT_TALENT))]
Owner = Annotated[Principal, Depends(requires(Capability.EDIT_OWN_RECORD))]


def _back(person: Person) -> dict[str, str]:
    return {"href": f"/people/{person.person_id}", "text": "Back to the record"}


def _person_form(request: Request, person: Person, **page: Any) -> Response:
    """A form page about ``person``: their name as the caption, a link back to the record."""
    return form_page(
        request,
        caption=full_name(person.given_name, person.family_name),
        back=_back(person),
        **page,
    )


def _done(person: Person) -> Response:
    return RedirectResponse(f"/people/{person.person_id}", status_code=303)


def _stale(fields: tuple[Field, ...], record: Any) -> tuple[dict[str, Any], FormResult]:
    values = {f.name: getattr(record, f.name, None) for f in fields}
    return raw_from_values(fields, values), FormResult(errors={"version": STALE_MESSAGE})


# Talent profile (talent leads and administrators) and aspirations (the person themselves).


def _profile_form(
    request: Request,
    person: Person,
    fields: tuple[Field, ...],
    action: str,
    raw: dict[str, Any],
    version: int | None,
    result: FormResult | None = None,
    status: int = 200,
) -> Response:
    own = action.endswith("/aspirations")
    return _person_form(
        request,
        person,
        title="Your aspirations" if own else "Talent profile",
        action=action,
        fields=fields,
        raw=raw,
        result=result,
        version=version,
        status=status,
    )


def _edit_profile(
    request: Request, session: Session, person: Person, fields: tuple[Field, ...], action: str
) -> Response:
    profile = profile_of(session, person)
    if profile is None:
        return _profile_form(request, person, fields, action, raw_from_values(fields, {}), None)
    values = {f.name: getattr(profile, f.name) for f in fields}
    return _profile_form(
        request, person, fields, action, raw_from_values(fields, values), profile.version
    )


def _save_profile(
    request: Request,
    session: Session,
    principal: Principal,
    person: Person,
    fields: tuple[Field, ...],
    action: str,
    form: Any,
) -> Response:
    profile = profile_of(session, person)
    result = parse_form(fields, form)
    if not result.ok:
        version = profile.version if profile else None
        return _profile_form(request, person, fields, action, result.raw, version, result, 400)
    if profile is None:
        profile = TalentProfile(person_ref=person.id, **result.values)
        session.add(profile)
        session.flush()
        audit_person(
            session, request, principal, "create", person.person_id, record="talent profile"
        )
    else:
        try:
            save_edit(session, profile, parse_version(form.get("version")), result.values)
        except StaleEditError:
            raw, stale = _stale(fields, profile)
            return _profile_form(request, person, fields, action, raw, profile.version, stale, 409)
        audit_person(
            session, request, principal, "update", person.person_id, record="talent profile"
        )
    session.commit()
    return _done(person)


@router.get("/{person_id}/profile", response_class=HTMLResponse)
def edit_profile(
    request: Request, person_id: str, session: SessionDep, principal: TalentEditor
) -> Response:
    person = talent_editable_person(session, principal, person_id)
    return _edit_profile(request, session, person, PROFILE_FIELDS, f"/people/{person_id}/profile")


@router.post("/{person_id}/profile", response_class=HTMLResponse)
def save_profile(
    request: Request, person_id: str, session: SessionDep, principal: TalentEditor, form: FormDep
) -> Response:
    person = talent_editable_person(session, principal, person_id)
    return _save_profile(
        request, session, principal, person, PROFILE_FIELDS, f"/people/{person_id}/profile", form
    )


@router.get("/{person_id}/aspirations", response_class=HTMLResponse)
def edit_aspirations(
    request: Request, person_id: str, session: SessionDep, principal: Owner
) -> Response:
    person = own_person(session, principal, person_id)
    return _edit_profile(
        request, session, person, ASPIRATION_FIELDS, f"/people/{person_id}/aspirations"
    )


@router.post("/{person_id}/aspirations", response_class=HTMLResponse)
def save_aspirations(
    request: Request, person_id: str, session: SessionDep, principal: Owner, form: FormDep
) -> Response:
    person = own_person(session, principal, person_id)
    return _save_profile(
        request,
        session,
        principal,
        person,
        ASPIRATION_FIELDS,
        f"/people/{person_id}/aspirations",
        form,
    )


# Readiness reviews: each review is kept, so a new one is added rather than edited.


@router.get("/{person_id}/readiness/new", response_class=HTMLResponse)
def new_readiness(
    request: Request, person_id: str, session: SessionDep, principal: TalentEditor
) -> Response:
    person = talent_editable_person(session, principal, person_id)
    return _readiness_form(request, person, raw_from_values(READINESS_FIELDS, {}))


def _readiness_form(
    request: Request,
    person: Person,
    raw: dict[str, Any],
    result: FormResult | None = None,
    status: int = 200,
) -> Response:
    return _person_form(
        request,
        person,
        title="Record a readiness review",
        action=f"/people/{person.person_id}/readiness/new",
        fields=READINESS_FIELDS,
        raw=raw,
        result=result,
        status=status,
    )


@router.post("/{person_id}/readiness/new", response_class=HTMLResponse)
def create_readiness(
    request: Request, person_id: str, session: SessionDep, principal: TalentEditor, form: FormDep
) -> Response:
    person = talent_editable_person(session, principal, person_id)
    result = parse_form(READINESS_FIELDS, form)
    if not result.ok:
        return _readiness_form(request, person, result.raw, result, 400)
    profile = profile_of(session, person)
    if profile is None:
        profile = TalentProfile(person_ref=person.id, willing_regions=[], programmes=[])
        session.add(profile)
        session.flush()
    duplicate = session.scalar(
        select(ReadinessReview.id).where(
            ReadinessReview.profile_ref == profile.id,
            ReadinessReview.target_role_code == result.values["target_role_code"],
            ReadinessReview.reviewed_on == result.values["reviewed_on"],
        )
    )
    if duplicate is not None:
        result.errors["reviewed_on"] = (
            "A review for this target role on this date is already recorded: choose another date"
        )
        return _readiness_form(request, person, result.raw, result, 400)
    session.add(ReadinessReview(profile_ref=profile.id, **result.values))
    session.flush()
    audit_person(session, request, principal, "create", person_id, record="readiness review")
    session.commit()
    return _done(person)


# Career conversations and development actions.


def _conversation_form(
    request: Request,
    person: Person,
    action: str,
    raw: dict[str, Any],
    version: int | None = None,
    result: FormResult | None = None,
    status: int = 200,
) -> Response:
    return _person_form(
        request,
        person,
        title="Career conversation",
        lede=(
            "Scope for Growth: where the person sits on impact and growth, and the growth "
            "they want."
        ),
        action=action,
        fields=CONVERSATION_FIELDS,
        raw=raw,
        result=result,
        version=version,
        status=status,
    )


def _conversation(session: Session, person: Person, ref: int) -> CareerConversation:
    conversation = session.get(CareerConversation, ref)
    if conversation is None or conversation.person_ref != person.id:
        raise NotFoundError
    return conversation


def _conversation_clash(
    session: Session, person: Person, held_on: dt.date, ref: int | None
) -> bool:
    found = session.scalar(
        select(CareerConversation.id).where(
            CareerConversation.person_ref == person.id, CareerConversation.held_on == held_on
        )
    )
    return found is not None and found != ref


@router.get("/{person_id}/conversations/new", response_class=HTMLResponse)
def new_conversation(
    request: Request, person_id: str, session: SessionDep, principal: TalentEditor
) -> Response:
    person = talent_editable_person(session, principal, person_id)
    return _conversation_form(
        request,
        person,
        f"/people/{person_id}/conversations/new",
        raw_from_values(CONVERSATION_FIELDS, {}),
    )


@router.post("/{person_id}/conversations/new", response_class=HTMLResponse)
def create_conversation(
    request: Request, person_id: str, session: SessionDep, principal: TalentEditor, form: FormDep
) -> Response:
    person = talent_editable_person(session, principal, person_id)
    action = f"/people/{person_id}/conversations/new"
    result = parse_form(CONVERSATION_FIELDS, form)
    if result.ok and _conversation_clash(session, person, result.values["held_on"], None):
        result.errors["held_on"] = "A conversation on this date is already recorded"
    if not result.ok:
        return _conversation_form(request, person, action, result.raw, None, result, 400)
    session.add(CareerConversation(person_ref=person.id, **result.values))
    session.flush()
    audit_person(session, request, principal, "create", person_id, record="career conversation")
    session.commit()
    return _done(person)


@router.get("/{person_id}/conversations/{ref}/edit", response_class=HTMLResponse)
def edit_conversation(
    request: Request, person_id: str, ref: int, session: SessionDep, principal: TalentEditor
) -> Response:
    person = talent_editable_person(session, principal, person_id)
    conversation = _conversation(session, person, ref)
    values = {f.name: getattr(conversation, f.name) for f in CONVERSATION_FIELDS}
    return _conversation_form(
        request,
        person,
        f"/people/{person_id}/conversations/{ref}/edit",
        raw_from_values(CONVERSATION_FIELDS, values),
        conversation.version,
    )


@router.post("/{person_id}/conversations/{ref}/edit", response_class=HTMLResponse)
def save_conversation(
    request: Request,
    person_id: str,
    ref: int,
    session: SessionDep,
    principal: TalentEditor,
    form: FormDep,
) -> Response:
    person = talent_editable_person(session, principal, person_id)
    conversation = _conversation(session, person, ref)
    action = f"/people/{person_id}/conversations/{ref}/edit"
    result = parse_form(CONVERSATION_FIELDS, form)
    if result.ok and _conversation_clash(session, person, result.values["held_on"], ref):
        result.errors["held_on"] = "A conversation on this date is already recorded"
    if not result.ok:
        return _conversation_form(
            request, person, action, result.raw, conversation.version, result, 400
        )
    try:
        save_edit(session, conversation, parse_version(form.get("version")), result.values)
    except StaleEditError:
        raw, stale = _stale(CONVERSATION_FIELDS, conversation)
        return _conversation_form(request, person, action, raw, conversation.version, stale, 409)
    audit_person(session, request, principal, "update", person_id, record="career conversation")
    session.commit()
    return _done(person)


@router.get("/{person_id}/conversations/{ref}/actions/new", response_class=HTMLResponse)
def new_action(
    request: Request, person_id: str, ref: int, session: SessionDep, principal: TalentEditor
) -> Response:
    person = talent_editable_person(session, principal, person_id)
    _conversation(session, person, ref)
    return _action_form(request, person, ref, raw_from_values(ACTION_FIELDS, {"status": "planned"}))


def _action_form(
    request: Request,
    person: Person,
    ref: int,
    raw: dict[str, Any],
    result: FormResult | None = None,
    status: int = 200,
) -> Response:
    return _person_form(
        request,
        person,
        title="Add a development action",
        action=f"/people/{person.person_id}/conversations/{ref}/actions/new",
        fields=ACTION_FIELDS,
        raw=raw,
        result=result,
        status=status,
    )


@router.post("/{person_id}/conversations/{ref}/actions/new", response_class=HTMLResponse)
def create_action(
    request: Request,
    person_id: str,
    ref: int,
    session: SessionDep,
    principal: TalentEditor,
    form: FormDep,
) -> Response:
    person = talent_editable_person(session, principal, person_id)
    _conversation(session, person, ref)
    result = parse_form(ACTION_FIELDS, form)
    if not result.ok:
        return _action_form(request, person, ref, result.raw, result, 400)
    session.add(DevelopmentAction(conversation_ref=ref, **result.values))
    session.flush()
    audit_person(session, request, principal, "create", person_id, record="development action")
    session.commit()
    return _done(person)


# Assessments: a round of ratings against one framework; self-assessment by the person.


DEFAULT_FRAMEWORK = "lcf2024"


def _framework(code: str | None) -> Framework:
    """The framework named in the address (the board Leadership Competency Framework when
    none is named)."""
    found = frameworks().get(code or DEFAULT_FRAMEWORK)
    if found is None:
        raise NotFoundError
    return found


def _assessment_form(
    request: Request,
    person: Person,
    fw: Framework,
    action: str,
    fields: tuple[Field, ...],
    raw: dict[str, Any],
    result: FormResult | None = None,
    status: int = 200,
) -> Response:
    return _person_form(
        request,
        person,
        title=f"Assessment: {fw.name}",
        action=action,
        fields=fields,
        raw=raw,
        result=result,
        status=status,
    )


def _save_ratings(
    session: Session,
    person: Person,
    fw: Framework,
    values: dict[str, Any],
    relation: str,
    rater_id: str,
) -> bool:
    """Add one rating per domain; False (nothing added) when the round is already recorded."""
    try:
        with session.begin_nested():
            for domain in fw.domains:
                raw = values[score_field_name(domain.code)]
                session.add(
                    Assessment(
                        person_ref=person.id,
                        framework=fw.code,
                        domain_code=domain.code,
                        rater_relation=relation,
                        rater_id=rater_id,
                        score=None if raw == NO_CHANCE else int(raw),
                        assessed_on=values["assessed_on"],
                    )
                )
            session.flush()
    except IntegrityError:
        return False
    return True


@router.get("/{person_id}/assessments/new", response_class=HTMLResponse)
def new_assessment(
    request: Request,
    person_id: str,
    session: SessionDep,
    principal: TalentEditor,
    framework: str | None = None,
) -> Response:
    person = talent_editable_person(session, principal, person_id)
    fw = _framework(framework)
    fields = assessment_fields(fw, self_assessment=False)
    return _assessment_form(
        request,
        person,
        fw,
        f"/people/{person_id}/assessments/new?framework={fw.code}",
        fields,
        raw_from_values(fields, {}),
    )


@router.post("/{person_id}/assessments/new", response_class=HTMLResponse)
def create_assessment(
    request: Request,
    person_id: str,
    session: SessionDep,
    principal: TalentEditor,
    form: FormDep,
    framework: str | None = None,
) -> Response:
    person = talent_editable_person(session, principal, person_id)
    fw = _framework(framework)
    fields = assessment_fields(fw, self_assessment=False)
    action = f"/people/{person_id}/assessments/new?framework={fw.code}"
    result = parse_form(fields, form)
    if result.ok and not _save_ratings(
        session,
        person,
        fw,
        result.values,
        result.values["rater_relation"],
        result.values["rater_id"] or "",
    ):
        result.errors["assessed_on"] = (
            "This rater's assessment on this date is already recorded: change a rating instead"
        )
    if not result.ok:
        return _assessment_form(request, person, fw, action, fields, result.raw, result, 400)
    audit_person(
        session, request, principal, "create", person_id, record="assessment", framework=fw.code
    )
    session.commit()
    return _done(person)


@router.get("/{person_id}/self-assessment", response_class=HTMLResponse)
def new_self_assessment(
    request: Request,
    person_id: str,
    session: SessionDep,
    principal: Owner,
    framework: str | None = None,
) -> Response:
    person = own_person(session, principal, person_id)
    fw = _framework(framework)
    fields = assessment_fields(fw, self_assessment=True)
    return _assessment_form(
        request,
        person,
        fw,
        f"/people/{person_id}/self-assessment?framework={fw.code}",
        fields,
        raw_from_values(fields, {"assessed_on": dt.date.today()}),
    )


@router.post("/{person_id}/self-assessment", response_class=HTMLResponse)
def create_self_assessment(
    request: Request,
    person_id: str,
    session: SessionDep,
    principal: Owner,
    form: FormDep,
    framework: str | None = None,
) -> Response:
    person = own_person(session, principal, person_id)
    fw = _framework(framework)
    fields = assessment_fields(fw, self_assessment=True)
    action = f"/people/{person_id}/self-assessment?framework={fw.code}"
    result = parse_form(fields, form)
    if result.ok and not _save_ratings(session, person, fw, result.values, "self", ""):
        result.errors["assessed_on"] = (
            "You have already recorded a self-assessment on this date: choose another date"
        )
    if not result.ok:
        return _assessment_form(request, person, fw, action, fields, result.raw, result, 400)
    audit_person(
        session,
        request,
        principal,
        "create",
        person_id,
        record="self-assessment",
        framework=fw.code,
    )
    session.commit()
    return _done(person)


@router.get("/{person_id}/assessments/{ref}/edit", response_class=HTMLResponse)
def edit_rating(
    request: Request, person_id: str, ref: int, session: SessionDep, principal: TalentEditor
) -> Response:
    person = talent_editable_person(session, principal, person_id)
    rating = _rating(session, person, ref)
    fw = _framework(rating.framework)
    return _rating_form(request, person, rating, fw, _rating_raw(rating, fw))


def _rating(session: Session, person: Person, ref: int) -> Assessment:
    rating = session.get(Assessment, ref)
    if rating is None or rating.person_ref != person.id:
        raise NotFoundError
    return rating


def _rating_raw(rating: Assessment, fw: Framework) -> dict[str, Any]:
    value = NO_CHANCE if rating.score is None else str(rating.score)
    return raw_from_values(rating_fields(fw), {"score": value})


def _rating_form(
    request: Request,
    person: Person,
    rating: Assessment,
    fw: Framework,
    raw: dict[str, Any],
    result: FormResult | None = None,
    status: int = 200,
) -> Response:
    domain = {d.code: d.name for d in fw.domains}.get(rating.domain_code, rating.domain_code)
    return _person_form(
        request,
        person,
        title=f"Change a rating: {domain}",
        action=f"/people/{person.person_id}/assessments/{rating.id}/edit",
        fields=rating_fields(fw),
        raw=raw,
        result=result,
        version=rating.version,
        status=status,
    )


@router.post("/{person_id}/assessments/{ref}/edit", response_class=HTMLResponse)
def save_rating(
    request: Request,
    person_id: str,
    ref: int,
    session: SessionDep,
    principal: TalentEditor,
    form: FormDep,
) -> Response:
    person = talent_editable_person(session, principal, person_id)
    rating = _rating(session, person, ref)
    fw = _framework(rating.framework)
    result = parse_form(rating_fields(fw), form)
    if not result.ok:
        return _rating_form(request, person, rating, fw, result.raw, result, 400)
    raw = result.values["score"]
    try:
        save_edit(
            session,
            rating,
            parse_version(form.get("version")),
            {"score": None if raw == NO_CHANCE else int(raw)},
        )
    except StaleEditError:
        session.refresh(rating)
        stale = FormResult(errors={"version": STALE_MESSAGE})
        return _rating_form(request, person, rating, fw, _rating_raw(rating, fw), stale, 409)
    audit_person(session, request, principal, "update", person_id, record="assessment rating")
    session.commit()
    return _done(person)
