"""Every page renders, and shows what it must: its title, its main content, forms that post
to a real address with the CSRF token, and no script the CSP nonce does not cover.

The pages are taken from the route table: a new GET page without an entry in ``MUST_SHOW``
fails the test, so every page gets checked.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from fastapi import FastAPI

from talentboard.web.app import create_app
from tests.web.conftest import ClientFor
from tests.web.routes import endpoints
from tests.web.test_scope import fill
from tests.web.world import World

# GET page -> (role that sees it, its <title> before " – Talentboard", text it must show).
MUST_SHOW: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "/": ("national", "Dashboard", ("Headline figures", "Executive vacancy rate", "Trends")),
    "/access": ("viewer", "Access and data protection", ("Roles", "audit log")),
    "/account": ("regional", "Your account", ("regional-user", "London region")),
    "/sign-in": ("viewer", "Sign in", ("Username", "Password")),
    "/admin": ("national", "Administration", ("spare-user", "Add a user")),
    "/admin/audit": ("national", "Audit log", ("talentboard audit --format json", "Filter")),
    "/admin/users/new": ("national", "Add a user", ("Role", "Password")),
    "/buddying": ("regional", "Buddying", ("London North West", "same kind and region")),
    "/data": ("national", "Data", ("Import a file", "people", "/data/templates/people.csv")),
    "/forecast": (
        "regional",
        "Forecast",
        ("Executive vacancy rate", "BME share of voting board members", "What if?", "Backtest"),
    ),
    "/matching": ("national", "Matching", ("Run matching", "Alice Adams", "Board shadowing")),
    "/opportunities": ("individual", "Opportunities", ("Board shadowing at Barts Health",)),
    "/opportunities/new": ("org_admin", "Add an opportunity", ("Host organisation",)),
    "/opportunities/{opportunity_id}": (
        "national",
        "Board shadowing at Barts Health",
        ("OPP-1", "Providing robust governance and assurance", "Alice Adams", "Carol Clark"),
    ),
    "/opportunities/{opportunity_id}/edit": (
        "national",
        "Change Board shadowing at Barts Health",
        ("Places",),
    ),
    "/organisations": ("viewer", "Organisations", ("Barts Health NHS Trust", "R1H")),
    "/organisations/{ods_code}": (
        "org_admin",
        "Barts Health NHS Trust",
        ("Board today", "Alice Adams", "Vacant", "Succession coverage", "Board skills"),
    ),
    "/people/new": ("national", "Add a person", ("Person ID", "Post ID")),
    "/people/{person_id}": (
        "individual",
        "Alice Adams",
        ("Appointments", "Chief executive", "Change your aspirations", "Talent profile"),
    ),
    "/people/{person_id}/appointments/new": ("org_admin", "Appointment", ("Start date",)),
    "/people/{person_id}/appointments/{ref}/edit": ("org_admin", "Appointment", ("R1H-CEO",)),
    "/people/{person_id}/aspirations": (
        "individual",
        "Your aspirations",
        ("Regions you would work in",),
    ),
    "/people/{person_id}/assessments/new": (
        "regional",
        "Assessment: NHS England Leadership Competency Framework for board members",
        ("Driving high quality and sustainable outcomes",),
    ),
    "/people/{person_id}/assessments/{ref}/edit": (
        "regional",
        "Change a rating: Driving high quality and sustainable outcomes",
        ("Frequently",),
    ),
    "/people/{person_id}/conversations/new": ("regional", "Career conversation", ("Growth",)),
    "/people/{person_id}/conversations/{ref}/actions/new": (
        "regional",
        "Add a development action",
        ("Due by",),
    ),
    "/people/{person_id}/conversations/{ref}/edit": (
        "regional",
        "Career conversation",
        ("Stretch",),
    ),
    "/people/{person_id}/erase": (
        "national",
        "Erase Alice Adams",
        ("This cannot be undone", "Download a copy of their data first"),
    ),
    "/people/{person_id}/edit": ("national", "Change details of Alice Adams", ("Given name",)),
    "/people/{person_id}/profile": ("regional", "Talent profile", ("Programmes attended",)),
    "/people/{person_id}/readiness/new": (
        "regional",
        "Record a readiness review",
        ("Target role",),
    ),
    "/people/{person_id}/self-assessment": (
        "individual",
        "Assessment: NHS England Leadership Competency Framework for board members",
        ("Date of the assessment",),
    ),
    "/outcomes": ("viewer", "Outcomes", ("Every exposure against every indicator", "too few")),
    "/reports": ("viewer", "Reports", ("London region", "Excel workbook", "Get the report")),
    "/succession": ("regional", "Succession", ("Risk heat map", "Barts Health NHS Trust")),
    "/succession/posts/{post_id}": (
        "org_admin",
        "Succession plan: Chief executive",
        ("Erin Evans", "A candidate outside the organisations you can see"),
    ),
    "/succession/posts/{post_id}/successors/new": ("regional", "Successor", ("Emergency cover",)),
    "/succession/posts/{post_id}/successors/{ref}/edit": ("regional", "Successor", ("Ready now",)),
    "/vacancies": ("regional", "Vacancy shortlists", ("Director of finance", "Barts Health")),
    "/vacancies/{post_id}": (
        "org_admin",
        "Shortlist: Chief executive",
        ("Alice Adams", "holds this post now", "1 more shortlisted person outside"),
    ),
    "/talent": ("regional", "Talent pool", ("Alice Adams", "Box", "Members")),
}
# Pages that answer with a file or a redirect rather than a page.
NOT_PAGES = {
    "/data/templates/{filename}",
    "/data/exports/{filename}",
    "/data/mappings/{ident}.toml",
    "/reports/board.{extension}",
    "/reports/download",
    "/people/{person_id}/subject-access",
    "/people/{person_id}/your-data",
    # For operators' tools, not pages (test_operations.py).
    "/health/live",
    "/health/ready",
    "/metrics",
    # Single sign-on's redirects to and from the provider (tests/web/test_sso.py).
    "/sign-in/oidc",
    "/sign-in/oidc/callback",
}


class Page(HTMLParser):
    """The parts of a page the checks look at."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.h1 = ""
        self._in: str | None = None
        self._titles = 0
        self.scripts: list[dict[str, str | None]] = []
        self.forms: list[dict[str, str | None]] = []
        self.form_tokens: list[str | None] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        if tag == "title":
            # The first title is the page's; the NHS logo's SVG has one of its own.
            self._titles += 1
            self._in = tag if self._titles == 1 else None
        elif tag == "h1":
            self._in = tag
        elif tag == "script":
            self.scripts.append(found)
        elif tag == "form":
            self.forms.append(found)
            self.form_tokens.append(None)
        elif tag == "input" and found.get("name") == "csrf_token" and self.form_tokens:
            self.form_tokens[-1] = found.get("value")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.h1 += data


