"""Leadership capacity: leadership posts per 1,000 staff, by level, against peers.

For each organisation with a known staff headcount and each post level (board, senior,
middle, frontline): the posts of that level that exist at the date, per 1,000 staff. The
benchmark is the median of that rate over the organisations of the same kind that have at
least one post of the level at the date (an organisation whose register does not cover a
level says nothing about it); the result gives each organisation's rate against it.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from talentboard import vocab
from talentboard.frames.register import RegisterFrames, covers

__all__ = ["leadership_capacity"]


def leadership_capacity(frames: RegisterFrames, at: dt.date) -> pl.DataFrame:
    """One row per organisation and level with posts at ``at``: ``ods_code``, ``name``,
    ``kind``, ``level``, ``posts``, ``staff_headcount``, ``posts_per_1000_staff``,
    ``kind_median_per_1000`` and ``against_kind_median`` (the rate over the median; null
    without a headcount or when the median is zero)."""
    counts = (
        frames.posts.filter(
            covers(at, "established_from", "established_to")
            & pl.col("level").is_in(vocab.POST_LEVELS)
        )
        .group_by("ods_code", "level")
        .agg(posts=pl.len())
    )
    table = counts.join(
        frames.organisations.select("ods_code", "name", "kind", "staff_headcount"),
        on="ods_code",
        how="left",
    ).with_columns(
        posts_per_1000_staff=pl.when(pl.col("staff_headcount") > 0)
        .then(pl.col("posts") * 1000 / pl.col("staff_headcount"))
        .otherwise(None)
    )
    medians = table.group_by("kind", "level").agg(
        kind_median_per_1000=pl.col("posts_per_1000_staff").median()
    )
    level_order = {level: k for k, level in enumerate(vocab.POST_LEVELS)}
    return (
        table.join(medians, on=["kind", "level"], how="left")
        .with_columns(
            against_kind_median=pl.when(pl.col("kind_median_per_1000") > 0)
            .then(pl.col("posts_per_1000_staff") / pl.col("kind_median_per_1000"))
            .otherwise(None),
            _order=pl.col("level").replace_strict(level_order, return_dtype=pl.Int64),
        )
        .sort("ods_code", "_order")
        .select(
            "ods_code",
            "name",
            "kind",
            "level",
            pl.col("posts").cast(pl.Int64),
            "staff_headcount",
            "posts_per_1000_staff",
            "kind_median_per_1000",
            "against_kind_median",
        )
    )
