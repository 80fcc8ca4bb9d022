"""The variation sentence agrees with the points the chart marks.

The baseline 6, 5, 6, 5, 6, 5 gives limits 2.84 and 8.16 (tests/stability/test_spc.py).
"""

from __future__ import annotations

from talentboard.reports.wording import variation_sentence
from talentboard.stability.spc import SpcRules, xmr

BASELINE = [6.0, 5.0, 6.0, 5.0, 6.0, 5.0]
RULES = SpcRules(baseline=6)


def test_a_quiet_chart_is_unchanged() -> None:
    chart = xmr([*BASELINE, 6.0, 5.0], rules=RULES, higher_is_better=False)
    assert chart.variation == "common_cause"
    assert variation_sentence(chart) == "Variation: common cause, no significant change."


def test_a_flagged_recent_month_is_said_when_the_latest_is_common_cause() -> None:
    """20 is beyond 8.16 (concerning when lower is better); the two months after it are
    back inside the limits, so the latest point is common cause but the chart marks one of
    the six months before it."""
    chart = xmr([*BASELINE, 20.0, 6.0, 5.0], rules=RULES, higher_is_better=False)
    assert chart.variation == "common_cause"
    assert [i for i, flag in enumerate(chart.special_cause) if flag] == [6]
    assert variation_sentence(chart) == (
        "Variation: common cause in the latest month, but 1 of the 6 months before it was "
        "special cause (concerning), as the chart marks them."
    )


def test_a_month_flagged_long_ago_is_not_recent() -> None:
    """The spike is eight months before the latest: outside the six months looked at."""
    values = [*BASELINE, 20.0, 6.0, 5.0, 6.0, 5.0, 6.0, 5.0, 6.0]
    chart = xmr(values, rules=RULES, higher_is_better=False)
    assert chart.special_cause[6]
    assert not any(chart.special_cause[-7:])
    assert variation_sentence(chart) == "Variation: common cause, no significant change."