PAGES = sorted(
    path
    for method, path, _ in endpoints(create_app())
    if method == "GET" and not path.startswith("/api")
)


def test_every_page_has_an_entry() -> None:
    missing = [p for p in PAGES if p not in MUST_SHOW and p not in NOT_PAGES]
    assert not missing, f"add these pages to MUST_SHOW: {missing}"


@pytest.mark.parametrize("path", [p for p in PAGES if p not in NOT_PAGES])
def test_page(path: str, client_for: ClientFor, world: World, app: FastAPI) -> None:
    role, title, texts = MUST_SHOW[path]
    client = client_for(None if path == "/sign-in" else role)
    url = fill(path, world, role, "in")
    assert url is not None
    response = client.get(url)
    assert response.status_code == 200, response.text[:500]
    page = Page()
    page.feed(response.text)
    assert page.title.strip() == f"{title} – Talentboard"
    assert page.h1.strip() == title
    for text in texts:
        assert text in response.text, f"{path} does not show {text!r}"
    nonce = response.headers["content-security-policy"].split("'nonce-")[1].split("'")[0]
    for script in page.scripts:
        assert script.get("src") or script.get("nonce") == nonce, (
            f"inline script without nonce: {script}"
        )
    assert not page.handlers, f"inline event handlers: {page.handlers}"
    token = client.csrf if path != "/sign-in" else client.cookies  # type: ignore[attr-defined]
    for form, form_token in zip(page.forms, page.form_tokens, strict=True):
        assert form.get("action"), f"a form without an action on {path}"
        assert form["action"].startswith("/"), form
        if (form.get("method") or "get").lower() == "post":
            assert form_token, f"a form posting to {form['action']} has no CSRF token"
            if path != "/sign-in":
                assert form_token == token
