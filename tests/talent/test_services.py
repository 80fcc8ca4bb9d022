"""The talent services on the hand-worked world of tests/talent/world.py, on both backends.

Every expected figure is worked out in world.py's table and in the docstrings here.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from lifelines import KaplanMeierFitter
from sqlalchemy.orm import Session

from talentboard.talent import services
from talentboard.talent.diversity import where_it_drops
from talentboard.talent.pool import PoolFilter
from tests.talent.world import AT, build_world

D = dt.date


@pytest.fixture
def context(session: Session) -> services.TalentContext:
    build_world(session)
    return services.load_context(session, AT)


def ids(frame: pl.DataFrame) -> list[str]:
    return frame["person_id"].to_list()


def test_pool_members_and_filters(context: services.TalentContext) -> None:
    view = services.talent_pool(context)
    rows = {r["person_id"]: r for r in view.members.iter_rows(named=True)}
    assert list(rows) == ["P02", "P05", "P06", "P13"]
    assert rows["P02"]["targets"] == [
        {"target_role_code": "chief_executive", "readiness": "ready_now"}
    ]
    assert rows["P02"]["willing_regions"] == ["Y56"]  # none named: own region
    assert (rows["P05"]["level"], rows["P05"]["willing_regions"], rows["P05"]["box"]) == (
        "senior",
        ["Y56", "Y60"],
        9,
    )
    assert (rows["P06"]["region_code"], rows["P06"]["box"]) == ("Y60", 2)
    cases = {
        PoolFilter(region_code=("Y60",)): ["P06"],
        PoolFilter(willing_region=("Y60",)): ["P05", "P06"],
        PoolFilter(target_role_code=("finance_director",)): ["P05"],
        PoolFilter(readiness=("ready_now",)): ["P02"],
        PoolFilter(level=("senior",)): ["P05"],
        PoolFilter(programme_code=("ready_now",)): ["P05"],
        PoolFilter(ods_code=("RJ1",), readiness=("ready_1_2y",)): ["P05", "P13"],
        PoolFilter(target_role_code=("chief_executive",), readiness=("ready_1_2y",)): [],
    }
    for filters, expected in cases.items():
        assert ids(services.talent_pool(context, filters).members) == expected, filters


def test_pool_figures_and_readiness(context: services.TalentContext) -> None:
    """Women P05, P06 of 4; BME P02 (H), P05 (N) of 3 known (P06 is Z); disabled P13 of 3
    known (P06 not stated)."""
    view = services.talent_pool(context)
    figures = {
        r["group"]: (r["count"], r["known"], r["share"]) for r in view.figures.iter_rows(named=True)
    }
    assert figures["members"] == (4, 4, None)
    assert figures["women"] == (2, 4, 0.5)
    assert figures["bme"] == (2, 3, pytest.approx(2 / 3))
    assert figures["disabled"] == (1, 3, pytest.approx(1 / 3))
    assert view.readiness.rows() == [
        ("chief_executive", "ready_now", 1),
        ("divisional_director", "ready_3_5y", 1),
        ("finance_director", "ready_1_2y", 1),
        ("matron", "ready_1_2y", 1),
    ]


def durations_at(
    starts_ends: list[tuple[dt.date, dt.date | None]],
) -> tuple[list[float], list[bool]]:
    durations, events = [], []
    for start, end in starts_ends:
        ended = end is not None and end <= AT
        durations.append(((end if ended else AT) - start).days / 365.25)  # type: ignore[operator]
        events.append(ended)
    return durations, events


def test_succession_bench_coverage_and_risk(context: services.TalentContext) -> None:
    """Seven critical posts, two covered (RJ1-CEO and RRK-MD, both by P02).

    The twelve substantive spells are fewer than 20 in every group, so each incumbent's
    leave chance comes from the Kaplan-Meier of all twelve; the reference below is
    lifelines on the same durations.
    """
    view = services.succession_view(context)
    posts = view.report.posts
    assert posts.select(
        "post_id", "state", "ready_now", "ready_1_2y", "ready_3_5y", "emergency_cover", "covered"
    ).rows() == [
        ("R0A-CEO", "substantive", 0, 0, 0, 0, False),
        ("RJ1-CEO", "substantive", 1, 0, 0, 0, True),
        ("RJ1-COO", "substantive", 0, 0, 0, 0, False),
        ("RJ1-DD", "substantive", 0, 0, 1, 0, False),
        ("RJ1-FD", "interim", 0, 1, 0, 1, False),
        ("RJ1-MD", "substantive", 0, 0, 0, 0, False),
        ("RRK-MD", "vacant", 1, 0, 0, 1, True),
    ]
    assert view.report.coverage_share == pytest.approx(2 / 7)
    spells = [
        (D(2024, 10, 1), None),
        (D(2022, 1, 1), None),
        (D(2019, 1, 1), D(2026, 6, 30)),
        (D(2026, 7, 1), None),
        (D(2020, 1, 1), None),
        (D(2016, 10, 1), None),
        (D(2023, 1, 1), D(2027, 3, 31)),
        (D(2021, 4, 1), None),
        (D(2025, 1, 1), D(2026, 3, 31)),
        (D(2026, 4, 1), None),
        (D(2020, 1, 1), None),
        (D(2018, 1, 1), None),
    ]
    km = KaplanMeierFitter().fit(*durations_at(spells))

    def chance(start: dt.date) -> float:
        d = (AT - start).days / 365.25
        now, later = km.survival_function_at_times([d, d + 1]).to_numpy()
        return float(1 - later / now)

    risks = dict(posts.select("post_id", "risk").rows())
    challenged = {"R0A-CEO": 0.1}
    for post_id, start, covered in (
        ("R0A-CEO", D(2016, 10, 1), False),
        ("RJ1-CEO", D(2024, 10, 1), True),
        ("RJ1-COO", D(2022, 1, 1), False),
        ("RJ1-DD", D(2026, 7, 1), False),
        ("RJ1-MD", D(2026, 4, 1), False),
    ):
        expected = 0.4 * chance(start) + (0 if covered else 0.3) + challenged.get(post_id, 0)
        assert risks[post_id] == pytest.approx(expected), post_id
    assert risks["RJ1-FD"] == pytest.approx(0.9)  # 0.4 needs filling + 0.3 + 0.2 interim
    assert risks["RRK-MD"] == pytest.approx(0.7)  # 0.4 + 0.2 vacant + 0.1 segment 3
    basis = posts.filter(pl.col("post_id") == "RJ1-CEO")["basis"][0]
    assert basis == "Kaplan-Meier of 12 spells of any post"


def test_succession_scope_flags_and_rollups(context: services.TalentContext) -> None:
    rrk = services.succession_view(context, ods_code="RRK")
    assert rrk.report.posts["post_id"].to_list() == ["RRK-MD"]
    assert rrk.report.coverage_share == 1.0
    y62 = services.succession_view(context, region_code="Y62")
    assert y62.report.posts["post_id"].to_list() == ["R0A-CEO"]
    assert y62.report.coverage_share == 0.0
    flagged = services.succession_view(context, max_plans=1).flags
    assert flagged.select("person_id", "plans", "post_ids").rows() == [
        ("P02", 2, ["RJ1-CEO", "RRK-MD"])
    ]
    everywhere = services.succession_view(context)
    assert everywhere.by_region.select("region_code", "critical_posts", "covered_posts").rows() == [
        ("Y56", 5, 1),
        ("Y60", 1, 1),
        ("Y62", 1, 0),
    ]
    with pytest.raises(services.UnknownScopeError, match="no organisation"):
        services.succession_view(context, ods_code="XXX")
    with pytest.raises(services.UnknownScopeError, match="no NHS England region"):
        services.succession_view(context, region_code="Y99")


def test_board_skills_matrix(context: services.TalentContext) -> None:
    """RJ1's board at AT: P01, P04, P11, P02 (executives), P09, P08; the company secretary
    P12 is not a member. Domain levels and the words are worked out in world.py."""
    skills = services.board_skills_view(context, "RJ1")
    assert ids(skills.members) == ["P01", "P04", "P11", "P02", "P09", "P08"]
    domains = {r["domain_code"]: r for r in skills.domains.iter_rows(named=True)}
    assert {k: (r["strengths"], r["status"], r["at_risk"]) for k, r in domains.items()} == {
        "outcomes": (2, "covered", True),
        "strategy": (2, "covered", False),
        "equality": (0, "gap", False),
        "governance": (3, "covered", False),
        "culture": (1, "thin", False),
        "partnerships": (2, "covered", False),
    }
    assert domains["strategy"]["mean_level"] == pytest.approx((4 + 3.5 + 2) / 3)
    levels = {(r[0], r[1]): (r[2], r[3]) for r in skills.levels.rows()}
    p02 = skills.members.filter(pl.col("person_id") == "P02")["person_ref"][0]
    assert levels[(p02, "strategy")] == (3.5, "others")
    assert levels[(p02, "equality")] == (2.0, "self")
    assert skills.gaps == [
        "Promoting equality and inclusion, and reducing health and workforce inequalities: "
        "no board member at strength",
        "Driving high quality and sustainable outcomes: 1 of its 2 strengths leave within "
        "12 months",
        "Creating a compassionate, just and positive culture: only one board member at strength",
        "no board member with a nursing background",
        "no non-executive with a clinical background",
        "no LCF evidence for 2 member(s): P04, P11",
    ]
    assert skills.next_appointment == [
        "strength in promoting equality and inclusion, and reducing health and workforce "
        "inequalities",
        "strength in driving high quality and sustainable outcomes, to replace leavers",
        "depth in creating a compassionate, just and positive culture",
        "a nursing background",
        "a non-executive with a clinical background",
    ]
    document = skills.to_json()
    assert document["members"][0]["levels"]["equality"] == {"level": 2.0, "source": "appraisal"}
    assert document["members"][1]["levels"]["outcomes"] is None


def test_fppt_due_and_references(context: services.TalentContext, session: Session) -> None:
    """P01: nine checks on 2026-02-01 (fine) and a DBS check on 2023-01-01, due 36 months
    later on 2026-01-01: overdue by 272 days. P02: self-attestation of 2025-10-15 due
    2026-10-15 (within 30 days), a social media concern, seven checks missing. P04, P08
    and P09 (non-clinical): nine checks missing each; P11 (medical): ten. 47 in all."""
    view = services.fppt_view(context, ods_code="RJ1")
    attention = view.attention
    assert attention.height == 47
    by_status = dict(attention.group_by("status").len().rows())
    assert by_status == {"missing": 44, "concern": 1, "overdue": 1, "due": 1}
    assert attention["status"].to_list()[-3:] == ["concern", "overdue", "due"]
    overdue = attention.filter(pl.col("status") == "overdue").row(0, named=True)
    assert (
        overdue["person_id"],
        overdue["check_type"],
        overdue["due_on"],
        overdue["days_overdue"],
    ) == ("P01", "dbs", D(2026, 1, 1), 272)
    due = attention.filter(pl.col("status") == "due").row(0, named=True)
    assert (due["person_id"], due["check_type"], due["due_on"]) == (
        "P02",
        "self_attestation",
        D(2026, 10, 15),
    )
    p01 = view.status.filter(pl.col("person_id") == "P01")
    assert p01.height == 10  # medical background: professional registration applies
    assert ids(view.missing_references) == ["P10"]
    services.write_board_member_reference(
        session, "P10", "RJ1-MD", D(2026, 4, 15), written_by="P09", summary="No concerns"
    )
    again = services.fppt_view(services.load_context(session, AT), ods_code="RJ1")
    assert again.missing_references.height == 0
    with pytest.raises(services.RecordError, match="has not ended"):
        services.write_board_member_reference(session, "P01", "RJ1-CEO", AT)
    with pytest.raises(services.RecordError, match="not a board post"):
        services.write_board_member_reference(session, "P03", "RJ1-DD", AT)


def test_appraisal_status(context: services.TalentContext) -> None:
    status = services.appraisal_view(context, ods_code="RJ1")
    rows = {r["person_id"]: (r["status"], r["issues"]) for r in status.iter_rows(named=True)}
    assert rows == {
        "P01": ("complete", []),
        "P04": ("missing", ["no appraisal recorded"]),
        "P11": ("missing", ["no appraisal recorded"]),
        "P02": ("overdue", ["latest appraisal period ended 2025-03-31"]),
        "P09": ("missing", ["no appraisal recorded"]),
        "P08": (
            "incomplete",
            [
                "4 of 6 LCF domains rated",
                "no multi-source feedback",
                "no equality, diversity and inclusion objective",
            ],
        ),
    }


def test_pipeline_diversity(context: services.TalentContext) -> None:
    """Board rung: P01, P02, P04, P07, P08, P09, P11, P12 (8): BME P02, P11 (25%), women
    P01, P09, P11, P12 (50%), disabled 0 of 7 known. Ready-now pool for board roles: P02.
    Senior P05, middle P06, frontline P13. Workforce BME (20,000 x 0.5 + 10,000 x 0.2) /
    30,000 = 40% (R0A's share is unknown)."""
    ladder = services.pipeline_diversity(context)
    rows = {r["rung"]: r for r in ladder.iter_rows(named=True)}
    assert list(rows) == [
        "board",
        "ready_now_board",
        "senior",
        "middle",
        "frontline",
        "workforce",
    ]
    assert (
        rows["board"]["people"],
        rows["board"]["bme_share"],
        rows["board"]["women_share"],
        rows["board"]["disabled_share"],
    ) == (8, 0.25, 0.5, 0.0)
    assert rows["middle"]["bme_share"] is None
    assert rows["workforce"]["bme_share"] == pytest.approx(0.4)
    assert rows["board"]["bme_step_pp"] == pytest.approx(-75.0)
    assert rows["frontline"]["bme_step_pp"] == pytest.approx(-40.0)
    assert rows["board"]["bme_vs_workforce_pp"] == pytest.approx(-15.0)
    assert where_it_drops(ladder) == [
        "The BME share falls from 100% at the ready-now pool for board roles to 25% at "
        "board level (-75.0 pp)",
        "The share of women falls from 100% at senior level to 0% at the ready-now pool for "
        "board roles (-100.0 pp)",
        "The BME share falls from 40% at the workforce to 0% at frontline level (-40.0 pp)",
    ]


def test_exit_records_and_recording(context: services.TalentContext, session: Session) -> None:
    """Spells ending in the 12 months to AT: P03 (forced, with notes) and P10 (end of term)."""
    view = services.exit_view(context)
    assert view.records.select("person_id", "post_id", "end_reason", "exit_notes").rows() == [
        ("P03", "RJ1-DD", "dismissed_or_forced", "Left after the governance review"),
        ("P10", "RJ1-MD", "end_of_term", None),
    ]
    assert (view.summary.ended, view.summary.forced, view.summary.forced_share) == (2, 1, 0.5)
    executive = services.exit_view(context, executive_only=True)
    assert executive.summary.to_json()["forced_share"] == 0.0
    services.record_exit(session, "P13", "RJ1-WM", D(2026, 9, 1), "retired", "  Thanks  ")
    after = services.exit_view(services.load_context(session, AT))
    assert after.records.select("person_id", "end_reason", "exit_notes").row(0) == (
        "P13",
        "retired",
        "Thanks",
    )
    with pytest.raises(services.RecordError, match="already ended on 2026-09-01"):
        services.record_exit(session, "P13", "RJ1-WM", D(2026, 9, 2), "retired")
    with pytest.raises(services.RecordError, match="not one of"):
        services.record_exit(session, "P01", "RJ1-CEO", AT, "fired")
    with pytest.raises(services.RecordError, match="no appointment of P01 to RJ1-WM"):
        services.record_exit(session, "P01", "RJ1-WM", AT, "retired")
