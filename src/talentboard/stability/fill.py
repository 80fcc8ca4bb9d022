"""Time to fill: how long executive posts stay without a substantive holder.

A vacancy opens when a substantive spell in an executive board post ends (on or before the
date ``at``). It is filled by the next substantive spell in that post, the one that starts
next after the ending spell started: time to fill = days from the end to that start (0
when the successor had already started, a handover). A vacancy still open at ``at`` is
censored there; one whose post was abolished before a successor came is censored at the
abolition; a spell that ended when its post was abolished (or after) opens no vacancy. The
median time to fill is the Kaplan-Meier median, as for tenure (``stability.survival``).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import polars as pl

from talentboard.frames.register import RegisterFrames
from talentboard.stability.groups import BoardRegister, group_labels, posts_at, prepare_board
from talentboard.stability.survival import kaplan_meier

__all__ = ["time_to_fill", "vacancies"]


def vacancies(
    frames: RegisterFrames | BoardRegister, at: dt.date, *, by: str | None = None
) -> pl.DataFrame:
    """Every vacancy opened by ``at``: ``post_ref``, ``ods_code``, ``group``,
    ``vacated_on``, ``filled_on`` (null while open), ``days`` (to filling, or to the
    censoring date) and ``filled``."""
    board = frames if isinstance(frames, BoardRegister) else prepare_board(frames)
    posts = posts_at(board, at, by).select("post_ref", "ods_code", "group", "established_to")
    ordered = (
        board.executive_spells.filter(pl.col("start_date") <= at)
        .sort("post_ref", "start_date", "person_ref")
        .with_columns(next_start=pl.col("start_date").shift(-1).over("post_ref"))
        .join(posts, on="post_ref")
    )
    ended = ordered.filter(
        pl.col("end_date").is_not_null()
        & (pl.col("end_date") <= at)
        & (pl.col("established_to").is_null() | (pl.col("end_date") < pl.col("established_to")))
    )
    # A successor who started before the end (a handover) fills the post at once.
    successor = pl.max_horizontal(pl.col("next_start"), pl.col("end_date"))
    abolished = pl.col("established_to")
    filled = pl.col("next_start").is_not_null() & (abolished.is_null() | (successor < abolished))
    # Open vacancies are censored at ``at``, or at the abolition of the post if earlier.
    limit = pl.min_horizontal(abolished.fill_null(at), pl.lit(at))
    return ended.select(
        "post_ref",
        "ods_code",
        "group",
        pl.col("end_date").alias("vacated_on"),
        pl.when(filled).then(successor).otherwise(None).alias("filled_on"),
        pl.when(filled)
        .then(successor - pl.col("end_date"))
        .otherwise(limit - pl.col("end_date"))
        .dt.total_days()
        .alias("days"),
        filled.alias("filled"),
    ).sort("post_ref", "vacated_on")


def time_to_fill(
    frames: RegisterFrames | BoardRegister, at: dt.date, *, by: str | None = None
) -> pl.DataFrame:
    """Per group: ``vacancies``, ``filled``, ``still_open`` and the Kaplan-Meier
    ``median_days`` to fill with its 95% interval (``lower_days``, ``upper_days``; null
    when not reached)."""
    board = frames if isinstance(frames, BoardRegister) else prepare_board(frames)
    table = vacancies(board, at, by=by)
    groups = sorted(table["group"].unique().to_list())
    schema = {
        "group": pl.String,
        "label": pl.String,
        "vacancies": pl.Int64,
        "filled": pl.Int64,
        "still_open": pl.Int64,
        "median_days": pl.Float64,
        "lower_days": pl.Float64,
        "upper_days": pl.Float64,
    }
    if not groups:
        return pl.DataFrame(schema=schema)
    codes = {g: i for i, g in enumerate(groups)}
    km = kaplan_meier(
        table["days"].to_numpy().astype(np.float64),
        table["filled"].to_numpy(),
        np.array([codes[g] for g in table["group"].to_list()], dtype=np.int64),
    )

    def value(x: float) -> float | None:
        return None if math.isnan(x) else x

    labels = group_labels(by, groups, board.frames)
    rows = [
        {
            "group": groups[int(code)],
            "label": labels[int(code)],
            "vacancies": int(km.subjects[k]),
            "filled": int(km.events[k]),
            "still_open": int(km.subjects[k] - km.events[k]),
            "median_days": value(float(km.median[k])),
            "lower_days": value(float(km.lower[k])),
            "upper_days": value(float(km.upper[k])),
        }
        for k, code in enumerate(km.groups)
    ]
    return pl.DataFrame(rows, schema=schema, orient="row")
