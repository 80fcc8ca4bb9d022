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


def test_a_person_downloads_their_own_copy_without_other_peoples_names(
    client_for: ClientFor, world: World, session: Session
) -> None:
    """Alice, signed in as herself, gets her record (her self-assessment, her appointment)
    with the rater, the conversation partner and the usernames that opened her record
    left out; Bob's record answers 404, as it would to anyone outside its scope."""
    world.conversations["P-ALICE"].held_with = "Dr Zara Quinn"
    session.flush()
    client_for("national").get("/people/P-ALICE")  # a read by someone else
    alice = client_for("individual")
    assert "Download a copy of your data" in alice.get("/people/P-ALICE").text
    assert alice.get("/people/P-ALICE/subject-access").status_code == 404  # the full copy
    response = alice.get("/people/P-ALICE/your-data")
    assert response.status_code == 200
    document = json.loads(response.text)
    assert document["person"]["given_name"] == "Alice"
    assert "left out" in document["note"]
    assert [a["rater_relation"] for a in document["assessments"]] == ["self"]
    assert all("rater_id" not in a for a in document["assessments"])
    assert all("held_with" not in c for c in document["career_conversations"])
    assert document["audit_events"]
    assert all("username" not in e for e in document["audit_events"])
    assert "Dr Zara Quinn" not in response.text
    assert "national-user" not in response.text
    event = session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()))
    assert event is not None
    assert (event.action, event.entity_key, event.detail) == (
        "export",
        "P-ALICE",
        {"purpose": "own copy"},
    )
    assert alice.get("/people/P-BOB/your-data").status_code == 404
    # The national administrator's copy keeps what the law asks them to weigh.
    full = client_for("national").get("/people/P-ALICE/subject-access").text
    assert "Dr Zara Quinn" in full
