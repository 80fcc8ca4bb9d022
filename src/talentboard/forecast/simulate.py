"""The Monte Carlo of every post, a batch of replications at a time, in NumPy.

A batch holds ``R`` replications of the ``P`` posts; a (post, replication) pair is the
number ``post * R + replication``. The loop runs over *generations* (the holder at the
as-at date, the vacancy after them, the next holder, ...), not over posts: each step works
on the flat arrays of the pairs still moving, until every pair has passed the horizon.
Times are whole days from the as-at date (64-bit integers; ``NEVER`` for a draw beyond
every step of its curve).

**Randomness.** Each batch has its own ``numpy.random.Generator`` seeded with
``SeedSequence(seed).spawn(...)[batch]``, so a batch gives the same figures whether it
runs alone, with the others in one process, or on another machine. The generator draws
one 64-bit number per pair. The departure of the holder at the as-at date takes its
uniform from the top 53 bits of that number. Every other uniform the pair needs (each
vacancy's length and interim cover, each appointment's source and ethnic group, each new
holder's departure, ...) comes from a 32-bit key of the pair and generation (both halves
of the number mixed by a 32-bit integer hash, then the hash of the previous generation's
key for each generation after), mixed once more with the purpose: a pure function of the
pair's own number, the generation and the purpose. So a pair meets the same randomness
whatever happens to the other pairs, and a scenario lever that changes nothing about a
pair leaves its story unchanged (common random numbers): a turnover multiplier for one
segment leaves the other segments' figures exactly as they were, and a BME share leaves
every timing as it was. A uniform is needed only where it is used, and computing it
nowhere else changes nothing.

**Holders at the as-at date** stay beyond the horizon with probability
``q = (S(d + H) / S(d)) ** m`` (the departure curve ``S``, tenure ``d``, turnover multiplier
``m``): a pair whose departure uniform ``U`` is below ``q`` needs nothing more, and those
above draw their departure day (``S(T) <= U ** (1/m) S(d)``, :mod:`talentboard.forecast.curves`).
``U >= q`` is decided on the 64-bit numbers themselves, one comparison per pair.

**Counting.** Every figure is a count of events per (group, replication, month): a
vacancy opening or closing, a departure, an appointment, a holder counted in the BME share
starting or stopping. Each event is the index of its cell, counted with ``numpy.bincount``
into difference arrays, summed over the months at the end. An event that does not count
(a post outside the measure) goes to a spare group that is dropped, so no array is
filtered for it; an event after the horizon goes to a spare month.

A batch returns its figures as integer pairs ``(numerator, denominator)`` per group,
replication and month (:class:`BatchCounts`); :mod:`talentboard.forecast.summary` turns
them into histograms, which merge exactly.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from talentboard.forecast.curves import NEVER
from talentboard.forecast.model import ETH_BME, ETH_UNKNOWN, ETH_WHITE_OR_OTHER, Model
from talentboard.forecast.scenario import Scenario

__all__ = [
    "BATCH_ELEMENTS",
    "MEASURES",
    "BatchCounts",
    "batch_plan",
    "existing_posts",
    "keep_freed_memory",
    "plan_for",
    "simulate_batch",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
U32Array = npt.NDArray[np.uint32]

MEASURES = (
    "exec_departures",
    "exec_vacancy_rate",
    "interim_cover_share",
    "appointments_needed",
    "ready_now_cover",
    "bme_share_board_voting",
)
# Post-by-replication pairs per batch: large enough for NumPy to run at full speed, small
# enough that a batch of the all-levels register stays within a few hundred megabytes.
BATCH_ELEMENTS = 1_000_000
# Pairs simulated together inside a batch, and the fewest replications in a chunk (see
# simulate_batch).
CHUNK_ELEMENTS = 650_000
CHUNK_REPLICATIONS = 64
MAX_GENERATIONS = 1000
# Purposes of the uniforms a pair draws in each generation.
DEPART, FILL, INTERIM, SOURCE, INTERNAL, KNOWN, BME, GROWTH, GROWTH_BME = range(9)
PURPOSES = 9
_BITS32 = 2.0**32
_TO_UNIT32 = 2.0**-32
_TO_UNIT53 = 2.0**-53
# The 32-bit hash ("lowbias32", C. Wellons): two multiply-xorshift rounds, full avalanche.
_M1 = np.uint32(0x7FEB352D)
_M2 = np.uint32(0x846CA68B)
_S16, _S15 = np.uint32(16), np.uint32(15)
_MASK32 = 0xFFFFFFFF


def _mix_int(x: int) -> int:
    """The hash on one number (for the constants)."""
    x &= _MASK32
    x ^= x >> 16
    x = (x * 0x7FEB352D) & _MASK32
    x ^= x >> 15
    x = (x * 0x846CA68B) & _MASK32
    x ^= x >> 16
    return x


_FIRST_SALT = np.uint32(_mix_int(0x243F6A88))
_NEXT_STEP = np.uint32(0x9E3779B9)
_PURPOSE_SALT = [np.uint32(_mix_int((p + 1) * 0x85EBCA6B)) for p in range(PURPOSES)]


def _mix(x: U32Array) -> U32Array:
    """The hash, in place on ``x`` (returned)."""
    t = x >> _S16
    x ^= t
    x *= _M1
    np.right_shift(x, _S15, out=t)
    x ^= t
    x *= _M2
    np.right_shift(x, _S16, out=t)
    x ^= t
    return x


def _first_keys(number: npt.NDArray[np.uint64]) -> U32Array:
    """Generation 0's 32-bit key of each pair, from its 64-bit number."""
    low = number.astype(np.uint32)
    low ^= _FIRST_SALT
    _mix(low)
    low ^= (number >> np.uint64(32)).astype(np.uint32)
    return _mix(low)


