"""Data subject rights: a copy of a person's data (national administrators, and each person
for their own record), and erasure (national administrators)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from talentboard.web import audit
from talentboard.web.deps import SessionDep, requires
from talentboard.web.permissions import (
    Capability,
    NotFoundError,
    Principal,
    visible_person,
)
from talentboard.web.presenters.formatting import full_name
from talentboard.web.subject_rights import erase, own_copy, subject_access
from talentboard.web.templating import render, told

router = APIRouter(prefix="/people", include_in_schema=False)

Administrator = Annotated[Principal, Depends(requires(Capability.ADMINISTER))]
OwnRecord = Annotated[Principal, Depends(requires(Capability.VIEW_OWN_RECORD))]


@router.get("/{person_id}/subject-access")
def subject_access_copy(
    request: Request, person_id: str, session: SessionDep, principal: Administrator
) -> Response:
    person = visible_person(session, principal, person_id)
    document = subject_access(session, person)
    return _download(request, session, principal, person_id, document, "subject access")


@router.get("/{person_id}/your-data")
def own_data_copy(
    request: Request, person_id: str, session: SessionDep, principal: OwnRecord
) -> Response:
    """A person's copy of their own record, without other people's names (``own_copy``);
    404 for anyone else's."""
    person = visible_person(session, principal, person_id)
    if person.id != principal.person_ref:
        raise NotFoundError
    document = own_copy(subject_access(session, person))
    return _download(request, session, principal, person_id, document, "own copy")


def _download(
    request: Request,
    session: Session,
    principal: Principal,
    person_id: str,
    document: dict[str, Any],
    purpose: str,
) -> Response:
    audit.by(request, session, principal, "export", "person", person_id, {"purpose": purpose})
    session.commit()
    return Response(
        json.dumps(document, indent=2),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{person_id}-subject-access.json"'},
    )


@router.get("/{person_id}/erase", response_class=HTMLResponse)
def confirm_erasure(
    request: Request, person_id: str, session: SessionDep, principal: Administrator
) -> Response:
    person = visible_person(session, principal, person_id)
    return render(
        request,
        "people/erase.jinja",
        {
            "title": f"Erase {full_name(person.given_name, person.family_name)}",
            "person": person,
            "back": {"href": f"/people/{person_id}", "text": "Back to the record"},
        },
    )


@router.post("/{person_id}/erase")
def erase_person(
    request: Request, person_id: str, session: SessionDep, principal: Administrator
) -> Response:
    person = visible_person(session, principal, person_id)
    removed = erase(session, person)
    audit.by(request, session, principal, "erase", "person", person_id, {"removed": removed})
    session.commit()
    return told(
        request, f"{person_id} has been erased: the record is anonymised.", f"/people/{person_id}"
    )
