"""Each report section against the stability functions, or a reference, on the same data.

Uses the pure frames of the hand-built register (registers.py); the database round trip
is covered by test_report.py.
"""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import polars as pl
import pytest
from lifelines import KaplanMeierFitter

from talentboard.reports import build_report
from talentboard.reports.model import SUPPRESSED, Cell, Report
from talentboard.reports.tenure import MAX_YEARS, segment_curves
from talentboard.reports.trends import SERIES_MONTHS
from talentboard.stability.calendar import DAYS_PER_YEAR
from talentboard.stability.groups import prepare_board
from talentboard.stability.hotspots import hotspots
from talentboard.stability.series import SERIES_METRICS, monthly_series
from tests.reports.registers import T, report_register

# Executive spells by segment at T, written out from registers.py: (start, end or None).
OPEN = None
SPELLS = {
    # TST01-05: CEO 2020-01-01, FD 2022-06-01, MD 2016-01-01 (all open); COO: TST01 open
    # from 2021-03-01, TST02-05 2018-04-01 to 2026-03-31.
    "2": [("2020-01-01", OPEN)] * 5
    + [("2022-06-01", OPEN)] * 5
    + [("2016-01-01", OPEN)] * 5
    + [("2021-03-01", OPEN)]
    + [("2018-04-01", "2026-03-31")] * 4,
    # TST06-10: CEO, FD open; MD 2019-01-01 to 2025-12-31 then 2026-02-01 open; COO
    # 2018-04-01 to 2026-03-31.
    "4": [("2020-01-01", OPEN)] * 5
    + [("2022-06-01", OPEN)] * 5
    + [("2019-01-01", "2025-12-31")] * 5
    + [("2026-02-01", OPEN)] * 5
    + [("2018-04-01", "2026-03-31")] * 5,
    # TST11-12: four executive posts each, held since 2021-01-01.
    "1": [("2021-01-01", OPEN)] * 8,
}


@pytest.fixture(scope="module")
def report() -> Report:
    return build_report(report_register().frames(), T)


def _lifelines(spells: list[tuple[str, str | None]]) -> KaplanMeierFitter:
    durations, events = [], []
    for start, end in spells:
        stop = dt.date.fromisoformat(end) if end else T
        durations.append((stop - dt.date.fromisoformat(start)).days)
        events.append(end is not None)
    return KaplanMeierFitter().fit(durations, events)


@pytest.mark.parametrize("segment", sorted(SPELLS))
def test_tenure_curves_equal_lifelines_at_every_point_drawn(segment: str) -> None:
    curves = segment_curves(prepare_board(report_register().frames()), T)
    curve = curves.filter(pl.col("group") == segment)
    assert curve["label"][0] == f"Segment {segment}"
    days = np.rint(curve["years"].to_numpy() * DAYS_PER_YEAR)
    assert days[0] == 0
    assert np.all(np.diff(days) == 14)
    kmf = _lifelines(SPELLS[segment])
    expected = kmf.survival_function_at_times(days).to_numpy()
    np.testing.assert_allclose(curve["survival"].to_numpy(), expected, rtol=1e-12)
    bounds = kmf.confidence_interval_
    index = np.searchsorted(bounds.index.to_numpy(), days, side="right") - 1
    np.testing.assert_allclose(curve["lower"].to_numpy(), bounds.iloc[index, 0], rtol=1e-12)
    np.testing.assert_allclose(curve["upper"].to_numpy(), bounds.iloc[index, 1], rtol=1e-12)
    # The curve is drawn up to the last time observed in the segment, or just past the
    # ten years the axis shows.
    longest = max(
        ((dt.date.fromisoformat(e) if e else T) - dt.date.fromisoformat(s)).days
        for s, e in SPELLS[segment]
    )
    assert days[-1] <= longest
    assert min(longest, MAX_YEARS * DAYS_PER_YEAR) < days[-1] + 14


