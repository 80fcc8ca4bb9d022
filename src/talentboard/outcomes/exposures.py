"""Leadership stability exposures per organisation at a date (docs/metrics.md, "Outcomes").

Each exposure is a figure of one organisation at ``t``, built from the same spells and
posts as the board figures of ``talentboard.stability``:

- ``ceo_changes_3y``: substantive chief executive spells (back-to-back appointments
  merged) that started after ``t - 3 years`` and on or before ``t``;
- ``exec_vacancy_share``: executive board posts with no substantive holder at ``t`` over
  executive board posts at ``t`` (``exec_vacancy_rate`` for the organisation);
- ``exec_interim_share``: those covered by an interim, acting or secondment appointment
  over executive board posts at ``t`` (``interim_cover_share`` for the organisation);
- ``exec_mean_time_in_post_years``: mean of ``t - start`` (in years of 365.25 days) over
  the executive spells covering ``t``;
- ``board_bme_gap_pp``: WRES indicator 9 for the organisation (``wres9_gap_pp``).

Only organisations with at least one executive board post at ``t`` have a value of the
first four; the last needs a known board and workforce share, as ``wres9_gap_pp`` does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from talentboard.frames.register import RegisterFrames, covers
from talentboard.stability.board import figures_frame
from talentboard.stability.calendar import DAYS_PER_YEAR, shift_months
from talentboard.stability.groups import BoardRegister, prepare_board

__all__ = ["EXPOSURES", "Exposure", "exposure_names", "exposures_at"]


@dataclass(frozen=True)
class Exposure:
    name: str
    label: str
    unit: str
    # How one unit of the exposure reads in a sentence: "one more chief executive change".
    per_unit: str


EXPOSURES: tuple[Exposure, ...] = (
    Exposure(
        "ceo_changes_3y",
        "Chief executive changes in 3 years",
        "count",
        "each additional chief executive appointed in the last three years",
    ),
    Exposure(
        "exec_vacancy_share",
        "Executive posts vacant",
        "share",
        "each 10 percentage points more of executive posts without a substantive holder",
    ),
    Exposure(
        "exec_interim_share",
        "Executive posts covered by interims",
        "share",
        "each 10 percentage points more of executive posts covered on an interim basis",
    ),
    Exposure(
        "exec_mean_time_in_post_years",
        "Mean executive time in post (years)",
        "years",
        "each additional year executives have served so far, on average",
    ),
    Exposure(
        "board_bme_gap_pp",
        "Board BME gap (WRES 9, points)",
        "points",
        "each additional percentage point of the board's BME share below or above the workforce's",
    ),
)
# A share's coefficient is per whole unit (0 to 1); sentences speak of 10 points.
SENTENCE_SCALE = {"share": 0.1}


def exposure_names() -> tuple[str, ...]:
    return tuple(e.name for e in EXPOSURES)


def exposure(name: str) -> Exposure:
    return next(e for e in EXPOSURES if e.name == name)


def exposures_at(frames: RegisterFrames | BoardRegister, at: dt.date) -> pl.DataFrame:
    """One row per organisation with a board post, with every exposure at ``at``.

    Columns ``ods_code`` and the names of ``EXPOSURES`` (null where not defined).
    """
    board = frames if isinstance(frames, BoardRegister) else prepare_board(frames)
    figures = figures_frame(board, at, by="org").select(
        pl.col("group").alias("ods_code"),
        "exec_posts",
        pl.col("exec_vacancy_rate").alias("exec_vacancy_share"),
        pl.col("interim_cover_share").alias("exec_interim_share"),
        pl.col("wres9_gap_pp").alias("board_bme_gap_pp"),
    )
    spells = board.executive_spells.join(
        board.posts.select("post_ref", "ods_code", "role_code"), on="post_ref"
    )
    three_years_ago = shift_months(at, -36)
    ceo = (
        spells.filter(
            (pl.col("role_code") == "chief_executive")
            & (pl.col("start_date") > three_years_ago)
            & (pl.col("start_date") <= at)
        )
        .group_by("ods_code")
        .agg(ceo_changes_3y=pl.len())
    )
    in_post = (
        spells.filter(covers(at))
        .group_by("ods_code")
        .agg(
            exec_mean_time_in_post_years=(
                (pl.lit(at) - pl.col("start_date")).dt.total_days() / DAYS_PER_YEAR
            ).mean()
        )
    )
    has_posts = pl.col("exec_posts") > 0
    return (
        figures.join(ceo, on="ods_code", how="left")
        .join(in_post, on="ods_code", how="left")
        .with_columns(
            ceo_changes_3y=pl.when(has_posts)
            .then(pl.col("ceo_changes_3y").fill_null(0))
            .cast(pl.Int64),
            exec_mean_time_in_post_years=pl.when(has_posts).then(
                pl.col("exec_mean_time_in_post_years")
            ),
        )
        .select("ods_code", *exposure_names())
        .sort("ods_code")
    )
