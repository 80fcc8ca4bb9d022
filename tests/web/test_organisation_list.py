"""The organisations list shows each organisation's executive team stability, as the
dashboard defines it, and sorts by any column through links in the column headings.

The test world (tests/web/world.py): Barts (R1H) has two executive posts, the chief
executive held and the director of finance vacant: vacancy 1 of 2 = 50.0%, interim cover
0 of 2 = 0.0%. London North West (R1K) has its one executive post held: 0.0%. Bristol (RA7)
has its chief executive held and its medical director covered by an interim: vacancy 1 of
2 = 50.0% (an interim-covered post is vacant), interim cover 1 of 2 = 50.0%.
"""

from __future__ import annotations

import re

from tests.web.conftest import ClientFor
from tests.web.test_words import _Words
from tests.web.world import World

ROW = re.compile(r"<tr class=\"nhsuk-table__row\" role=\"row\">(.*?)</tr>", re.S)


def rows(html: str) -> list[list[str]]:
    """The list's body rows as the words of each cell (without the mobile headings)."""
    body = html[html.index("<tbody") : html.index("</tbody>")]
    found = []
    for row in ROW.findall(body):
        cells = []
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S):
            parser = _Words()
            parser.feed(re.sub(r'<span class="nhsuk-table__heading"[^>]*>.*?</span>', "", cell))
            cells.append(" ".join(parser.words))
        found.append(cells)
    return found


def stability(found: list[list[str]]) -> dict[str, list[str]]:
    return {cells[1]: cells[5:8] for cells in found if cells[1] in ("R1H", "R1K", "RA7")}


def test_the_list_shows_the_dashboard_figures(client_for: ClientFor, world: World) -> None:
    html = client_for("national").get("/organisations").text
    assert stability(rows(html)) == {
        "R1H": ["50.0%", "0.0%", "Not available"],
        "R1K": ["0.0%", "0.0%", "Not available"],
        "RA7": ["50.0%", "50.0%", "Not available"],
    }
    head = html[html.index("<thead") : html.index("</thead>")]
    for heading in ("Executive vacancy rate", "Interim cover", "Median executive tenure"):
        assert heading in head


def test_without_personal_data_access_small_figures_are_withheld(
    client_for: ClientFor, world: World
) -> None:
    html = client_for("viewer").get("/organisations").text
    assert stability(rows(html)) == {code: ["Withheld"] * 3 for code in ("R1H", "R1K", "RA7")}
    assert "is withheld" in html


def test_sorting_by_a_column_heading(client_for: ClientFor, world: World) -> None:
    client = client_for("national")
    first = client.get("/organisations?region=Y56").text
    # Sorted by name at first, and the vacancy heading offers the highest rates first.
    name_head = (
        'aria-sort="ascending">'
        '<a href="/organisations?region=Y56&amp;sort=name&amp;order=descending">Name'
    )
    assert name_head in first
    href = re.search(r'href="([^"]*sort=exec_vacancy_rate[^"]*)"', first)
    assert href is not None
    assert (
        href.group(1) == "/organisations?region=Y56&amp;sort=exec_vacancy_rate&amp;order=descending"
    )
    sorted_page = client.get(href.group(1).replace("&amp;", "&")).text
    codes = [cells[1] for cells in rows(sorted_page)]
    # Barts 50.0% before London North West 0.0%; London trusts without executive posts last.
    assert codes[:2] == ["R1H", "R1K"]
    vacancy_head = (
        'aria-sort="descending"><a href="/organisations'
        '?region=Y56&amp;sort=exec_vacancy_rate&amp;order=ascending"'
    )
    assert vacancy_head in sorted_page
    assert sorted_page.count("aria-sort=") == 1
    everywhere = client.get("/organisations?sort=interim_cover_share&order=descending").text
    assert [cells[1] for cells in rows(everywhere)][:3] == ["RA7", "R1H", "R1K"]
    ascending = client.get("/organisations?sort=interim_cover_share&order=ascending").text
    assert [cells[1] for cells in rows(ascending)][:3] == ["R1H", "R1K", "RA7"]


def test_an_unknown_sort_column_sorts_by_name(client_for: ClientFor, world: World) -> None:
    html = client_for("national").get("/organisations?sort=nonsense&order=sideways").text
    names = [cells[0] for cells in rows(html)]
    assert names == sorted(names)
