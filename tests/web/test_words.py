"""Every page speaks plain English: no internal code reaches the words a user reads.

Each page of ``test_pages.MUST_SHOW`` is read as its visible text (no tags, attributes,
scripts, styles or chart specifications), and checked for snake_case codes
(``operations_director``), framework and record codes (``lcf2024``, ``Fppt``) and
programmer's plurals (``pairing(s)``).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.web.conftest import ClientFor
from tests.web.test_pages import MUST_SHOW, NOT_PAGES, PAGES
from tests.web.test_scope import fill
from tests.web.world import World

# Words a user may legitimately see that look like codes: the test world's usernames and
# command lines quoted for analysts. File columns are shown as code (``<code>``).
USERNAMES = re.compile(r"\b[\w-]+-user\b")
ALLOWED = re.compile(r"^talentboard .*$")
CODES = (
    re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"),  # snake_case
    re.compile(r"\blcf\d{4}\b", re.IGNORECASE),
    re.compile(r"\bFppt\b"),
    re.compile(r"\w\(s\)"),
)


class _Words(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "code", "pre", "template"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "code", "pre", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.words.append(" ".join(data.split()))


def codes_in(html: str) -> list[str]:
    parser = _Words()
    parser.feed(html)
    found = []
    for text in parser.words:
        text = USERNAMES.sub("", text)
        if ALLOWED.match(text):
            continue
        found += [m.group(0) for pattern in CODES for m in pattern.finditer(text)]
    return found


@pytest.mark.parametrize("path", [p for p in PAGES if p not in NOT_PAGES])
def test_no_internal_code_on_the_page(path: str, client_for: ClientFor, world: World) -> None:
    role = MUST_SHOW[path][0]
    client = client_for(None if path == "/sign-in" else role)
    url = fill(path, world, role, "in")
    assert url is not None
    response = client.get(url)
    assert response.status_code == 200
    assert codes_in(response.text) == [], path
