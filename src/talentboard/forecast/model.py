"""The forecast model calibrated on the register as known at the as-at date.

:func:`calibrate` turns the register and succession frames into arrays, one entry per
post simulated, that :mod:`talentboard.forecast.simulate` draws from. Every figure comes
from the register's own history up to ``as_at`` (docs/forecast.md, "The model"):

- **departures**: each post's Kaplan-Meier curve of comparable spells
  (:mod:`talentboard.forecast.curves`); a current holder's recorded end date after
  ``as_at`` is a planned departure, used as it is;
- **time to fill**: the Kaplan-Meier curve of comparable posts' vacancy durations (from a
  spell's end to the next substantive start in the post, 0 at a handover; a vacancy still
  open is censored at ``as_at``, or at its post's abolition);
- **interim cover**: the share of the vacancies opened in the ``HISTORY_YEARS`` before
  ``as_at`` that an interim, acting or secondment appointment covered at some point, per
  level and executive flag;
- **internal appointments**: the share of the substantive spells started in those years
  whose holder already held an appointment in the same organisation the day before, per
  level;
- **ethnic group of appointees**: among the same spells' holders, the share whose ethnic
  category is not known, and the BME share among those known, per level;
- **successors**: the eligible successors (docs/talent.md) named ``ready_now`` on each
  post's plan, and those ``ready_1_2y``, ready-now ``READY_1_2Y_MONTHS`` after the review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from talentboard.forecast.curves import CurveTable, assign_groups, build_curves, segment_class
from talentboard.forecast.scenario import Scenario
from talentboard.frames.register import RegisterFrames, covers, segment_at, spells
from talentboard.reference import BME_CODES
from talentboard.stability.calendar import DAYS_PER_YEAR, shift_months
from talentboard.talent import succession

__all__ = [
    "HISTORY_YEARS",
    "LEVELS",
    "READY_1_2Y_MONTHS",
    "Model",
    "calibrate",
    "month_offsets",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

HISTORY_YEARS = 3
READY_1_2Y_MONTHS = 18
LEVELS = ("board", "senior", "middle", "frontline", "all")
UNKNOWN_ETHNICITY = ("Z", "99")
# Ethnic group codes in the simulation.
ETH_UNKNOWN, ETH_WHITE_OR_OTHER, ETH_BME = 0, 1, 2
DIMENSIONS = ("region", "org", "role", "segment")


@dataclass(frozen=True)
class Model:
    """Arrays over the ``P`` posts simulated (times in days from ``as_at``)."""

    as_at: dt.date
    months: list[dt.date]
    offsets: IntArray  # (H,) days from as_at to each month end
    post_refs: IntArray
    groups: dict[str, list[str]]  # dimension -> group code of each post
    measured: BoolArray  # counts in the vacancy, departure and cover measures
    diverse: BoolArray  # counts in the BME share measure
    critical: BoolArray  # can take a successor from the pool
    established: FloatArray  # -inf when it exists at as_at
    abolished: FloatArray  # inf when no end is known
    held: BoolArray
    tenure: FloatArray  # days served by the holder at as_at (0 for vacant posts)
    survival_now: FloatArray  # S(tenure) on the post's departure curve (1 for vacant posts)
    survival_end: FloatArray  # S(tenure + days to the horizon) on the same curve
    planned_end: FloatArray  # nan unless a recorded end date lies after as_at
    next_start: FloatArray  # nan unless a substantive appointment starts after as_at
    vacant_for: FloatArray  # days a post vacant at as_at has been vacant
    interim_now: BoolArray
    ethnicity_now: IntArray
    departure_curve: IntArray
    fill_curve: IntArray
    departures: CurveTable
    fills: CurveTable
    interim_share: FloatArray
    internal_share: FloatArray
    unknown_share: FloatArray
    bme_share: FloatArray
    successors: IntArray  # (P, K) person numbers, -1 for none
    successor_ready: FloatArray  # (P, K) days from as_at when ready now
    successor_ethnicity: IntArray  # (P, K)
    people: int
    pool_bme_share: float
    pool_ready_now: int
    segments: list[int | None]
    segment_code: IntArray  # the oversight segment at as_at, 0 when not rated

    @property
    def size(self) -> int:
        return int(self.post_refs.shape[0])


def _largest(values: pl.Series) -> int:
    """The largest of a column of whole numbers (0 when empty)."""
    return int(values.to_numpy().max()) if values.len() else 0


def month_offsets(as_at: dt.date, horizon_months: int) -> tuple[list[dt.date], IntArray]:
    """The month ends ``as_at + m months`` (m = 1 .. H) and their offsets in days."""
    months = [shift_months(as_at, m) for m in range(1, horizon_months + 1)]
    return months, np.array([(d - as_at).days for d in months], dtype=np.int64)


def _days(expr: pl.Expr, as_at: dt.date) -> pl.Expr:
    return (expr - pl.lit(as_at)).dt.total_days().cast(pl.Float64)


def _ethnicity_code() -> pl.Expr:
    code = pl.col("ethnic_category")
    return (
        pl.when(code.is_null() | code.is_in(UNKNOWN_ETHNICITY))
        .then(ETH_UNKNOWN)
        .when(code.is_in(sorted(BME_CODES)))
        .then(ETH_BME)
        .otherwise(ETH_WHITE_OR_OTHER)
        .cast(pl.Int64)
    )


def _post_frame(register: RegisterFrames, as_at: dt.date, end: dt.date, level: str) -> pl.DataFrame:
    """The posts simulated: those existing at ``as_at`` or established by ``end``."""
    board_exec = (pl.col("level") == "board") & pl.col("executive")
    if level == "board":
        measured, diverse = board_exec, (pl.col("level") == "board") & pl.col("voting")
    elif level == "all":
        measured = board_exec | (pl.col("level") != "board")
        diverse = ((pl.col("level") == "board") & pl.col("voting")) | (pl.col("level") != "board")
    else:
        measured = diverse = pl.lit(True)
    posts = register.posts.filter(
        (pl.col("established_from").is_null() | (pl.col("established_from") <= end))
        & (pl.col("established_to").is_null() | (pl.col("established_to") > as_at))
    )
    if level != "all":
        posts = posts.filter(pl.col("level") == level)
    return (
        posts.join(segment_at(register.ratings, as_at), on="ods_code", how="left")
        .join(register.organisations.select("ods_code", "region_code"), on="ods_code", how="left")
        .with_columns(
            measured.alias("measured"),
            diverse.alias("diverse"),
            segment_class().alias("segment_class"),
        )
        .sort("post_ref")
    )


def _spell_history(
    register: RegisterFrames, all_spells: pl.DataFrame, as_at: dt.date
) -> pl.DataFrame:
    """Spells started by ``as_at`` with duration (years) and event, and their post's groups."""
    posts = register.posts.join(
        segment_at(register.ratings, as_at), on="ods_code", how="left"
    ).with_columns(segment_class().alias("segment_class"))
    ended = pl.col("end_date").is_not_null() & (pl.col("end_date") <= as_at)
    return (
        all_spells.filter(pl.col("start_date") <= as_at)
        .join(
            posts.select("post_ref", "role_code", "level", "executive", "segment_class"),
            on="post_ref",
        )
        .with_columns(
            (
                (pl.when(ended).then(pl.col("end_date")).otherwise(pl.lit(as_at)))
                - pl.col("start_date")
            )
            .dt.total_days()
            .cast(pl.Float64)
            .truediv(DAYS_PER_YEAR)
            .alias("duration"),
            ended.alias("event"),
        )
    )


