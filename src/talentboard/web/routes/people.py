"""A person's page, and the forms for their register record: details and appointments."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from talentboard.db.models import Appointment, Organisation, Person, PersonOrigin, Post
from talentboard.reference.expected import expected_frame
from talentboard.talent.assessments import assessment_summary, development_gaps, development_needs
from talentboard.web.analysis import shown_date
from talentboard.web.deps import SessionDep, requires
from talentboard.web.forms.base import Field, FormResult
from talentboard.web.forms.register import APPOINTMENT_FIELDS, NEW_PERSON_FIELDS, PERSON_FIELDS
from talentboard.web.permissions import (
    Capability,
    NotFoundError,
    Principal,
    can,
    editable_person,
    host_in_scope,
    ods_codes_in_scope,
    organisation_filter,
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
from talentboard.web.presenters.formatting import date, full_name
from talentboard.web.presenters.people import (
    APPOINTMENT_HEAD,
    RATING_HEAD,
    appointment_rows,
    assessment_tables,
    conversation_cards,
    details_rows,
    fppt_rows,
    grid_place,
    needs_list,
    profile_rows,
    proposal_rows,
    rating_rows,
    readiness_rows,
    table_head,
)
from talentboard.web.records import AuditEntry, Edit, Imported, Page, RecordKind, mount
from talentboard.web.templating import render

router = APIRouter(prefix="/people", include_in_schema=False)

Reader = Annotated[Principal, Depends(requires(Capability.SIGNED_IN))]


NEW_PERSON_FORM = NEW_PERSON_FIELDS + APPOINTMENT_FIELDS[:3]
POST_OUT_OF_SCOPE = "Enter the ID of a post in an organisation you manage"
POST_FIELD = APPOINTMENT_FIELDS[0]


def _organisation_for(edit: Edit) -> str | None:
    """The organisation whose posts the form offers: the one asked for (``?org=``), else
    that of the person's latest appointment, else the editor's own; None when none of
    these is in the editor's scope (the form then asks for a post ID)."""
    candidates = [edit.query("org")]
    if isinstance(edit.parent, Person):
        candidates.append(
            edit.session.scalar(
                select(Post.ods_code)
                .join(Appointment, Appointment.post_ref == Post.id)
                .where(Appointment.person_ref == edit.parent.id)
                .order_by(Appointment.start_date.desc())
                .limit(1)
            )
        )
    candidates.append(edit.principal.ods_code)
    for ods_code in candidates:
        if ods_code and host_in_scope(edit.session, edit.principal, ods_code):
            return ods_code
    return None


def _post_field(edit: Edit) -> Field:
    """The post as a choice from the organisation's posts (title and ID), or its ID typed
    when no organisation is known."""
    ods_code = _organisation_for(edit)
    if ods_code is None:
        return POST_FIELD
    posts = edit.session.execute(
        select(Post.post_id, Post.title, Post.established_to)
        .where(Post.ods_code == ods_code)
        .order_by(Post.established_to.is_not(None), Post.title, Post.post_id)
    ).all()
    return replace(
        POST_FIELD,
        label="Post",
        kind="select",
        choices=tuple(
            (post_id, f"{title} ({post_id}){_abolished(until)}") for post_id, title, until in posts
        ),
        hint="The organisation's posts, those still established first.",
        width=None,
    )


def _abolished(until: dt.date | None) -> str:
    return f", abolished {date(until)}" if until else ""


def _with_post(edit: Edit, fields: tuple[Field, ...]) -> tuple[Field, ...]:
    return tuple(_post_field(edit) if f.name == "post_id" else f for f in fields)


def _organisation_chooser(edit: Edit) -> dict[str, Any] | None:
    """Which organisation's posts to offer, among those the editor manages (none to choose
    from when they manage one)."""
    organisations = edit.session.execute(
        select(Organisation.ods_code, Organisation.name)
        .where(organisation_filter(edit.principal))
        .order_by(Organisation.name)
    ).all()
    if len(organisations) < 2:
        return None
    chosen = _organisation_for(edit)
    return {
        "action": edit.address,
        "name": "org",
        "label": "Offer the posts of",
        "items": [{"value": "", "text": "Choose an organisation", "selected": chosen is None}]
        + [
            {"value": code, "text": name, "selected": code == chosen}
            for code, name in organisations
        ],
    }


def _action(edit: Edit) -> str | None:
    """The form goes back to its own address with the organisation chosen, so the post
    offered and the post checked are from one list."""
    chosen = edit.query("org")
    return f"{edit.address}?{urlencode({'org': chosen})}" if chosen else None


def _post_in_scope(session: Any, principal: Principal, post_id: str) -> Post | None:
    post: Post | None = session.scalar(select(Post).where(Post.post_id == post_id))
    if post is None or not host_in_scope(session, principal, post.ods_code):
        return None
    return post


def _check_post(edit: Edit, result: FormResult) -> None:
    """The post named must be in an organisation the editor manages."""
    if result.values.get("post_id"):
        edit.found["post"] = _post_in_scope(edit.session, edit.principal, result.values["post_id"])
        if edit.found["post"] is None:
            result.errors["post_id"] = POST_OUT_OF_SCOPE


def _check_new_person(edit: Edit, result: FormResult) -> None:
    _check_post(edit, result)
    if result.values.get("person_id") and edit.session.scalar(
        select(Person.id).where(Person.person_id == result.values["person_id"])
    ):
        result.errors["person_id"] = "A person with this ID already exists: choose another ID"


