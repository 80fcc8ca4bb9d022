"""Every page of the service, as the role that uses it, passes axe in Chromium under the
Content-Security-Policy: the WCAG 2.2 AA rules every journey checks, and two rules of
axe's best practice besides, that all content sits in a landmark (``region``) and that
headings go down one level at a time (``heading-order``).

The pages come from ``tests.web.test_pages.MUST_SHOW`` (which the route table keeps
complete); their path parameters are filled with records of the browser site's demo data.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import text

from talentboard.db import make_engine
from tests.browser.conftest import Site
from tests.browser.test_journeys import given_a_signed_in
from tests.web.test_pages import MUST_SHOW, NOT_PAGES

# A record for each path parameter, from the demo data the browser site holds.
QUERIES = {
    "ods_code": "SELECT ods_code FROM organisations WHERE ods_code = :ods",
    "person_id": (
        "SELECT p.person_id FROM people p JOIN talent_profiles t ON t.person_ref = p.id "
        "JOIN appointments a ON a.person_ref = p.id JOIN posts o ON o.id = a.post_ref "
        "WHERE o.ods_code = :ods ORDER BY p.person_id LIMIT 1"
    ),
    "post_id": (
        "SELECT o.post_id FROM posts o JOIN succession_plans s ON s.post_ref = o.id "
        "WHERE o.ods_code = :ods ORDER BY o.post_id LIMIT 1"
    ),
    "opportunity_id": "SELECT opportunity_id FROM opportunities ORDER BY opportunity_id LIMIT 1",
}

# A record of a person's or a post's own, named by the row's key: the person (or post)
# and the record together, both inside the organisation administrator's trust.
_OWN = (
    "JOIN people p ON p.id = r.person_ref JOIN talent_profiles t ON t.person_ref = p.id "
    "WHERE EXISTS (SELECT 1 FROM appointments a JOIN posts o ON o.id = a.post_ref "
    "WHERE a.person_ref = p.id AND o.ods_code = :ods) ORDER BY p.person_id, r.id LIMIT 1"
)
RECORDS = {
    "/appointments/": "SELECT p.person_id, r.id FROM appointments r " + _OWN,
    "/assessments/": "SELECT p.person_id, r.id FROM assessments r " + _OWN,
    "/conversations/": "SELECT p.person_id, r.id FROM career_conversations r " + _OWN,
    "/successors/": (
        "SELECT o.post_id, r.id FROM successors r JOIN succession_plans s ON s.id = r.plan_ref "
        "JOIN posts o ON o.id = s.post_ref WHERE o.ods_code = :ods ORDER BY o.post_id, r.id "
        "LIMIT 1"
    ),
}


def _fill(path: str, site: Site) -> str | None:
    engine = make_engine(site.database)
    try:
        with engine.connect() as conn:
            if "{ref}" in path:
                query = next(q for part, q in RECORDS.items() if part in path)
                row = conn.execute(text(query), {"ods": site.org_admin_ods}).first()
                if row is None:
                    return None
                owner = re.findall(r"{(\w+)}", path)[0]
                path = path.replace(f"{{{owner}}}", str(row[0])).replace("{ref}", str(row[1]))
            for name in re.findall(r"{(\w+)}", path):
                if name not in QUERIES:
                    return None
                value = conn.execute(text(QUERIES[name]), {"ods": site.org_admin_ods}).scalar()
                if value is None:
                    return None
                path = path.replace(f"{{{name}}}", str(value))
    finally:
        engine.dispose()
    return path


PAGES = sorted(p for p in MUST_SHOW if p not in NOT_PAGES and p != "/sign-in")


@pytest.mark.parametrize("path", PAGES)
def test_the_page_passes_axe(path: str, user_for: Any, site: Site) -> None:
    role = MUST_SHOW[path][0]
    if role in ("regional", "national"):
        role = "org_admin" if "{" in path else role
    url = _fill(path, site)
    assert url is not None, f"no record in the demo data for {path}"
    user = given_a_signed_in(user_for, role)
    user.visit(url)
    found = user.page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'rule', values: "
        "['region', 'heading-order']}})).violations.map(v => [v.id, v.nodes.map(n => n.target)])"
    )
    assert found == [], f"{url}: {found}"
