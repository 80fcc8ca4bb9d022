"""The API documentation page lists exactly the operations of /api/openapi.json."""

from __future__ import annotations

import re

from tests.web.conftest import ClientFor


def test_every_operation_of_the_description_is_on_the_page(client_for: ClientFor) -> None:
    client = client_for("viewer")
    description = client.get("/api/openapi.json").json()
    page = client.get("/api/docs")
    assert page.status_code == 200
    listed = re.findall(
        r'<h2 id="[^"]+" class="nhsuk-heading-m"><code>(\w+) ([^<]+)</code>', page.text
    )
    expected = sorted(
        (method.upper(), path)
        for path, operations in description["paths"].items()
        for method in operations
    )
    assert sorted(listed) == expected
    assert len(expected) >= 5
    # A parameter with its place, whether it is required, its type and meaning.
    shortlist = page.text.split("GET /api/posts/{post_id}/shortlist</code></h2>")[1]
    assert "As-at date (default: the data&#39;s date)." in shortlist.split("</section>")[0]
