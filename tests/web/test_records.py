"""Editing records through the shared handlers (``web.records``), kind by kind, on the
written-out world of ``tests/web/world.py``.

Each test posts a form as a user would and checks what was written, what the audit trail
says and what the page answers: 303 back to the record when saved, 400 with the NHS-style
message when a rule is broken (and nothing written), 409 when the form was stale, 404 out
of scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from talentboard.db.models import (
    Appointment,
    Assessment,
    CareerConversation,
    DevelopmentAction,
    Opportunity,
    Person,
    PersonOrigin,
    ReadinessReview,
    Successor,
    TalentProfile,
)
from tests.web.conftest import ClientFor
from tests.web.records import count, last_event, post
from tests.web.world import World


def test_a_conversation_is_added_audited_and_a_second_on_the_same_day_refused(
    client_for: ClientFor, session: Session, world: World
) -> None:
    """Alice has one conversation, on 1 March 2026. A regional talent lead adds one on
    1 May 2026 (saved: two), then another on 1 March (refused: still two)."""
    client = client_for("regional")
    alice = world.people["P-ALICE"]
    added = post(
        client,
        "/people/P-ALICE/conversations/new",
        {"held_on": dt.date(2026, 5, 1), "growth_wanted": "depth", "summary": "Wants depth"},
    )
    assert (added.status_code, added.headers["location"]) == (303, "/people/P-ALICE")
    assert count(session, CareerConversation, CareerConversation.person_ref == alice.id) == 2
    event = last_event(session)
    assert (event.action, event.entity, event.entity_key, event.detail) == (
        "create",
        "person",
        "P-ALICE",
        {"record": "career conversation"},
    )
    clash = post(client, "/people/P-ALICE/conversations/new", {"held_on": dt.date(2026, 3, 1)})
    assert clash.status_code == 400
    assert "A conversation on this date is already recorded" in clash.text
    assert count(session, CareerConversation, CareerConversation.person_ref == alice.id) == 2


def test_changing_a_conversation_keeps_its_own_date_and_refuses_a_stale_form(
    client_for: ClientFor, session: Session, world: World
) -> None:
    """Saving Alice's conversation on its own date is no clash (version 1 -> 2); a second
    save from the form still at version 1 is refused with 409 and changes nothing."""
    client = client_for("regional")
    conversation = world.conversations["P-ALICE"]
    path = f"/people/P-ALICE/conversations/{conversation.id}/edit"
    values = {"held_on": dt.date(2026, 3, 1), "growth_wanted": "breadth", "version": "1"}
    assert post(client, path, values).status_code == 303
    stale = post(client, path, values | {"growth_wanted": "stretch"})
    assert stale.status_code == 409
    assert "Someone else changed this record" in stale.text
    session.refresh(conversation)
    assert (conversation.growth_wanted, conversation.version) == ("breadth", 2)


def test_a_readiness_review_is_kept_as_history_and_not_recorded_twice(
    client_for: ClientFor, session: Session, world: World
) -> None:
    """Alice was reviewed for chief executive on 1 March 2026; a review on 1 June is added
    (two reviews), the same role and date again is refused."""
    client = client_for("regional")
    review = {"target_role_code": "chief_executive", "readiness": "ready_now"}
    path = "/people/P-ALICE/readiness/new"
    assert post(client, path, review | {"reviewed_on": dt.date(2026, 6, 1)}).status_code == 303
    again = post(client, path, review | {"reviewed_on": dt.date(2026, 6, 1)})
    assert again.status_code == 400
    assert "already recorded: choose another date" in again.text
    assert count(session, ReadinessReview) == 3  # Alice's two and Carol's one


def test_the_first_save_of_a_profile_makes_it_and_the_next_changes_it(
    client_for: ClientFor, session: Session, world: World
) -> None:
    """Erin has no talent profile: the profile form makes one (audited as a create); saving
    again at version 1 changes it (an update, version 2)."""
    client = client_for("org_admin")
    erin = world.people["P-ERIN"]
    page = client.get("/people/P-ERIN/profile")
    assert page.status_code == 200
    assert 'name="version"' not in page.text
    values = {"cross_org_consent": "yes", "willing_regions": ["Y56", "Y59"]}
    assert post(client, "/people/P-ERIN/profile", values).status_code == 303
    profile = session.scalar(select(TalentProfile).where(TalentProfile.person_ref == erin.id))
    assert profile is not None
    assert (profile.willing_regions, profile.cross_org_consent) == (["Y56", "Y59"], True)
    assert last_event(session).action == "create"
    changed = values | {"cross_org_consent": "no", "version": "1"}
    assert post(client, "/people/P-ERIN/profile", changed).status_code == 303
    session.refresh(profile)
    assert (profile.cross_org_consent, profile.version) == (False, 2)
    assert (last_event(session).action, last_event(session).detail) == (
        "update",
        {"record": "talent profile"},
    )


def test_an_assessment_round_adds_a_rating_per_domain_once(
    client_for: ClientFor, session: Session, world: World
) -> None:
    """An LCF round has six domains: one round adds six ratings for Erin; the same rater's
    round on the same date again is refused and adds none."""
    client = client_for("org_admin")
    erin = world.people["P-ERIN"]
    domains = ("outcomes", "strategy", "equality", "governance", "culture", "partnerships")
    values: dict[str, Any] = {
        "assessed_on": dt.date(2026, 6, 1),
        "rater_relation": "manager",
        **{f"score_{d}": "3" for d in domains},
        "score_equality": "none",
    }
    path = "/people/P-ERIN/assessments/new?framework=lcf2024"
    assert post(client, path, values).status_code == 303
    scores = dict(
        session.execute(
            select(Assessment.domain_code, Assessment.score).where(Assessment.person_ref == erin.id)
        ).all()
    )
    assert scores == {d: (None if d == "equality" else 3) for d in domains}
    assert last_event(session).detail == {"record": "assessment", "framework": "lcf2024"}
    again = post(client, path, values)
    assert again.status_code == 400
    assert "already recorded: change a rating instead" in again.text
    assert count(session, Assessment, Assessment.person_ref == erin.id) == 6


def test_a_rating_is_changed_on_its_own(
    client_for: ClientFor, session: Session, world: World
) -> None:
    """Alice's outcomes self-rating is 3; changed to 'no chance to demonstrate' it is stored
    as no score."""
    rating = world.ratings["P-ALICE"]
    client = client_for("regional")
    path = f"/people/P-ALICE/assessments/{rating.id}/edit"
    saved = post(client, path, {"score": "none", "version": "1"})
    assert saved.status_code == 303
    session.refresh(rating)
    assert (rating.score, rating.version) == (None, 2)


def test_a_development_action_belongs_to_its_conversation(
    client_for: ClientFor, session: Session, world: World
) -> None:
    conversation = world.conversations["P-ALICE"]
    client = client_for("regional")
    path = f"/people/P-ALICE/conversations/{conversation.id}/actions/new"
    values = {"action": "Shadow the board at R1K", "status": "planned"}
    assert post(client, path, values).status_code == 303
    action = session.scalar(select(DevelopmentAction))
    assert action is not None
    assert (action.conversation_ref, action.action) == (conversation.id, "Shadow the board at R1K")


def test_a_successor_is_named_once_per_plan(
    client_for: ClientFor, session: Session, world: World
) -> None:
    """Barts' chief executive plan names Erin and Bob; Alice is added (three), Erin again is
    refused, and Carol, outside the regional lead's scope, cannot be named."""
    client = client_for("regional")
    path = "/succession/posts/R1H-CEO/successors/new"
    entry = {"readiness": "ready_3_5y", "emergency_cover": "no", "reviewed_on": dt.date(2026, 6, 1)}
    assert post(client, path, entry | {"person_id": "P-ALICE"}).status_code == 303
    plan_ref = world.successors["R1H-CEO"].plan_ref
    assert count(session, Successor, Successor.plan_ref == plan_ref) == 3
    assert last_event(session).detail == {"successor": "P-ALICE"}
    again = post(client, path, entry | {"person_id": "P-ERIN"})
    assert "This person is already on the plan" in again.text
    outside = post(client, path, entry | {"person_id": "P-CAROL"})
    assert outside.status_code == 400
    assert "Enter the ID of a person in the organisations you can see" in outside.text
    assert count(session, Successor, Successor.plan_ref == plan_ref) == 3


