"""Where two places on screen state one figure, they read one computation.

Each test finds both statements on the pages a user sees and checks they agree, on the
small world of ``tests.web.world`` (as at 30 September 2026).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from talentboard.talent.risk import succession_report
from talentboard.talent.succession import succession_rollup
from talentboard.web.presenters.talent import heat_map
from tests.talent.test_succession import (
    APPOINTMENTS,
    AT,
    LEAVE,
    ORGANISATIONS,
    POSTS,
    SEGMENTS,
    plans_and_successors,
)
from tests.web.conftest import ClientFor
from tests.web.tables import tables
from tests.web.world import World


def test_the_heat_map_and_the_coverage_table_name_the_same_higher_risk_posts(
    client_for: ClientFor, as_at: None
) -> None:
    """London's heat map labels each executive post with its risk band; the coverage table
    beside it counts the higher risk posts of each organisation. Barts' director of finance
    post is vacant with no successor: 0.4 + 0.3 + 0.2 = 0.9 at least, higher risk."""
    page = tables(client_for("regional").get("/succession").text)
    heat = page["Succession risk by organisation and executive role"]
    labelled = {row[0]: sum(cell.endswith("Higher risk") for cell in row[1:]) for row in heat[1:]}
    coverage = page["Coverage by organisation"]
    column = coverage[0].index("Higher risk posts")
    counted = {row[0]: int(row[column]) for row in coverage[1:]}
    assert labelled == counted
    assert labelled["Barts Health NHS Trust"] >= 1


def test_a_post_at_the_higher_risk_threshold_is_labelled_and_counted_alike() -> None:
    """The succession tests' register gives RJ1 posts at risks 0.1, 0.34, 0.5 and 0.9: the
    post at exactly 0.5 is a higher risk post in the roll-up, so the heat map says so."""
    plans, successors = plans_and_successors()
    report = succession_report(POSTS, APPOINTMENTS, plans, successors, SEGMENTS, LEAVE, AT)
    heat = heat_map(report.posts, {})
    labelled = {
        row["name"]: sum(cell["text"] == "Higher risk" for cell in row["cells"])
        for row in heat["rows"]
    }
    counted = dict(
        succession_rollup(report.posts, ORGANISATIONS, "ods_code")
        .select("ods_code", "high_risk_posts")
        .iter_rows()
    )
    assert labelled == counted
    assert labelled["RJ1"] == 2


def _pool_box(html: str, name: str) -> str:
    pool = next(rows for caption, rows in tables(html).items() if "Name" in rows[0])
    return next(row[-1] for row in pool[1:] if row[0] == name)


def test_the_record_and_the_talent_pool_place_a_person_in_one_box(
    client_for: ClientFor, session: Session, world: World, as_at: None
) -> None:
    """Alice's talent review placed her high impact, medium growth (box 6) with no review
    date; her conversation of 1 March 2026 then placed her low impact, high growth (box 7).
    The grid reads the later placement, and so does her record, saying where it is from.
    (The talent page is first asked for after the change: what the pages keep is refreshed
    by the app's own writes, tested in test_cache_changes.py.)"""
    regional = client_for("regional")
    record = regional.get("/people/P-ALICE").text
    assert "Impact high, growth medium (box 6), from the talent review" in record

    conversation = world.conversations["P-ALICE"]
    conversation.impact, conversation.growth = "low", "high"
    session.flush()
    record = regional.get("/people/P-ALICE").text
    assert "Impact low, growth high (box 7), from the career conversation on 1 March 2026" in record
    assert "Placement at the last talent review" in record  # the review's own, named as such
    assert _pool_box(regional.get("/talent").text, "Alice Adams") == "Box 7"


def test_ready_now_for_a_post_is_one_figure_on_succession_and_its_shortlist(
    client_for: ClientFor, as_at: None
) -> None:
    """Barts' chief executive post has one successor named on its plan as ready now: the
    succession table and the post's shortlist both say 1, and name what they count."""
    regional = client_for("regional")
    page = regional.get("/succession").text
    critical = tables(page)["Critical posts"]
    column = critical[0].index("Named successors ready now")
    barts_ceo = next(
        row for row in critical[1:] if row[:2] == ["Chief executive", "Barts Health NHS Trust"]
    )
    assert barts_ceo[column] == "1"
    shortlist = regional.get("/vacancies/R1H-CEO")
    assert shortlist.status_code == 200
    assert "Ready now for this post: 1</strong> successor named on" in shortlist.text


def test_exact_counts_are_not_called_rounded(client_for: ClientFor, as_at: None) -> None:
    """The national user sees England's exact figures: 2 of 5 executive posts vacant, 40.0%,
    with no word of rounding; rounded counts say so where they are shown (the report)."""
    page = client_for("national").get("/").text
    assert "have no substantive holder (2 of 5 posts)." in page
    assert "rounded to the nearest" not in page


def test_the_coverage_table_puts_the_weakest_cover_first(
    client_for: ClientFor, as_at: None
) -> None:
    """London North West covers none of its 1 critical post (0%), Barts 1 of 2 (50%):
    London North West comes first, and each organisation links to its page."""
    regional = client_for("regional")
    page = regional.get("/succession").text
    coverage = tables(page)["Coverage by organisation"]
    assert [row[0] for row in coverage[1:]] == [
        "London North West University Healthcare NHS Trust",
        "Barts Health NHS Trust",
    ]
    assert 'href="/organisations/R1K"' in page