def _next_keys(key: U32Array) -> U32Array:
    """The next generation's key of each pair."""
    following = key + _NEXT_STEP
    return _mix(following)


def _bits(key: U32Array, purpose: int) -> U32Array:
    """The 32 random bits of each pair for one purpose in the key's generation."""
    value = key ^ _PURPOSE_SALT[purpose]
    return _mix(value)


def _scaled(share: FloatArray | float) -> FloatArray:
    """A probability as a threshold on 32 random bits: ``bits < p * 2 ** 32`` has chance
    ``p`` exactly (``p`` a multiple of 2 ** -32) and is the uniform's ``u < p``."""
    return np.asarray(share, dtype=np.float64) * _BITS32


# glibc's malloc options (mallopt): memory freed at the top of the heap is returned to the
# system beyond M_TRIM_THRESHOLD; blocks from M_MMAP_THRESHOLD up get their own mapping.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_KEEP_BYTES = 512 * 1024 * 1024
_MAP_FROM_BYTES = 32 * 1024 * 1024
_libc: list[ctypes.CDLL | None] = []


def _glibc() -> ctypes.CDLL | None:
    if not _libc:
        library = None
        name = ctypes.util.find_library("c")
        if name is not None:
            with contextlib.suppress(OSError):
                candidate = ctypes.CDLL(name)
                if hasattr(candidate, "mallopt") and hasattr(candidate, "malloc_trim"):
                    library = candidate
        _libc.append(library)
    return _libc[0]


def _reuse_freed_memory() -> None:
    """Let glibc keep the memory a batch frees for the next arrays (a no-op elsewhere).

    A batch allocates and frees many arrays of about a megabyte. By default glibc gives
    such memory back to the system as soon as the top of the heap is free, and the next
    array takes it back page by page, zero-filled by the kernel: that costs more than the
    arithmetic done on it. Kept, it is reused as it is.
    """
    library = _glibc()
    if library is not None:
        library.mallopt(_M_MMAP_THRESHOLD, _MAP_FROM_BYTES)
        library.mallopt(_M_TRIM_THRESHOLD, _KEEP_BYTES)


@contextlib.contextmanager
def keep_freed_memory() -> Iterator[None]:
    """Batches run inside reuse freed memory; the free memory is given back after."""
    _reuse_freed_memory()
    try:
        yield
    finally:
        library = _glibc()
        if library is not None:
            library.malloc_trim(0)