def test_an_opportunity_is_added_then_changed(
    client_for: ClientFor, session: Session, world: World
) -> None:
    client = client_for("org_admin")
    values = {
        "opportunity_id": "OPP-2",
        "title": "Finance secondment",
        "kind": "secondment",
        "host_ods_code": "R1H",
        "develops": ["governance"],
        "levels": ["senior"],
        "capacity": "2",
        "status": "open",
    }
    added = post(client, "/opportunities/new", values)
    assert (added.status_code, added.headers["location"]) == (303, "/opportunities/OPP-2")
    taken = post(client, "/opportunities/new", values)
    assert "An opportunity with this ID already exists" in taken.text
    changed = post(
        client,
        "/opportunities/OPP-2/edit",
        {k: v for k, v in values.items() if k != "opportunity_id"}
        | {"capacity": "3", "version": "1"},
    )
    assert changed.status_code == 303
    found = session.scalar(select(Opportunity).where(Opportunity.opportunity_id == "OPP-2"))
    assert found is not None
    assert (found.capacity, found.version) == (3, 2)
    assert (last_event(session).action, last_event(session).entity_key) == ("update", "OPP-2")


def test_a_new_person_needs_a_post_the_editor_manages(
    client_for: ClientFor, session: Session, world: World
) -> None:
    """Barts' administrator may add a person to Barts' vacant finance post, not to London
    North West's chief executive post: the form offers Barts' posts only, and a post from
    elsewhere sent anyway is refused."""
    client = client_for("org_admin")
    person = {
        "person_id": "P-FAY",
        "given_name": "Fay",
        "family_name": "Foster",
        "appointment_type": "interim",
        "start_date": dt.date(2026, 6, 1),
    }
    refused = post(client, "/people/new", person | {"post_id": "R1K-CEO"})
    assert refused.status_code == 400
    assert "Select post from the list" in refused.text
    added = post(client, "/people/new", person | {"post_id": "R1H-FD"})
    assert (added.status_code, added.headers["location"]) == (303, "/people/P-FAY")
    assert last_event(session).detail == {"post_id": "R1H-FD"}
    # She is recorded as added under Barts: should her one appointment be removed as a
    # mistake, Barts' administrator still finds her record.
    fay = session.scalar(select(Person).where(Person.person_id == "P-FAY"))
    assert fay is not None
    origin = session.get(PersonOrigin, fay.id)
    assert origin is not None
    assert (origin.ods_code, origin.region_code) == ("R1H", None)
    session.execute(delete(Appointment).where(Appointment.person_ref == fay.id))
    session.flush()
    assert client.get("/people/P-FAY").status_code == 200


