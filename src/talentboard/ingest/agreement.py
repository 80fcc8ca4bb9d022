"""A rule for rows that describe one thing together: they must agree on what describes it.

Several rows of a file can name one thing (a person's profile on one review date, one
career conversation) and each repeat its description; the rows must then give it alike,
or which row to believe would be a guess.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from talentboard.ingest.report import Problem
from talentboard.ingest.schema import ROW, RuleContext


def disagreeing(
    context: RuleContext,
    group: Sequence[str],
    reasons: Mapping[str, str],
    *,
    named: str,
) -> list[Problem]:
    """Problems for rows whose value in a column of ``reasons`` differs from the group's
    first row.

    A group is the rows with the same (non-empty) values in ``group``; ``named`` names those
    columns in the reason, which ends with the column's entry in ``reasons``. A cell that
    could not be read has its own problem, and is left out of the comparison, so it is not
    taken as a differing value (nor as the group's first value).
    """
    problems: list[Problem] = []
    for column, why in reasons.items():
        readable = context.raw.select(ROW, pl.col(column).is_null().alias("_empty"))
        rows = context.frame.join(readable, on=ROW).filter(
            pl.col("_empty") | pl.col(column).is_not_null()
        )
        differing = (
            rows.filter(pl.all_horizontal(pl.col(c).is_not_null() for c in group))
            .with_columns(
                pl.col(column).first().over(list(group)).alias("_first"),
                pl.col(ROW).first().over(list(group)).alias("_first_row"),
            )
            .filter(~pl.col(column).eq_missing(pl.col("_first")))
            .select(
                ROW,
                pl.format(
                    "differs from row {} for the same {}; {}",
                    pl.col("_first_row"),
                    pl.lit(named),
                    pl.lit(why),
                ).alias("reason"),
            )
        )
        problems.extend(context.problems(differing, column))
    return problems
