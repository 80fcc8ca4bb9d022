"""Vega-Lite chart specifications for the board report and the web app (one spec for both).

Each function takes a plain Polars frame whose columns its docstring lists, and returns a
``ChartSpec``: the Vega-Lite JSON (data inline, nothing fetched), a title, a description
for assistive technology and the table of the data drawn, which pages show beside the
chart as its accessible alternative. Values must already have passed disclosure control:
a value withheld is null, and a boolean ``<column>_suppressed`` column beside it makes the
table show ``*`` rather than a dash. The functions draw; they compute no statistic.
"""

from talentboard.reports.charts.board import bme_share_chart, vacancy_by_role_chart
from talentboard.reports.charts.exits import exit_reasons_chart
from talentboard.reports.charts.spc import SPC_POINT_LABELS, spc_chart
from talentboard.reports.charts.survival import survival_chart

__all__ = [
    "SPC_POINT_LABELS",
    "bme_share_chart",
    "exit_reasons_chart",
    "spc_chart",
    "survival_chart",
    "vacancy_by_role_chart",
]
