"""Kaplan-Meier leave chances, against a hand-worked curve and against lifelines."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import polars as pl
import pytest
from lifelines import KaplanMeierFitter

from talentboard.talent.leave import kaplan_meier, km_leave_chances, leave_chance

D = dt.date


def test_hand_worked_curve() -> None:
    """Durations 1, 2, 2, 3 (censored), 4: at 1 five at risk, one leaves: S = 0.8; at 2 four
    at risk, two leave: S = 0.4; at 4 one at risk, one leaves: S = 0."""
    curve = kaplan_meier([1, 2, 2, 3, 4], [True, True, True, False, True])
    assert [curve.at(x) for x in (0.5, 1, 1.5, 2, 3.9, 4, 9)] == pytest.approx(
        [1, 0.8, 0.8, 0.4, 0.4, 0, 0]
    )
    assert leave_chance(curve, 0.5) == pytest.approx(0.2)  # 1 - 0.8 / 1
    assert leave_chance(curve, 1.5) == pytest.approx(0.5)  # 1 - 0.4 / 0.8
    assert leave_chance(curve, 3.5) == pytest.approx(1.0)  # 1 - 0 / 0.4
    assert leave_chance(curve, 4.2) == 1.0  # S(d) = 0: longer than any spell that ended


def test_agrees_with_lifelines() -> None:
    rng = random.Random(7)
    durations = [round(rng.uniform(0, 8), 1) for _ in range(300)]
    events = [rng.random() < 0.7 for _ in durations]
    ours = kaplan_meier(durations, events)
    theirs = KaplanMeierFitter().fit(durations, events)
    grid = np.linspace(0, 9, 91)
    expected = theirs.survival_function_at_times(grid).to_numpy()
    assert [ours.at(x) for x in grid] == pytest.approx(expected.tolist())
    for d in (0.3, 1.0, 2.5, 5.0):
        s_now, s_next = theirs.survival_function_at_times([d, d + 1]).to_numpy()
        assert leave_chance(ours, d) == pytest.approx(1 - s_next / s_now)


def frames() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    posts = pl.DataFrame(
        {
            "post_ref": [1, 2, 3],
            "ods_code": ["AAA", "BBB", "AAA"],
            "role_code": ["finance_director", "finance_director", "medical_director"],
            "level": ["board"] * 3,
            "executive": [True] * 3,
        }
    )
    segments = pl.DataFrame({"ods_code": ["AAA", "BBB"], "oversight_segment": [4, 1]})
    # Post 1 (segment 4): spells of 365, 730, 730 and 1461 days ended, one serving since
    # 2023-01-01. Post 2 (segment 1): one spell of 183 days. Post 3: none.
    starts = [D(2016, 1, 1), D(2018, 1, 1), D(2012, 1, 1), D(2023, 1, 1), D(2008, 1, 1)]
    days = [365, 730, 730, None, 1461]
    rows = [
        {"post_ref": 1, "start_date": s, "end_date": s + dt.timedelta(days=n) if n else None}
        for s, n in zip(starts, days, strict=True)
    ]
    rows.append({"post_ref": 2, "start_date": D(2020, 1, 1), "end_date": D(2020, 7, 2)})
    spells = pl.DataFrame(
        rows, schema={"post_ref": pl.Int64, "start_date": pl.Date, "end_date": pl.Date}
    )
    return posts, segments, spells


def lifelines_chance(durations_days: list[int], events: list[bool], tenure: float) -> float:
    fitted = KaplanMeierFitter().fit([d / 365.25 for d in durations_days], events)
    s_now, s_next = fitted.survival_function_at_times([tenure, tenure + 1]).to_numpy()
    return float(1 - s_next / s_now) if s_now > 0 else 1.0


def test_group_fallback_and_basis() -> None:
    """Post 1's spells last 365, 730, 730 and 1461 days (ended) and 1096 days (serving since
    2023-01-01, censored at 2026-01-01): years 0.9993, 1.9986 (twice), 4.0, 3.0007.

    With min_spells 5, the five finance_director spells in segment 3-5 organisations
    suffice. The incumbent's tenure is 3.0007 years: S(3.0007) = 0.8 * (1 - 2/4) = 0.4 and
    the 4-year spell ends before 4.0007, so S(4.0007) = 0: the chance is 1 - 0 / 0.4 = 1.

    The medical director post (incumbent since 2025-01-01, 365 days = 0.9993 years) has no
    spell of its own, so it falls back to the six executive board spells (post 2 adds one
    of 183 days): S(0.9993) = 5/6 * (1 - 1/5) = 4/6, S(1.9993) = 4/6 * (1 - 2/4) = 2/6, so
    the chance is 1 - (2/6) / (4/6) = 0.5.

    With min_spells 6 post 1 widens to all six finance_director spells.
    """
    posts, segments, spells = frames()
    at = D(2026, 1, 1)
    incumbents = pl.DataFrame({"post_ref": [1, 3], "start_date": [D(2023, 1, 1), D(2025, 1, 1)]})
    narrow = km_leave_chances(spells, posts, segments, incumbents, at, min_spells=5)
    assert narrow["basis"].to_list() == [
        "Kaplan-Meier of 5 finance_director spells in segment 3-5 organisations",
        "Kaplan-Meier of 6 executive board-level spells",
    ]
    assert narrow["tenure_years"].to_list() == pytest.approx([1096 / 365.25, 365 / 365.25])
    assert narrow["leave_chance"].to_list() == pytest.approx([1.0, 0.5])
    post_one = [365, 730, 730, 1096, 1461]
    post_one_events = [True, True, True, False, True]
    assert narrow["leave_chance"][0] == pytest.approx(
        lifelines_chance(post_one, post_one_events, 1096 / 365.25)
    )
    assert narrow["leave_chance"][1] == pytest.approx(
        lifelines_chance([*post_one, 183], [*post_one_events, True], 365 / 365.25)
    )
    wide = km_leave_chances(spells, posts, segments, incumbents, at, min_spells=6)
    assert wide["basis"][0] == "Kaplan-Meier of 6 finance_director spells"
    lonely = km_leave_chances(
        spells.filter(pl.col("post_ref") == 99), posts, segments, incumbents, at
    )
    assert lonely["leave_chance"].to_list() == [None, None]
    assert lonely["basis"].to_list() == ["no spells to compare"] * 2
