"""Hotspots: organisations ranked by how unstable their executive team is.

The instability index combines four figures of docs/metrics.md for each organisation with
an executive board post at the date: the executive vacancy rate, the interim cover share,
the 12-month turnover rate, and the Kaplan-Meier median tenure (shorter is less stable).
Each becomes a percentile score among the organisations that have it, from 0 (most
stable) to 100 (least stable): ``100 * (rank - 1) / (n - 1)`` with tied values sharing
their average rank (50 when only one organisation has the figure). A median tenure that is
never reached (fewer than half the spells ended) counts as longer than every reached one.
The index is the mean of the scores an organisation has; the hotspots are the
organisations with the highest index. Each organisation's oversight segment at the date is
shown beside it, so instability can be read against performance.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from talentboard.frames.register import RegisterFrames
from talentboard.stability.board import figures_frame
from talentboard.stability.groups import BoardRegister, posts_at, prepare_board
from talentboard.stability.metrics import higher_is_worse

__all__ = ["INDEX_COMPONENTS", "hotspots"]

# Component, and whether a higher value is less stable.
INDEX_COMPONENTS = {
    name: higher_is_worse(name)
    for name in (
        "exec_vacancy_rate",
        "interim_cover_share",
        "turnover_rate_12m",
        "median_tenure_years",
    )
}


def _score(column: str, higher_is_worse: bool) -> pl.Expr:
    value = pl.col(column) if higher_is_worse else -pl.col(column)
    rank = value.rank(method="average")
    count = value.count()
    return (
        pl.when(value.is_null())
        .then(None)
        .when(count > 1)
        .then(100 * (rank - 1) / (count - 1))
        .otherwise(50.0)
        .alias(f"{column}_score")
    )


def hotspots(
    frames: RegisterFrames | BoardRegister, at: dt.date, *, by_org: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Organisations with executive posts at ``at``, least stable first: ``rank``,
    ``ods_code``, ``name``, ``region_code``, ``kind``, ``oversight_segment``, the four
    components, their scores, and ``instability_index``. ``by_org`` is
    ``figures_frame(frames, at, by="org")`` when the caller has it already."""
    board = frames if isinstance(frames, BoardRegister) else prepare_board(frames)
    if by_org is None:
        by_org = figures_frame(board, at, by="org")
    figures = by_org.filter(pl.col("exec_posts") > 0)
    # A median never reached is longer than any reached one: rank it as infinite tenure.
    tenure = (
        pl.when(pl.col("median_tenure_years").is_null() & (pl.col("tenure_spells") > 0))
        .then(float("inf"))
        .otherwise(pl.col("median_tenure_years"))
    )
    organisations = (
        posts_at(board, at)
        .select("ods_code", "region_code", "kind", "oversight_segment")
        .unique("ods_code")
    )
    names = board.frames.organisations.select("ods_code", "name")
    scored = (
        figures.select(
            pl.col("group").alias("ods_code"),
            *[c for c in INDEX_COMPONENTS if c != "median_tenure_years"],
            "median_tenure_years",
            tenure.alias("_tenure"),
        )
        .with_columns(
            *[
                _score(c, worse)
                for c, worse in INDEX_COMPONENTS.items()
                if c != "median_tenure_years"
            ],
            _score("_tenure", higher_is_worse=False).alias("median_tenure_years_score"),
        )
        .with_columns(
            instability_index=pl.mean_horizontal([pl.col(f"{c}_score") for c in INDEX_COMPONENTS])
        )
    )
    return (
        scored.join(organisations, on="ods_code", how="left")
        .join(names, on="ods_code", how="left")
        .sort(["instability_index", "ods_code"], descending=[True, False], nulls_last=True)
        .with_row_index("rank", offset=1)
        .select(
            pl.col("rank").cast(pl.Int64),
            "ods_code",
            "name",
            "region_code",
            "kind",
            "oversight_segment",
            *INDEX_COMPONENTS,
            *[f"{c}_score" for c in INDEX_COMPONENTS],
            "instability_index",
        )
    )