def _create_person(edit: Edit, values: dict[str, Any]) -> Person:
    person = Person(
        person_id=values["person_id"], **{f.name: values[f.name] for f in PERSON_FIELDS}
    )
    edit.session.add(person)
    edit.session.flush()
    # Added under the organisation of the post: its administrators keep seeing the record
    # should the appointment be corrected away from it.
    edit.session.add(PersonOrigin(person_ref=person.id, ods_code=edit.found["post"].ods_code))
    edit.session.add(
        Appointment(
            person_ref=person.id,
            post_ref=edit.found["post"].id,
            start_date=values["start_date"],
            appointment_type=values["appointment_type"],
        )
    )
    return person


def _to_person(edit: Edit, record: Any) -> str:
    return f"/people/{edit.parent.person_id if edit.parent else record.person_id}"


NEW_PERSON = RecordKind[Person](
    noun="person",
    capability=Capability.EDIT_REGISTER,
    new_path="/new",
    fields=lambda edit: _with_post(edit, NEW_PERSON_FORM),
    page=lambda edit: Page(
        title="Add a person",
        action=_action(edit),
        chooser=_organisation_chooser(edit),
        lede=(
            "Record the person and their current appointment, so the record sits in an "
            "organisation."
        ),
        submit="Add person",
        back={"href": "/organisations", "text": "Back to organisations"},
    ),
    check=_check_new_person,
    imported=Imported("people", lambda edit, values: [values]),
    create=_create_person,
    audit=lambda edit, action, person: AuditEntry(
        "person", person.person_id, {"post_id": edit.found["post"].post_id}
    ),
    done=_to_person,
)
mount(router, NEW_PERSON)


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
            appointments_of(session, person),
            person_id,
            edit_register,
            ods_codes_in_scope(session, principal),
        ),
        "profile": profile_rows(profile),
        "grid_place": grid_place(profile, conversations, shown_date(request, session)),
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


def _back(person: Person) -> dict[str, str]:
    return {"href": f"/people/{person.person_id}", "text": "Back to the record"}


def _person_audit(edit: Edit, action: str, **detail: Any) -> AuditEntry:
    return AuditEntry("person", edit.parent.person_id, detail)


def _of_person(edit: Edit, values: dict[str, Any]) -> dict[str, Any]:
    """A record of the person, as a row of its import kind names them."""
    return {"person_id": edit.parent.person_id, **values}


def _audit_details_shown(edit: Edit) -> None:
    """Opening someone's details to change them is a read of their record."""
    person_id = edit.parent.person_id
    audit_person(edit.session, edit.request, edit.principal, "read", person_id, form="details")
    edit.session.commit()


PERSON_DETAILS = RecordKind[Person](
    noun="person details",
    capability=Capability.EDIT_REGISTER,
    edit_path="/{person_id}/edit",
    scope=lambda edit: editable_person(edit.session, edit.principal, edit.path["person_id"]),
    find=lambda edit: edit.parent,
    fields=lambda edit: PERSON_FIELDS,
    page=lambda edit: Page(
        title=f"Change details of {full_name(edit.parent.given_name, edit.parent.family_name)}",
        back=_back(edit.parent),
    ),
    shown=_audit_details_shown,
    imported=Imported("people", lambda edit, values: [_of_person(edit, values)]),
    audit=lambda edit, action, person: _person_audit(
        edit, action, changed=sorted(f.name for f in PERSON_FIELDS)
    ),
    done=_to_person,
)
mount(router, PERSON_DETAILS)


def _editable_appointment(edit: Edit) -> Appointment:
    appointment = edit.session.get(Appointment, edit.path["ref"])
    if appointment is None or appointment.person_ref != edit.parent.id:
        raise NotFoundError
    post = edit.session.get(Post, appointment.post_ref)
    if post is None or _post_in_scope(edit.session, edit.principal, post.post_id) is None:
        raise NotFoundError
    return appointment


def _appointment_values(edit: Edit, appointment: Appointment) -> dict[str, Any]:
    values = {f.name: getattr(appointment, f.name, None) for f in APPOINTMENT_FIELDS}
    post = edit.session.get(Post, appointment.post_ref)
    values["post_id"] = post.post_id if post is not None else None
    return values


def _appointment_columns(edit: Edit, values: dict[str, Any]) -> dict[str, Any]:
    """The form names the post by its ID; the appointment row refers to it by its key."""
    return {k: v for k, v in values.items() if k != "post_id"} | {"post_ref": edit.found["post"].id}


def _create_appointment(edit: Edit, values: dict[str, Any]) -> Appointment:
    return edit.add(Appointment(person_ref=edit.parent.id, **_appointment_columns(edit, values)))


def _appointment_audit(edit: Edit, action: str, appointment: Appointment) -> AuditEntry:
    if action == "create":
        return _person_audit(edit, action, appointment_post=edit.found["post"].post_id)
    return _person_audit(edit, action, appointment=appointment.id)


APPOINTMENT = RecordKind[Appointment](
    noun="appointment",
    capability=Capability.EDIT_REGISTER,
    new_path="/{person_id}/appointments/new",
    edit_path="/{person_id}/appointments/{ref}/edit",
    scope=lambda edit: editable_person(edit.session, edit.principal, edit.path["person_id"]),
    find=_editable_appointment,
    fields=lambda edit: _with_post(edit, APPOINTMENT_FIELDS),
    values=_appointment_values,
    page=lambda edit: Page(
        title="Appointment",
        action=_action(edit),
        chooser=_organisation_chooser(edit),
        caption=full_name(edit.parent.given_name, edit.parent.family_name),
        back=_back(edit.parent),
    ),
    check=_check_post,
    imported=Imported("appointments", lambda edit, values: [_of_person(edit, values)]),
    create=_create_appointment,
    changes=_appointment_columns,
    audit=_appointment_audit,
    done=_to_person,
)
mount(router, APPOINTMENT)