def batch_plan(replications: int, posts: int, batch_size: int | None = None) -> list[int]:
    """The replications of each batch: ``batch_size`` each (by default as many as fit in
    ``BATCH_ELEMENTS`` post-replications), the last one the rest."""
    size = batch_size or max(1, BATCH_ELEMENTS // max(posts, 1))
    full, rest = divmod(replications, size)
    return [size] * full + ([rest] if rest else [])


@dataclass
class BatchCounts:
    """Integer figures of one batch: ``numerator[measure]`` and ``denominator[measure]``
    have shape (groups, replications, months)."""

    numerator: dict[str, IntArray]
    denominator: dict[str, IntArray]


def _days(values: FloatArray) -> IntArray:
    """Days as whole numbers, ``NEVER`` for an infinite or missing one."""
    return np.where(np.isfinite(values), values, NEVER).astype(np.int64)


# A new holder whose departure uniform is below ``S(days left) ** m`` (with this margin
# for rounding) stays beyond the horizon, and needs no draw; those above draw as usual.
_STAY_MARGIN = 1.0 - 2.0**-40
_AT_START = ("open", "open_interim", "known", "bme")


@dataclass
class _Plan:
    """What every batch of one run needs, worked out once per model and scenario: per-post
    arrays in the form the inner loop reads them."""

    model: Model
    scenario: Scenario
    group_of: IntArray
    groups: int
    last: int  # the horizon, in days
    month_of: IntArray  # the month of each day 0 .. last + 1 (``H`` after the horizon)
    leave_from: npt.NDArray[np.uint64]  # a holder leaves when the pair's number >= this
    never_leave: IntArray  # posts whose holder never leaves in the horizon (or no holder)
    unit_hazard: bool
    inverse_hazard: FloatArray
    survival_now: FloatArray
    tenure: IntArray
    abolished: IntArray
    abolishes: bool  # some post is abolished by the horizon
    abolished_soon: BoolArray
    planned: IntArray  # posts with a planned end
    planned_end: IntArray
    departure_base: IntArray  # each post's departure curve: its table's offset and bins
    departure_scale: FloatArray
    fill_base: IntArray
    fill_scale: FloatArray
    departure_code: IntArray  # the same for CurveTable.draw_bits
    fill_code: IntArray
    stay_row: IntArray  # each post's row of ``stay_bits``
    stay_bits: U32Array  # rows of (last + 1): a new holder from day t stays beyond
    vacant_posts: IntArray  # posts vacant at the as-at date or established later
    vacant_opened: IntArray  # day each opened (negative: before the as-at date)
    vacant_scale: FloatArray  # S(elapsed / k) of each, the fill draw given what has passed
    vacant_interim: BoolArray  # held by an interim
    presence_known: BoolArray  # per post: an interim at the start counted in the BME share
    presence_bme: BoolArray
    at_start: dict[str, IntArray]  # (groups, H + 1) events of every replication, see _Batch
    known_fill: IntArray | None  # recorded next start (-NEVER when none); None when none
    interim_bits: FloatArray
    unknown_bits: FloatArray
    bme_bits: FloatArray
    internal_bits: FloatArray | None  # only when external appointees have their own share
    external_bme_bits: float
    holder_known: BoolArray
    holder_bme: BoolArray
    has_successor: BoolArray
    named_count: IntArray  # successors named on each post's plan (columns filled first)
    successor_columns: list[tuple[IntArray, FloatArray, IntArray]]
    pool_appointment_bits: float
    growth_posts: IntArray | None
    growth_bits: float
    pool_bme_bits: float
    by_replications: dict[int, dict[str, IntArray]]


def _stay_table(model: Model, hazard: FloatArray, last: int) -> tuple[IntArray, U32Array]:
    """For each (departure curve, hazard) of the posts, the threshold on a new holder's 32
    departure bits below which a spell started on day ``t`` lasts beyond the horizon:
    ``S(last - t) ** m``, a little less (so that a pair near the line is drawn)."""
    exponent = np.maximum(hazard, 1e-12)
    pairs = np.stack([model.departure_curve.astype(np.float64), exponent], axis=1)
    combos, row = np.unique(pairs, axis=0, return_inverse=True)
    left = float(last) - np.arange(last + 1, dtype=np.float64)
    curve = np.repeat(combos[:, 0].astype(np.int64), last + 1)
    survival = model.departures.survival_at(curve, np.tile(left, combos.shape[0]))
    power = np.repeat(combos[:, 1], last + 1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        line = np.where(survival > 0, survival**power, 0.0) * (_BITS32 * _STAY_MARGIN)
    bits = np.minimum(np.floor(line), _BITS32 - 1).astype(np.uint32)
    return np.asarray(row, dtype=np.int64).ravel() * (last + 1), bits


def _build_plan(model: Model, scenario: Scenario, group_of: IntArray, groups: int) -> _Plan:
    k = scenario.time_to_fill_multiplier
    last = int(model.offsets[-1]) if model.offsets.shape[0] else 0
    months = len(model.months)
    month_of = np.searchsorted(model.offsets, np.arange(last + 2), side="left").astype(np.int64)
    group_of = np.asarray(group_of, dtype=np.int64)
    by_segment = np.array([scenario.turnover_for(s) for s in (None, 1, 2, 3, 4, 5)])
    hazard = by_segment[model.segment_code]
    held = model.held
    planned = held & ~np.isnan(model.planned_end)
    now, later = model.survival_now, model.survival_end
    with np.errstate(divide="ignore", invalid="ignore"):
        stay = np.where(now > 0, (later / now) ** hazard, 0.0)
    # A post abolished by the horizon ends every spell in it: all its pairs go on.
    stay = np.where(model.abolished <= float(last), 0.0, stay)
    stay = np.where(planned, 0.0, stay)
    # U = (number >> 11) 2 ** -53 >= stay exactly when number >= ceil(stay 2 ** 53) << 11.
    threshold = np.ceil(np.clip(stay, 0.0, 1.0) * 2.0**53)
    # A post counted in no measure and naming no successor changes nothing: not simulated.
    has_successor = np.asarray((model.successors >= 0).any(axis=1))
    relevant = model.measured | model.diverse | has_successor
    never = ~held | (threshold >= 2.0**53) | ~relevant
    leave_from = np.where(never, 0, threshold).astype(np.uint64) << np.uint64(11)
    abolished = _days(model.abolished)
    vacant = np.flatnonzero(~held & relevant)
    future = model.established[vacant] > 0
    elapsed = np.where(future, 0.0, model.vacant_for[vacant])
    scale = np.ones(vacant.shape[0])
    waited = elapsed > 0
    if np.any(waited):
        # The whole vacancy lasts ``k T`` days, ``T`` drawn given ``T > elapsed / k``.
        scale[waited] = model.fills.survival_at(
            model.fill_curve[vacant[waited]], elapsed[waited] / k
        )
    opened = _days(np.where(future, model.established[vacant], -model.vacant_for[vacant]))
    interim = model.interim_now[vacant] & ~future
    presence = np.where(interim, model.ethnicity_now[vacant], ETH_UNKNOWN)
    present = model.diverse[vacant] & (presence != ETH_UNKNOWN)
    # What stands at the start is the same in every replication: vacancies open at the
    # start (and their interims), and the holders and interims counted in the BME share.
    measured = model.measured[vacant]
    first = month_of[np.clip(opened, 0, last + 1)]
    presence_known = np.zeros(model.size, dtype=bool)
    presence_known[vacant] = present
    presence_bme = np.zeros(model.size, dtype=bool)
    presence_bme[vacant] = present & (presence == ETH_BME)
    holder_known = model.diverse & held & (model.ethnicity_now != ETH_UNKNOWN)
    holder_bme = holder_known & (model.ethnicity_now == ETH_BME)
    at_start = {name: np.zeros((groups, months + 1), dtype=np.int64) for name in _AT_START}
    known_now = np.flatnonzero((holder_known & ~holder_bme) | (presence_known & ~presence_bme))
    bme_now = np.flatnonzero(holder_bme | presence_bme)
    for name, posts, month in (
        ("open", vacant[measured & ~interim], first[measured & ~interim]),
        ("open_interim", vacant[measured & interim], first[measured & interim]),
        ("known", known_now, np.zeros(known_now.shape[0], dtype=np.int64)),
        ("bme", bme_now, np.zeros(bme_now.shape[0], dtype=np.int64)),
    ):
        np.add.at(at_start[name], (group_of[posts], month), 1)
    known_fill = None
    if np.any(~np.isnan(model.next_start)):
        known_fill = np.where(np.isnan(model.next_start), -NEVER, model.next_start).astype(np.int64)
    bme = model.bme_share
    if scenario.bme_share_appointments is not None:
        bme = np.full(model.size, scenario.bme_share_appointments)
    external = scenario.bme_share_external
    growth_posts = None
    growth_chance = 0.0
    critical = np.flatnonzero(model.critical)
    if scenario.talent_pool_growth > 0 and critical.shape[0]:
        growth_posts = critical
        growth_chance = min(
            1.0, scenario.talent_pool_growth * model.pool_ready_now / critical.shape[0]
        )
    stay_row, stay_bits = _stay_table(model, hazard, last)
    return _Plan(
        model=model,
        scenario=scenario,
        group_of=group_of,
        groups=groups,
        last=last,
        month_of=month_of,
        leave_from=leave_from,
        never_leave=np.flatnonzero(never),
        unit_hazard=bool(np.all(hazard == 1.0)),
        inverse_hazard=1.0 / np.maximum(hazard, 1e-12),
        survival_now=np.asarray(now, dtype=np.float64),
        tenure=np.rint(model.tenure).astype(np.int64),
        abolished=abolished,
        abolishes=bool(np.any(abolished <= last)),
        abolished_soon=abolished <= last,
        planned=np.flatnonzero(planned),
        planned_end=_days(np.where(planned, model.planned_end, np.inf)),
        departure_base=model.departures.offset[model.departure_curve],
        departure_scale=model.departures.grid[model.departure_curve].astype(np.float64),
        fill_base=model.fills.offset[model.fill_curve],
        fill_scale=model.fills.grid[model.fill_curve].astype(np.float64),
        departure_code=model.departures.codes(model.departure_curve),
        fill_code=model.fills.codes(model.fill_curve),
        stay_row=stay_row,
        stay_bits=stay_bits,
        vacant_posts=vacant,
        vacant_opened=opened,
        vacant_scale=scale,
        vacant_interim=interim,
        presence_known=presence_known,
        presence_bme=presence_bme,
        at_start=at_start,
        known_fill=known_fill,
        interim_bits=_scaled(model.interim_share),
        unknown_bits=_scaled(model.unknown_share),
        bme_bits=_scaled(bme),
        internal_bits=_scaled(model.internal_share) if external is not None else None,
        external_bme_bits=float(_scaled(external or 0.0)),
        holder_known=holder_known,
        holder_bme=holder_bme,
        has_successor=has_successor,
        named_count=np.asarray((model.successors >= 0).sum(axis=1), dtype=np.int64),
        successor_columns=[
            (
                np.ascontiguousarray(model.successors[:, c]).astype(np.int64),
                np.ascontiguousarray(model.successor_ready[:, c]).astype(np.float64),
                np.ascontiguousarray(model.successor_ethnicity[:, c]).astype(np.int64),
            )
            for c in range(model.successors.shape[1])
        ],
        pool_appointment_bits=float(_scaled(scenario.pool_appointment_share)),
        growth_posts=growth_posts,
        growth_bits=float(_scaled(growth_chance)),
        pool_bme_bits=float(_scaled(model.pool_bme_share)),
        by_replications={},
    )


_cache_lock = threading.Lock()
_cache: list[tuple[Model, Scenario, IntArray, int, _Plan]] = []


def plan_for(model: Model, scenario: Scenario, group_of: IntArray, groups: int) -> _Plan:
    """The plan of a recent run asked for again (the same objects), or a new one."""
    with _cache_lock:
        for m, s, g, n, plan in _cache:
            if m is model and s is scenario and g is group_of and n == groups:
                return plan
    plan = _build_plan(model, scenario, group_of, groups)
    with _cache_lock:
        _cache[:] = [(model, scenario, group_of, groups, plan), *_cache[:1]]
    return plan


class _Batch:
    """One batch: the pairs' numbers, the difference arrays and each step of a generation.

    Cells of the tally are ``(group * R + replication) * (H + 1) + month``; group ``G``
    (one past the last) takes the events that do not count, month ``H`` those after the
    horizon. Most difference arrays have two halves, for two kinds of event counted
    together (the second half at ``+ size``):

    - ``at_start``: a measured vacancy open at the start (or when its post is
      established), without / with an interim;
    - ``opening``: a measured vacancy opened by a departure (so also the departure),
      without / with an interim;
    - ``closing``: a measured vacancy filled, without / with an interim;
    - ``closed``: the same closed by the post's abolition; ``ended``: a measured spell
      ended by its post's abolition (only when some post is abolished by the horizon);
    - ``pool``: a measured vacancy filled by a named ready-now successor;
    - ``holder_start``, ``holder_end``: a holder (or an interim at the start) counted in
      the BME share, of a known group not BME / BME.

    What stands at the start (``_Plan.at_start``) is the same in every replication.
    """

    HALVES = (
        "at_start",
        "opening",
        "closing",
        "closed",
        "pool",
        "holder_start",
        "holder_end",
    )

    def __init__(self, plan: _Plan, replications: int, numbers: npt.NDArray[np.uint64]) -> None:
        model = plan.model
        self.plan = plan
        self.model = model
        self.r = replications
        self.h = len(model.months)
        self.stride = self.h + 1
        self.block = replications * self.stride  # cells of one group
        self.size = (plan.groups + 1) * self.block
        self.spare = np.int64(plan.groups * self.block)  # events that do not count
        self.last = plan.last
        self.month_of = plan.month_of
        self.diff = {name: np.zeros(2 * self.size, dtype=np.int64) for name in self.HALVES}
        self.diff["ended"] = np.zeros(self.size, dtype=np.int64)
        self.numbers = numbers
        bases = plan.by_replications.get(replications)
        if bases is None:
            bases = self._bases()
            plan.by_replications[replications] = bases
        self.base_measured = bases["measured"]
        self.base_diverse = bases["diverse"]
        self.holder_cell = bases["holder"]
        self.presence_cell = bases["presence"]
        people = replications * max(model.people, 1)
        self.taken = np.zeros(people, dtype=bool)
        self.owner = np.full(people, np.iinfo(np.int64).max)
        self.extra = self._extra_successors()
        self.before_start = False

    def _bases(self) -> dict[str, IntArray]:
        """Each post's first cell (replication 0, month 0) for each kind of event, and the
        vacancies open at the start."""
        plan, model = self.plan, self.model
        group_of, spare = plan.group_of, np.int64(plan.groups)

        def cell(flag: BoolArray, second: BoolArray | None = None) -> IntArray:
            first = np.where(flag, group_of, spare) * self.block
            return first if second is None else first + np.where(second, self.size, 0)

        vacant, r = plan.vacant_posts, self.r
        return {
            "measured": cell(model.measured),
            "diverse": cell(model.diverse),
            "holder": cell(plan.holder_known, plan.holder_bme),
            "presence": cell(plan.presence_known, plan.presence_bme),
            # The vacancies open at the start, in every replication.
            "post": np.repeat(vacant, r),
            "rep": np.tile(np.arange(r, dtype=np.int64), vacant.shape[0]),
            "opened": np.repeat(plan.vacant_opened, r),
            "scale": np.repeat(plan.vacant_scale, r),
            "interim": np.repeat(plan.vacant_interim, r),
        }

    def _extra_successors(self) -> BoolArray | None:
        """Pairs given one more ready-now successor by talent pool growth."""
        plan = self.plan
        if plan.growth_posts is None:
            return None
        extra = np.zeros(self.model.size * self.r, dtype=bool)
        pairs = (plan.growth_posts[:, None] * self.r + np.arange(self.r)[None, :]).ravel()
        extra[pairs] = _bits(_first_keys(self.numbers[pairs]), GROWTH) < plan.growth_bits
        return extra

    def month(self, days: IntArray) -> IntArray:
        """The first month whose end is on or after each day (``H`` after the horizon; the
        first month for a day before the as-at date, which only a vacancy open at the
        as-at date can give, when it has lasted longer than any comparable one)."""
        if self.before_start:
            return self.month_of[np.clip(days, 0, self.last + 1)]
        return self.month_of[np.minimum(days, self.last + 1)]

    def month_within(self, days: IntArray) -> IntArray:
        """:meth:`month` of days known to be at most the horizon."""
        if self.before_start:
            return self.month_of[np.maximum(days, 0)]
        return self.month_of[days]

    def _count(self, name: str, cells: IntArray, month: IntArray | int) -> None:
        if cells.shape[0]:
            diff = self.diff[name]
            diff += np.bincount(cells + month, minlength=diff.shape[0])

    def _abolished(
        self, name: str, cells: IntArray, post: IntArray, end: IntArray, first: IntArray | None
    ) -> None:
        """Count ``name`` for the spells or vacancies ending by their post's abolition by
        the horizon (those ending on or after it), not before ``first``."""
        abolished = self.plan.abolished[post]
        hit = np.flatnonzero((abolished <= end) & (abolished <= self.last))
        if hit.shape[0]:
            month = self.month(abolished[hit])
            if first is not None:
                np.maximum(month, first[hit], out=month)
            self._count(name, cells[hit], month)

    # The holders at the as-at date ----------------------------------------------------

    def first_generation(self) -> tuple[IntArray, IntArray, U32Array, IntArray, int]:
        """Count the holders' departures; return the vacancies of generation 0 (post,
        replication, key, day opened) and how many of them were opened by a leaver (the
        rest were open at the as-at date or open when their post is established)."""
        plan, model, r = self.plan, self.model, self.r
        groups = plan.groups
        for name, half, second in (
            ("open", "at_start", False),
            ("open_interim", "at_start", True),
            ("known", "holder_start", False),
            ("bme", "holder_start", True),
        ):
            diff = self.diff[half]
            flat = diff[self.size :] if second else diff[: self.size]
            view = flat.reshape(groups + 1, r, self.stride)
            view[:groups] += plan.at_start[name][:, None, :]
        matrix = self.numbers.reshape(model.size, r)
        leaves = matrix >= plan.leave_from[:, None]
        leaves[plan.never_leave] = False
        pair = np.flatnonzero(leaves)
        post = pair // r
        rep = pair - post * r
        numbers = self.numbers[pair]
        level = (numbers >> np.uint64(11)).astype(np.float64)
        level *= _TO_UNIT53
        if not plan.unit_hazard:
            np.power(level, plan.inverse_hazard[post], out=level)
        level *= plan.survival_now[post]
        end = model.departures.draw_days(
            plan.departure_base[post], plan.departure_scale[post], level
        )
        end -= plan.tenure[post]
        np.maximum(end, 1, out=end)
        if plan.planned.shape[0]:
            fixed = np.flatnonzero(np.isin(post, plan.planned))
            end[fixed] = plan.planned_end[post[fixed]]
        step = rep * self.stride
        if plan.abolishes:
            self._abolished("ended", self.base_measured[post] + step, post, end, None)
            abolished = plan.abolished[post]
            month = self.month(np.minimum(end, abolished))
            left = np.flatnonzero((end < abolished) & (end <= self.last))
        else:
            month = self.month(end)
            left = np.flatnonzero(end <= self.last)
        # Holders counted in the BME share from the first month stop being counted.
        cells = self.holder_cell[post]
        cells += step
        self._count("holder_end", cells, month)
        if left.shape[0] < post.shape[0]:
            post, rep, end, numbers = post[left], rep[left], end[left], numbers[left]
        tail = plan.by_replications[r]
        vacant = plan.vacant_posts
        opened_post = np.concatenate([post, tail["post"]])
        opened_rep = np.concatenate([rep, tail["rep"]])
        opened_day = np.concatenate([end, tail["opened"]])
        keys = _first_keys(np.concatenate([numbers, matrix[vacant].ravel()]))
        return opened_post, opened_rep, keys, opened_day, int(left.shape[0])

    # Vacancies --------------------------------------------------------------------------

    def vacancies(
        self,
        post: IntArray,
        rep: IntArray,
        key: U32Array,
        opened: IntArray,
        leavers: int | None = None,
    ) -> tuple[IntArray, IntArray, U32Array, IntArray, IntArray]:
        """Count the open vacancies; return those filled by the horizon (post,
        replication, key, day filled, and the vacancy's cell). ``leavers`` is given in
        generation 0: the vacancies from that position on were open at the as-at date (or
        open when their post is established), and counted as such from the start."""
        plan, model = self.plan, self.model
        k = plan.scenario.time_to_fill_multiplier
        start = leavers is not None
        tail = leavers is not None and plan.vacant_posts.shape[0] > 0
        fills = model.fills
        bits = _bits(key, FILL)
        interim = _bits(key, INTERIM) < plan.interim_bits[post]
        if tail:
            # Those open at the start draw the rest of their vacancy given its length so far.
            at_start = plan.by_replications[self.r]
            interim[leavers:] = at_start["interim"]
            head, rest = post[:leavers], post[leavers:]
            level = bits[leavers:].astype(np.float64)
            level *= _TO_UNIT32
            level *= at_start["scale"]
            drawn = np.empty(post.shape[0], dtype=np.int64)
            drawn[:leavers] = fills.draw_bits(plan.fill_code[head], bits[:leavers])
            drawn[leavers:] = fills.draw_days(plan.fill_base[rest], plan.fill_scale[rest], level)
        else:
            drawn = fills.draw_bits(plan.fill_code[post], bits)
        if k != 1.0:
            drawn = np.rint(k * drawn.astype(np.float64)).astype(np.int64)
        filled = opened + drawn
        if start and plan.known_fill is not None:
            recorded = plan.known_fill[post]
            filled = np.where(recorded >= opened, recorded, filled)
        if start and filled.shape[0] and int(filled.min()) < 0:
            self.before_start = True
        step = rep * self.stride
        cells = self.base_measured[post] + step
        cells += interim * self.size
        first = self.month(np.maximum(opened, 0)) if start else self.month_within(opened)
        self._count("opening", cells[:leavers], first[:leavers])
        if plan.abolishes:
            abolished = plan.abolished[post]
            self._abolished("closed", cells, post, filled, first)
            stop = np.minimum(filled, abolished)
            done = np.flatnonzero((filled <= self.last) & (filled < abolished))
        else:
            stop = filled
            done = np.flatnonzero(filled <= self.last)
        if tail:
            # An interim counted in the BME share at the start leaves with the vacancy.
            last = self.month(stop[leavers:])
            np.maximum(last, first[leavers:], out=last)
            self._count("holder_end", self.presence_cell[post[leavers:]] + step[leavers:], last)
        return post[done], rep[done], key[done], filled[done], cells[done]

    # Appointments -----------------------------------------------------------------------

    def _successors(
        self, post: IntArray, rep: IntArray, key: U32Array, day: IntArray
    ) -> tuple[IntArray, BoolArray, BoolArray]:
        """The fills that go to a named ready-now successor (positions), and whether each
        one's ethnic group is known and BME."""
        plan = self.plan
        none = np.empty(0, dtype=np.int64)
        possible = plan.has_successor[post]
        pair = None
        if self.extra is not None:
            pair = post * self.r + rep
            possible |= self.extra[pair]
        candidates = np.flatnonzero(possible)
        if candidates.shape[0] == 0:
            return none, np.empty(0, dtype=bool), np.empty(0, dtype=bool)
        if plan.pool_appointment_bits < _BITS32:
            willing = _bits(key[candidates], SOURCE) < plan.pool_appointment_bits
            candidates = candidates[willing]
        c_post, c_rep, c_day = post[candidates], rep[candidates], day[candidates]
        count = candidates.shape[0]
        # Vacancies filled earlier choose first: of those naming the same person in one
        # replication, the one with the least (day, position) takes them.
        rank = c_day * count + np.arange(count)
        chosen = np.zeros(count, dtype=bool)
        group = np.zeros(count, dtype=np.int64)
        people = max(self.model.people, 1)
        owner = self.owner
        # Only candidates still unchosen whose plan names someone in the column are tried.
        rest = np.arange(count)
        for column, (persons, ready, ethnicity) in enumerate(plan.successor_columns):
            rest = rest[~chosen[rest] & (plan.named_count[c_post[rest]] > column)]
            rest_post = c_post[rest]
            free = rest[ready[rest_post] <= c_day[rest]]
            if free.shape[0] == 0:
                continue
            person = persons[c_post[free]]
            slot = c_rep[free] * people + person
            available = ~self.taken[slot]
            free, slot = free[available], slot[available]
            if free.shape[0] == 0:
                continue
            np.minimum.at(owner, slot, rank[free])
            won = owner[slot] == rank[free]
            owner[slot] = np.iinfo(np.int64).max
            winners = free[won]
            chosen[winners] = True
            group[winners] = ethnicity[c_post[winners]]
            self.taken[slot[won]] = True
        if self.extra is not None and pair is not None:
            c_pair = pair[candidates]
            extra = np.flatnonzero(~chosen & self.extra[c_pair])
            self.extra[c_pair[extra]] = False
            chosen[extra] = True
            bme = _bits(key[candidates[extra]], GROWTH_BME) < plan.pool_bme_bits
            group[extra] = np.where(bme, ETH_BME, ETH_WHITE_OR_OTHER)
        picked = np.flatnonzero(chosen)
        return candidates[picked], group[picked] != ETH_UNKNOWN, group[picked] == ETH_BME

    def appointments(
        self, post: IntArray, rep: IntArray, key: U32Array, day: IntArray, cells: IntArray
    ) -> tuple[IntArray, IntArray, U32Array, IntArray]:
        """New holders for the filled vacancies (whose cells are given); return the
        vacancies they leave behind (post, replication, next generation's key, day
        opened)."""
        plan, model = self.plan, self.model
        month = self.month_within(day)
        self._count("closing", cells, month)
        known = _bits(key, KNOWN) >= plan.unknown_bits[post]
        share = plan.bme_bits[post]
        if plan.internal_bits is not None:
            external = _bits(key, INTERNAL) >= plan.internal_bits[post]
            share[external] = plan.external_bme_bits
        bme = _bits(key, BME) < share
        if plan.successor_columns or self.extra is not None:
            named, named_known, named_bme = self._successors(post, rep, key, day)
            if named.shape[0]:
                self._count("pool", cells[named], month[named])
                known[named] = named_known
                bme[named] = named_bme
        step = rep * self.stride
        holder = self.base_diverse[post] + step
        holder += bme * self.size
        holder[np.flatnonzero(~known)] = self.spare
        self._count("holder_start", holder, month)
        # The new holder's spell: only those leaving by the horizon (or whose post is
        # abolished by then) need their departure day.
        bits = _bits(key, DEPART)
        if self.before_start:
            going = np.arange(post.shape[0])
        else:
            going = np.flatnonzero(bits >= plan.stay_bits[plan.stay_row[post] + day])
            if plan.abolishes:
                going = np.union1d(going, np.flatnonzero(plan.abolished_soon[post]))
        post, day = post[going], day[going]
        if plan.unit_hazard:
            end = model.departures.draw_bits(plan.departure_code[post], bits[going])
        else:
            level = bits[going].astype(np.float64)
            level *= _TO_UNIT32
            np.power(level, plan.inverse_hazard[post], out=level)
            end = model.departures.draw_days(
                plan.departure_base[post], plan.departure_scale[post], level
            )
        end += day
        if plan.abolishes:
            measured = self.base_measured[post] + step[going]
            self._abolished("ended", measured, post, end, None)
            abolished = plan.abolished[post]
            last = self.month(np.minimum(end, abolished))
            left = np.flatnonzero((end <= self.last) & (end < abolished))
        else:
            last = self.month(end)
            left = np.flatnonzero(end <= self.last)
        self._count("holder_end", holder[going], last)
        following = going[left]
        return post[left], rep[following], _next_keys(key[following]), end[left]

    def counts(self, *terms: tuple[int, str, int]) -> IntArray:
        """Per (group, replication, month), up to each month end: the sum of ``sign``
        times the events of each ``(sign, name, half)`` (half 0 or 1, 2 for both)."""
        groups, size = self.plan.groups, self.size
        values = np.zeros(size, dtype=np.int64)
        for sign, name, half in terms:
            diff = self.diff[name]
            if diff.shape[0] == size:
                part = diff
            elif half == 2:
                part = diff[:size] + diff[size:]
            else:
                part = diff[half * size : (half + 1) * size]
            values += sign * part
        shaped = values.reshape(groups + 1, self.r, self.stride)[:groups]
        return np.cumsum(shaped, axis=2)[:, :, : self.h]


def existing_posts(model: Model, group_of: IntArray, groups: int) -> IntArray:
    """Measured posts existing at each month end, per group (groups, H)."""
    alive = (model.established[:, None] <= model.offsets[None, :]) & (
        model.offsets[None, :] < model.abolished[:, None]
    )
    measured = np.zeros((groups, len(model.months)), dtype=np.int64)
    np.add.at(measured, group_of[model.measured], alive[model.measured].astype(np.int64))
    return measured


def simulate_batch(
    model: Model,
    scenario: Scenario,
    group_of: IntArray,
    groups: int,
    replications: int,
    seed: np.random.SeedSequence,
    existing: IntArray | None = None,
) -> BatchCounts:
    """Simulate ``replications`` of every post of ``model`` with the batch's own seed.

    ``group_of`` gives each post's group number (all 0 without a breakdown);
    ``existing`` is :func:`existing_posts` of the same, when already worked out.
    """
    _reuse_freed_memory()
    plan = plan_for(model, scenario, group_of, groups)
    generator = np.random.Generator(np.random.PCG64(seed))
    numbers = generator.bit_generator.random_raw(model.size * replications)
    # Replications are independent: a batch runs in equal chunks of them small enough for
    # the processor's cache, each with its pairs' own numbers (the same figures as in one
    # go). A chunk keeps at least CHUNK_REPLICATIONS: with fewer, the fixed costs of each
    # step outweigh what the cache saves (as measured on the national demo registers).
    chunks = max(
        1, min(-(-model.size * replications // CHUNK_ELEMENTS), replications // CHUNK_REPLICATIONS)
    )
    size = -(-replications // chunks)
    parts = []
    for first in range(0, replications, size):
        count = min(size, replications - first)
        chunk = numbers.reshape(model.size, replications)[:, first : first + count]
        parts.append(_simulate_chunk(plan, count, np.ascontiguousarray(chunk).ravel()))
    if existing is None:
        existing = existing_posts(model, group_of, groups)
    posts = np.broadcast_to(existing[:, None, :], (groups, replications, len(model.months)))
    ones = np.ones((groups, replications, len(model.months)), dtype=np.int64)
    numerator = {m: np.concatenate([p[m] for p in parts], axis=1) for m in parts[0]}
    return BatchCounts(
        numerator={m: numerator[m] for m in MEASURES},
        denominator={
            "exec_departures": ones,
            "exec_vacancy_rate": np.ascontiguousarray(posts),
            "interim_cover_share": np.ascontiguousarray(posts),
            "appointments_needed": ones,
            "ready_now_cover": numerator["filled"],
            "bme_share_board_voting": numerator["known"],
        },
    )


def _simulate_chunk(
    plan: _Plan, replications: int, numbers: npt.NDArray[np.uint64]
) -> dict[str, IntArray]:
    """The counts of ``replications`` of every post, from the pairs' numbers."""
    batch = _Batch(plan, replications, numbers)
    if plan.model.size:
        post, rep, key, day, leavers = batch.first_generation()
        filled = batch.vacancies(post, rep, key, day, leavers)
        for _ in range(MAX_GENERATIONS):
            if filled[0].shape[0] == 0:
                break
            opened = batch.appointments(*filled)
            if opened[0].shape[0] == 0:
                break
            filled = batch.vacancies(*opened)
    departed, started = (1, "opening", 2), (1, "at_start", 2)
    return {
        "exec_departures": batch.counts(departed, (1, "ended", 0)),
        "exec_vacancy_rate": batch.counts(departed, started, (-1, "closing", 2), (-1, "closed", 2)),
        "interim_cover_share": batch.counts(
            (1, "opening", 1), (1, "at_start", 1), (-1, "closing", 1), (-1, "closed", 1)
        ),
        "appointments_needed": batch.counts(departed, started),
        "ready_now_cover": batch.counts((1, "pool", 2)),
        "bme_share_board_voting": batch.counts((1, "holder_start", 1), (-1, "holder_end", 1)),
        "filled": batch.counts((1, "closing", 2)),
        "known": batch.counts((1, "holder_start", 2), (-1, "holder_end", 2)),
    }
