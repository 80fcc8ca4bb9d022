"""The exits section: why executive spells ended, year by year, and the forced-exit share.

Counts are ``stability.exits.exit_reasons`` over the five years to the date, published as
one table of periods by reasons with each period's total (``protect_table``: withheld
cells cannot be recovered from the totals); the forced-exit shares are
``stability.exits.forced_exit_shares``, withheld when their counts are.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import polars as pl

from talentboard import vocab
from talentboard.reports.charts import exit_reasons_chart
from talentboard.reports.model import SUPPRESSED, Cell, ChartSpec, Column, Table
from talentboard.reports.publish import current_rule
from talentboard.stability.disclosure import protect_table
from talentboard.stability.exits import FORCED_EXIT, exit_reasons, forced_exit_shares
from talentboard.stability.groups import BoardRegister

__all__ = ["EXIT_YEARS", "REASON_LABELS", "exits_section"]

EXIT_YEARS: Final = 5
REASON_LABELS: Final = {
    "retired": "Retired",
    "moved_nhs": "Moved to another NHS post",
    "promoted_internal": "Promoted internally",
    "left_nhs": "Left the NHS",
    "dismissed_or_forced": "Dismissed or forced out",
    "end_of_term": "End of term",
    "death": "Death in service",
    "other": "Other",
    "not_recorded": "Not recorded",
}


def period_label(end: dt.date) -> str:
    """``Year to Sep 2026``: the twelve months ending on ``end``."""
    return f"Year to {end:%b %Y}"


_Published = list[list[tuple[int | None, bool]]]
"""Per period, per reason then the period's total: the count published (None when
withheld) and whether it was withheld."""


def _reasons(long: pl.DataFrame) -> list[str]:
    """The end reasons recorded, in vocabulary order; the forced exits when there are none."""
    codes = [*vocab.END_REASONS, "not_recorded"]
    present = set(long["end_reason"].to_list())
    return [code for code in codes if code in present] or [FORCED_EXIT]


def _published(long: pl.DataFrame, periods: list[dt.date], reasons: list[str]) -> _Published:
    exact = {
        (row["period_end"], row["end_reason"]): int(row["exits"])
        for row in long.iter_rows(named=True)
    }
    matrix = [[exact.get((period, reason), 0) for reason in reasons] for period in periods]
    # Each period's row ends with its total: the table is published with row totals.
    extended: _Published = []
    if matrix:
        protected = protect_table(matrix, row_totals=True, column_totals=False, rule=current_rule())
        assert protected.row_totals is not None
        for i, cells in enumerate(protected.cells):
            line = [*cells, protected.row_totals[i]]
            extended.append(
                [
                    (None, True) if protected.suppressed[i][j] else (int(value), False)
                    for j, value in enumerate(line)
                ]
            )
    return extended


COMBINED: Final = "Small counts, reasons withheld"
"""The chart's segment for a period's withheld counts, added together: the table publishes
the period's total and every other count, so their sum is no new disclosure, and the bars
then add up to the spells ended that the forced-exit table gives (the published, rounded
total; when the rounded counts shown already exceed it, the segment is 0)."""


def _reasons_chart(periods: list[dt.date], reasons: list[str], published: _Published) -> ChartSpec:
    records = []
    combined_used = False
    for i, period in enumerate(periods):
        shown = 0
        for j, reason in enumerate(reasons):
            value, hidden = published[i][j]
            shown += value or 0
            records.append(
                {
                    "period": period_label(period),
                    "end_reason": REASON_LABELS[reason],
                    "spells": value,
                    "spells_suppressed": hidden,
                }
            )
        total, total_hidden = published[i][len(reasons)]
        # Published counts are rounded to the nearest 5, so the remainder can fall below 0.
        withheld = None if total_hidden or total is None else max(total - shown, 0)
        combined_used = combined_used or bool(withheld)
        records.append(
            {
                "period": period_label(period),
                "end_reason": COMBINED,
                "spells": withheld,
                "spells_suppressed": total_hidden,
            }
        )
    chart_frame = pl.DataFrame(
        records,
        schema={
            "period": pl.String,
            "end_reason": pl.String,
            "spells": pl.Int64,
            "spells_suppressed": pl.Boolean,
        },
        orient="row",
    )
    labels = [REASON_LABELS[r] for r in reasons]
    if not combined_used:
        chart_frame = chart_frame.filter(pl.col("end_reason") != COMBINED)
    return exit_reasons_chart(
        chart_frame,
        reasons=[*labels, COMBINED] if combined_used else labels,
        combined=COMBINED if combined_used else None,
        description=(
            "Stacked bar chart of executive spells that ended in each of the last five years, "
            "coloured by the recorded reason. Reasons with counts small enough to identify "
            "people are added together in one grey segment, so each bar is the year's total; "
            "the table gives every count published."
        ),
    )


def _forced_rows(
    periods: list[dt.date], reasons: list[str], published: _Published, shares: pl.DataFrame
) -> list[tuple[Cell, ...]]:
    """Per period: spells ended, forced exits and the forced-exit share, as published."""
    rows: list[tuple[Cell, ...]] = []
    forced_index = reasons.index(FORCED_EXIT) if FORCED_EXIT in reasons else None
    for i, period in enumerate(periods):
        total, total_hidden = published[i][len(reasons)]
        forced: int | None = 0
        forced_hidden = False
        if forced_index is not None:
            forced, forced_hidden = published[i][forced_index]
        share = shares.filter(pl.col("period_end") == period)["forced_exit_share"].to_list()
        exact_share = share[0] if share else None
        rows.append(
            (
                period_label(period),
                SUPPRESSED if total_hidden else total,
                SUPPRESSED if forced_hidden else forced,
                SUPPRESSED
                if (total_hidden or forced_hidden) and exact_share is not None
                else exact_share,
            )
        )
    return rows


def _forced_table(rows: list[tuple[Cell, ...]]) -> Table:
    return Table(
        name="forced_exits",
        caption="Executive spells ended and the forced-exit share, year by year",
        columns=(
            Column("period", "Period", "text"),
            Column("exits", "Spells ended", "count"),
            Column("forced", "Dismissed or forced out", "count"),
            Column("forced_exit_share", "Forced-exit share", "share"),
        ),
        rows=tuple(rows),
        sheet="Forced exits",
    )


def exits_section(board: BoardRegister, at: dt.date) -> tuple[ChartSpec, Table]:
    """The exit reasons chart (its table: periods by reasons) and the forced-exit table."""
    long = exit_reasons(board, at, years=EXIT_YEARS)
    shares = forced_exit_shares(board, at, years=EXIT_YEARS).sort("period_end")
    periods = shares.select("period_end").unique().sort("period_end")["period_end"].to_list()
    reasons = _reasons(long)
    published = _published(long, periods, reasons)
    chart = _reasons_chart(periods, reasons, published)
    table = _forced_table(_forced_rows(periods, reasons, published, shares))
    return chart, table
