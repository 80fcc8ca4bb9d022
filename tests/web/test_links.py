"""No dead ends: every same-site link a role is shown leads to a page that role may open.

For each role the crawl starts at the dashboard and follows every ``href`` on every page it
reaches (GET only, same site, without the fragment), and asserts that none answers 404 or a
server error. A link to a page the role may not see is a dead end too: the page should not
offer it. Downloads are opened but not crawled.
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from talentboard.db.models import Appointment
from tests.web.conftest import ClientFor
from tests.web.world import ROLES, World

# Links that change state or leave a signed-in session; and how many pages a crawl opens.
NOT_FOLLOWED = ("/sign-out", "/static/")
LIMIT = 600


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_of(page_url: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url = urldefrag(urljoin(page_url, href)).url
        parts = urlsplit(url)
        if parts.netloc != "testserver" or parts.scheme not in ("http", "https"):
            continue
        local = parts.path + (f"?{parts.query}" if parts.query else "")
        if not local.startswith(NOT_FOLLOWED):
            found.append(local)
    return found


def crawl(client: TestClient, start: str = "/") -> dict[str, tuple[int, str]]:
    """Every page reached from ``start``: its status and the first page that linked to it."""
    seen: dict[str, tuple[int, str]] = {start: (0, "")}
    queue = [start]
    while queue and len(seen) < LIMIT:
        url = queue.pop(0)
        response = client.get(url, follow_redirects=True)
        seen[url] = (response.status_code, seen[url][1])
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        for link in links_of(f"http://testserver{url}", response.text):
            if link not in seen:
                seen[link] = (0, url)
                queue.append(link)
    return seen


@pytest.fixture
def past_posts(session: Session, world: World) -> None:
    """Alice was medical director at Bristol (South West) and Erin chief executive at London
    North West before their posts at Barts: organisations outside some callers' scope."""
    for pid, post_id in (("P-ALICE", "RA7-MD"), ("P-ERIN", "R1K-CEO")):
        session.add(
            Appointment(
                person_ref=world.people[pid].id,
                post_ref=world.posts[post_id].id,
                start_date=dt.date(2014, 1, 1),
                end_date=dt.date(2017, 12, 31),
                end_reason="moved_nhs",
                appointment_type="substantive",
            )
        )
    session.flush()


@pytest.mark.parametrize("role", ROLES)
def test_every_link_a_role_is_shown_opens(
    role: str, client_for: ClientFor, world: World, as_at: None, past_posts: None
) -> None:
    pages = crawl(client_for(role))
    dead = {url: found for url, found in pages.items() if found[0] in (404,) or found[0] >= 500}
    assert dead == {}, f"links that fail for the {role} user (status, linked from): {dead}"
    assert len(pages) > 5


@pytest.mark.parametrize(
    ("role", "person", "linked", "unlinked", "changes"),
    [
        # The individual sees their own record: no organisation page is theirs to open.
        ("individual", "P-ALICE", set(), {"Barts Health NHS Trust", "Bristol"}, 0),
        # Barts' admin may change Alice's Barts appointment, not her Bristol one.
        ("org_admin", "P-ALICE", {"R1H"}, {"Bristol"}, 1),
        # London's regional user reaches both of Erin's London trusts.
        ("regional", "P-ERIN", {"R1H", "R1K"}, set(), 2),
        ("national", "P-ALICE", {"R1H", "RA7"}, set(), 2),
    ],
)
def test_past_organisations_link_only_where_the_caller_may_go(
    role: str,
    person: str,
    linked: set[str],
    unlinked: set[str],
    changes: int,
    client_for: ClientFor,
    world: World,
    past_posts: None,
) -> None:
    html = client_for(role).get(f"/people/{person}").text
    table = html[html.index("Appointments") :]
    table = table[: table.index("</table>")]
    hrefs = links_of(f"http://testserver/people/{person}", table)
    assert {h.split("/")[2] for h in hrefs if h.startswith("/organisations/")} == linked
    for name in unlinked:
        assert name in table
    assert sum("/appointments/" in h and h.endswith("/edit") for h in hrefs) == changes
