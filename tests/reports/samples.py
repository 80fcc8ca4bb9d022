"""Small chart inputs written out by hand, shared by the chart, SVG and renderer tests."""

from __future__ import annotations

import datetime as dt

import polars as pl

from talentboard.reports.charts import (
    bme_share_chart,
    exit_reasons_chart,
    spc_chart,
    survival_chart,
    vacancy_by_role_chart,
)
from talentboard.reports.model import ChartSpec


def sample_charts() -> list[ChartSpec]:
    """One chart of each kind, with labels that need escaping in SVG and HTML."""
    months = [dt.date(2025, m, 1) for m in range(1, 13)]
    series = pl.DataFrame(
        {
            "month": months,
            "value": [0.10, 0.11, 0.09, 0.10, 0.12, 0.10, 0.11, 0.10, 0.09, 0.22, 0.10, 0.11],
            "mean": [0.11] * 12,
            "lower_limit": [0.05] * 12,
            "upper_limit": [0.17] * 12,
            "point_type": ["common_cause"] * 9
            + ["special_cause_concerning"]
            + ["common_cause"] * 2,
        }
    )
    curves = pl.DataFrame(
        {
            "group": ["Segment 1 & 2"] * 3 + ["Segment <3>"] * 3,
            "years": [0.0, 1.0, 2.0, 0.0, 0.5, 1.5],
            "survival": [1.0, 0.7, 0.45, 1.0, 0.6, 0.3],
            "lower": [1.0, 0.5, 0.3, 1.0, 0.4, 0.1],
            "upper": [1.0, 0.85, 0.6, 1.0, 0.8, 0.5],
        }
    )
    medians = pl.DataFrame(
        {
            "group": ["Segment 1 & 2", "Segment <3>"],
            "spells": [30, 20],
            "median_years": [2.0, 1.5],
            "median_lower": [1.0, 0.5],
            "median_upper": [None, None],
        },
        schema_overrides={"median_upper": pl.Float64},
    )
    roles = pl.DataFrame(
        {
            "role": ["Director of operations", "Director of finance"],
            "posts": [40, 45],
            "exec_vacancy_rate": [0.2, 0.1],
            "interim_cover_share": [0.15, 0.05],
        }
    )
    bme = pl.DataFrame(
        {
            "group": ["England", "London"],
            "bme_share_board_voting": [0.1, 0.2],
            "bme_share_workforce": [0.25, 0.45],
            "wres9_gap_pp": [-15.0, -25.0],
        }
    )
    exits = pl.DataFrame(
        {
            "period": ["2025", "2025", "2026"],
            "end_reason": ["Retired", "Dismissed or forced", "Retired"],
            "spells": [12, 9, 15],
        }
    )
    return [
        spc_chart(
            series,
            name="spc",
            title="Executive vacancy rate",
            measure="Vacancy rate",
            variation="Special cause of concern.",
            assurance="No target set.",
        ),
        survival_chart(curves, medians, name="km", title="Tenure", group_label="Segment"),
        vacancy_by_role_chart(roles),
        bme_share_chart(bme, group_label="Region"),
        exit_reasons_chart(exits, reasons=["Retired", "Dismissed or forced"]),
    ]
