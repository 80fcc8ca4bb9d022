"""The dashboard's figures by region and its choice of as-at date.

The world (tests/web/world.py) as at 30 September 2026: London (Y56) has three executive
posts (Barts' chief executive held, its director of finance vacant, London North West's
chief executive held): vacancy 1 of 3 = 33.3%, interim cover 0 of 3 = 0.0%. The South West
(Y58) has Bristol's two: the chief executive held, the medical director covered by Dan as
an interim since 1 January 2026: vacancy 1 of 2 = 50.0%, interim cover 1 of 2 = 50.0%.
On 31 December 2025 Dan had not started: the South West's interim cover is 0 of 2 = 0.0%.
The register's first record is Bob's appointment of 1 June 2019.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy.orm import Session

from talentboard.cli._stats_figures import _json_text, _work_out
from talentboard.frames.register import load_register
from talentboard.web.presenters.stats import BREAKDOWN_FIGURES
from tests.web.conftest import ClientFor
from tests.web.tables import tables

CAPTION = "Board stability by region"


def _breakdown(html: str) -> dict[str, dict[str, str]]:
    """The breakdown table as region name to {heading: cell}."""
    found = tables(html)[CAPTION]
    # Each heading ends with what selecting it does, for screen readers.
    head = [cell.rsplit(", sort ", 1)[0] for cell in found[0]]
    return {row[0]: dict(zip(head[1:], row[1:], strict=True)) for row in found[1:]}


def _heading(name: str) -> str:
    return next(text for n, text, _ in BREAKDOWN_FIGURES if n == name)


def _written(value: float | None, kind: str) -> str:
    """A figure of ``talentboard stats --format json`` as the page writes it."""
    if value is None:
        return "Not available"
    if kind == "share":
        return f"{100 * value:.1f}%"
    if kind == "years":
        return f"{value:.1f} years"
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return f"{sign}{abs(value):.1f} pp"


def test_the_figures_by_region_are_those_of_stats_by_region(
    client_for: ClientFor, session: Session, as_at: None
) -> None:
    page = _breakdown(client_for("national").get("/").text)
    assert page["London"][_heading("exec_vacancy_rate")] == "33.3%"
    assert page["South West"][_heading("exec_vacancy_rate")] == "50.0%"
    assert page["South West"][_heading("interim_cover_share")] == "50.0%"
    # Every cell is the figure `talentboard stats --by region --at 2026-09-30` works out.
    at = dt.date(2026, 9, 30)
    results = _work_out(load_register(session), at, None, "region", model=False, series=False)
    cli = json.loads(_json_text(results))["by"]["region"]
    names = {"Y56": "London", "Y58": "South West"}
    assert set(page) == {names[code] for code in cli}
    for code, figures in cli.items():
        for name, heading, kind in BREAKDOWN_FIGURES:
            assert page[names[code]][heading] == _written(figures[name], kind), (code, name)


def test_a_chosen_date_changes_the_figures_and_the_region_links_keep_it(
    client_for: ClientFor, as_at: None
) -> None:
    client = client_for("national")
    html = client.get("/?at[day]=31&at[month]=12&at[year]=2025").text
    assert "All organisations in England, as at 31 December 2025." in html
    assert _breakdown(html)["South West"][_heading("interim_cover_share")] == "0.0%"
    assert 'href="/?at=2025-12-31&amp;region=Y58"' in html
    region = client.get("/?at=2025-12-31&region=Y58")
    assert region.status_code == 200
    assert "Organisations in the South West region, as at 31 December 2025." in region.text
    assert CAPTION not in region.text, "a region's own dashboard has no breakdown"


def test_sorting_the_breakdown_by_a_column(client_for: ClientFor, as_at: None) -> None:
    client = client_for("national")
    by_name = list(_breakdown(client.get("/").text))
    assert by_name == ["London", "South West"]
    highest = client.get("/?sort=interim_cover_share&order=descending").text
    assert list(_breakdown(highest)) == ["South West", "London"]
    assert 'aria-sort="descending"' in highest


def test_a_date_outside_the_register_is_refused_with_a_message(
    client_for: ClientFor, as_at: None
) -> None:
    client = client_for("national")
    early = client.get("/?at[day]=31&at[month]=5&at[year]=2019")
    assert early.status_code == 400
    message = (
        "Date the figures are as at must be on or after 1 June 2019, the date of the "
        "register&#39;s first record"
    )
    assert "There is a problem" in early.text
    assert early.text.count(message) == 2, "in the error summary and beside the field"
    assert 'href="#at-day"' in early.text
    assert "as at 30 September 2026." in early.text, "the latest figures are shown instead"
    later = client.get("/?at=2999-01-01")
    assert later.status_code == 400
    assert "Date the figures are as at must be today or in the past" in later.text
    unreal = client.get("/?at[day]=31&at[month]=2&at[year]=2026")
    assert "Date the figures are as at must be a real date" in unreal.text
    partial = client.get("/?at[day]=31&at[month]=&at[year]=2026")
    assert "Date the figures are as at must include a month" in partial.text


def test_without_personal_data_access_the_breakdown_is_withheld(
    client_for: ClientFor, as_at: None
) -> None:
    """Every region's counts are below the publication threshold: each figure built on
    them is withheld, as in the organisations list; the workforce share is published."""
    page = _breakdown(client_for("viewer").get("/").text)
    assert page["London"][_heading("exec_vacancy_rate")] == "Withheld"
    assert page["South West"][_heading("interim_cover_share")] == "Withheld"
    assert "33.3%" not in client_for("viewer").get("/").text


def test_a_region_outside_the_callers_scope_is_not_found(
    client_for: ClientFor, as_at: None
) -> None:
    regional = client_for("regional")
    assert regional.get("/?region=Y58").status_code == 404
    assert CAPTION not in regional.get("/").text, "a region sees its own figures"
    assert client_for("national").get("/?region=NOPE").status_code == 404
