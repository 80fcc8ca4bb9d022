"""Published SPC charts: the mean, limits and special causes from the published months only.

The monthly frames here are written out by hand with the columns ``monthly_figures`` gives
(as_at, the counts and the four charted figures), so every figure can be checked on paper.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentboard.reports.model import SUPPRESSED
from talentboard.reports.publish import MIN_SPC_MONTHS, published_xmr
from talentboard.reports.svg import render_svg
from talentboard.reports.trends import Trend, series_table, trend_series
from talentboard.stability.calendar import month_ends
from talentboard.stability.spc import SpcRules, xmr

LAST = dt.date(2026, 4, 30)

# Vacant executive posts of 100 in each month, January 2025 to April 2026. May 2025 (4)
# and January 2026 (6) are counts from 1 to 7: withheld, and the vacancy rate with them.
VACANT = [13, 15, 13, 15, 4, 10, 11, 10, 11, 10, 11, 10, 6, 9, 11, 19]


def _share(top: Sequence[int], bottom: Sequence[int]) -> list[float | None]:
    return [a / b if b else None for a, b in zip(top, bottom, strict=True)]


def monthly(
    vacant: Sequence[int],
    posts: Sequence[int] | None = None,
    *,
    interim: Sequence[int] | None = None,
    ended: Sequence[int] | None = None,
    holders: Sequence[int] | None = None,
    bme: Sequence[int] | None = None,
    known: Sequence[int] | None = None,
) -> pl.DataFrame:
    """Rows as ``monthly_figures`` gives them, for months ending at ``LAST``: each figure
    the share of its counts (none without a denominator). The figures not given are 0 of
    100 (interim cover) and 20 of 100 (turnover, BME share)."""
    n = len(vacant)
    posts = list(posts or [100] * n)
    interim = list(interim or [0] * n)
    ended = list(ended or [20] * n)
    holders = list(holders or [100] * n)
    bme = list(bme or [20] * n)
    known = list(known or [100] * n)
    counts = {
        "exec_posts": posts,
        "exec_posts_vacant": list(vacant),
        "exec_posts_interim": interim,
        "ended_12m": ended,
        "holders_12m_ago": holders,
        "current_holders": holders,
        "board_voting_bme": bme,
        "board_voting_known": known,
    }
    figures = {
        "exec_vacancy_rate": _share(vacant, posts),
        "interim_cover_share": _share(interim, posts),
        "turnover_rate_12m": _share(ended, holders),
        "bme_share_board_voting": _share(bme, known),
    }
    return pl.DataFrame(
        {"as_at": month_ends(LAST, n), **counts, **figures},
        schema={
            "as_at": pl.Date,
            **dict.fromkeys(counts, pl.Int64),
            **dict.fromkeys(figures, pl.Float64),
        },
    )


def _vacancy(trends: tuple[Trend, ...]) -> Trend:
    return next(t for t in trends if t.metric == "exec_vacancy_rate")


def test_hand_worked_series_with_two_withheld_months() -> None:
    """The vacancy rate of ``VACANT``, published.

    Published: the 14 months other than May 2025 and January 2026, in three runs:
        Jan-Apr 2025  13 15 13 15 %          sum 56, moving ranges 2 2 2
        Jun-Dec 2025  10 11 10 11 10 11 10   sum 73, moving ranges 1 1 1 1 1 1
        Feb-Apr 2026  9 11 19                sum 39, moving ranges 2 8
    No moving range is taken across a gap (not 15 -> *, nor 10 -> * -> 9).
    Mean 168 / 14 = 12%; 11 moving ranges summing to 22: mean moving range 2 points.
    Process limits 12 -/+ 2.66 x 2 = 6.68% and 17.32%; two-sigma lines 12 -/+ 5.32 x 2/3
    = 8.4533% and 15.5467%.
    Special causes: June-December 2025 are 7 months in a row below the mean (a shift, low:
    a lower vacancy rate is better, so improvement); April 2026 (19%) is above the upper
    limit (concern), so the latest month's variation is concerning. Nothing else: no
    month is beyond a two-sigma line but April, and no trend is longer than 3 months.

    The exact series (all 16 months, as someone with personal-data access sees it) has
    mean 178 / 16 = 11.125% and moving ranges 2 2 2 11 6 1 1 1 1 1 1 4 3 2 8 (46 / 15 =
    3.0667 points): upper limit 11.125 + 8.1573 = 19.282%, two-sigma line 16.563%, so
    April (19%) is inside the limits, alone beyond the two-sigma line, and its variation
    common cause. Limits drawn from those figures would give the withheld months away.
    """
    trend = _vacancy(trend_series(monthly(VACANT)))
    chart = trend.xmr.chart
    assert chart is not None
    assert trend.xmr.positions == (0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15)
    assert trend.xmr.moving_ranges == 11
    assert chart.mean == pytest.approx(0.12, rel=1e-12)
    assert chart.mean_moving_range == pytest.approx(0.02, rel=1e-12)
    assert chart.lower_limit == pytest.approx(0.0668, rel=1e-12)
    assert chart.upper_limit == pytest.approx(0.1732, rel=1e-12)
    assert chart.lower_two_sigma == pytest.approx(0.12 - 0.0532 * 2 / 3, rel=1e-12)
    assert chart.upper_two_sigma == pytest.approx(0.12 + 0.0532 * 2 / 3, rel=1e-12)
    assert chart.rules == ((),) * 4 + (("shift",),) * 7 + ((), (), ("outside_limits",))
    assert chart.variation == "special_cause_concerning"
    assert trend.variation == (
        "Variation: special cause of a concerning nature: recent months are higher than "
        "chance alone gives."
    )

    assert trend.chart is not None
    table = trend.chart.table
    assert table.column("value") == tuple(
        SUPPRESSED if v in (4, 6) else pytest.approx(v / 100, rel=1e-12) for v in VACANT
    )
    for column, expected in (("mean", 0.12), ("lower_limit", 0.0668), ("upper_limit", 0.1732)):
        (value,) = set(table.column(column))
        assert value == pytest.approx(expected, rel=1e-12)
    common, improving, concern = (
        "Common cause variation",
        "Special cause: improvement",
        "Special cause: concern",
    )
    assert table.column("variation") == (
        *[common] * 4,
        SUPPRESSED,
        *[improving] * 7,
        SUPPRESSED,
        common,
        common,
        concern,
    )
    assert table.notes == (
        "The mean, process limits and variation are worked out from the 14 months with a "
        "published value only; no moving range spans a month without one.",
        "2 of the 16 months are withheld (*): the figure rests on a count too small to publish.",
    )
    assert trend.chart.spec["title"]["subtitle"][:2] == [trend.variation, trend.assurance]

    exact = _vacancy(trend_series(monthly(VACANT), disclose=False)).xmr.chart
    assert exact is not None
    assert exact.mean == pytest.approx(0.11125, rel=1e-12)
    assert exact.mean_moving_range == pytest.approx(0.46 / 15, rel=1e-12)
    assert exact.upper_limit == pytest.approx(0.11125 + 2.66 * 0.46 / 15, rel=1e-12)
    assert exact.variation == "common_cause"


def test_too_few_published_months_give_a_table_and_no_chart() -> None:
    """With February 2025 withheld too (3 vacant), 13 months are published in four runs
    (Jan 2025; Mar-Apr 2025; Jun-Dec 2025; Feb-Apr 2026) with 0 + 1 + 6 + 2 = 9 moving
    ranges: fewer than the 11 limits need, so the vacancy rate is a table of its months."""
    vacant = [13, 3, *VACANT[2:]]
    trend = _vacancy(trend_series(monthly(vacant)))
    assert trend.chart is None
    assert trend.xmr.chart is None
    assert (len(trend.xmr.positions), trend.xmr.moving_ranges) == (13, 9)
    assert [c.key for c in trend.table.columns] == ["month", "value"]
    assert trend.table.column("value").count(SUPPRESSED) == 3
    assert trend.table.notes[0] == (
        "Not drawn as a statistical process control chart: 13 months of 16 have a "
        f"published value, with 9 moving ranges between consecutive ones; a mean and "
        f"process limits need at least {MIN_SPC_MONTHS} months and {MIN_SPC_MONTHS - 1} "
        "moving ranges."
    )
    assert trend.variation.startswith("Variation: not assessed")
    rows = [r for r in series_table((trend,)).rows if r[0] == trend.title]
    assert len(rows) == 16
    assert {r[3:] for r in rows} == {(None, None, None, None)}


def test_a_gap_breaks_a_run() -> None:
    """Twelve months alternating 10% and 14%, then 15% for four months, one month not
    published, and 15% for three more.

    Published: 19 months, sum 144 + 105 = 249, mean 13.105%. Moving ranges 11 x 4 (the
    alternation), 1 (14 -> 15) and 5 x 0: 45 / 17 = 2.647 points; upper limit
    13.105 + 7.041 = 20.146%, upper two-sigma line 17.799%, lower 8.411%: every month is
    inside them. Above the mean run the last 14% and four 15% (5 months), then, after the
    gap, three 15%: no run of 7, so no shift, and every month is common cause.
    With the missing month published at 15% the run is 9 months long (mean 264 / 20 =
    13.2%): a shift, and then the chart is ``xmr``'s exactly.
    """
    head: list[float | None] = [0.10, 0.14] * 6
    gapped = published_xmr([*head, 0.15, 0.15, 0.15, 0.15, None, 0.15, 0.15, 0.15])
    assert gapped.chart is not None
    assert gapped.chart.mean == pytest.approx(2.49 / 19, rel=1e-12)
    assert gapped.chart.mean_moving_range == pytest.approx(0.45 / 17, rel=1e-12)
    assert gapped.chart.upper_two_sigma == pytest.approx(2.49 / 19 + 0.45 / 17 * 2.66 * 2 / 3)
    assert not any(gapped.chart.rules)

    filled_values = [0.10, 0.14] * 6 + [0.15] * 8
    filled = published_xmr(filled_values, higher_is_better=False)
    assert filled.chart is not None
    assert filled.chart.mean == pytest.approx(0.132, rel=1e-12)
    assert [("shift" in r) for r in filled.chart.rules] == [False] * 11 + [True] * 9
    assert filled.chart.variation == "special_cause_concerning"
    assert filled.chart == xmr(filled_values, higher_is_better=False)


def test_a_withheld_gap_breaks_the_line_drawn() -> None:
    """The vacancy rate line of the hand-worked series is drawn as three pieces, one per
    run of published months (an SVG path with three move-to commands)."""
    trend = _vacancy(trend_series(monthly(VACANT)))
    assert trend.chart is not None
    svg = render_svg(trend.chart)
    paths = re.findall(
        r'aria-label="Month: [^"]*; Vacancy rate: [^"]*" role="graphics-symbol" '
        r'aria-roledescription="line mark" d="([^"]+)"',
        svg,
    )
    assert len(paths) == 1
    assert paths[0].count("M") == 3


def test_the_latest_month_withheld_is_said() -> None:
    """Vacant posts 10 and 12 alternating for 15 months, then 5 (withheld) in the last:
    the variation read is that of the latest month published, and the sentence says so."""
    vacant = [10, 12] * 7 + [10, 5]
    trend = _vacancy(trend_series(monthly(vacant)))
    assert trend.chart is not None
    assert trend.variation == (
        "Variation: common cause, no significant change. This reads March 2026, the "
        "latest month published."
    )


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.integers(0, 6).map(lambda v: v / 10), min_size=12, max_size=30),
    shift=st.integers(3, 8),
    trend=st.integers(3, 8),
    two_of_three=st.booleans(),
    baseline=st.integers(0, 30),
    higher_is_better=st.sampled_from([None, True, False]),
    target=st.sampled_from([None, 0.1, 0.3, 0.5]),
)
def test_without_gaps_the_published_chart_is_xmr(
    values: list[float],
    shift: int,
    trend: int,
    two_of_three: bool,
    baseline: int,
    higher_is_better: bool | None,
    target: float | None,
) -> None:
    """``stability.spc.xmr`` is the reference: with every month published, the published
    chart is exactly it (a baseline of fewer than 12 months means no baseline here)."""
    rules = SpcRules(
        shift_points=shift,
        trend_points=trend,
        two_of_three=two_of_three,
        baseline=baseline if MIN_SPC_MONTHS <= baseline <= len(values) else None,
    )
    published = published_xmr(values, higher_is_better=higher_is_better, target=target, rules=rules)
    expected = xmr(values, higher_is_better=higher_is_better, target=target, rules=rules)
    assert published.chart == expected


def _published(trends: tuple[Trend, ...]) -> list[object]:
    """Everything a reader of the trends sees: the chart specs, tables and sentences."""
    return [
        (t.chart.spec if t.chart else None, t.table, t.variation, t.assurance) for t in trends
    ] + [series_table(trends)]


@st.composite
def series_and_change(draw: st.DrawFn) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A monthly frame, and the same frame with every withheld month's numerators changed
    to other counts from 1 to 7 (so still withheld) and its figures with them.

    16 to 24 months; for each figure up to 4 months withheld (a numerator from 1 to 7),
    and up to one month with no denominator, so that most series are still charted.
    """
    n = draw(st.integers(16, 24))
    months = st.integers(0, n - 1)

    def denominators(size: int) -> list[int]:
        empty = draw(st.sets(months, max_size=1))
        return [0 if i in empty else size for i in range(n)]

    def numerators(bottom: list[int]) -> list[int]:
        withheld = draw(st.sets(months, max_size=4))
        return [
            0
            if not bottom[i]
            else draw(st.integers(1, 7))
            if i in withheld
            else draw(st.sampled_from([0, *range(8, 31)]))
            for i in range(n)
        ]

    posts, holders, known = denominators(40), denominators(50), denominators(45)
    counts = {
        "vacant": numerators(posts),
        "interim": numerators(posts),
        "ended": numerators(holders),
        "bme": numerators(known),
    }
    changed = {
        name: [draw(st.integers(1, 7)) if 1 <= v <= 7 else v for v in values]
        for name, values in counts.items()
    }
    before, after = (
        monthly(
            c["vacant"],
            posts,
            interim=c["interim"],
            ended=c["ended"],
            holders=holders,
            bme=c["bme"],
            known=known,
        )
        for c in (counts, changed)
    )
    return before, after


@settings(max_examples=40, deadline=None)
@given(pair=series_and_change())
def test_a_withheld_month_changes_nothing_published(
    pair: tuple[pl.DataFrame, pl.DataFrame],
) -> None:
    """Whatever the value of a withheld month, the published charts (Vega-Lite specs),
    their tables, sentences and the series sheet are the same."""
    before, after = pair
    assert _published(trend_series(before)) == _published(trend_series(after))


def test_the_property_is_not_vacuous() -> None:
    """The comparison above does see a change in a withheld month when the limits come
    from the exact series, as they did before (here through ``disclose=False``): May 2025
    at 7 vacant posts rather than 4 moves the exact mean from 11.125% to 11.3125%."""
    changed = [*VACANT[:4], 7, *VACANT[5:]]
    exact = [_vacancy(trend_series(monthly(v), disclose=False)) for v in (VACANT, changed)]
    assert _published((exact[0],)) != _published((exact[1],))
    assert exact[1].xmr.chart is not None
    assert exact[1].xmr.chart.mean == pytest.approx(0.113125, rel=1e-12)
    published = [_vacancy(trend_series(monthly(v))) for v in (VACANT, changed)]
    assert _published((published[0],)) == _published((published[1],))
