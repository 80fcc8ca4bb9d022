"""Subject access and erasure: everything held is in the copy; erasure anonymises the
register, deletes the talent records, disables the linked account and keeps the audit."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentboard.db.models import (
    Appointment,
    Assessment,
    AuditEvent,
    CareerConversation,
    MatchProposal,
    Person,
    Successor,
    TalentProfile,
    User,
)
from tests.web.conftest import ClientFor
from tests.web.world import World


def count(session: Session, model: type, person_ref: int) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(model).where(model.person_ref == person_ref)  # type: ignore[attr-defined]
        )
        or 0
    )


def test_the_subject_access_copy_holds_everything(client_for: ClientFor, world: World) -> None:
    client = client_for("national")
    client.get("/people/P-ALICE")  # a read, which the copy must show
    response = client.get("/people/P-ALICE/subject-access")
    assert response.status_code == 200
    document = json.loads(response.text)
    assert document["person"]["given_name"] == "Alice"
    assert [a["post_id"] for a in document["appointments"]] == ["R1H-CEO"]
    assert document["talent_profile"]["impact"] == "high"
    assert [r["target_role_code"] for r in document["readiness_reviews"]] == ["chief_executive"]
    assert [a["score"] for a in document["assessments"]] == [3]
    assert [p["status"] for p in document["match_proposals"]] == ["proposed"]
    assert [u["username"] for u in document["user_accounts"]] == ["individual-user"]
    assert [(e["username"], e["action"]) for e in document["audit_events"]] == [
        ("national-user", "read")
    ]


def test_erasure_anonymises_and_keeps_the_audit(
    client_for: ClientFor, session: Session, world: World
) -> None:
    alice = world.people["P-ALICE"]
    client = client_for("national")
    response = client.post(
        "/people/P-ALICE/erase",
        data={"csrf_token": client.csrf},  # type: ignore[attr-defined]
        follow_redirects=False,
    )
    assert response.status_code == 303
    person = session.scalar(select(Person).where(Person.person_id == "P-ALICE"))
    assert person is not None
    assert (person.given_name, person.family_name, person.ethnic_category) == (
        "Erased",
        "record",
        None,
    )
    for model in (TalentProfile, CareerConversation, Assessment, MatchProposal):
        assert count(session, model, alice.id) == 0, model
    assert count(session, Appointment, alice.id) == 1, "appointments stay, anonymised"
    assert count(session, Successor, alice.id) == 0
    user = session.scalar(select(User).where(User.username == "individual-user"))
    assert user is not None
    assert not user.active
    erased = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "erase", AuditEvent.entity_key == "P-ALICE")
    ).all()
    assert len(erased) == 1
    assert erased[0].detail["removed"]["talent_profiles"] == 1
