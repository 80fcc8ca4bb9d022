"""Breakdown tables and charts: the board figures by role, region, kind and segment.

Each breakdown is ``stability.board.figures_frame(..., by=DIM)`` after disclosure control
(``reports.publish``). The report shows a focused table per breakdown; the workbook has
every figure and count.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from talentboard.reports.charts import bme_share_chart, vacancy_by_role_chart
from talentboard.reports.model import ChartSpec, Column, Table, table_from_frame

__all__ = [
    "BREAKDOWN_LABELS",
    "diversity_chart",
    "page_table",
    "role_chart",
    "workbook_table",
]

BREAKDOWN_LABELS: Final = {
    "role": "Role",
    "role_group": "Role group",
    "role_tier": "Role group",
    "region": "Region",
    "org_kind": "Organisation kind",
    "segment": "Oversight segment",
    "org": "Organisation",
}

_PAGE_COLUMNS: Final = (
    Column("exec_posts", "Executive posts", "count"),
    Column("exec_posts_vacant", "Vacant", "count"),
    Column("exec_vacancy_rate", "Vacancy rate", "share"),
    Column("interim_cover_share", "Interim cover", "share"),
    Column("median_tenure_years", "Median tenure (years)", "years"),
    Column("appointed_within_3y_share", "Appointed in 3 years", "share"),
    Column("turnover_rate_12m", "Turnover (12 months)", "share"),
)

_WORKBOOK_COLUMNS: Final = (
    Column("group", "Code", "text"),
    Column("orgs_with_exec_posts", "Organisations with executive posts", "count"),
    Column("orgs_with_exec_vacancy", "Organisations with an executive vacancy", "count"),
    Column("orgs_with_exec_vacancy_share", "Share of organisations with a vacancy", "share"),
    Column("exec_posts", "Executive posts", "count"),
    Column("exec_posts_vacant", "Vacant executive posts", "count"),
    Column("exec_vacancy_rate", "Executive vacancy rate", "share"),
    Column("exec_posts_interim", "Posts under interim cover", "count"),
    Column("interim_cover_share", "Interim cover share", "share"),
    Column("tenure_spells", "Spells in the tenure estimate", "count"),
    Column("median_tenure_years", "Median tenure, Kaplan-Meier (years)", "years"),
    Column("median_tenure_ci_lower", "Median tenure, 95% interval from", "years"),
    Column("median_tenure_ci_upper", "Median tenure, 95% interval to", "years"),
    Column("current_holders", "Current executive holders", "count"),
    Column("current_holders_median_years", "Current holders' median time in post", "years"),
    Column("appointed_within_3y_share", "Appointed in the last 3 years", "share"),
    Column("ended_12m", "Spells ended in 12 months", "count"),
    Column("turnover_rate_12m", "Turnover rate (12 months)", "share"),
    Column("forced_exit_share_12m", "Forced exit share (12 months)", "share"),
    Column("board_voting_known", "Voting members with known ethnicity", "count"),
    Column("bme_share_board_voting", "BME share of voting board members", "share"),
    Column("bme_share_workforce", "BME share of the workforce", "share"),
    Column("wres9_gap_pp", "Gap (percentage points)", "pp"),
)


def page_table(published: pl.DataFrame, by: str, *, name: str, caption: str) -> Table:
    """The report's table of one breakdown: vacancy, tenure and turnover per group."""
    columns = (Column("label", BREAKDOWN_LABELS[by], "text"), *_PAGE_COLUMNS)
    return table_from_frame(published, columns, name=name, caption=caption)


def workbook_table(
    published: pl.DataFrame, by: str, *, name: str, caption: str, sheet: str
) -> Table:
    """The workbook's sheet of one breakdown: every figure and the counts behind it."""
    columns = (Column("label", BREAKDOWN_LABELS[by], "text"), *_WORKBOOK_COLUMNS)
    return table_from_frame(published, columns, name=name, caption=caption, sheet=sheet)


def role_chart(by_role: pl.DataFrame, *, title: str | None = None) -> ChartSpec:
    """Vacancy and interim cover by executive role, worst first, from the published
    by-role figures (roles with no executive post at the date left out). ``title``
    names the grouping when the rows are groups of roles."""
    rows = by_role.filter(pl.col("exec_posts").is_not_null() | pl.col("exec_posts_suppressed"))
    rows = rows.sort("exec_vacancy_rate", descending=True, nulls_last=True)
    frame = rows.select(
        pl.col("label").alias("role"),
        pl.col("exec_posts").alias("posts"),
        "exec_vacancy_rate",
        "interim_cover_share",
        pl.col("exec_posts_suppressed").alias("posts_suppressed"),
        "exec_vacancy_rate_suppressed",
        "interim_cover_share_suppressed",
    )
    if title is None:
        return vacancy_by_role_chart(frame)
    return vacancy_by_role_chart(frame, title=title)


def diversity_chart(overall: pl.DataFrame, groups: pl.DataFrame, by: str, scope: str) -> ChartSpec:
    """BME share of voting board members against the workforce: the scope, then each group."""
    columns = (
        "bme_share_board_voting",
        "bme_share_workforce",
        "wres9_gap_pp",
        "bme_share_board_voting_suppressed",
        "bme_share_workforce_suppressed",
        "wres9_gap_pp_suppressed",
    )
    frame = pl.concat(
        [
            overall.select(pl.lit(scope).alias("group"), *columns),
            groups.select(pl.col("label").alias("group"), *columns),
        ]
    )
    return bme_share_chart(frame, group_label=BREAKDOWN_LABELS[by], name=f"bme_share_by_{by}")
