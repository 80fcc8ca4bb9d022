"""Board stability analytics: the figures of docs/metrics.md, pure functions over frames."""

from talentboard.stability.board import (
    COUNT_COLUMNS,
    FIGURE_LABELS,
    FIGURE_NAMES,
    BoardFigures,
    LogRankResult,
    board_figures,
    board_figures_by,
    figures_frame,
)
from talentboard.stability.capacity import leadership_capacity
from talentboard.stability.cox import CoxFit, CoxFitError, fit_cox
from talentboard.stability.disclosure import (
    DEFAULT_RULE,
    DisclosureRule,
    ProtectedTable,
    disclose_count,
    disclose_counts_frame,
    disclose_share,
    protect_table,
)
from talentboard.stability.exits import exit_reasons, forced_exit_shares
from talentboard.stability.fill import time_to_fill, vacancies
from talentboard.stability.groups import DIMENSIONS, BoardRegister, posts_at, prepare_board
from talentboard.stability.hazard import HazardModel, HazardRatio, departure_model
from talentboard.stability.hotspots import hotspots
from talentboard.stability.series import SERIES_METRICS, monthly_series, series_charts
from talentboard.stability.spc import SpcRules, XmrChart, xmr
from talentboard.stability.survival import KaplanMeierSummary, kaplan_meier, km_curves, logrank

__all__ = [
    "COUNT_COLUMNS",
    "DEFAULT_RULE",
    "DIMENSIONS",
    "FIGURE_LABELS",
    "FIGURE_NAMES",
    "SERIES_METRICS",
    "BoardFigures",
    "BoardRegister",
    "CoxFit",
    "CoxFitError",
    "DisclosureRule",
    "HazardModel",
    "HazardRatio",
    "KaplanMeierSummary",
    "LogRankResult",
    "ProtectedTable",
    "SpcRules",
    "XmrChart",
    "board_figures",
    "board_figures_by",
    "departure_model",
    "disclose_count",
    "disclose_counts_frame",
    "disclose_share",
    "exit_reasons",
    "figures_frame",
    "fit_cox",
    "forced_exit_shares",
    "hotspots",
    "kaplan_meier",
    "km_curves",
    "leadership_capacity",
    "logrank",
    "monthly_series",
    "posts_at",
    "prepare_board",
    "protect_table",
    "series_charts",
    "time_to_fill",
    "vacancies",
    "xmr",
]
