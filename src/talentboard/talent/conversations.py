"""Scope for Growth career conversations: grid placement and development plans.

A Scope for Growth conversation places a person on two axes, each ``low``, ``medium`` or
``high``: **impact** (capability and contribution in the current role) and **growth**
(their own ambition to grow), and records the growth they want: ``depth`` (grow in the
current role or field), ``breadth`` (widen into other areas or functions) or ``stretch``
(a role of greater complexity or seniority). The agreed aspirational development plan is
a list of actions (an opportunity kind or a programme, a due date, a status).

Definitions at a date ``t``:

- **Placement**: the latest of the person's conversations held on or before ``t`` that
  placed them on both axes, or the talent profile's own placement when that was reviewed
  later (or no conversation placed them). ``box`` numbers the 3x3 grid from 1 (low
  impact, low growth) to 9 (high impact, high growth): ``box = 3 * growth + impact + 1``
  with low = 0, medium = 1, high = 2.
- **Development plan**: the actions of the person's latest conversation held on or before
  ``t``. An action is **overdue** when its due date is before ``t`` and its status is
  ``planned`` or ``in_progress``.
- **Conversation due**: a talent-pool member with no conversation in the 12 months up to
  ``t`` (held after ``t - 12 months``).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from talentboard import vocab
from talentboard.talent.schemas import require
from talentboard.talent.timing import shift_months

LEVEL_INDEX = {level: index for index, level in enumerate(vocab.AXIS_LEVELS)}
OPEN_STATUSES = ("planned", "in_progress")

# What each box of the grid suggests for development (box number: words).
BOX_FOCUS = {
    9: "high impact, high growth: ready for stretch; consider for succession plans",
    8: "medium impact, high growth: stretch while building impact in role",
    7: "low impact, high growth: establish impact in the current role before a move",
    6: "high impact, medium growth: breadth moves and experience in other organisations",
    5: "medium impact, medium growth: develop in role, with some breadth",
    4: "low impact, medium growth: support to build impact",
    3: "high impact, low growth: valued expert; depth, recognition and retention",
    2: "medium impact, low growth: steady contributor; depth in role",
    1: "low impact, low growth: support needed in the current role",
}


def grid_box(impact: str | None, growth: str | None) -> int | None:
    """The 3x3 box, 1 (low, low) to 9 (high, high); null unless both axes are placed."""
    if impact not in LEVEL_INDEX or growth not in LEVEL_INDEX:
        return None
    return 3 * LEVEL_INDEX[growth] + LEVEL_INDEX[impact] + 1


def placements(profiles: pl.DataFrame, conversations: pl.DataFrame, at: dt.date) -> pl.DataFrame:
    """[person_ref, impact, growth, placed_on, source, box, focus]: each person's placement
    at ``at`` (see the module docstring); people never placed have no row."""
    require(profiles, ("person_ref", "impact", "growth", "reviewed_on"), "profiles")
    require(conversations, ("person_ref", "held_on", "impact", "growth"), "conversations")
    sources = pl.concat(
        [
            conversations.filter(pl.col("held_on") <= at).select(
                "person_ref",
                "impact",
                "growth",
                pl.col("held_on").alias("placed_on"),
                pl.lit("conversation").alias("source"),
                pl.lit(1).alias("_priority"),
            ),
            profiles.filter(pl.col("reviewed_on").is_null() | (pl.col("reviewed_on") <= at)).select(
                "person_ref",
                "impact",
                "growth",
                pl.col("reviewed_on").alias("placed_on"),
                pl.lit("talent review").alias("source"),
                pl.lit(0).alias("_priority"),
            ),
        ]
    )
    latest = (
        sources.filter(pl.col("impact").is_not_null() & pl.col("growth").is_not_null())
        .sort(["person_ref", "placed_on", "_priority"], nulls_last=False)
        .group_by("person_ref", maintain_order=True)
        .last()
        .drop("_priority")
    )
    boxes = [grid_box(i, g) for i, g in latest.select("impact", "growth").iter_rows()]
    return latest.with_columns(
        pl.Series("box", boxes, dtype=pl.Int64),
        pl.Series("focus", [BOX_FOCUS[b] if b else None for b in boxes], dtype=pl.String),
    ).sort("person_ref")


def grid_counts(placed: pl.DataFrame) -> pl.DataFrame:
    """[box, impact, growth, people, focus]: how many people sit in each of the nine boxes."""
    cells = pl.DataFrame(
        [
            (grid_box(impact, growth), impact, growth)
            for growth in vocab.AXIS_LEVELS
            for impact in vocab.AXIS_LEVELS
        ],
        schema={"box": pl.Int64, "impact": pl.String, "growth": pl.String},
        orient="row",
    )
    counts = placed.group_by("box").agg(pl.len().cast(pl.Int64).alias("people"))
    return (
        cells.join(counts, on="box", how="left")
        .with_columns(
            pl.col("people").fill_null(0),
            pl.col("box").replace_strict(BOX_FOCUS, return_dtype=pl.String).alias("focus"),
        )
        .sort("box", descending=True)
    )


def development_plans(
    conversations: pl.DataFrame, actions: pl.DataFrame, at: dt.date
) -> pl.DataFrame:
    """One row per person with a conversation on or before ``at``: the latest conversation
    and its plan's actions counted by status, overdue actions and the next due date.

    Columns: person_ref, conversation_ref, held_on, growth_wanted, actions, planned,
    in_progress, done, cancelled, overdue, next_due_on.
    """
    require(actions, ("conversation_ref", "due_on", "status"), "actions")
    latest = (
        conversations.filter(pl.col("held_on") <= at)
        .sort(["person_ref", "held_on"])
        .group_by("person_ref", maintain_order=True)
        .last()
        .select("person_ref", "conversation_ref", "held_on", "growth_wanted")
    )
    is_open = pl.col("status").is_in(list(OPEN_STATUSES))
    counted = actions.group_by("conversation_ref").agg(
        pl.len().cast(pl.Int64).alias("actions"),
        *[
            (pl.col("status") == s).sum().cast(pl.Int64).alias(s)
            for s in vocab.PLAN_ACTION_STATUSES
        ],
        (is_open & (pl.col("due_on") < at)).sum().cast(pl.Int64).alias("overdue"),
        pl.col("due_on").filter(is_open & (pl.col("due_on") >= at)).min().alias("next_due_on"),
    )
    return (
        latest.join(counted, on="conversation_ref", how="left")
        .with_columns(
            pl.col(c).fill_null(0) for c in ("actions", *vocab.PLAN_ACTION_STATUSES, "overdue")
        )
        .sort("person_ref")
    )


def conversations_due(
    profiles: pl.DataFrame, conversations: pl.DataFrame, at: dt.date, *, months: int = 12
) -> pl.DataFrame:
    """[person_ref, last_held_on]: pool members with no conversation after ``at - months``
    (up to and including ``at``); ``last_held_on`` is null when they never had one."""
    since = shift_months(at, -months)
    last = (
        conversations.filter(pl.col("held_on") <= at)
        .group_by("person_ref")
        .agg(pl.col("held_on").max().alias("last_held_on"))
    )
    return (
        profiles.select("person_ref")
        .unique()
        .join(last, on="person_ref", how="left")
        .filter(pl.col("last_held_on").is_null() | (pl.col("last_held_on") <= since))
        .sort("person_ref")
    )