def test_an_appointment_may_not_overlap_a_substantive_one_to_the_same_post(
    client_for: ClientFor, session: Session, world: World
) -> None:
    """Alice has held Barts' chief executive post substantively since 1 January 2020. A
    second substantive appointment of hers to it from 1 June 2026 overlaps it, the rule the
    appointments import keeps; an interim one does not."""
    client = client_for("org_admin")
    path = "/people/P-ALICE/appointments/new"
    values = {"post_id": "R1H-CEO", "start_date": dt.date(2026, 6, 1)}
    overlap = post(client, path, values | {"appointment_type": "substantive"})
    assert overlap.status_code == 400
    assert "Overlaps the substantive appointment to this post from 2020-01-01" in overlap.text
    assert post(client, path, values | {"appointment_type": "interim"}).status_code == 303


def test_changing_an_appointment_is_not_an_overlap_with_itself(
    client_for: ClientFor, session: Session, world: World
) -> None:
    """Moving the start of Alice's own substantive appointment is checked against her other
    appointments, not against the version of itself it replaces."""
    appointment = world.appointments["P-ALICE"]
    client = client_for("org_admin")
    saved = post(
        client,
        f"/people/P-ALICE/appointments/{appointment.id}/edit",
        {
            "post_id": "R1H-CEO",
            "appointment_type": "substantive",
            "start_date": dt.date(2019, 10, 1),
            "version": "1",
        },
    )
    assert saved.status_code == 303
    session.refresh(appointment)
    assert appointment.start_date == dt.date(2019, 10, 1)
    assert count(session, Appointment, Appointment.person_ref == appointment.person_ref) == 1


