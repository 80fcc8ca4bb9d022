"""Every DESIGN section 5 figure on the hand-worked register of fixtures.py.

Worked at T = 2026-09-30:

Vacancy. Executive posts at T: A-CEO, A-FD, A-SD, B-CEO, B-MD, C-CEO (A-OLD was abolished
on 2026-06-30, B-NEW is established only from 2026-12-01): 6. No substantive holder at T:
A-FD (bob left 2026-03-31; cy is interim) and C-CEO (jon left 2025-09-30; kim's acting
appointment ends on T, so does not cover it): 2, so exec_vacancy_rate = 2/6. Interim cover:
A-FD only, 1/6. Organisations with executive posts: TSA, TSB, TSC; with a vacancy: TSA and
TSC, 2/3. ann's two contracts (2022-03-31 then 2022-04-01, one day apart) are one spell.

Tenure. Executive spells started by T, in days (fixtures.TENURE_SPELLS), sorted: ivy 272
censored, dee 851 c, gus 1064 c, jon 1096 ended, bob 1915 e, hal 2436 e, ann 3104 c,
eve 4198 e. Kaplan-Meier: at 1096, 5 at risk, S = 4/5; at 1915, 4 at risk, S = 3/5; at
2436, 3 at risk, S = 2/5 <= 0.5: median 2436 days = 2436 / 365.25 years.

Current holders (executive spells covering T): ann 3104, dee 851, gus 1064, ivy 272 days;
median of the middle two (851 and 1064 days, in years). Started after 2023-09-30: dee,
gus, ivy: 3/4.

Turnover. Ended in (2025-09-30, 2026-09-30]: bob (forced), eve, hal: 3 (jon ended on
2025-09-30 itself, outside). Covering 2025-09-30: ann, bob, dee, eve, gus, hal: 6;
covering T: 4; 3 / ((6 + 4) / 2) = 0.6. Forced exits 1/3.

Diversity. People with any appointment covering T in a voting board post: ann (A), cy (M,
interim finance director and a non-executive: counted once), fay (99: not known), gus
(A), ivy (A), lee (no category); dee (Z) is in a non-voting post. Known: ann, cy, gus,
ivy; BME: cy: 1/4. Workforce: organisations with a voting board post at T and both figures:
TSA (2,000 at 30%) and TSB (6,000 at 10%), TSC has no headcount: (600 + 600) / 8,000 =
0.15. Gap 100 * (0.25 - 0.15) = 10 percentage points.

Log-rank: TSA (segment 4) spells against TSB (segment 2) spells; TSC is not rated.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test
from lifelines.utils import median_survival_times
from sqlalchemy.orm import Session

from talentboard.frames.register import RegisterFrames
from talentboard.stability.board import (
    COUNT_COLUMNS,
    board_figures,
    board_figures_by,
    figures_frame,
)
from talentboard.stability.calendar import DAYS_PER_YEAR
from tests.frames.registers import d
from tests.stability.fixtures import TENURE_SPELLS, T, board_register

YEAR = DAYS_PER_YEAR


def lifelines_tenure(names: list[str]) -> tuple[float, float, float]:
    days = np.array([TENURE_SPELLS[n][0] for n in names]) / YEAR
    ended = np.array([TENURE_SPELLS[n][1] for n in names])
    kmf = KaplanMeierFitter().fit(days, ended)
    ci = median_survival_times(kmf.confidence_interval_)
    return kmf.median_survival_time_, ci.iloc[0, 0], ci.iloc[0, 1]


def finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def expected_overall() -> dict[str, object]:
    median, low, high = lifelines_tenure(list(TENURE_SPELLS))
    challenged = [n for n, (_, _, org) in TENURE_SPELLS.items() if org == "TSA"]
    others = [n for n, (_, _, org) in TENURE_SPELLS.items() if org == "TSB"]
    test = logrank_test(
        [TENURE_SPELLS[n][0] / YEAR for n in challenged],
        [TENURE_SPELLS[n][0] / YEAR for n in others],
        [TENURE_SPELLS[n][1] for n in challenged],
        [TENURE_SPELLS[n][1] for n in others],
    )
    return {
        "as_at": "2026-09-30",
        "orgs_with_exec_vacancy_share": 2 / 3,
        "exec_vacancy_rate": 2 / 6,
        "interim_cover_share": 1 / 6,
        "median_tenure_years": median,
        "median_tenure_ci": [finite(low), finite(high)],
        "current_holders_median_years": (851 / YEAR + 1064 / YEAR) / 2,
        "appointed_within_3y_share": 3 / 4,
        "turnover_rate_12m": 0.6,
        "forced_exit_share_12m": 1 / 3,
        "bme_share_board_voting": 0.25,
        "bme_share_workforce": 0.15,
        "wres9_gap_pp": 10.0,
        "tenure_logrank_challenged": {
            "statistic": test.test_statistic,
            "p_value": test.p_value,
        },
    }


def assert_figures(actual: dict[str, object], expected: dict[str, object]) -> None:
    assert list(actual) == list(expected)
    for name, value in expected.items():
        if isinstance(value, str) or value is None:
            assert actual[name] == value, name
        else:
            assert actual[name] == pytest.approx(value, rel=1e-12, abs=1e-12), name


def test_tenure_days_in_the_fixture_are_the_calendar_days() -> None:
    starts = {
        "ann": "2018-04-01",
        "bob": "2021-01-01",
        "dee": "2024-06-01",
        "eve": "2015-01-01",
        "gus": "2023-11-01",
        "hal": "2019-05-01",
        "ivy": "2026-01-01",
        "jon": "2022-09-30",
    }
    ends = {"bob": "2026-03-31", "eve": "2026-06-30", "hal": "2025-12-31", "jon": "2025-09-30"}
    for name, (days, ended, _) in TENURE_SPELLS.items():
        stop = d(ends[name]) if name in ends else T
        assert (stop - d(starts[name])).days == days
        assert ended == (name in ends)


def test_overall_figures_on_pure_frames() -> None:
    figures = board_figures(board_register().frames(), T)
    assert_figures(figures.as_dict(), expected_overall())
    assert figures.median_tenure_years == 2436 / YEAR


def test_overall_figures_through_the_database(session: Session) -> None:
    frames = board_register().save(session)
    assert_figures(board_figures(frames, T).as_dict(), expected_overall())


def test_counts_behind_the_figures() -> None:
    row = figures_frame(board_register().frames(), T).row(0, named=True)
    assert {name: row[name] for name in COUNT_COLUMNS} == {
        "orgs_with_exec_posts": 3,
        "orgs_with_exec_vacancy": 2,
        "exec_posts": 6,
        "exec_posts_vacant": 2,
        "exec_posts_interim": 1,
        "tenure_spells": 8,
        "tenure_departures": 4,
        "current_holders": 4,
        "appointed_within_3y": 3,
        "holders_12m_ago": 6,
        "ended_12m": 3,
        "forced_exits_12m": 1,
        "board_voting_known": 4,
        "board_voting_bme": 1,
        "workforce_orgs": 2,
        "workforce_headcount": 8000,
    }
    assert row["group"] == "all"


def test_by_org() -> None:
    """TSA: exec posts A-CEO, A-FD (vacant, interim), A-SD: 1/3 and 1/3; spells ann 3104 c,
    bob 1915 e, dee 851 c, eve 4198 e: S = 2/3 at 1915, 0 at 4198, median 4198 days;
    holders ann and dee; ended bob (forced) and eve over covering (4 + 2) / 2 = 3; voting
    people ann, cy (fay not known): BME 1/2 against 30%. All of TSA is segment 4: no test.

    TSB: both executive posts filled (B-NEW not yet established); spells gus 1064 c, hal
    2436 e, ivy 272 c: median 2436; holders gus and ivy (668 days median), both appointed
    within 3 years; hal ended over covering (2 + 2) / 2; voting people gus, ivy, cy (lee not
    known): BME 1/3 against 10%.

    TSC: C-CEO vacant, no interim at T; jon's spell (1096 days, ended) is the only one: the
    median is 1096 days. No holder now or 12 months ago (jon's spell ended on that day): the
    holder and turnover figures have zero denominators and are null; no voting board member
    covers T, and TSC has no headcount: diversity figures null.
    """
    by_org = board_figures_by(board_register().frames(), T, "org")
    assert list(by_org) == ["TSA", "TSB", "TSC"]
    tsa = by_org["TSA"].as_dict()
    low, high = lifelines_tenure(["ann", "bob", "dee", "eve"])[1:]
    assert_figures(
        tsa,
        {
            "as_at": "2026-09-30",
            "orgs_with_exec_vacancy_share": 1.0,
            "exec_vacancy_rate": 1 / 3,
            "interim_cover_share": 1 / 3,
            "median_tenure_years": 4198 / YEAR,
            "median_tenure_ci": [finite(low), finite(high)],
            "current_holders_median_years": (851 / YEAR + 3104 / YEAR) / 2,
            "appointed_within_3y_share": 0.5,
            "turnover_rate_12m": 2 / 3,
            "forced_exit_share_12m": 0.5,
            "bme_share_board_voting": 0.5,
            "bme_share_workforce": 0.30,
            "wres9_gap_pp": 20.0,
            "tenure_logrank_challenged": None,
        },
    )
    low, high = lifelines_tenure(["gus", "hal", "ivy"])[1:]
    assert_figures(
        by_org["TSB"].as_dict(),
        {
            "as_at": "2026-09-30",
            "orgs_with_exec_vacancy_share": 0.0,
            "exec_vacancy_rate": 0.0,
            "interim_cover_share": 0.0,
            "median_tenure_years": 2436 / YEAR,
            "median_tenure_ci": [finite(low), finite(high)],
            "current_holders_median_years": (272 / YEAR + 1064 / YEAR) / 2,
            "appointed_within_3y_share": 1.0,
            "turnover_rate_12m": 0.5,
            "forced_exit_share_12m": 0.0,
            "bme_share_board_voting": 1 / 3,
            "bme_share_workforce": 0.10,
            "wres9_gap_pp": 100 * (1 / 3 - 0.10),
            "tenure_logrank_challenged": None,
        },
    )
    low, high = lifelines_tenure(["jon"])[1:]
    assert_figures(
        by_org["TSC"].as_dict(),
        {
            "as_at": "2026-09-30",
            "orgs_with_exec_vacancy_share": 1.0,
            "exec_vacancy_rate": 1.0,
            "interim_cover_share": 0.0,
            "median_tenure_years": 1096 / YEAR,
            "median_tenure_ci": [finite(low), finite(high)],
            "current_holders_median_years": None,
            "appointed_within_3y_share": None,
            "turnover_rate_12m": None,
            "forced_exit_share_12m": None,
            "bme_share_board_voting": None,
            "bme_share_workforce": None,
            "wres9_gap_pp": None,
            "tenure_logrank_challenged": None,
        },
    )


def test_by_org_through_the_database(session: Session) -> None:
    frames = board_register().save(session)
    from_database = {k: v.as_dict() for k, v in board_figures_by(frames, T, "org").items()}
    pure = {
        k: v.as_dict() for k, v in board_figures_by(board_register().frames(), T, "org").items()
    }
    # The reference trusts the session fixture loads have no posts: no group of their own.
    assert list(from_database) == list(pure)
    for code, figures in pure.items():
        assert_figures(from_database[code], figures)


def test_by_region_role_kind_and_segment() -> None:
    """North West (Y62) = TSB + TSC: executive posts B-CEO, B-MD, C-CEO, one vacant (1/3);
    organisations TSB and TSC, one with a vacancy (1/2); spells gus 1064 c, hal 2436 e,
    ivy 272 c, jon 1096 e: at 1096, 2 at risk, S = 1/2: median 1096 days. Workforce: TSB only.

    Chief executives: A-CEO, B-CEO, C-CEO, C-CEO vacant: 1/3 of posts and of organisations;
    voting people covering T: ann and gus, neither BME: 0; workforce over TSA and TSB: 0.15.
    Strategy directors are not voting: no diversity figures.

    Segments: "4" is TSA, "2" is TSB and "unrated" is TSC, so each equals its organisation.
    """
    frames = board_register().frames()
    region = board_figures_by(frames, T, "region")
    assert list(region) == ["Y56", "Y62"]
    north_west = region["Y62"]
    assert north_west.exec_vacancy_rate == pytest.approx(1 / 3)
    assert north_west.orgs_with_exec_vacancy_share == 0.5
    assert north_west.median_tenure_years == 1096 / YEAR
    assert north_west.bme_share_workforce == pytest.approx(0.10)
    assert north_west.tenure_logrank_challenged is None

    role = board_figures_by(frames, T, "role")
    assert set(role) == {
        "chair",
        "chief_executive",
        "digital_director",
        "finance_director",
        "medical_director",
        "non_executive_director",
        "operations_director",
        "strategy_director",
    }
    ceo = role["chief_executive"]
    assert ceo.exec_vacancy_rate == pytest.approx(1 / 3)
    assert ceo.orgs_with_exec_vacancy_share == pytest.approx(1 / 3)
    assert ceo.bme_share_board_voting == 0.0
    assert ceo.bme_share_workforce == pytest.approx(0.15)
    assert role["strategy_director"].bme_share_board_voting is None
    assert role["strategy_director"].bme_share_workforce is None
    # Non-executive roles have no executive figures: zero denominators.
    assert role["chair"].exec_vacancy_rate is None
    assert role["chair"].median_tenure_years is None
    # Digital director: B-NEW is not established at T and has never been filled.
    assert role["digital_director"].exec_vacancy_rate is None

    kind = board_figures_by(frames, T, "org_kind")
    assert list(kind) == ["acute", "community", "mental_health"]
    segment = board_figures_by(frames, T, "segment")
    by_org = board_figures_by(frames, T, "org")
    assert list(segment) == ["2", "4", "unrated"]
    for seg, org in (("4", "TSA"), ("2", "TSB"), ("unrated", "TSC")):
        assert segment[seg] == by_org[org]
        assert (
            kind[{"TSA": "acute", "TSB": "mental_health", "TSC": "community"}[org]] == (by_org[org])
        )


def test_segment_is_taken_at_the_date() -> None:
    """TSA was segment 2 until 2026-04-01: as at 2026-03-31 it is not challenged."""
    builder = board_register()
    builder.ratings[0]["effective_from"] = dt.date(2026, 4, 1)
    builder.rating("TSA", "2020-01-01", 2)
    frames = builder.frames()
    assert list(board_figures_by(frames, dt.date(2026, 3, 31), "segment")) == ["2", "unrated"]
    assert list(board_figures_by(frames, T, "segment")) == ["2", "4", "unrated"]


def test_the_day_between_back_to_back_contracts_is_not_a_vacancy() -> None:
    """On 2022-03-31 ann's first contract has ended and the next starts the day after: the
    merged spell covers A-CEO. Executive posts then: A-CEO (ann), A-FD (bob), A-SD (no one
    until 2024), A-OLD (eve), B-CEO (no one until 2023-11), B-MD (hal), C-CEO (no one until
    2022-09-30); B-NEW is not established. Vacant: A-SD, B-CEO, C-CEO: 3 of 7."""
    figures = board_figures(board_register().frames(), dt.date(2022, 3, 31))
    assert figures.exec_vacancy_rate == pytest.approx(3 / 7)
    by_role = board_figures_by(board_register().frames(), dt.date(2022, 3, 31), "role")
    chief = by_role["chief_executive"]
    assert chief.exec_vacancy_rate == pytest.approx(2 / 3)  # B-CEO and C-CEO, not A-CEO


def test_an_empty_register_gives_nulls() -> None:
    figures = board_figures(RegisterFrames.from_rows(), T).as_dict()
    assert figures.pop("as_at") == "2026-09-30"
    assert figures.pop("median_tenure_ci") == [None, None]
    assert set(figures.values()) == {None}


def test_observed_from_must_not_be_after_the_date() -> None:
    with pytest.raises(ValueError, match="after the as-at date"):
        figures_frame(board_register().frames(), T, observed_from=dt.date(2026, 10, 1))


def test_figures_frame_is_one_row_per_group_with_labels() -> None:
    table = figures_frame(board_register().frames(), T, by="region")
    assert table.select("group", "label").rows() == [
        ("Y56", "London"),
        ("Y62", "North West"),
    ]
    assert table.schema["exec_posts"] == pl.Int64
