"""The headline board stability figures (docs/metrics.md), at a date, overall or by group.

``figures_frame`` is the workhorse: one row per group with every figure and the counts
behind it (so that disclosure control can be applied to them). ``board_figures`` and
``board_figures_by`` give the same figures as ``BoardFigures`` objects, whose ``as_dict``
is the ``talentboard stats --format json`` contract (DESIGN section 6).

A group is the set of posts with the same role, region, organisation kind, oversight
segment at the date, or organisation; each figure is the overall definition restricted to
the posts (and their organisations) in the group.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from talentboard.frames.register import RegisterFrames, covers
from talentboard.reference import BME_CODES
from talentboard.stability.calendar import DAYS_PER_YEAR, shift_months
from talentboard.stability.groups import (
    DIMENSIONS,
    OVERALL,
    UNRATED,
    BoardRegister,
    group_labels,
    posts_at,
    prepare_board,
)
from talentboard.stability.metrics import FIGURE_LABELS, FIGURE_NAMES, frame_columns
from talentboard.stability.survival import kaplan_meier, logrank

__all__ = [
    "ARM_BASIS",
    "ARM_COLUMNS",
    "ARM_COUNTS",
    "COUNT_COLUMNS",
    "DIMENSIONS",
    "FIGURE_LABELS",
    "FIGURE_NAMES",
    "OVERALL",
    "UNRATED",
    "BoardFigures",
    "LogRankResult",
    "board_figures",
    "board_figures_by",
    "figures_frame",
    "tenure_sample",
]

COUNT_COLUMNS = (
    "orgs_with_exec_posts",
    "orgs_with_exec_vacancy",
    "exec_posts",
    "exec_posts_vacant",
    "exec_posts_interim",
    "tenure_spells",
    "tenure_departures",
    "current_holders",
    "appointed_within_3y",
    "holders_12m_ago",
    "ended_12m",
    "forced_exits_12m",
    "board_voting_known",
    "board_voting_bme",
    "workforce_orgs",
    "workforce_headcount",
)
# The two arms of the log-rank test (organisations in oversight segment 3 or worse, and
# those in segments 1 and 2), each with its Kaplan-Meier median tenure, so that the test
# can be read with its direction and size; the medians rest on their arm's counts.
ARM_COUNTS = (
    "tenure_spells_challenged",
    "tenure_departures_challenged",
    "tenure_spells_other",
    "tenure_departures_other",
)
ARM_BASIS: dict[str, tuple[str, ...]] = {
    "tenure_median_challenged_years": ("tenure_spells_challenged", "tenure_departures_challenged"),
    "tenure_median_other_years": ("tenure_spells_other", "tenure_departures_other"),
}
ARM_COLUMNS = (*ARM_COUNTS, *ARM_BASIS)
FORCED_EXIT = "dismissed_or_forced"
UNKNOWN_ETHNICITY = ("Z", "99")


@dataclass(frozen=True)
class LogRankResult:
    statistic: float
    p_value: float


@dataclass(frozen=True)
class BoardFigures:
    """The DESIGN section 5 figures for one group at one date (None = not defined)."""

    as_at: dt.date
    orgs_with_exec_vacancy_share: float | None
    exec_vacancy_rate: float | None
    interim_cover_share: float | None
    median_tenure_years: float | None
    median_tenure_ci: tuple[float | None, float | None]
    current_holders_median_years: float | None
    appointed_within_3y_share: float | None
    turnover_rate_12m: float | None
    forced_exit_share_12m: float | None
    bme_share_board_voting: float | None
    bme_share_workforce: float | None
    wres9_gap_pp: float | None
    tenure_logrank_challenged: LogRankResult | None

    @classmethod
    def from_row(cls, as_at: dt.date, row: dict[str, Any]) -> BoardFigures:
        """From one row of ``figures_frame``."""
        statistic = row["tenure_logrank_statistic"]
        return cls(
            as_at=as_at,
            orgs_with_exec_vacancy_share=row["orgs_with_exec_vacancy_share"],
            exec_vacancy_rate=row["exec_vacancy_rate"],
            interim_cover_share=row["interim_cover_share"],
            median_tenure_years=row["median_tenure_years"],
            median_tenure_ci=(row["median_tenure_ci_lower"], row["median_tenure_ci_upper"]),
            current_holders_median_years=row["current_holders_median_years"],
            appointed_within_3y_share=row["appointed_within_3y_share"],
            turnover_rate_12m=row["turnover_rate_12m"],
            forced_exit_share_12m=row["forced_exit_share_12m"],
            bme_share_board_voting=row["bme_share_board_voting"],
            bme_share_workforce=row["bme_share_workforce"],
            wres9_gap_pp=row["wres9_gap_pp"],
            tenure_logrank_challenged=None
            if statistic is None
            else LogRankResult(statistic, row["tenure_logrank_p_value"]),
        )

    def figures(self) -> dict[str, Any]:
        """The figures by their section 5 names, JSON-ready (the interval as a list)."""
        result: dict[str, Any] = {}
        for name in FIGURE_NAMES:
            value = getattr(self, name)
            if name == "median_tenure_ci":
                value = list(value)
            elif isinstance(value, LogRankResult):
                value = {"statistic": value.statistic, "p_value": value.p_value}
            result[name] = value
        return result

    def as_dict(self) -> dict[str, Any]:
        """The ``talentboard stats --format json`` object: ``as_at`` and every figure."""
        return {"as_at": self.as_at.isoformat(), **self.figures()}


def _share(numerator: str, denominator: str) -> pl.Expr:
    return (
        pl.when(pl.col(denominator) > 0)
        .then(pl.col(numerator) / pl.col(denominator))
        .otherwise(None)
    )


def _days(expr: pl.Expr) -> pl.Expr:
    return expr.dt.total_days()


def _vacancy(posts: pl.DataFrame, board: BoardRegister, at: dt.date) -> pl.DataFrame:
    # Covering is judged on spells, so the day between back-to-back contracts that merge
    # into one spell is not a vacancy.
    covered = board.executive_spells.filter(covers(at))["post_ref"].unique()
    cover = board.cover.filter(covers(at))["post_ref"].unique()
    exec_now = posts.filter(pl.col("executive_board") & pl.col("exists")).with_columns(
        vacant=~pl.col("post_ref").is_in(covered.implode()),
        covered_by_interim=pl.col("post_ref").is_in(cover.implode()),
    )
    by_post = exec_now.group_by("group").agg(
        exec_posts=pl.len(),
        exec_posts_vacant=pl.col("vacant").sum(),
        exec_posts_interim=(pl.col("vacant") & pl.col("covered_by_interim")).sum(),
    )
    by_org = (
        exec_now.group_by("group", "ods_code")
        .agg(pl.col("vacant").any())
        .group_by("group")
        .agg(orgs_with_exec_posts=pl.len(), orgs_with_exec_vacancy=pl.col("vacant").sum())
    )
    return by_post.join(by_org, on="group", how="full", coalesce=True)


def tenure_sample(
    spells_: pl.DataFrame, at: dt.date, observed_from: dt.date | None
) -> pl.DataFrame:
    """Executive spells in the tenure estimate, with ``days``, ``ended`` and ``entry_days``."""
    sample = spells_.filter(pl.col("start_date") <= at)
    if observed_from is not None:
        sample = sample.filter(pl.col("end_date").is_null() | (pl.col("end_date") > observed_from))
    ended = pl.col("end_date").is_not_null() & (pl.col("end_date") <= at)
    stop = pl.when(ended).then(pl.col("end_date")).otherwise(pl.lit(at))
    entry = (
        pl.lit(0, dtype=pl.Int64)
        if observed_from is None
        else _days(pl.lit(observed_from) - pl.col("start_date")).clip(lower_bound=0)
    )
    return sample.with_columns(
        days=_days(stop - pl.col("start_date")),
        ended=ended,
        entry_days=entry,
    )


def _tenure(sample: pl.DataFrame, groups: list[str], truncated: bool) -> pl.DataFrame:
    codes = {group: index for index, group in enumerate(groups)}
    group_codes = np.array([codes[g] for g in sample["group"].to_list()], dtype=np.int64)
    durations = sample["days"].to_numpy().astype(np.float64)
    events = sample["ended"].to_numpy()
    entry = sample["entry_days"].to_numpy().astype(np.float64) if truncated else None
    km = kaplan_meier(durations, events, group_codes, entry=entry)
    # The log-rank test compares spells in organisations rated 3 or worse with those rated
    # 1 or 2; spells in organisations not rated at the date are in neither arm.
    rated = sample["challenged"].is_not_null().to_numpy()
    tests = logrank(
        durations[rated],
        events[rated],
        sample["challenged"].to_numpy()[rated].astype(bool),
        group_codes[rated],
        entry=None if entry is None else np.where(entry[rated] > 0, entry[rated], np.nan),
    )

    def years(value: float) -> float | None:
        return None if math.isnan(value) else value / DAYS_PER_YEAR

    # Each arm's median, from the same spells (and entry times) as the test: arm code
    # 2 * group + 1 for segment 3 or worse, 2 * group for segments 1 and 2.
    arm_codes = group_codes[rated] * 2 + sample["challenged"].to_numpy()[rated].astype(np.int64)
    arms_km = kaplan_meier(
        durations[rated],
        events[rated],
        arm_codes,
        entry=None if entry is None else entry[rated],
    )
    arms = {
        int(code): (int(arms_km.subjects[k]), int(arms_km.events[k]), float(arms_km.median[k]))
        for k, code in enumerate(arms_km.groups)
    }

    def arm(code: int, challenged: bool) -> dict[str, Any]:
        name = "challenged" if challenged else "other"
        spells, departures, median = arms.get(2 * code + int(challenged), (0, 0, math.nan))
        return {
            f"tenure_spells_{name}": spells,
            f"tenure_departures_{name}": departures,
            f"tenure_median_{name}_years": years(median),
        }

    rows = []
    for k, code in enumerate(km.groups):
        test = tests.get(int(code))
        rows.append(
            {
                "group": groups[int(code)],
                "tenure_spells": int(km.subjects[k]),
                "tenure_departures": int(km.events[k]),
                "median_tenure_years": years(float(km.median[k])),
                "median_tenure_ci_lower": years(float(km.lower[k])),
                "median_tenure_ci_upper": years(float(km.upper[k])),
                "tenure_logrank_statistic": None if test is None else test.statistic,
                "tenure_logrank_p_value": None if test is None else test.p_value,
                **arm(int(code), True),
                **arm(int(code), False),
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "group": pl.String,
            "tenure_spells": pl.Int64,
            "tenure_departures": pl.Int64,
            "median_tenure_years": pl.Float64,
            "median_tenure_ci_lower": pl.Float64,
            "median_tenure_ci_upper": pl.Float64,
            "tenure_logrank_statistic": pl.Float64,
            "tenure_logrank_p_value": pl.Float64,
            **dict.fromkeys(ARM_COUNTS, pl.Int64),
            **dict.fromkeys(ARM_BASIS, pl.Float64),
        },
        orient="row",
    )


def _holders(spells_: pl.DataFrame, at: dt.date) -> pl.DataFrame:
    three_years_ago = shift_months(at, -36)
    return (
        spells_.filter(covers(at))
        .with_columns(years=_days(pl.lit(at) - pl.col("start_date")) / DAYS_PER_YEAR)
        .group_by("group")
        .agg(
            current_holders=pl.len(),
            appointed_within_3y=(pl.col("start_date") > three_years_ago).sum(),
            current_holders_median_years=pl.col("years").median(),
        )
    )


def _turnover(spells_: pl.DataFrame, at: dt.date) -> pl.DataFrame:
    year_ago = shift_months(at, -12)
    ended = spells_.filter((pl.col("end_date") > year_ago) & (pl.col("end_date") <= at))
    leavers = ended.group_by("group").agg(
        ended_12m=pl.len(),
        forced_exits_12m=(pl.col("end_reason") == FORCED_EXIT).sum(),
    )
    before = spells_.filter(covers(year_ago)).group_by("group").agg(holders_12m_ago=pl.len())
    return leavers.join(before, on="group", how="full", coalesce=True)


def _diversity(posts: pl.DataFrame, board: BoardRegister, at: dt.date) -> pl.DataFrame:
    people = (
        board.voting_appointments.filter(covers(at))
        .join(posts.select("post_ref", "group"), on="post_ref")
        .select("group", "person_ref", "ethnic_category")
        .unique(["group", "person_ref"])
    )
    known = pl.col("ethnic_category").is_not_null() & ~pl.col("ethnic_category").is_in(
        UNKNOWN_ETHNICITY
    )
    by_people = people.group_by("group").agg(
        board_voting_known=known.sum(),
        board_voting_bme=pl.col("ethnic_category").is_in(sorted(BME_CODES)).sum(),
    )
    # The organisations counted: those with a voting board post at the date (in the group),
    # and of those only the ones whose headcount and BME share are both known.
    workforce = (
        posts.filter(pl.col("voting_board") & pl.col("exists"))
        .select("group", "ods_code", "staff_headcount", "bme_staff_share")
        .unique(["group", "ods_code"])
        .filter(pl.col("staff_headcount").is_not_null() & pl.col("bme_staff_share").is_not_null())
        # In a fixed order: a sum of floats depends on the order it is taken in, and
        # ``unique`` keeps none.
        .sort("group", "ods_code")
        .group_by("group", maintain_order=True)
        .agg(
            workforce_orgs=pl.len(),
            workforce_headcount=pl.col("staff_headcount").sum(),
            _weighted=(pl.col("staff_headcount") * pl.col("bme_staff_share")).sum(),
        )
    )
    return by_people.join(workforce, on="group", how="full", coalesce=True)


def _check_observed_from(at: dt.date, observed_from: dt.date | None) -> None:
    if observed_from is not None and observed_from > at:
        raise ValueError(
            f"observed_from ({observed_from.isoformat()}) is after the as-at date "
            f"({at.isoformat()})"
        )


def _counts_table(
    board: BoardRegister,
    posts: pl.DataFrame,
    by: str | None,
    at: dt.date,
    observed_from: dt.date | None,
) -> pl.DataFrame:
    """One row per group with its label, the counts (nulls as 0) and the tenure figures."""
    groups = sorted(posts["group"].unique().to_list())
    executive = board.executive_spells.join(
        posts.select("post_ref", "group", "challenged"), on="post_ref"
    )
    sample = tenure_sample(executive, at, observed_from)
    base = pl.DataFrame(
        {"group": groups, "label": group_labels(by, groups, board.frames)},
        schema={"group": pl.String, "label": pl.String},
    )
    parts = [
        _vacancy(posts, board, at),
        _tenure(sample, groups, observed_from is not None),
        _holders(executive, at),
        _turnover(executive, at),
        _diversity(posts, board, at),
    ]
    table = base
    for part in parts:
        table = table.join(part, on="group", how="left")
    counts = [c for c in (*COUNT_COLUMNS, *ARM_COUNTS) if c != "workforce_headcount"]
    return table.with_columns(
        pl.col(counts).fill_null(0).cast(pl.Int64),
        pl.col("workforce_headcount").fill_null(0).cast(pl.Int64),
    )


def _with_shares(table: pl.DataFrame) -> pl.DataFrame:
    """The figures that are ratios of the counts: each whose counts ``table`` holds (all of
    them in ``figures_frame``; the charted ones in ``stability.series``)."""
    board_share = _share("board_voting_bme", "board_voting_known")
    workforce_share = _share("_weighted", "workforce_headcount")
    shares = {
        "orgs_with_exec_vacancy_share": _share("orgs_with_exec_vacancy", "orgs_with_exec_posts"),
        "exec_vacancy_rate": _share("exec_posts_vacant", "exec_posts"),
        "interim_cover_share": _share("exec_posts_interim", "exec_posts"),
        "appointed_within_3y_share": _share("appointed_within_3y", "current_holders"),
        "turnover_rate_12m": pl.when(pl.col("holders_12m_ago") + pl.col("current_holders") > 0)
        .then(pl.col("ended_12m") / ((pl.col("holders_12m_ago") + pl.col("current_holders")) / 2))
        .otherwise(None),
        "forced_exit_share_12m": _share("forced_exits_12m", "ended_12m"),
        "bme_share_board_voting": board_share,
        "bme_share_workforce": workforce_share,
        "wres9_gap_pp": 100 * (board_share - workforce_share),
    }
    held = set(table.columns)
    return table.with_columns(
        **{name: share for name, share in shares.items() if set(share.meta.root_names()) <= held}
    )


def figures_frame(
    frames: RegisterFrames | BoardRegister,
    at: dt.date,
    *,
    by: str | None = None,
    observed_from: dt.date | None = None,
) -> pl.DataFrame:
    """Every figure of docs/metrics.md at ``at``, one row per group, with its counts.

    ``by`` is one of ``DIMENSIONS`` (None: one row, group ``"all"``). Groups are those with
    at least one executive or voting board post (ever); rows are sorted by group code.
    Columns: ``group``, ``label``, the ``COUNT_COLUMNS``, and the figures, with the
    interval as ``median_tenure_ci_lower``/``_upper`` and the log-rank test as
    ``tenure_logrank_statistic``/``_p_value``, then ``ARM_COLUMNS``: the spells, departures
    and Kaplan-Meier median tenure of each arm of that test. ``observed_from``
    left-truncates the tenure estimate and its test: spells that ended on or before it are
    not observed, and those that began earlier enter the risk set at it.
    """
    _check_observed_from(at, observed_from)
    board = frames if isinstance(frames, BoardRegister) else prepare_board(frames)
    posts = posts_at(board, at, by)
    table = _with_shares(_counts_table(board, posts, by, at, observed_from))
    return table.select("group", "label", *COUNT_COLUMNS, *frame_columns(), *ARM_COLUMNS)


def board_figures(
    frames: RegisterFrames | BoardRegister, at: dt.date, *, observed_from: dt.date | None = None
) -> BoardFigures:
    """The figures for all organisations in ``frames`` at ``at``."""
    table = figures_frame(frames, at, observed_from=observed_from)
    if table.height == 0:
        empty = dict.fromkeys(table.columns)
        return BoardFigures.from_row(at, empty)
    return BoardFigures.from_row(at, table.row(0, named=True))


def board_figures_by(
    frames: RegisterFrames | BoardRegister,
    at: dt.date,
    by: str,
    *,
    observed_from: dt.date | None = None,
) -> dict[str, BoardFigures]:
    """The figures for each group of dimension ``by``, keyed by group code, in code order."""
    table = figures_frame(frames, at, by=by, observed_from=observed_from)
    return {row["group"]: BoardFigures.from_row(at, row) for row in table.iter_rows(named=True)}
