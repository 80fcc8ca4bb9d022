"""Disclosure control for the report, through ``talentboard.stability.disclosure``.

The rule itself (which counts are withheld, how others are rounded, secondary
suppression) lives in the disclosure module; this module applies it to the frames the
report shows and records what was withheld:

* every count column of ``stability.board.COUNT_COLUMNS`` is published with
  ``disclose_count``, or, in a breakdown whose overall row is published too, with
  ``protect_table`` with the column's total published (so a withheld group cannot be
  recovered by subtraction);
* every figure is withheld when a count it is built on is withheld (``FIGURE_BASIS``):
  a share with its numerator or denominator, a median with the spells behind it;
* a withheld value becomes null, with ``<column>_suppressed`` true beside it, which the
  chart tables and renderers show as ``*``. Published counts are the rounded ones; the
  figures that are shown are the exact ones the stability functions gave.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import polars as pl

from talentboard.reports.model import SUPPRESSED, Cell
from talentboard.stability.board import COUNT_COLUMNS
from talentboard.stability.disclosure import (
    DEFAULT_RULE,
    DisclosureRule,
    disclose_count,
    protect_table,
)

__all__ = [
    "FIGURE_BASIS",
    "publish_counts",
    "publish_figures",
    "published_row",
]

# Each figure of figures_frame, and the counts it is built on.
FIGURE_BASIS: Final[dict[str, tuple[str, ...]]] = {
    "orgs_with_exec_vacancy_share": ("orgs_with_exec_vacancy", "orgs_with_exec_posts"),
    "exec_vacancy_rate": ("exec_posts_vacant", "exec_posts"),
    "interim_cover_share": ("exec_posts_interim", "exec_posts"),
    "median_tenure_years": ("tenure_spells", "tenure_departures"),
    "median_tenure_ci_lower": ("tenure_spells", "tenure_departures"),
    "median_tenure_ci_upper": ("tenure_spells", "tenure_departures"),
    "current_holders_median_years": ("current_holders",),
    "appointed_within_3y_share": ("appointed_within_3y", "current_holders"),
    "turnover_rate_12m": ("ended_12m", "holders_12m_ago", "current_holders"),
    "forced_exit_share_12m": ("forced_exits_12m", "ended_12m"),
    "bme_share_board_voting": ("board_voting_bme", "board_voting_known"),
    "wres9_gap_pp": ("board_voting_bme", "board_voting_known"),
    "tenure_logrank_statistic": ("tenure_spells", "tenure_departures"),
    "tenure_logrank_p_value": ("tenure_spells", "tenure_departures"),
    # The workforce share rests on published staff headcounts, not on counts of people
    # in the register, so it is not withheld.
    "bme_share_workforce": (),
}


def _shown(value: int | str | None, rule: DisclosureRule) -> tuple[int | None, bool]:
    if value == rule.symbol:
        return None, True
    return (None if value is None else int(value)), False


def publish_counts(
    values: Sequence[int | None],
    *,
    protect: bool = False,
    rule: DisclosureRule = DEFAULT_RULE,
) -> tuple[list[int | None], list[bool]]:
    """One column of counts as published: values (null when withheld) and withheld flags.

    With ``protect``, the column is a line of a table whose total is published (the
    groups of a breakdown whose overall figure the report shows): ``protect_table`` adds
    secondary suppression so that no withheld group follows from the total.
    """
    if not protect:
        pairs = [_shown(disclose_count(v, rule), rule) for v in values]
        return [p[0] for p in pairs], [p[1] for p in pairs]
    exact = [int(v or 0) for v in values]
    table = protect_table([exact], row_totals=True, column_totals=False, rule=rule)
    pairs = [_shown(v, rule) for v in table.cells[0]]
    # A missing count (no such group) stays missing rather than becoming a published 0.
    shown = [None if v is None else p[0] for v, p in zip(values, pairs, strict=True)]
    return shown, [p[1] for p in pairs]


def publish_figures(
    frame: pl.DataFrame,
    *,
    protect: bool = False,
    counts: Sequence[str] = COUNT_COLUMNS,
    basis: Mapping[str, Sequence[str]] = FIGURE_BASIS,
    rule: DisclosureRule = DEFAULT_RULE,
) -> pl.DataFrame:
    """Rows of ``stability.board.figures_frame`` (or any frame of counts and figures) made
    fit to publish, with a ``<column>_suppressed`` flag beside every count and figure.

    ``protect`` when the rows are the groups of a breakdown whose overall figures are
    published too (see ``publish_counts``).
    """
    published = frame
    withheld: dict[str, list[bool]] = {}
    for column in counts:
        if column not in frame.columns:
            continue
        shown, flags = publish_counts(frame[column].to_list(), protect=protect, rule=rule)
        withheld[column] = flags
        published = published.with_columns(
            pl.Series(column, shown, dtype=pl.Int64),
            pl.Series(f"{column}_suppressed", flags, dtype=pl.Boolean),
        )
    for figure, counts_used in basis.items():
        if figure not in frame.columns:
            continue
        flags = [
            any(withheld[c][i] for c in counts_used if c in withheld) for i in range(frame.height)
        ]
        published = published.with_columns(
            pl.when(pl.Series(flags, dtype=pl.Boolean))
            .then(None)
            .otherwise(pl.col(figure))
            .alias(figure),
            pl.Series(f"{figure}_suppressed", flags, dtype=pl.Boolean),
        )
    return published


def published_row(published: pl.DataFrame, index: int = 0) -> dict[str, Cell]:
    """One row of a published frame as report cells: ``SUPPRESSED`` where withheld."""
    record = published.row(index, named=True)
    row: dict[str, Cell] = {}
    for name, value in record.items():
        if name.endswith("_suppressed"):
            continue
        row[name] = SUPPRESSED if record.get(f"{name}_suppressed") else value
    return row
