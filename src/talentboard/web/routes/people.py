"""A person's page, and the forms for their register record: details and appointments."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from talentboard.db.models import Appointment, Person, Post
from talentboard.reference.expected import expected_frame
from talentboard.talent.assessments import assessment_summary, development_gaps, development_needs
from talentboard.web.deps import FormDep, SessionDep, requires
from talentboard.web.editing import STALE_MESSAGE, StaleEditError, parse_version, save_edit
from talentboard.web.forms.base import FormResult, parse_form, raw_from_values
from talentboard.web.forms.pages import form_page
from talentboard.web.forms.register import APPOINTMENT_FIELDS, NEW_PERSON_FIELDS, PERSON_FIELDS
from talentboard.web.permissions import (
    Capability,
    NotFoundError,
    Principal,
    can,
    editable_person,
    host_in_scope,
    visible_person,
)
from talentboard.web.person_records import (
    appointments_of,
    assessments_frame,
    audit_person,
    conversations_of,
    fppt_checks_of,
    profile_of,
    proposals_of,
    ratings_of,
    readiness_of,
    targets_frame,
)
from talentboard.web.presenters.formatting import full_name
from talentboard.web.presenters.people import (
    APPOINTMENT_HEAD,
    RATING_HEAD,
    appointment_rows,
    assessment_tables,
    conversation_cards,
    details_rows,
    fppt_rows,
    needs_list,
    profile_rows,
    proposal_rows,
    rating_rows,
    readiness_rows,
    table_head,
)
from talentboard.web.templating import render

router = APIRouter(prefix="/people", include_in_schema=False)

Reader = Annotated[Principal, Depends(requires(Capability.SIGNED_IN))]
Editor = Annotated[Principal, Depends(requires(Capability.EDIT_REGISTER))]


NEW_PERSON_FORM = NEW_PERSON_FIELDS + APPOINTMENT_FIELDS[:3]


def _new_person_form(
    request: Request, raw: dict[str, Any], result: FormResult | None = None, status: int = 200
) -> Response:
    return form_page(
        request,
        title="Add a person",
        lede=(
            "Record the person and their current appointment, so the record sits in an "
            "organisation."
        ),
        action="/people/new",
        fields=NEW_PERSON_FORM,
        raw=raw,
        result=result,
        submit="Add person",
        back={"href": "/organisations", "text": "Back to organisations"},
        status=status,
    )


@router.get("/new", response_class=HTMLResponse)
def new_person(request: Request, principal: Editor) -> Response:
    return _new_person_form(request, raw_from_values(NEW_PERSON_FORM, {}))


def _post_in_scope(session: Any, principal: Principal, post_id: str) -> Post | None:
    post: Post | None = session.scalar(select(Post).where(Post.post_id == post_id))
    if post is None or not host_in_scope(session, principal, post.ods_code):
        return None
    return post


@router.post("/new", response_class=HTMLResponse)
def create_person(
    request: Request, session: SessionDep, principal: Editor, form: FormDep
) -> Response:
    result = parse_form(NEW_PERSON_FORM, form)
    values = result.values
    post = None
    if values.get("post_id"):
        post = _post_in_scope(session, principal, values["post_id"])
        if post is None:
            result.errors["post_id"] = "Enter the ID of a post in an organisation you manage"
    if values.get("person_id") and session.scalar(
        select(Person.id).where(Person.person_id == values["person_id"])
    ):
        result.errors["person_id"] = "A person with this ID already exists: choose another ID"
    if not result.ok or post is None:
        return _new_person_form(request, result.raw, result, status=400)
    person = Person(
        person_id=values["person_id"], **{f.name: values[f.name] for f in PERSON_FIELDS}
    )
    session.add(person)
    session.flush()
    session.add(
        Appointment(
            person_ref=person.id,
            post_ref=post.id,
            start_date=values["start_date"],
            appointment_type=values["appointment_type"],
        )
    )
    session.flush()
    audit_person(session, request, principal, "create", person.person_id, post_id=post.post_id)
    session.commit()
    return RedirectResponse(f"/people/{person.person_id}", status_code=303)


@router.get("/{person_id}", response_class=HTMLResponse)
def person_page(
    request: Request, person_id: str, session: SessionDep, principal: Reader
) -> Response:
    person = visible_person(session, principal, person_id)
    own = person.id == principal.person_ref
    edit_register = can(principal, Capability.EDIT_REGISTER)
    edit_talent = can(principal, Capability.EDIT_TALENT)
    profile = profile_of(session, person)
    reviews = readiness_of(session, profile)
    conversations, actions = conversations_of(session, person)
    ratings = ratings_of(session, person)
    frame = assessments_frame(ratings)
    summary = assessment_summary(frame)
    needs = development_needs(
        development_gaps(frame, targets_frame(reviews, person), expected_frame())
    )
    context = {
        "title": full_name(person.given_name, person.family_name),
        "person": person,
        "own": own,
        "edit_register": edit_register,
        "edit_talent": edit_talent,
        "edit_own": own and can(principal, Capability.EDIT_OWN_RECORD),
        "administer": can(principal, Capability.ADMINISTER),
        "details": details_rows(person),
        "appointment_head": table_head(APPOINTMENT_HEAD, edit_register),
        "rating_head": table_head(RATING_HEAD, edit_talent),
        "appointments": appointment_rows(
            appointments_of(session, person), person_id, edit_register
        ),
        "profile": profile_rows(profile),
        "readiness": readiness_rows(reviews),
        "conversations": conversation_cards(conversations, actions, person_id, edit_talent),
        "assessments": assessment_tables(summary),
        "ratings": rating_rows(ratings, person_id, edit_talent),
        "needs": needs_list(needs),
        "fppt": fppt_rows(fppt_checks_of(session, person)),
        "proposals": proposal_rows(proposals_of(session, person)),
    }
    audit_person(session, request, principal, "read", person_id)
    session.commit()
    return render(request, "people/person.jinja", context)


def _person_values(person: Person) -> dict[str, Any]:
    return {f.name: getattr(person, f.name) for f in PERSON_FIELDS}


@router.get("/{person_id}/edit", response_class=HTMLResponse)
def edit_person(
    request: Request, person_id: str, session: SessionDep, principal: Editor
) -> Response:
    person = editable_person(session, principal, person_id)
    audit_person(session, request, principal, "read", person_id, form="details")
    session.commit()
    return _person_form(request, person, raw_from_values(PERSON_FIELDS, _person_values(person)))


def _person_form(
    request: Request,
    person: Person,
    raw: dict[str, Any],
    result: FormResult | None = None,
    status: int = 200,
) -> Response:
    return form_page(
        request,
        title=f"Change details of {full_name(person.given_name, person.family_name)}",
        action=f"/people/{person.person_id}/edit",
        fields=PERSON_FIELDS,
        raw=raw,
        result=result,
        version=person.version,
        back={"href": f"/people/{person.person_id}", "text": "Back to the record"},
        status=status,
    )


@router.post("/{person_id}/edit", response_class=HTMLResponse)
def save_person(
    request: Request, person_id: str, session: SessionDep, principal: Editor, form: FormDep
) -> Response:
    person = editable_person(session, principal, person_id)
    result = parse_form(PERSON_FIELDS, form)
    if not result.ok:
        return _person_form(request, person, result.raw, result, status=400)
    try:
        save_edit(session, person, parse_version(form.get("version")), result.values)
    except StaleEditError:
        session.refresh(person)
        stale = FormResult(errors={"version": STALE_MESSAGE})
        return _person_form(
            request, person, raw_from_values(PERSON_FIELDS, _person_values(person)), stale, 409
        )
    audit_person(session, request, principal, "update", person_id, changed=sorted(result.values))
    session.commit()
    return RedirectResponse(f"/people/{person_id}", status_code=303)


def _check_appointment(session: Any, principal: Principal, result: FormResult) -> Post | None:
    values = result.values
    post = None
    if values.get("post_id"):
        post = _post_in_scope(session, principal, values["post_id"])
        if post is None:
            result.errors["post_id"] = "Enter the ID of a post in an organisation you manage"
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        result.errors["end_date"] = "End date must be the same as or after the start date"
    if values.get("end_reason") and not end:
        result.errors["end_reason"] = "Enter an end date, or leave the reason for leaving empty"
    return post


def _appointment_form(
    request: Request,
    person: Person,
    action: str,
    raw: dict[str, Any],
    result: FormResult | None = None,
    version: int | None = None,
    status: int = 200,
) -> Response:
    return form_page(
        request,
        title="Appointment",
        caption=full_name(person.given_name, person.family_name),
        action=action,
        fields=APPOINTMENT_FIELDS,
        raw=raw,
        result=result,
        version=version,
        back={"href": f"/people/{person.person_id}", "text": "Back to the record"},
        status=status,
    )


@router.get("/{person_id}/appointments/new", response_class=HTMLResponse)
def new_appointment(
    request: Request, person_id: str, session: SessionDep, principal: Editor
) -> Response:
    person = editable_person(session, principal, person_id)
    return _appointment_form(
        request,
        person,
        f"/people/{person_id}/appointments/new",
        raw_from_values(APPOINTMENT_FIELDS, {}),
    )


@router.post("/{person_id}/appointments/new", response_class=HTMLResponse)
def create_appointment(
    request: Request, person_id: str, session: SessionDep, principal: Editor, form: FormDep
) -> Response:
    person = editable_person(session, principal, person_id)
    result = parse_form(APPOINTMENT_FIELDS, form)
    post = _check_appointment(session, principal, result)
    if not result.ok or post is None:
        return _appointment_form(
            request, person, f"/people/{person_id}/appointments/new", result.raw, result, status=400
        )
    values = {k: v for k, v in result.values.items() if k != "post_id"}
    session.add(Appointment(person_ref=person.id, post_ref=post.id, **values))
    session.flush()
    audit_person(session, request, principal, "create", person_id, appointment_post=post.post_id)
    session.commit()
    return RedirectResponse(f"/people/{person_id}", status_code=303)


def _editable_appointment(
    session: Any, principal: Principal, person: Person, ref: int
) -> tuple[Appointment, Post]:
    appointment = session.get(Appointment, ref)
    if appointment is None or appointment.person_ref != person.id:
        raise NotFoundError
    post = session.get(Post, appointment.post_ref)
    if post is None or _post_in_scope(session, principal, post.post_id) is None:
        raise NotFoundError
    return appointment, post


def _appointment_values(appointment: Appointment, post: Post) -> dict[str, Any]:
    values = {f.name: getattr(appointment, f.name, None) for f in APPOINTMENT_FIELDS}
    values["post_id"] = post.post_id
    return values


@router.get("/{person_id}/appointments/{ref}/edit", response_class=HTMLResponse)
def edit_appointment(
    request: Request, person_id: str, ref: int, session: SessionDep, principal: Editor
) -> Response:
    person = editable_person(session, principal, person_id)
    appointment, post = _editable_appointment(session, principal, person, ref)
    return _appointment_form(
        request,
        person,
        f"/people/{person_id}/appointments/{ref}/edit",
        raw_from_values(APPOINTMENT_FIELDS, _appointment_values(appointment, post)),
        version=appointment.version,
    )


@router.post("/{person_id}/appointments/{ref}/edit", response_class=HTMLResponse)
def save_appointment(
    request: Request,
    person_id: str,
    ref: int,
    session: SessionDep,
    principal: Editor,
    form: FormDep,
) -> Response:
    person = editable_person(session, principal, person_id)
    appointment, _ = _editable_appointment(session, principal, person, ref)
    action = f"/people/{person_id}/appointments/{ref}/edit"
    result = parse_form(APPOINTMENT_FIELDS, form)
    post = _check_appointment(session, principal, result)
    if not result.ok or post is None:
        return _appointment_form(
            request, person, action, result.raw, result, appointment.version, 400
        )
    changes = {k: v for k, v in result.values.items() if k != "post_id"} | {"post_ref": post.id}
    try:
        save_edit(session, appointment, parse_version(form.get("version")), changes)
    except StaleEditError:
        session.refresh(appointment)
        current = session.get(Post, appointment.post_ref)
        assert current is not None
        return _appointment_form(
            request,
            person,
            action,
            raw_from_values(APPOINTMENT_FIELDS, _appointment_values(appointment, current)),
            FormResult(errors={"version": STALE_MESSAGE}),
            appointment.version,
            409,
        )
    audit_person(session, request, principal, "update", person_id, appointment=ref)
    session.commit()
    return RedirectResponse(f"/people/{person_id}", status_code=303)