def test_spc_charts_are_the_published_series_and_its_statistics(report: Report) -> None:
    """Each chart shows the stability series, withheld months as *, and a mean and limits
    worked out here from the published months only: the mean of the values shown and the
    mean of the moving ranges between consecutive months both shown.

    In registers.py 2 vacancy-rate months are withheld (December 2025 and January 2026:
    5 medical director posts vacant), 3 turnover months (December 2025 to February 2026:
    those 5 spells ended) and the last 6 interim-cover months (3 posts from April 2026).
    The BME share of voting board members rests on 3 BME members until the 5 new medical
    directors start in February 2026, leaving 8 published months: too few for limits, so
    it is a table in the section instead of a chart.
    """
    board = prepare_board(report_register().frames())
    series = monthly_series(board, T, months=SERIES_MONTHS)
    charts = {c.name: c for c in report.charts()}
    trends = next(s for s in report.sections if s.name == "trends")
    withheld_months = {
        "exec_vacancy_rate": 2,
        "interim_cover_share": 6,
        "turnover_rate_12m": 3,
        "bme_share_board_voting": 16,
    }
    for metric in SERIES_METRICS:
        exact = series[metric].to_list()
        if metric == "bme_share_board_voting":
            assert f"spc_{metric}" not in charts
            table = next(t for t in trends.tables if t.name == f"spc_{metric}")
            assert [c.key for c in table.columns] == ["month", "value"]
            assert table.notes[0].startswith("Not drawn as a statistical process control chart")
        else:
            table = charts[f"spc_{metric}"].table
        shown = table.column("value")
        assert len(shown) == SERIES_MONTHS
        assert shown.count(SUPPRESSED) == withheld_months[metric], metric
        for value, exact_value in zip(shown, exact, strict=True):
            assert value is SUPPRESSED or value == exact_value
        assert table.column("month")[-1] == T
        if metric == "bme_share_board_voting":
            continue
        published = [_number(v) for v in shown if v is not SUPPRESSED]
        moving = [
            abs(_number(b) - _number(a))
            for a, b in itertools.pairwise(shown)
            if a is not SUPPRESSED and b is not SUPPRESSED
        ]
        mean = sum(published) / len(published)
        reach = 2.66 * sum(moving) / len(moving)
        for column, expected in (
            ("mean", mean),
            ("lower_limit", mean - reach),
            ("upper_limit", mean + reach),
        ):
            (value,) = set(table.column(column))
            assert value == pytest.approx(expected, rel=1e-12, abs=1e-15), (metric, column)


def _number(cell: Cell) -> float:
    assert isinstance(cell, int | float), cell
    return float(cell)


def test_monthly_interim_cover_is_withheld_where_its_count_is_small(report: Report) -> None:
    """Interim cover: 0 posts before April 2026 (shown: 0%), 3 from then (withheld)."""
    table = {c.name: c for c in report.charts()}["spc_interim_cover_share"].table
    months = table.column("month")
    values = dict(zip(months, table.column("value"), strict=True))
    assert values[dt.date(2026, 3, 31)] == 0.0
    assert values[dt.date(2026, 4, 30)] is SUPPRESSED
    assert values[T] is SUPPRESSED
    # The variation read is that of the latest month published, and the chart says so.
    chart = {c.name: c for c in report.charts()}["spc_interim_cover_share"]
    assert chart.spec["title"]["subtitle"][0] == (
        "Variation: common cause, no significant change. This reads March 2026, the latest "
        "month published."
    )


def test_exit_table_worked_by_hand(report: Report) -> None:
    """Spells ended only in the year to September 2026: 5 medical directors (2 forced) and
    9 chief operating officers; 14 is published as 15, the 2 forced exits are withheld."""
    forced = next(t for s in report.sections for t in s.tables if t.name == "forced_exits")
    assert forced.rows[-1] == ("Year to Sep 2026", 15, SUPPRESSED, SUPPRESSED)
    assert forced.rows[-2] == ("Year to Sep 2025", 0, 0, None)
    reasons = {c.name: c for c in report.charts()}["exit_reasons"].table
    labels = [c.label for c in reasons.columns]
    latest = dict(zip(labels, reasons.rows[-1], strict=True))
    assert latest["Moved to another NHS post"] == 10  # 9, rounded
    assert latest["Retired"] is SUPPRESSED  # 3
    assert latest["Dismissed or forced out"] is SUPPRESSED  # 2
    # The withheld counts are drawn as one segment, so the bar is the 15 spells ended the
    # forced-exit table gives: 15 - 10 shown = 5 (3 + 2, as it happens, before rounding).
    assert latest["Small counts, reasons withheld"] == 5
    for period, *counts in reasons.rows:
        ended = next(row[1] for row in forced.rows if row[0] == period)
        assert ended is not SUPPRESSED
        assert sum(c for c in counts if isinstance(c, int)) == ended, period


def test_hotspots_follow_the_stability_ranking(report: Report) -> None:
    ranked = hotspots(prepare_board(report_register().frames()), T)
    every = next(t for t in report.workbook if t.name == "hotspots_all")
    assert every.column("ods_code") == tuple(ranked["ods_code"].to_list())
    assert every.column("instability_index") == tuple(ranked["instability_index"].to_list())
    shown = next(t for s in report.sections for t in s.tables if t.name == "hotspots")
    assert shown.column("name") == tuple(ranked["name"].to_list()[: len(shown.rows)])
    # One vacant post in a team of four: a count of 1, so the rate is withheld.
    row = every.column("ods_code").index("TST06")
    assert every.column("exec_vacancy_rate")[row] is SUPPRESSED
    nw = every.column("ods_code").index("TST11")
    assert every.column("segment")[nw] == "1"