def vacancy_history(
    register: RegisterFrames, all_spells: pl.DataFrame, as_at: dt.date
) -> pl.DataFrame:
    """Every vacancy opened by ``as_at``: ``post_ref``, ``vacated_on``, ``duration`` (years
    to the next substantive start, or to the censoring date) and ``event`` (filled).

    As ``talentboard.stability.fill.vacancies``, for posts of every level.
    """
    known = all_spells.filter(pl.col("start_date") <= as_at)
    ordered = (
        known.sort("post_ref", "start_date", "person_ref")
        .with_columns(next_start=pl.col("start_date").shift(-1).over("post_ref"))
        .join(register.posts.select("post_ref", "established_to"), on="post_ref")
    )
    abolished = pl.col("established_to")
    ended = ordered.filter(
        pl.col("end_date").is_not_null()
        & (pl.col("end_date") <= as_at)
        & (abolished.is_null() | (pl.col("end_date") < abolished))
    )
    successor = pl.max_horizontal(pl.col("next_start"), pl.col("end_date"))
    filled = pl.col("next_start").is_not_null() & (abolished.is_null() | (successor < abolished))
    limit = pl.min_horizontal(abolished.fill_null(as_at), pl.lit(as_at))
    return ended.select(
        "post_ref",
        pl.col("end_date").alias("vacated_on"),
        pl.when(filled)
        .then(successor - pl.col("end_date"))
        .otherwise(limit - pl.col("end_date"))
        .dt.total_days()
        .cast(pl.Float64)
        .truediv(DAYS_PER_YEAR)
        .alias("duration"),
        filled.alias("event"),
    )


