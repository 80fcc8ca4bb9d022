"""Vacancy shortlists on the web and the API: the ranking shown is
``shortlist_for_post``'s, people outside the caller's scope are counted and not named, and
each read is audited.

The world of ``tests/web/world.py`` plus Erin Evans (R1H divisional director) in the
talent pool, ready now for chief executive, willing to work in London. For Barts' chief
executive post (R1H-CEO, held by Alice Adams):

- Alice (ready in 1 to 2 years) holds the post, so she is left out: "holds this post now";
- Carol Clark (Bristol, South West; ready in 1 to 2 years; willing to work in London and
  consenting to moves across organisations) and Erin are shortlisted;
- ``org_admin`` (R1H) sees Alice and Erin but not Carol; ``regional`` (London) the same.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard.db.models import AuditEvent, ReadinessReview, TalentProfile
from talentboard.matching.services import shortlist_for_post
from talentboard.web.accounts import create_token
from talentboard.web.queries import default_as_at
from tests.web.conftest import ClientFor
from tests.web.world import World

PERSON = re.compile(r'<a href="/people/(P-[A-Z]+)">')
CELL = re.compile(r'aria-hidden="true">(Rank|Framework fit|Breadth|Score) </span>([^<]*)<')


@pytest.fixture
def erin_in_pool(session: Session, world: World) -> None:
    profile = TalentProfile(
        person_ref=world.people["P-ERIN"].id,
        willing_regions=["Y56"],
        cross_org_consent=False,
        impact="high",
        growth="high",
        programmes=[],
    )
    session.add(profile)
    session.flush()
    session.add(
        ReadinessReview(
            profile_ref=profile.id,
            target_role_code="chief_executive",
            readiness="ready_now",
            reviewed_on=dt.date(2026, 3, 1),
        )
    )
    session.flush()


def sections(html: str) -> tuple[str, str]:
    candidates = html.split("<h2>Candidates</h2>")[1].split("<h2>Left out</h2>")[0]
    left_out = html.split("<h2>Left out</h2>")[1]
    return candidates, left_out


@pytest.mark.usefixtures("erin_in_pool")
def test_the_page_shows_the_ranking_of_shortlist_for_post(
    session: Session, client_for: ClientFor
) -> None:
    expected = shortlist_for_post(session, "R1H-CEO", default_as_at(session))
    ranked = expected.candidates.sort("rank")
    assert sorted(ranked["person_id"]) == ["P-CAROL", "P-ERIN"]
    assert expected.excluded["person_id"].to_list() == ["P-ALICE"]

    page = client_for("national").get("/vacancies/R1H-CEO")
    assert page.status_code == 200
    candidates, left_out = sections(page.text)
    assert PERSON.findall(candidates) == ranked["person_id"].to_list()
    column: dict[str, list[str]] = {}
    for heading, text in CELL.findall(candidates):
        column.setdefault(heading, []).append(text)
    assert column == {
        "Rank": [str(r) for r in ranked["rank"]],
        "Framework fit": [f"{f} of 100" for f in ranked["fit"]],
        "Breadth": [f"{b} of 50" for b in ranked["breadth"]],
        "Score": [str(s) for s in ranked["score"]],
    }
    for reason in ranked.get_column("reasons").explode():
        assert reason in page.text.replace("&#39;", "'")
    assert PERSON.findall(left_out) == ["P-ALICE"]
    assert "holds this post now" in left_out


@pytest.mark.usefixtures("erin_in_pool")
def test_people_outside_the_callers_scope_are_counted_not_named(
    session: Session, client_for: ClientFor
) -> None:
    page = client_for("org_admin").get("/vacancies/R1H-CEO")
    candidates, left_out = sections(page.text)
    assert PERSON.findall(candidates) == ["P-ERIN"]
    assert "Carol" not in page.text
    assert "P-CAROL" not in page.text
    assert "1 more shortlisted person outside the organisations you can see" in candidates
    assert PERSON.findall(left_out) == ["P-ALICE"]
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "vacancy_shortlist")
    ).one()
    assert (event.username, event.action, event.entity_key) == (
        "org_admin-user",
        "read",
        "R1H-CEO",
    )
    assert event.detail["people"] == ["P-ALICE", "P-ERIN"]


def test_the_organisation_page_links_vacant_and_interim_posts(client_for: ClientFor) -> None:
    barts = client_for("org_admin").get("/organisations/R1H").text
    assert 'href="/vacancies/R1H-FD"' in barts
    assert 'href="/vacancies/R1H-CEO"' not in barts
    bristol = client_for("national").get("/organisations/RA7").text
    assert 'href="/vacancies/RA7-MD"' in bristol
    assert 'href="/vacancies/RA7-CEO"' not in bristol
    assert 'href="/vacancies"' in client_for("regional").get("/matching").text


@pytest.mark.usefixtures("erin_in_pool")
def test_api_shortlist(session: Session, world: World, client_for: ClientFor) -> None:
    client = client_for(None)
    url = "/api/posts/R1H-CEO/shortlist"
    assert client.get(url).status_code == 401
    assert client.get(url, headers={"Authorization": "Bearer nonsense"}).status_code == 401

    def get(role: str, path: str = url) -> object:
        token = create_token(session, world.users[role].username)
        return client.get(path, headers={"Authorization": f"Bearer {token}"})

    expected = shortlist_for_post(session, "R1H-CEO", default_as_at(session)).to_json()
    national = get("national").json()  # type: ignore[attr-defined]
    assert national == {**expected, "shortlist_not_shown": 0, "excluded_not_shown": 0}

    scoped = get("org_admin").json()  # type: ignore[attr-defined]
    assert [c["person_id"] for c in scoped["shortlist"]] == ["P-ERIN"]
    assert scoped["shortlist"] == [c for c in expected["shortlist"] if c["person_id"] == "P-ERIN"]
    assert scoped["shortlist_not_shown"] == 1
    assert [e["person_id"] for e in scoped["excluded"]] == ["P-ALICE"]

    assert get("regional", "/api/posts/RA7-CEO/shortlist").status_code == 404  # type: ignore[attr-defined]
    assert get("national", "/api/posts/NO-POST/shortlist").status_code == 404  # type: ignore[attr-defined]
    assert get("viewer").status_code == 404  # type: ignore[attr-defined]