def test_a_record_out_of_scope_is_not_found(client_for: ClientFor, world: World) -> None:
    """Carol (Bristol) is outside the London lead's scope: her forms answer 404."""
    client = client_for("regional")
    assert client.get("/people/P-CAROL/conversations/new").status_code == 404
    answer = post(client, "/people/P-CAROL/conversations/new", {"held_on": dt.date(2026, 5, 1)})
    assert answer.status_code == 404


def test_a_proposal_is_decided_and_its_place_counted(
    client_for: ClientFor, session: Session, world: World
) -> None:
    """OPP-1 has one place, proposed to Alice and to Carol. The national lead accepts
    Alice's proposal; accepting Carol's too is refused, as the one place is held."""
    client = client_for("national")
    alice, carol = world.proposals["P-ALICE"], world.proposals["P-CAROL"]
    accepted = post(client, f"/matching/proposals/{alice.id}/decide", {"decision": "accept"})
    assert (accepted.status_code, accepted.headers["location"]) == (303, "/matching")
    session.refresh(alice)
    assert alice.status == "accepted"
    event = last_event(session)
    assert (event.action, event.entity, event.entity_key, event.detail) == (
        "decide",
        "match_proposal",
        str(alice.id),
        {"person": "P-ALICE", "status": "accepted"},
    )
    refused = post(client, f"/matching/proposals/{carol.id}/decide", {"decision": "accept"})
    assert refused.status_code == 303
    page = client.get("/matching")
    assert "The decision was not recorded: OPP-1 has no place left" in page.text
    session.refresh(carol)
    assert carol.status == "proposed"


def test_a_pairing_is_decided_within_the_caller_s_region(
    client_for: ClientFor, session: Session, world: World
) -> None:
    """The London lead may decide R1K's pairing with R1H (both in London), not RA7's."""
    client = client_for("regional")
    london, south_west = world.pairings["R1K"], world.pairings["R0D"]
    declined = post(client, f"/buddying/pairings/{london.id}/decide", {"decision": "decline"})
    assert declined.status_code == 303
    session.refresh(london)
    assert london.status == "declined"
    assert last_event(session).detail == {"status": "declined"}
    outside = post(client, f"/buddying/pairings/{south_west.id}/decide", {"decision": "decline"})
    assert outside.status_code == 404


def test_a_person_is_added_from_their_organisation_by_choosing_its_post(
    client_for: ClientFor, session: Session, world: World
) -> None:
    """Barts' page links to adding a person there; the form offers Barts' posts by title
    (a regional editor, who manages several organisations, may switch to another's posts),
    and the post chosen is the one saved."""
    client = client_for("regional")
    barts = client.get("/organisations/R1H").text
    assert 'href="/people/new?org=R1H"' in barts
    form_page = client.get("/people/new?org=R1H").text
    assert '<option value="R1H-FD">Director of finance (R1H-FD)</option>' in form_page
    assert 'value="R1K-CEO"' not in form_page  # another organisation's post
    assert "Offer the posts of" in form_page  # London holds more than one organisation
    assert 'value="R1K-CEO"' in client.get("/people/new?org=R1K").text
    person = {
        "person_id": "P-GUS",
        "given_name": "Gus",
        "family_name": "Grant",
        "appointment_type": "interim",
        "start_date": dt.date(2026, 6, 1),
    }
    refused = post(client, "/people/new?org=R1H", person | {"post_id": "R1K-CEO"})
    assert refused.status_code == 400
    added = post(client, "/people/new?org=R1H", person | {"post_id": "R1H-FD"})
    assert (added.status_code, added.headers["location"]) == (303, "/people/P-GUS")
    assert last_event(session).detail == {"post_id": "R1H-FD"}
    # Their next appointment offers the posts of the organisation they are in.
    assert '<option value="R1H-CEO">' in client.get("/people/P-GUS/appointments/new").text
