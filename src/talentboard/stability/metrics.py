"""The board stability figures, declared once: their names, how they read, what they rest on.

Each figure's definition is in docs/metrics.md and its computation in ``stability.board``
(``figures_frame``). Everything that names, formats, withholds or charts a figure reads it
from :data:`METRICS`: the CLI's tables, the board report and the published tables, the
monthly SPC series and the hotspot index. A new figure is one declaration here, its counts
and computation in ``stability.board``, its definition in docs/metrics.md, and a test
(docs/adding-a-record.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "BY_NAME",
    "FIGURE_BASIS",
    "FIGURE_LABELS",
    "FIGURE_NAMES",
    "METRICS",
    "SERIES_METRICS",
    "SHARES",
    "SHORT_LABELS",
    "Metric",
    "frame_columns",
    "higher_is_worse",
]

Unit = Literal["share", "years", "interval", "points", "test"]
Better = Literal["higher", "lower"]


@dataclass(frozen=True)
class Metric:
    """One figure of docs/metrics.md section by section.

    ``basis``: the counts of ``figures_frame`` it is built on; disclosure control withholds
    it when one of them is withheld (empty: it rests on published figures, not on counts
    of people). ``columns``: its columns in ``figures_frame`` when it takes more than one
    (an interval, a test). ``better``: which way is more stable (None: neither). ``charted``:
    drawn month by month as an SPC chart.
    """

    name: str
    label: str
    short_label: str
    unit: Unit
    basis: tuple[str, ...]
    columns: tuple[str, ...] = ()
    better: Better | None = None
    charted: bool = False

    @property
    def frame_columns(self) -> tuple[str, ...]:
        return self.columns or (self.name,)


TENURE_BASIS = ("tenure_spells", "tenure_departures")

METRICS: tuple[Metric, ...] = (
    Metric(
        "orgs_with_exec_vacancy_share",
        "Organisations with an executive vacancy",
        "Orgs with vacancy %",
        "share",
        ("orgs_with_exec_vacancy", "orgs_with_exec_posts"),
        better="lower",
    ),
    Metric(
        "exec_vacancy_rate",
        "Executive posts with no substantive holder",
        "Vacant %",
        "share",
        ("exec_posts_vacant", "exec_posts"),
        better="lower",
        charted=True,
    ),
    Metric(
        "interim_cover_share",
        "Executive posts covered by an interim, acting or seconded holder",
        "Interim %",
        "share",
        ("exec_posts_interim", "exec_posts"),
        better="lower",
        charted=True,
    ),
    Metric(
        "median_tenure_years",
        "Median tenure of executive directors (Kaplan-Meier)",
        "Tenure KM (years)",
        "years",
        TENURE_BASIS,
        better="higher",
    ),
    Metric(
        "median_tenure_ci",
        "95% interval of the median tenure",
        "Tenure 95% CI",
        "interval",
        TENURE_BASIS,
        columns=("median_tenure_ci_lower", "median_tenure_ci_upper"),
    ),
    Metric(
        "current_holders_median_years",
        "Median time in post of current executives (snapshot)",
        "Snapshot (years)",
        "years",
        ("current_holders",),
    ),
    Metric(
        "appointed_within_3y_share",
        "Current executives appointed in the last 3 years",
        "Appointed <3y %",
        "share",
        ("appointed_within_3y", "current_holders"),
    ),
    Metric(
        "turnover_rate_12m",
        "Executive turnover in the last 12 months",
        "Turnover %",
        "share",
        ("ended_12m", "holders_12m_ago", "current_holders"),
        better="lower",
        charted=True,
    ),
    Metric(
        "forced_exit_share_12m",
        "Departures in the last 12 months that were forced",
        "Forced %",
        "share",
        ("forced_exits_12m", "ended_12m"),
        better="lower",
    ),
    Metric(
        "bme_share_board_voting",
        "Voting board members from a BME background",
        "BME board %",
        "share",
        ("board_voting_bme", "board_voting_known"),
        # A higher share moves boards towards the workforce they lead (WRES indicator 9).
        better="higher",
        charted=True,
    ),
    Metric(
        "bme_share_workforce",
        "Staff from a BME background (same organisations)",
        "BME staff %",
        "share",
        # Published staff headcounts, not counts of people in the register: not withheld.
        (),
    ),
    Metric(
        "wres9_gap_pp",
        "Board minus workforce BME share (WRES indicator 9)",
        "Gap (pp)",
        "points",
        ("board_voting_bme", "board_voting_known"),
    ),
    Metric(
        "tenure_logrank_challenged",
        "Tenure in segments 3-5 against 1-2 (log-rank test)",
        "Log-rank p",
        "test",
        TENURE_BASIS,
        columns=("tenure_logrank_statistic", "tenure_logrank_p_value"),
    ),
)

BY_NAME = {m.name: m for m in METRICS}
FIGURE_NAMES = tuple(m.name for m in METRICS)
# Plain-English names of the figures, for tables and reports.
FIGURE_LABELS = {m.name: m.label for m in METRICS}
# Column headings of tables by group, with the unit of each column.
SHORT_LABELS = {m.name: m.short_label for m in METRICS if m.unit != "interval"}
SHARES = frozenset(m.name for m in METRICS if m.unit == "share")
# Each column of figures_frame, and the counts it is built on.
FIGURE_BASIS = {column: m.basis for m in METRICS for column in m.frame_columns}
# The figures charted month by month, and whether a higher value is better.
SERIES_METRICS = {m.name: m.better == "higher" for m in METRICS if m.charted}


def frame_columns() -> tuple[str, ...]:
    """The figure columns of ``figures_frame``, in the order of ``FIGURE_NAMES``."""
    return tuple(column for m in METRICS for column in m.frame_columns)


def higher_is_worse(name: str) -> bool:
    """Whether a higher value of the figure means a less stable board."""
    better = BY_NAME[name].better
    if better is None:
        raise ValueError(f"{name} has no direction of stability")
    return better == "lower"
