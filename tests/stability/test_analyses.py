"""Time to fill, leadership capacity, exit reasons and hotspots, on hand-worked registers."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from lifelines import KaplanMeierFitter
from lifelines.utils import median_survival_times

from talentboard.stability.board import board_figures
from talentboard.stability.capacity import leadership_capacity
from talentboard.stability.exits import exit_reasons, forced_exit_shares
from talentboard.stability.fill import time_to_fill, vacancies
from talentboard.stability.hotspots import hotspots
from tests.frames.registers import d
from tests.stability.fixtures import T, board_register
from tests.stability.generated import random_register


def fill_register():
    """The board fixture plus three TSB posts:
    X-HO  people director: p1 2020-01-01..2024-01-01, p2 from 2023-12-01 (a handover)
    X-AB  quality director, abolished 2025-06-30: p3 2020-01-01..2025-01-31, no successor
    X-LT  estates director: p4 2020-01-01..2026-05-31, p5 from 2026-10-15 (after T)
    """
    return (
        board_register()
        .post("X-HO", "TSB", "people_director")
        .post("X-AB", "TSB", "quality_director", established_to="2025-06-30")
        .post("X-LT", "TSB", "estates_director")
        .person("p1", "A")
        .person("p2", "A")
        .person("p3", "A")
        .person("p4", "A")
        .person("p5", "A")
        .appoint("p1", "X-HO", "2020-01-01", "2024-01-01")
        .appoint("p2", "X-HO", "2023-12-01")
        .appoint("p3", "X-AB", "2020-01-01", "2025-01-31")
        .appoint("p4", "X-LT", "2020-01-01", "2026-05-31")
        .appoint("p5", "X-LT", "2026-10-15")
    )


def test_vacancies_and_time_to_fill() -> None:
    """Vacancies opened by T:
    A-FD   bob left 2026-03-31, only an interim since: open, 183 days to T
    B-MD   hal left 2025-12-31, ivy from 2026-01-01: filled in 1 day
    C-CEO  jon left 2025-09-30, no successor: open, 365 days
    X-HO   p2 started before p1 left: filled at once, 0 days
    X-AB   no successor, post abolished 2025-06-30: censored at it, 150 days
    X-LT   p5 starts after T: open, 122 days
    A-OLD  eve left when the post was abolished: no vacancy.
    Kaplan-Meier: at 0, 1 of 6 filled (S = 5/6); at 1, 1 of 5 (S = 4/6): never down to
    one half, so no median."""
    table = vacancies(fill_register().frames(), T)
    posts = dict(
        zip(
            fill_register().frames().posts["post_ref"],
            fill_register().frames().posts["post_id"],
            strict=True,
        )
    )
    rows = {posts[r["post_ref"]]: (r["days"], r["filled"]) for r in table.to_dicts()}
    assert rows == {
        "A-FD": (183, False),
        "B-MD": (1, True),
        "C-CEO": (365, False),
        "X-HO": (0, True),
        "X-AB": (150, False),
        "X-LT": (122, False),
    }
    filled_on = {posts[r["post_ref"]]: r["filled_on"] for r in table.to_dicts()}
    assert filled_on["B-MD"] == d("2026-01-01")
    assert filled_on["X-HO"] == d("2024-01-01")
    summary = time_to_fill(fill_register().frames(), T).row(0, named=True)
    assert summary["vacancies"] == 6
    assert summary["filled"] == 2
    assert summary["still_open"] == 4
    assert summary["median_days"] is None


def test_time_to_fill_equals_lifelines() -> None:
    frames = random_register(5, organisations=30)
    table = vacancies(frames, T, by="org_kind")
    summary = time_to_fill(frames, T, by="org_kind")
    for row in summary.to_dicts():
        group = table.filter(table["group"] == row["group"])
        kmf = KaplanMeierFitter().fit(group["days"].to_numpy(), group["filled"].to_numpy())
        ci = median_survival_times(kmf.confidence_interval_)
        expected = [kmf.median_survival_time_, ci.iloc[0, 0], ci.iloc[0, 1]]
        got = [row["median_days"], row["lower_days"], row["upper_days"]]
        assert got == [v if np.isfinite(v) else None for v in expected]
        assert row["vacancies"] == group.height


def test_leadership_capacity_against_the_kind_median() -> None:
    """Posts at T per 1,000 staff. Acute: TSA has 4 board posts (A-CEO, A-FD, A-SD, A-CH;
    A-OLD abolished) for 2,000 staff = 2.0, TSD 3 for 4,000 = 0.75: median 1.375, so TSA
    is at 2.0 / 1.375 of it and TSD at 0.75 / 1.375. Senior: TSA 2 / 2,000 and TSD 4 /
    4,000, both 1.0. Middle: TSA alone, 1.5. Mental health board: TSB 4 (B-NEW not yet
    established) / 6,000. TSC has no headcount: no rate."""
    builder = (
        board_register()
        .org("TSD", kind="acute", region="Y60", headcount=4000, bme=0.2)
        .post("D-CEO", "TSD", "chief_executive")
        .post("D-FD", "TSD", "finance_director")
        .post("D-CH", "TSD", "chair")
    )
    for k in range(2):
        builder.post(f"A-S{k}", "TSA", "divisional_director")
    for k in range(3):
        builder.post(f"A-M{k}", "TSA", "matron")
    for k in range(4):
        builder.post(f"D-S{k}", "TSD", "clinical_director")
    builder.post("D-GONE", "TSD", "clinical_director", established_to="2026-01-01")
    table = leadership_capacity(builder.frames(), T)
    rows = {(r["ods_code"], r["level"]): r for r in table.to_dicts()}
    assert rows["TSA", "board"]["posts"] == 4
    assert rows["TSA", "board"]["posts_per_1000_staff"] == 2.0
    assert rows["TSD", "board"]["posts_per_1000_staff"] == 0.75
    assert rows["TSA", "board"]["kind_median_per_1000"] == 1.375
    assert rows["TSA", "board"]["against_kind_median"] == pytest.approx(2.0 / 1.375)
    assert rows["TSD", "board"]["against_kind_median"] == pytest.approx(0.75 / 1.375)
    assert rows["TSD", "senior"]["posts"] == 4
    assert rows["TSA", "senior"]["against_kind_median"] == 1.0
    assert rows["TSA", "middle"]["kind_median_per_1000"] == 1.5
    assert ("TSD", "middle") not in rows
    assert rows["TSB", "board"]["posts"] == 4
    assert rows["TSB", "board"]["posts_per_1000_staff"] == pytest.approx(4 / 6)
    assert rows["TSC", "board"]["posts_per_1000_staff"] is None
    assert rows["TSC", "board"]["against_kind_median"] is None
    assert [r["level"] for r in table.to_dicts() if r["ods_code"] == "TSA"] == [
        "board",
        "senior",
        "middle",
    ]


def test_exit_reasons_over_time() -> None:
    """Executive spells ended: bob 2026-03-31 (dismissed_or_forced), eve 2026-06-30
    (retired), hal 2025-12-31 (moved_nhs) in the year to T; jon 2025-09-30 (retired) in the
    year before; none in the year before that. ann's first contract ended 2022-03-31 but
    runs on into the next: not an exit."""
    reasons = exit_reasons(board_register().frames(), T, years=3)
    assert reasons.select("period_end", "end_reason", "exits").rows() == [
        (d("2025-09-30"), "retired", 1),
        (d("2026-09-30"), "dismissed_or_forced", 1),
        (d("2026-09-30"), "moved_nhs", 1),
        (d("2026-09-30"), "retired", 1),
    ]
    shares = forced_exit_shares(board_register().frames(), T, years=3)
    assert shares.select("period_start", "period_end", "exits", "forced").rows() == [
        (d("2023-09-30"), d("2024-09-30"), 0, 0),
        (d("2024-09-30"), d("2025-09-30"), 1, 0),
        (d("2025-09-30"), d("2026-09-30"), 3, 1),
    ]
    assert shares["forced_exit_share"].to_list() == [None, 0.0, pytest.approx(1 / 3)]
    latest = shares["forced_exit_share"][-1]
    assert latest == board_figures(board_register().frames(), T).forced_exit_share_12m


def test_exit_reasons_by_group() -> None:
    shares = forced_exit_shares(board_register().frames(), T, years=2, by="org")
    latest = shares.filter(shares["period_end"] == T)
    assert latest.select("group", "exits", "forced").rows() == [
        ("TSA", 2, 1),
        ("TSB", 1, 0),
        ("TSC", 0, 0),
    ]


def test_hotspots_rank_by_the_instability_index() -> None:
    """Percentile scores among TSA, TSB, TSC (0 most stable, 100 least; ties share):
    vacancy 1/3, 0, 1: TSB 0, TSA 50, TSC 100. Interim 1/3, 0, 0: TSB and TSC tie for
    ranks 1-2 (25 each), TSA 100. Turnover 2/3, 1/2, none: TSB 0, TSA 100. Tenure 4198,
    2436, 1096 days (shorter is worse): TSA 0, TSB 50, TSC 100.
    Index: TSA (50 + 100 + 100 + 0) / 4 = 62.5; TSB (0 + 25 + 0 + 50) / 4 = 18.75;
    TSC (100 + 25 + 100) / 3 = 75."""
    table = hotspots(board_register().frames(), T)
    assert table.select("rank", "ods_code", "oversight_segment").rows() == [
        (1, "TSC", None),
        (2, "TSA", 4),
        (3, "TSB", 2),
    ]
    assert table["instability_index"].to_list() == [75.0, 62.5, 18.75]
    tsa = table.row(1, named=True)
    assert (
        tsa["exec_vacancy_rate_score"],
        tsa["interim_cover_share_score"],
        tsa["turnover_rate_12m_score"],
        tsa["median_tenure_years_score"],
    ) == (50.0, 100.0, 100.0, 0.0)


def test_an_unreached_median_tenure_counts_as_the_longest() -> None:
    """TSB's spells with hal's departure removed: no one has left, so its median is never
    reached: it ranks as longer than any organisation's reached median (score 0)."""
    builder = board_register()
    hal = next(p["person_ref"] for p in builder.people if p["person_id"] == "hal")
    builder.appointments = [a for a in builder.appointments if a["person_ref"] != hal]
    table = hotspots(builder.frames(), dt.date(2026, 9, 30))
    tsb = table.filter(table["ods_code"] == "TSB").row(0, named=True)
    assert tsb["median_tenure_years"] is None
    assert tsb["median_tenure_years_score"] == 0.0
