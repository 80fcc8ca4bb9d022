"""The tenure section: Kaplan-Meier curves by oversight segment, and time to fill.

The curves are ``stability.survival.km_curves`` of the tenure sample
(``stability.board.tenure_sample``) grouped by each post's segment at the date; the
medians beside them are ``figures_frame(..., by="segment")``, and the test suite checks
that each curve crosses one half at its median. A curve resting on a withheld count of
spells is not drawn.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import numpy as np
import polars as pl

from talentboard.reports.charts import survival_chart
from talentboard.reports.model import ChartSpec, Column, Table, table_from_frame
from talentboard.reports.publish import publish_figures
from talentboard.stability.board import tenure_sample
from talentboard.stability.calendar import DAYS_PER_YEAR
from talentboard.stability.fill import time_to_fill
from talentboard.stability.groups import BoardRegister, group_labels, posts_at
from talentboard.stability.survival import km_curves

__all__ = ["FILL_COUNTS", "MAX_YEARS", "segment_curves", "tenure_chart", "time_to_fill_table"]

FILL_COUNTS: Final = ("vacancies", "filled", "still_open")
MAX_YEARS: Final = 10.0
_FILL_BASIS: Final = {
    "median_days": ("vacancies", "filled"),
    "lower_days": ("vacancies", "filled"),
    "upper_days": ("vacancies", "filled"),
}


def segment_curves(
    board: BoardRegister, at: dt.date, *, step_days: int = 14, max_years: float = MAX_YEARS
) -> pl.DataFrame:
    """Kaplan-Meier curves of executive tenure by oversight segment at ``at``: ``group``
    (segment code), ``label``, ``years``, ``survival``, ``lower``, ``upper``.

    A national curve steps at thousands of distinct days; the chart reads it every
    ``step_days`` up to ``max_years`` (the estimate in force at each of those times, as
    lifelines' ``survival_function_at_times`` would give), which draws the same curve at
    print resolution with a few hundred points per group.
    """
    posts = posts_at(board, at, "segment").select("post_ref", "group")
    sample = tenure_sample(board.executive_spells.join(posts, on="post_ref"), at, None)
    schema = {
        "group": pl.String,
        "label": pl.String,
        "years": pl.Float64,
        "survival": pl.Float64,
        "lower": pl.Float64,
        "upper": pl.Float64,
    }
    if sample.height == 0:
        return pl.DataFrame(schema=schema)
    codes = sorted(sample["group"].unique().to_list())
    index = {code: i for i, code in enumerate(codes)}
    curves = km_curves(
        sample["days"].to_numpy().astype(np.float64),
        sample["ended"].to_numpy(),
        np.array([index[g] for g in sample["group"].to_list()], dtype=np.int64),
    )
    labels = group_labels("segment", codes, board.frames)
    steps = pl.DataFrame(
        {
            "code": curves["group"],
            "days": curves["time"],
            "survival": curves["survival"],
            "lower": curves["lower"],
            "upper": curves["upper"],
        },
        schema={
            "code": pl.Int64,
            "days": pl.Float64,
            "survival": pl.Float64,
            "lower": pl.Float64,
            "upper": pl.Float64,
        },
    ).sort("days")
    last_day = steps.group_by("code").agg(pl.col("days").max().alias("last_day"))
    # One step past the axis end, so that each line reaches the edge of the chart.
    grid_days = np.arange(0.0, max_years * DAYS_PER_YEAR + step_days, float(step_days))
    grid = (
        pl.DataFrame({"code": np.arange(len(codes), dtype=np.int64)})
        .join(pl.DataFrame({"days": grid_days}), how="cross")
        .join(last_day, on="code")
        .filter(pl.col("days") <= pl.col("last_day"))
        .sort("days")
    )
    # Both sides are sorted by day (the grid and the event table), as an as-of join needs.
    read = grid.join_asof(
        steps, on="days", by="code", strategy="backward", check_sortedness=False
    ).sort("code", "days")
    return read.select(
        pl.col("code")
        .replace_strict(dict(enumerate(codes)), return_dtype=pl.String)
        .alias("group"),
        pl.col("code")
        .replace_strict(dict(enumerate(labels)), return_dtype=pl.String)
        .alias("label"),
        (pl.col("days") / DAYS_PER_YEAR).alias("years"),
        "survival",
        "lower",
        "upper",
    )


def tenure_chart(curves: pl.DataFrame, by_segment: pl.DataFrame) -> ChartSpec:
    """The survival chart from ``segment_curves`` and the published by-segment figures;
    segments whose spells are withheld keep their table row but lose their curve."""
    shown = by_segment.filter(
        ~pl.col("tenure_spells_suppressed") & (pl.col("tenure_spells").fill_null(0) > 0)
    )["group"].to_list()
    medians = by_segment.select(
        pl.col("label").alias("group"),
        pl.col("tenure_spells").alias("spells"),
        pl.col("median_tenure_years").alias("median_years"),
        pl.col("median_tenure_ci_lower").alias("median_lower"),
        pl.col("median_tenure_ci_upper").alias("median_upper"),
        pl.col("tenure_spells_suppressed").alias("spells_suppressed"),
        pl.col("median_tenure_years_suppressed").alias("median_years_suppressed"),
        pl.col("median_tenure_ci_lower_suppressed").alias("median_lower_suppressed"),
        pl.col("median_tenure_ci_upper_suppressed").alias("median_upper_suppressed"),
    )
    drawn = curves.filter(pl.col("group").is_in(shown)).select(
        pl.col("label").alias("group"), "years", "survival", "lower", "upper"
    )
    return survival_chart(
        drawn,
        medians,
        name="tenure_by_segment",
        title="How long executive directors stay, by oversight segment",
        group_label="Oversight segment",
        x_max=MAX_YEARS,
    )


def time_to_fill_table(board: BoardRegister, at: dt.date) -> Table:
    """Kaplan-Meier time to fill executive posts, overall and by role, published."""
    overall = time_to_fill(board, at).with_columns(label=pl.lit("All executive posts"))
    by_role = time_to_fill(board, at, by="role")
    frame = pl.concat(
        [publish_figures(overall, counts=FILL_COUNTS, basis=_FILL_BASIS)]
        + (
            [publish_figures(by_role, protect=True, counts=FILL_COUNTS, basis=_FILL_BASIS)]
            if by_role.height
            else []
        ),
        how="diagonal_relaxed",
    )
    return table_from_frame(
        frame,
        (
            Column("label", "Role", "text"),
            Column("vacancies", "Vacancies opened", "count"),
            Column("filled", "Filled", "count"),
            Column("still_open", "Still open", "count"),
            Column("median_days", "Median days to fill", "days"),
            Column("lower_days", "95% interval from", "days"),
            Column("upper_days", "95% interval to", "days"),
        ),
        name="time_to_fill",
        caption="Time to fill executive posts (Kaplan-Meier, still-vacant posts censored)",
        notes=(
            "Vacancies opened by the date of the report, from the start of the register; "
            "a dash means fewer than half were filled, so the median is not reached.",
        ),
        sheet="Time to fill",
    )
