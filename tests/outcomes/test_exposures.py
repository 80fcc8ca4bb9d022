"""Exposures per organisation, against values worked out by hand on a written-out register.

The register is the board figures' one (tests/stability/fixtures.py, as at T = 2026-09-30,
T - 3 years = 2023-09-30) with two more organisations:

    TSD acute: D-CEO chief executive, D-FD finance director.
        pat  D-CEO substantive 2023-09-30..2024-03-31 (starts on T - 3 years: not after it)
        quin D-CEO substantive 2024-04-01..2025-06-30 and 2025-07-01..2026-09-30: one
             spell (back to back), started after T - 3 years; ends on T, so D-CEO is vacant
        rae  D-CEO substantive from 2026-10-01 (after T: not counted)
        sam  D-FD substantive from 2025-09-30: 365 days in post at T
    TSE community: a chair only, no executive post.
"""

from __future__ import annotations

import polars as pl
import pytest

from talentboard.outcomes import exposures_at
from tests.stability.fixtures import T, board_register

YEAR = 365.25


def _register() -> pl.DataFrame:
    builder = (
        board_register()
        .org("TSD", kind="acute", region="Y56", headcount=3000)
        .org("TSE", kind="community", region="Y56", headcount=500)
        .post("D-CEO", "TSD", "chief_executive")
        .post("D-FD", "TSD", "finance_director")
        .post("E-CH", "TSE", "chair")
        .person("pat")
        .person("quin")
        .person("rae")
        .person("sam")
        .appoint("pat", "D-CEO", "2023-09-30", "2024-03-31")
        .appoint("quin", "D-CEO", "2024-04-01", "2025-06-30")
        .appoint("quin", "D-CEO", "2025-07-01", "2026-09-30")
        .appoint("rae", "D-CEO", "2026-10-01")
        .appoint("sam", "D-FD", "2025-09-30")
    )
    return exposures_at(builder.frames(), T)


def test_exposures_equal_hand_computed_values() -> None:
    """TSA: executive posts A-CEO, A-FD (vacant, interim cover by cy), A-SD (A-OLD was
    abolished before T): 1/3 vacant, 1/3 interim; ann's chief executive spell began in 2018;
    holders ann (3,104 days) and dee (851 days); WRES 9 gap 20 points (test_board).
    TSB: B-CEO and B-MD filled (B-NEW not yet established); gus became chief executive on
    2023-11-01, after T - 3 years; holders gus (1,064) and ivy (272); gap 100 * (1/3 - 0.10).
    TSC: C-CEO vacant (kim's acting cover ends on T); jon began 2022-09-30; no holder; no
    headcount, so no gap. TSD: see the module docstring; no BME figures, so no gap.
    TSE: no executive post, so no exposure."""
    rows = {r["ods_code"]: r for r in _register().iter_rows(named=True)}
    assert list(rows) == ["TSA", "TSB", "TSC", "TSD", "TSE"]
    expected = {
        "TSA": (0, 1 / 3, 1 / 3, (3104 + 851) / 2 / YEAR, 20.0),
        "TSB": (1, 0.0, 0.0, (1064 + 272) / 2 / YEAR, 100 * (1 / 3 - 0.10)),
        "TSC": (0, 1.0, 0.0, None, None),
        "TSD": (1, 0.5, 0.0, 365 / YEAR, None),
        "TSE": (None, None, None, None, None),
    }
    names = [
        "ceo_changes_3y",
        "exec_vacancy_share",
        "exec_interim_share",
        "exec_mean_time_in_post_years",
        "board_bme_gap_pp",
    ]
    for code, values in expected.items():
        for name, value in zip(names, values, strict=True):
            found = rows[code][name]
            if value is None:
                assert found is None, (code, name)
            else:
                assert found == pytest.approx(value, abs=1e-12), (code, name)


def test_the_chief_executive_count_moves_with_the_date() -> None:
    """A day before rae starts she is not counted; from 2026-10-01 she is. On
    2027-04-01 (T - 3 years = 2024-04-01) quin's spell, which began that day, drops out."""
    import datetime as dt

    builder = (
        board_register()
        .org("TSD", kind="acute", headcount=3000)
        .post("D-CEO", "TSD", "chief_executive")
        .person("quin")
        .person("rae")
        .appoint("quin", "D-CEO", "2024-04-01", "2026-09-30")
        .appoint("rae", "D-CEO", "2026-10-01")
    )
    frames = builder.frames()

    def count(at: dt.date) -> int:
        table = exposures_at(frames, at).filter(pl.col("ods_code") == "TSD")
        return int(table["ceo_changes_3y"][0])

    assert count(dt.date(2026, 9, 30)) == 1
    assert count(dt.date(2026, 10, 1)) == 2
    assert count(dt.date(2027, 3, 31)) == 2
    assert count(dt.date(2027, 4, 1)) == 1
