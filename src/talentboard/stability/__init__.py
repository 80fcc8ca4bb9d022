"""Board stability analytics: the figures of docs/metrics.md, pure functions over frames.

The names below load their module when first used, so that importing one module of the
package (``stability.groups`` to learn which columns the figures read) does not load the
rest, with NumPy and SciPy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from talentboard._lazy import lazy_names

if TYPE_CHECKING:
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


# Each name's module, for ``__getattr__``.
_MODULES = {
    "COUNT_COLUMNS": "board",
    "FIGURE_LABELS": "board",
    "FIGURE_NAMES": "board",
    "BoardFigures": "board",
    "LogRankResult": "board",
    "board_figures": "board",
    "board_figures_by": "board",
    "figures_frame": "board",
    "leadership_capacity": "capacity",
    "CoxFit": "cox",
    "CoxFitError": "cox",
    "fit_cox": "cox",
    "DEFAULT_RULE": "disclosure",
    "DisclosureRule": "disclosure",
    "ProtectedTable": "disclosure",
    "disclose_count": "disclosure",
    "disclose_counts_frame": "disclosure",
    "disclose_share": "disclosure",
    "protect_table": "disclosure",
    "exit_reasons": "exits",
    "forced_exit_shares": "exits",
    "time_to_fill": "fill",
    "vacancies": "fill",
    "DIMENSIONS": "groups",
    "BoardRegister": "groups",
    "posts_at": "groups",
    "prepare_board": "groups",
    "HazardModel": "hazard",
    "HazardRatio": "hazard",
    "departure_model": "hazard",
    "hotspots": "hotspots",
    "SERIES_METRICS": "series",
    "monthly_series": "series",
    "series_charts": "series",
    "SpcRules": "spc",
    "XmrChart": "spc",
    "xmr": "spc",
    "KaplanMeierSummary": "survival",
    "kaplan_meier": "survival",
    "km_curves": "survival",
    "logrank": "survival",
}

__getattr__ = lazy_names(__name__, _MODULES)
