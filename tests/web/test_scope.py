"""Every route, every role: DESIGN section 8, generated from the route table.

For each route and each role the test makes the request and checks the answer:

- a role whose grants lack the route's capability gets 404, exactly like a missing page;
- a role that has it gets a real answer (not 404, not a server error) for a record in its
  scope, and 404 for a record outside its scope, with the same page a record that does
  not exist gets;
- nobody signed in is sent to the sign-in page (pages) or refused with 401 (API).

A new route is picked up automatically; if its path has a parameter this file does not
know how to fill, or it has no guard and is not listed as public, the test fails.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from talentboard.web.accounts import create_token
from talentboard.web.app import create_app
from talentboard.web.permissions import GRANTS
from tests.web.conftest import ClientFor
from tests.web.routes import PUBLIC, endpoints, guards
from tests.web.world import ROLES, VISIBLE_ORGANISATIONS, VISIBLE_PEOPLE, World

ROUTES = endpoints(create_app())
PARAMETER = re.compile(r"{(\w+)}")
# Parts of a page that differ between any two requests: the CSP nonce and the session's
# CSRF token (each test client has its own).
NONCE = re.compile(r"nonce-[^'\"]+|nonce=\"[^\"]+\"")
CSRF_VALUE = re.compile(r'name="csrf_token" value="[^"]+"')
REFERENCE = re.compile(r"quote reference <code>[^<]*</code>")


def _ids(item: tuple[str, str, APIRoute]) -> str:
    return f"{item[0]} {item[1]}"


def person_samples(role: str) -> tuple[str | None, str | None]:
    """A person the role may see (None: nobody), and one it may not (None: it sees all)."""
    visible = VISIBLE_PEOPLE[role]
    inside = "P-ALICE" if "P-ALICE" in visible else None
    outside = "P-CAROL" if "P-CAROL" not in visible else None
    return inside, outside


def org_samples(role: str) -> tuple[str | None, str | None]:
    visible = VISIBLE_ORGANISATIONS[role]
    inside = "R1H" if "R1H" in visible else None
    outside = "RA7" if "RA7" not in visible else None
    return inside, outside


def fill(path: str, world: World, role: str, which: str) -> str | None:
    """The path with its parameters filled for a record in (``which="in"``) or out of scope,
    or None when there is no such record for the role."""
    names = PARAMETER.findall(path)
    if not names and which == "out":
        return None
    values: dict[str, Any] = {}
    person_in, person_out = person_samples(role)
    org_in, org_out = org_samples(role)
    person = person_in if which == "in" else person_out
    for name in names:
        if name == "person_id":
            if person is None:
                return None
            values[name] = person
        elif name == "ods_code":
            chosen = org_in if which == "in" else org_out
            if chosen is None:
                return None
            values[name] = chosen
        elif name == "ref" and "/successors/" in path:
            values[name] = world.successors[values["post_id"]].id
        elif name == "ref":
            owner = values.get("person_id")
            if owner is None:
                return None
            records = (
                world.appointments
                if "/appointments/" in path
                else world.conversations
                if "/conversations/" in path
                else world.ratings
                if "/assessments/" in path
                else None
            )
            assert records is not None, f"no sample records for {{ref}} in {path}"
            values[name] = records[owner].id
        elif name == "username":
            if which == "out":
                return None
            values[name] = "spare-user"
        elif name == "filename":
            if which == "out":
                return None
            values[name] = "people.csv"
        elif name == "proposal_id":
            if person is None:
                return None
            values[name] = world.proposals[person].id
        elif name == "pairing_id":
            chosen = org_in if which == "in" else org_out
            if chosen is None:
                return None
            values[name] = world.pairings["R1K" if chosen == "R1H" else "R0D"].id
        elif name == "extension":
            if which == "out":
                return None
            values[name] = "html"
        elif name == "opportunity_id":
            if which == "out":
                return None
            values[name] = "OPP-1"
        elif name == "post_id":
            chosen = org_in if which == "in" else org_out
            if chosen is None:
                return None
            values[name] = f"{chosen}-CEO"
        elif name == "ident":
            # Saved column choices: the role's own owner's, or those of an organisation
            # no role here belongs to.
            owners = {"national": "national", "regional": "region:Y56", "org_admin": "org:R1H"}
            owner = owners.get(role, "org:R1H") if which == "in" else "org:RA7"
            values[name] = world.mappings[owner].id
        else:
            raise AssertionError(f"the scope test does not know how to fill {{{name}}} in {path}")
    return PARAMETER.sub(lambda m: str(values[m.group(1)]), path)


def missing(path: str) -> str | None:
    """The path with its record parameters pointing at records that do not exist."""
    if "{person_id}" in path:
        return PARAMETER.sub(lambda m: "P-NOBODY" if m.group(1) == "person_id" else "999999", path)
    if "{ods_code}" in path:
        return PARAMETER.sub(lambda m: "ZZZ" if m.group(1) == "ods_code" else "999999", path)
    if "{post_id}" in path:
        return PARAMETER.sub(lambda m: "NO-POST" if m.group(1) == "post_id" else "999999", path)
    return None


def call(client: TestClient, method: str, path: str, token: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if method == "GET":
        return client.get(path, headers=headers, follow_redirects=False)
    data = {"csrf_token": client.csrf}  # type: ignore[attr-defined]
    return client.request(method, path, data=data, headers=headers, follow_redirects=False)


def normalised(text: str) -> str:
    # Every answer carries its own request id (web.logs), random, so telling nothing.
    text = REFERENCE.sub("reference", text)
    return CSRF_VALUE.sub("csrf", NONCE.sub("nonce", text))


@pytest.fixture
def tokens(session: Session, world: World) -> dict[str, str]:
    return {role: create_token(session, world.users[role].username) for role in ROLES}


def test_every_route_is_guarded_or_public(app: FastAPI) -> None:
    for method, path, route in endpoints(app):
        found = guards(route)
        if (method, path) in PUBLIC:
            assert not found, f"{method} {path} is public but has a guard"
        else:
            assert len(found) == 1, f"{method} {path} needs exactly one guard, has {found}"


@pytest.mark.parametrize("endpoint", ROUTES, ids=_ids)
def test_route_by_role(
    endpoint: tuple[str, str, APIRoute],
    client_for: ClientFor,
    world: World,
    tokens: dict[str, str],
) -> None:
    method, path, route = endpoint
    if (method, path) in PUBLIC:
        return
    (capability,) = guards(route)
    api = path.startswith("/api/")
    problems: list[str] = []

    anonymous = fill(path, world, "national", "in")
    assert anonymous is not None
    answer = call(client_for(None), method, anonymous, None)
    if api:
        if answer.status_code != 401:
            problems.append(f"anonymous: {answer.status_code}, expected 401")
    elif method == "POST":
        # Without a session there is no CSRF token to match, so the form is refused first.
        if answer.status_code != 403:
            problems.append(f"anonymous: {answer.status_code}, expected 403")
    elif answer.status_code != 303 or not answer.headers["location"].startswith("/sign-in"):
        problems.append(f"anonymous: {answer.status_code}, expected a redirect to sign in")

    # National goes last: its in-scope requests include erasing a person and disabling a
    # user, which would change what the other roles' requests find.
    for role in reversed(ROLES):
        allowed = capability in GRANTS[role]

        def request(url: str, role: str = role) -> Any:
            if api:
                return call(client_for(None), method, url, tokens[role])
            return call(client_for(role), method, url, None)

        inside = fill(path, world, role, "in")
        outside = fill(path, world, role, "out")
        if inside is not None:
            got = request(inside).status_code
            if allowed and (got == 404 or got >= 500):
                problems.append(f"{role} in scope {inside}: {got}, expected an answer")
            if not allowed and got != 404:
                problems.append(f"{role} without {capability}: {inside} gave {got}, expected 404")
        if outside is not None:
            answer = request(outside)
            if answer.status_code != 404:
                problems.append(f"{role} out of scope {outside}: {answer.status_code}, not 404")
            nowhere = missing(path)
            if method == "GET" and nowhere is not None:
                absent = request(nowhere)
                if normalised(absent.text) != normalised(answer.text):
                    problems.append(f"{role}: {outside} does not answer like {nowhere}")
    assert not problems, "\n".join(problems)