def _holders(all_spells: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """The substantive spell covering ``as_at`` in each post (the earliest started)."""
    return (
        all_spells.filter(covers(as_at))
        .sort("post_ref", "start_date", "person_ref")
        .unique("post_ref", keep="first", maintain_order=True)
        .select(
            "post_ref",
            pl.col("person_ref").alias("holder_ref"),
            _days(pl.col("start_date"), as_at).neg().alias("tenure"),
            _days(pl.col("end_date"), as_at).alias("planned_end"),
        )
    )


def _post_state(
    register: RegisterFrames, all_spells: pl.DataFrame, posts: pl.DataFrame, as_at: dt.date
) -> pl.DataFrame:
    """Holder, tenure, planned end, vacancy age, interim cover and ethnic group at as_at."""
    holders = _holders(all_spells, as_at)
    last_end = (
        all_spells.filter(pl.col("end_date").is_not_null() & (pl.col("end_date") <= as_at))
        .group_by("post_ref")
        .agg(pl.col("end_date").max().alias("last_end"))
    )
    next_start = (
        all_spells.filter(pl.col("start_date") > as_at)
        .group_by("post_ref")
        .agg(pl.col("start_date").min().alias("next_start_on"))
    )
    cover = (
        register.appointments.filter(
            pl.col("appointment_type").is_in(["interim", "acting", "secondment"]) & covers(as_at)
        )
        .sort("post_ref", "start_date")
        .unique("post_ref", keep="first", maintain_order=True)
        .select("post_ref", pl.col("person_ref").alias("interim_ref"))
    )
    people = register.people.select("person_ref", _ethnicity_code().alias("ethnicity"))
    state = (
        posts.join(holders, on="post_ref", how="left")
        .join(last_end, on="post_ref", how="left")
        .join(next_start, on="post_ref", how="left")
        .join(cover, on="post_ref", how="left")
        .with_columns(
            pl.col("holder_ref").is_not_null().alias("held"),
            pl.coalesce("holder_ref", "interim_ref").alias("present_ref"),
        )
        .join(people.rename({"person_ref": "present_ref"}), on="present_ref", how="left")
    )
    opened = pl.coalesce(pl.col("last_end"), pl.col("established_from"))
    return state.with_columns(
        pl.when(pl.col("held"))
        .then(0.0)
        .otherwise(_days(opened, as_at).neg().fill_null(0.0).clip(lower_bound=0.0))
        .alias("vacant_for"),
        (~pl.col("held") & pl.col("interim_ref").is_not_null()).alias("interim_now"),
        pl.col("ethnicity").fill_null(ETH_UNKNOWN),
        pl.col("tenure").fill_null(0.0),
        _days(pl.col("next_start_on"), as_at).alias("next_start"),
    )


def _recent_appointments(
    register: RegisterFrames, all_spells: pl.DataFrame, as_at: dt.date
) -> pl.DataFrame:
    """Spells started in the ``HISTORY_YEARS`` to ``as_at``: level, internal, ethnic group."""
    since = shift_months(as_at, -12 * HISTORY_YEARS)
    recent = all_spells.filter((pl.col("start_date") > since) & (pl.col("start_date") <= as_at))
    posts = register.posts.select("post_ref", "ods_code", "level")
    recent = recent.join(posts, on="post_ref")
    before = (
        register.appointments.join(posts.select("post_ref", "ods_code"), on="post_ref")
        .select(
            "person_ref",
            pl.col("ods_code").alias("prior_ods"),
            pl.col("post_ref").alias("prior_post"),
            pl.col("start_date").alias("prior_start"),
            pl.col("end_date").alias("prior_end"),
        )
        .join(recent.select("person_ref").unique(), on="person_ref", how="semi")
    )
    day_before = pl.col("start_date") - pl.duration(days=1)
    internal = (
        recent.join(before, on="person_ref")
        .filter(
            (pl.col("prior_ods") == pl.col("ods_code"))
            & (pl.col("prior_post") != pl.col("post_ref"))
            & (pl.col("prior_start") <= day_before)
            & (pl.col("prior_end").is_null() | (pl.col("prior_end") > day_before))
        )
        .select("person_ref", "post_ref", "start_date")
        .unique()
        .with_columns(pl.lit(True).alias("internal"))
    )
    return (
        recent.join(internal, on=["person_ref", "post_ref", "start_date"], how="left")
        .with_columns(pl.col("internal").fill_null(False))
        .join(
            register.people.select("person_ref", _ethnicity_code().alias("ethnicity")),
            on="person_ref",
            how="left",
        )
        .with_columns(pl.col("ethnicity").fill_null(ETH_UNKNOWN))
    )


def _level_rates(posts: pl.DataFrame, recent: pl.DataFrame) -> pl.DataFrame:
    """Per level: internal share, unknown-ethnicity share and BME share among the known."""
    overall = recent.select(
        pl.col("internal").mean().alias("all_internal"),
        (pl.col("ethnicity") == ETH_UNKNOWN).mean().alias("all_unknown"),
        ((pl.col("ethnicity") == ETH_BME).sum() / (pl.col("ethnicity") != ETH_UNKNOWN).sum())
        .fill_nan(None)
        .alias("all_bme"),
    )
    by_level = recent.group_by("level").agg(
        pl.col("internal").mean().alias("internal_share"),
        (pl.col("ethnicity") == ETH_UNKNOWN).mean().alias("unknown_share"),
        ((pl.col("ethnicity") == ETH_BME).sum() / (pl.col("ethnicity") != ETH_UNKNOWN).sum())
        .fill_nan(None)
        .alias("bme_share"),
    )
    fallback = overall.row(0) if overall.height else (None, None, None)
    return (
        posts.select("post_ref", "level")
        .join(by_level, on="level", how="left")
        .with_columns(
            pl.col("internal_share").fill_null(fallback[0] or 0.0),
            pl.col("unknown_share").fill_null(fallback[1] if fallback[1] is not None else 1.0),
            pl.col("bme_share").fill_null(fallback[2] or 0.0),
        )
    )


def _interim_rates(
    register: RegisterFrames, history: pl.DataFrame, posts: pl.DataFrame, as_at: dt.date
) -> pl.DataFrame:
    """Per level and executive flag: the share of recent vacancies (of the
    :func:`vacancy_history` ``history``) covered by an interim."""
    since = shift_months(as_at, -12 * HISTORY_YEARS)
    vacancies = history.filter(pl.col("vacated_on") > since)
    vacancies = vacancies.with_columns(
        (
            pl.col("vacated_on")
            + pl.duration(days=(pl.col("duration") * DAYS_PER_YEAR).round(0).cast(pl.Int64))
        ).alias("closed_on")
    )
    cover = register.appointments.filter(
        pl.col("appointment_type").is_in(["interim", "acting", "secondment"])
        & (pl.col("start_date") <= as_at)
    ).select("post_ref", pl.col("start_date").alias("c_start"), pl.col("end_date").alias("c_end"))
    covered = (
        vacancies.join(cover, on="post_ref")
        .filter(
            (pl.col("c_start") < pl.col("closed_on"))
            & (pl.col("c_end").is_null() | (pl.col("c_end") > pl.col("vacated_on")))
        )
        .select("post_ref", "vacated_on")
        .unique()
        .with_columns(pl.lit(True).alias("covered"))
    )
    table = (
        vacancies.join(covered, on=["post_ref", "vacated_on"], how="left")
        .with_columns(pl.col("covered").fill_null(False))
        .join(register.posts.select("post_ref", "level", "executive"), on="post_ref")
    )
    # Weighted by how long each vacancy lasted: a handover (no time vacant) has no bearing
    # on the share of vacant posts held by an interim at a month end.
    weighted = (pl.col("covered").cast(pl.Float64) * pl.col("duration")).sum() / pl.col(
        "duration"
    ).sum()
    rates = table.group_by("level", "executive").agg(weighted.fill_nan(None).alias("interim_share"))
    overall_frame = table.select(weighted.fill_nan(None))
    overall = float(overall_frame.item() or 0.0) if table.height else 0.0
    return (
        posts.select("post_ref", "level", "executive")
        .join(rates, on=["level", "executive"], how="left")
        .with_columns(pl.col("interim_share").fill_null(overall))
    )


def _successors(
    register: RegisterFrames,
    successors: pl.DataFrame,
    posts: pl.DataFrame,
    as_at: dt.date,
) -> pl.DataFrame:
    """Eligible successors named ready now or ready in 1-2 years, with when each is ready."""
    named = successors.filter(
        pl.col("reviewed_on").is_null() | (pl.col("reviewed_on") <= as_at)
    ).filter(pl.col("readiness").is_in(["ready_now", "ready_1_2y"]))
    existing = posts.filter(covers(as_at, "established_from", "established_to"))
    states = succession.post_states(existing, register.appointments, as_at)
    eligible = succession.eligible_successors(named, register.appointments, states, as_at)
    later = pl.col("reviewed_on").dt.offset_by(f"{READY_1_2Y_MONTHS}mo")
    return (
        eligible.join(posts.select("post_ref"), on="post_ref", how="semi")
        .with_columns(
            pl.when(pl.col("readiness") == "ready_now")
            .then(0.0)
            .otherwise(_days(later, as_at).fill_null(0.0).clip(lower_bound=0.0))
            .alias("ready"),
        )
        .join(
            register.people.select("person_ref", _ethnicity_code().alias("ethnicity")),
            on="person_ref",
            how="left",
        )
        .with_columns(pl.col("ethnicity").fill_null(ETH_UNKNOWN))
        .sort("post_ref", "ready", "person_ref")
        .unique(["post_ref", "person_ref"], keep="first", maintain_order=True)
    )


def _successor_arrays(
    table: pl.DataFrame, post_refs: IntArray
) -> tuple[IntArray, FloatArray, IntArray, int]:
    people = sorted(set(table["person_ref"].to_list()))
    number = {ref: k for k, ref in enumerate(people)}
    row_of = {int(ref): k for k, ref in enumerate(post_refs.tolist())}
    width = max(1, _largest(table.group_by("post_ref").len()["len"])) if table.height else 1
    persons = np.full((post_refs.shape[0], width), -1, dtype=np.int64)
    ready = np.full((post_refs.shape[0], width), np.inf)
    ethnicity = np.zeros((post_refs.shape[0], width), dtype=np.int64)
    filled: dict[int, int] = {}
    for post_ref, person_ref, when, group in table.select(
        "post_ref", "person_ref", "ready", "ethnicity"
    ).iter_rows():
        row = row_of[int(post_ref)]
        column = filled.get(row, 0)
        filled[row] = column + 1
        persons[row, column] = number[person_ref]
        ready[row, column] = when
        ethnicity[row, column] = group
    return persons, ready, ethnicity, len(people)


def _turnover_scale(scenario: Scenario, segments: list[int | None]) -> FloatArray:
    return np.array([scenario.turnover_for(segment) for segment in segments], dtype=np.float64)


def _column(frame: pl.DataFrame, name: str, fill: float = np.nan) -> FloatArray:
    return frame.sort("post_ref")[name].fill_null(fill).to_numpy().astype(np.float64)


def _post_fields(posts: pl.DataFrame, state: pl.DataFrame, as_at: dt.date) -> dict[str, Any]:
    """Each post's groups, what it counts in, its dates and its state at ``as_at``."""
    segments = posts["oversight_segment"].to_list()
    established = posts["established_from"]
    state = state.sort("post_ref")
    return {
        "post_refs": posts["post_ref"].to_numpy().astype(np.int64),
        "groups": {
            "region": posts["region_code"].fill_null("unknown").to_list(),
            "org": posts["ods_code"].to_list(),
            "role": posts["role_code"].to_list(),
            "segment": [str(s) if s is not None else "unrated" for s in segments],
        },
        "segments": segments,
        "segment_code": np.array([s or 0 for s in segments], dtype=np.int64),
        "measured": posts["measured"].to_numpy().astype(bool),
        "diverse": posts["diverse"].to_numpy().astype(bool),
        "established": np.where(
            (established.is_null() | (established.fill_null(as_at) <= as_at)).to_numpy(),
            -np.inf,
            posts.select(_days(pl.col("established_from"), as_at)).to_series().to_numpy(),
        ).astype(np.float64),
        "abolished": posts.select(_days(pl.col("established_to"), as_at).fill_null(np.inf))
        .to_series()
        .to_numpy()
        .astype(np.float64),
        "held": state["held"].to_numpy().astype(bool),
        "tenure": _column(state, "tenure", 0.0),
        "planned_end": _column(state, "planned_end"),
        "next_start": _column(state, "next_start"),
        "vacant_for": _column(state, "vacant_for", 0.0),
        "interim_now": state["interim_now"].to_numpy().astype(bool),
        "ethnicity_now": state["ethnicity"].to_numpy().astype(np.int64),
    }


def _curve_fields(
    register: RegisterFrames,
    all_spells: pl.DataFrame,
    vacancies: pl.DataFrame,
    posts: pl.DataFrame,
    as_at: dt.date,
) -> dict[str, Any]:
    """Each post's departure and time-to-fill curves (comparable histories)."""
    columns = ("post_ref", "role_code", "level", "executive", "segment_class")
    history = _spell_history(register, all_spells, as_at)
    post_groups, departure_histories = assign_groups(posts.select(columns), history)
    vacancies = vacancies.join(history.select(columns).unique("post_ref"), on="post_ref")
    fill_groups, fill_histories = assign_groups(posts.select(columns), vacancies)
    count = 1 if posts.height else 0
    return {
        "departure_curve": post_groups.sort("post_ref")["curve"].to_numpy().astype(np.int64),
        "fill_curve": fill_groups.sort("post_ref")["curve"].to_numpy().astype(np.int64),
        "departures": build_curves(
            departure_histories, (_largest(post_groups["curve"]) + 1) * count
        ),
        "fills": build_curves(fill_histories, (_largest(fill_groups["curve"]) + 1) * count),
    }


def _pool_fields(
    register: RegisterFrames,
    successors: pl.DataFrame,
    posts: pl.DataFrame,
    as_at: dt.date,
    level: str,
) -> dict[str, Any]:
    """The named successors of each post, and the ready-now pool."""
    named = _successors(register, successors, posts, as_at)
    post_refs = posts["post_ref"].to_numpy().astype(np.int64)
    persons, ready, ethnicity, people = _successor_arrays(named, post_refs)
    ready_now = named.filter(pl.col("ready") == 0.0)
    known = ready_now.filter(pl.col("ethnicity") != ETH_UNKNOWN)
    critical = set(succession.critical_posts(posts, named, as_at)["post_ref"].to_list())
    measured = posts["measured"].to_numpy().astype(bool)
    return {
        "critical": np.isin(post_refs, np.array(sorted(critical), dtype=np.int64))
        | (measured & (level != "board")),
        "successors": persons,
        "successor_ready": ready,
        "successor_ethnicity": ethnicity,
        "people": people,
        "pool_bme_share": float(np.mean(known["ethnicity"].to_numpy() == ETH_BME))
        if known.height
        else 0.0,
        "pool_ready_now": ready_now.height,
    }


def calibrate(
    register: RegisterFrames,
    successors: pl.DataFrame,
    as_at: dt.date,
    horizon_months: int,
    *,
    level: str = "board",
) -> Model:
    """The model of the posts at ``level`` (``board``, ``senior``, ``middle``,
    ``frontline`` or ``all``) from the register and the successor entries as at ``as_at``.

    ``successors`` has the columns of ``talentboard.talent.schemas.SUCCESSORS``.
    """
    if level not in LEVELS:
        raise ValueError(f"level {level!r}: use one of {', '.join(LEVELS)}")
    months, offsets = month_offsets(as_at, horizon_months)
    all_spells = spells(register.appointments)
    posts = _post_frame(register, as_at, months[-1], level)
    state = _post_state(register, all_spells, posts, as_at)
    fields = _post_fields(posts, state, as_at)
    vacancies = vacancy_history(register, all_spells, as_at)
    curves = _curve_fields(register, all_spells, vacancies, posts, as_at)
    rates = _level_rates(posts, _recent_appointments(register, all_spells, as_at))
    interim = _interim_rates(register, vacancies, posts, as_at)
    return Model(
        as_at=as_at,
        months=months,
        offsets=offsets,
        **fields,
        **curves,
        **_pool_fields(register, successors, posts, as_at, level),
        survival_now=curves["departures"].survival_at(curves["departure_curve"], fields["tenure"]),
        survival_end=curves["departures"].survival_at(
            curves["departure_curve"], fields["tenure"] + float(offsets[-1])
        ),
        interim_share=_column(interim, "interim_share", 0.0),
        internal_share=_column(rates, "internal_share", 0.0),
        unknown_share=_column(rates, "unknown_share", 1.0),
        bme_share=_column(rates, "bme_share", 0.0),
    )
