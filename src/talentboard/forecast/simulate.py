"""The Monte Carlo of every post, a batch of replications at a time, in NumPy.

A batch holds ``R`` replications of the ``P`` posts; a (post, replication) pair is the
number ``post * R + replication``. The loop runs over *generations* (the holder at the
as-at date, the vacancy after them, the next holder, ...), not over posts: each step works
on the flat arrays of the pairs still moving, until every pair has passed the horizon.
Times are whole days from the as-at date.

**Randomness.** Each batch has its own ``numpy.random.Generator`` seeded with
``SeedSequence(seed).spawn(...)[batch]``, so a batch gives the same figures whether it
runs alone, with the others in one process, or on another machine. The generator draws
one 64-bit number per pair; every uniform the pair needs (its holder's departure, each
vacancy's length and interim cover, each appointment's source and ethnic group, ...) is
that number mixed with the generation and the purpose (the SplitMix64 finaliser). So a
pair meets the same randomness whatever happens to the other pairs, and a scenario lever
that changes nothing about a pair leaves its story unchanged (common random numbers):
a turnover multiplier for one segment leaves the other segments' figures exactly as they
were, and a BME share leaves every timing as it was.

**Holders at the as-at date** stay beyond the horizon with probability
``q = (S(d + H) / S(d)) ** m`` (the departure curve ``S``, tenure ``d``, turnover multiplier
``m``): a pair whose departure uniform ``U`` is below ``q`` needs nothing more, and those
above draw their departure day (``S(T) <= U ** (1/m) S(d)``, :mod:`talentboard.forecast.curves`).

A batch returns its figures as integer pairs ``(numerator, denominator)`` per group,
replication and month (:class:`BatchCounts`); :mod:`talentboard.forecast.summary` turns
them into histograms, which merge exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from talentboard.forecast.model import ETH_BME, ETH_UNKNOWN, ETH_WHITE_OR_OTHER, Model
from talentboard.forecast.scenario import Scenario

__all__ = [
    "BATCH_ELEMENTS",
    "MEASURES",
    "BatchCounts",
    "batch_plan",
    "existing_posts",
    "simulate_batch",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
UIntArray = npt.NDArray[np.uint64]

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
MAX_GENERATIONS = 1000
# Purposes of the uniforms a pair draws in each generation.
DEPART, FILL, INTERIM, SOURCE, INTERNAL, KNOWN, BME, GROWTH, GROWTH_BME = range(9)
PURPOSES = 9
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_TO_UNIT = 2.0**-53


def batch_plan(replications: int, posts: int, batch_size: int | None = None) -> list[int]:
    """The replications of each batch: ``batch_size`` each (by default as many as fit in
    ``BATCH_ELEMENTS`` post-replications), the last one the rest."""
    size = batch_size or max(1, BATCH_ELEMENTS // max(posts, 1))
    full, rest = divmod(replications, size)
    return [size] * full + ([rest] if rest else [])


def _uniform(keys: UIntArray, generation: int, purpose: int) -> FloatArray:
    """A uniform on [0, 1) for each pair key, one for each generation and purpose.

    The SplitMix64 finaliser of ``key + salt``, worked in place: fresh arrays cost more
    than the arithmetic.
    """
    salt = np.uint64((generation * PURPOSES + purpose + 1) * 0x632BE59BD9B4E019 % 2**64)
    with np.errstate(over="ignore"):
        z = keys + salt * _GOLDEN
        t = z >> np.uint64(30)
        z ^= t
        z *= _M1
        np.right_shift(z, np.uint64(27), out=t)
        z ^= t
        z *= _M2
        np.right_shift(z, np.uint64(31), out=t)
        z ^= t
    np.right_shift(z, np.uint64(11), out=z)
    u = z.astype(np.float64)
    u *= _TO_UNIT
    return u


@dataclass
class BatchCounts:
    """Integer figures of one batch: ``numerator[measure]`` and ``denominator[measure]``
    have shape (groups, replications, months)."""

    numerator: dict[str, IntArray]
    denominator: dict[str, IntArray]


class _Tally:
    """Difference arrays over (group, replication, month + 1), turned into counts."""

    NAMES = ("departures", "vacant", "interim", "needed", "filled", "from_pool", "known", "bme")

    def __init__(self, groups: int, replications: int, months: int) -> None:
        self.shape = (groups, replications, months + 1)
        self.size = groups * replications * (months + 1)
        self.months = months
        self.diff = {name: np.zeros(self.size, dtype=np.int64) for name in self.NAMES}

    def add(self, name: str, cell: IntArray, month: IntArray, sign: int = 1) -> None:
        if cell.shape[0] == 0:
            return
        counts = np.bincount(cell * (self.months + 1) + month, minlength=self.size)
        if sign > 0:
            self.diff[name] += counts
        else:
            self.diff[name] -= counts

    def interval(self, name: str, cell: IntArray, first: IntArray, stop: IntArray) -> None:
        """Count pairs in the months ``first <= m < stop``."""
        keep = first < stop
        self.add(name, cell[keep], first[keep])
        self.add(name, cell[keep], stop[keep], -1)

    def every_replication(self, name: str, per_group: IntArray) -> None:
        """Add ``per_group[g]`` in every replication of group ``g`` from the first month."""
        view = self.diff[name].reshape(self.shape)
        view[:, :, 0] += per_group[:, None]

    def counts(self, name: str) -> IntArray:
        return np.cumsum(self.diff[name].reshape(self.shape), axis=2)[:, :, : self.months]


@dataclass
class _Vacancies:
    """Open vacancies: their pair, when each opened, how long it had lasted at the as-at
    date, interim cover, the ethnic group of an interim counted at the as-at date, and a
    recorded start of the next holder (nan when none)."""

    pair: IntArray
    post: IntArray
    opened: FloatArray
    elapsed: FloatArray
    interim: BoolArray
    presence: IntArray
    known_fill: FloatArray

    def subset(self, keep: BoolArray | IntArray) -> _Vacancies:
        return _Vacancies(
            self.pair[keep],
            self.post[keep],
            self.opened[keep],
            self.elapsed[keep],
            self.interim[keep],
            self.presence[keep],
            self.known_fill[keep],
        )


class _Batch:
    def __init__(
        self,
        model: Model,
        scenario: Scenario,
        group_of: IntArray,
        groups: int,
        replications: int,
        seed: np.random.SeedSequence,
    ) -> None:
        self.model = model
        self.scenario = scenario
        self.group_of = group_of
        self.r = replications
        self.h = len(model.months)
        self.last_day = int(model.offsets[-1])
        # Month of each day 0 .. last_day + 1: the first month whose end is on or after it.
        self.month_of = np.searchsorted(
            model.offsets, np.arange(self.last_day + 2), side="left"
        ).astype(np.int64)
        self.tally = _Tally(groups, replications, self.h)
        generator = np.random.Generator(np.random.PCG64(seed))
        self.keys = generator.bit_generator.random_raw(model.size * replications)
        by_segment = np.array([scenario.turnover_for(s) for s in (None, 1, 2, 3, 4, 5)])
        self.hazard = by_segment[model.segment_code]
        self.taken = np.zeros((replications, max(model.people, 1)), dtype=bool)
        self.extra = self._extra_successors()
        self.has_successor: BoolArray = np.asarray((model.successors >= 0).any(axis=1))

    def _extra_successors(self) -> BoolArray | None:
        """Pairs given one more ready-now successor by talent pool growth."""
        model = self.model
        critical = np.flatnonzero(model.critical)
        if self.scenario.talent_pool_growth <= 0 or critical.shape[0] == 0:
            return None
        chance = min(
            1.0, self.scenario.talent_pool_growth * model.pool_ready_now / critical.shape[0]
        )
        extra = np.zeros(model.size * self.r, dtype=bool)
        pairs = (critical[:, None] * self.r + np.arange(self.r)[None, :]).ravel()
        extra[pairs] = _uniform(self.keys[pairs], 0, GROWTH) < chance
        return extra

    def month(self, days: FloatArray) -> IntArray:
        """The first month whose end is on or after each day (``H`` after the horizon)."""
        return self.month_of[np.clip(days, 0, self.last_day + 1).astype(np.int64)]

    def cell(self, pair: IntArray, post: IntArray) -> IntArray:
        """Each pair's (group, replication) cell of the tally."""
        return self.group_of[post] * self.r + (pair - post * self.r)

    def _spell(self, post: IntArray, level: FloatArray, survival: FloatArray) -> FloatArray:
        """Days from a spell's start to its end given ``S(served) = survival``."""
        target = level ** (1.0 / np.maximum(self.hazard[post], 1e-12)) * survival
        return self.model.departures.inverse(self.model.departure_curve[post], target)

    # The holders at the as-at date ----------------------------------------------------

    def first_generation(self) -> _Vacancies:
        model = self.model
        held = np.flatnonzero(model.held)
        diverse_known = model.diverse & model.held & (model.ethnicity_now != ETH_UNKNOWN)
        groups = self.tally.shape[0]
        self.tally.every_replication(
            "known", np.bincount(self.group_of[diverse_known], minlength=groups)
        )
        self.tally.every_replication(
            "bme",
            np.bincount(
                self.group_of[diverse_known & (model.ethnicity_now == ETH_BME)], minlength=groups
            ),
        )
        pair, post, end = self._leavers(held)
        stop = np.minimum(end, model.abolished[post])
        self._count_end(pair, post, stop, model.ethnicity_now[post], holder_known=True)
        left = stop < np.minimum(model.abolished[post], self.last_day + 1)
        opened = _Vacancies(
            pair=pair[left],
            post=post[left],
            opened=end[left],
            elapsed=np.zeros(int(left.sum())),
            interim=_uniform(self.keys[pair[left]], 0, INTERIM) < model.interim_share[post[left]],
            presence=np.zeros(int(left.sum()), dtype=np.int64),
            known_fill=model.next_start[post[left]],
        )
        return _join(opened, self._open_at_start())

    def _leavers(self, held: IntArray) -> tuple[IntArray, IntArray, FloatArray]:
        """The pairs whose holder at the as-at date leaves by the horizon (or whose post is
        abolished by then), and the day each spell ends."""
        model = self.model
        horizon = float(self.last_day)
        planned = ~np.isnan(model.planned_end[held])
        drawn = held[~planned]
        now = model.survival_now[drawn]
        later = model.survival_end[drawn]
        with np.errstate(divide="ignore", invalid="ignore"):
            stay = np.where(now > 0, (later / now) ** self.hazard[drawn], 0.0)
        # A post abolished by the horizon ends every spell in it: all its pairs go on.
        stay = np.where(model.abolished[drawn] <= horizon, -1.0, stay)
        level = (self.keys.reshape(-1, self.r)[drawn] >> np.uint64(11)).astype(np.float64)
        level *= _TO_UNIT
        rows, reps = np.nonzero(level >= stay[:, None])
        post = drawn[rows]
        pair = post * self.r + reps
        total = self._spell(post, level[rows, reps], now[rows])
        end = np.maximum(total - model.tenure[post], 1.0)
        fixed = np.repeat(held[planned], self.r)
        fixed_pairs = fixed * self.r + np.tile(np.arange(self.r), int(planned.sum()))
        return (
            np.concatenate([pair, fixed_pairs]),
            np.concatenate([post, fixed]),
            np.concatenate([end, model.planned_end[fixed]]),
        )

    def _open_at_start(self) -> _Vacancies:
        """Posts vacant at the as-at date, and posts established later, in every replication."""
        model = self.model
        vacant = np.flatnonzero(~model.held)
        post = np.repeat(vacant, self.r)
        pair = post * self.r + np.tile(np.arange(self.r), vacant.shape[0])
        future = model.established[post] > 0
        interim = model.interim_now[post] & ~future
        return _Vacancies(
            pair=pair,
            post=post,
            opened=np.where(future, model.established[post], -model.vacant_for[post]),
            elapsed=np.where(future, 0.0, model.vacant_for[post]),
            interim=interim,
            presence=np.where(interim, model.ethnicity_now[post], ETH_UNKNOWN),
            known_fill=model.next_start[post],
        )

    def _count_end(
        self,
        pair: IntArray,
        post: IntArray,
        stop: FloatArray,
        group: IntArray,
        *,
        holder_known: bool,
    ) -> None:
        """A spell ending on day ``stop``: a departure, and its holder no longer counted in
        the BME share (``holder_known``: they were counted from the first month)."""
        model = self.model
        cell = self.cell(pair, post)
        month = self.month(stop)
        measured = model.measured[post] & (stop <= self.last_day)
        self.tally.add("departures", cell[measured], month[measured])
        if holder_known:
            known = model.diverse[post] & (group != ETH_UNKNOWN)
            self.tally.add("known", cell[known], month[known], -1)
            bme = known & (group == ETH_BME)
            self.tally.add("bme", cell[bme], month[bme], -1)

    # Vacancies --------------------------------------------------------------------------

    def _fill_day(self, vacancies: _Vacancies, generation: int) -> FloatArray:
        model = self.model
        k = self.scenario.time_to_fill_multiplier
        post = vacancies.post
        curve = model.fill_curve[post]
        level = _uniform(self.keys[vacancies.pair], generation, FILL)
        waited = vacancies.elapsed > 0
        if np.any(waited):
            level[waited] *= model.fills.survival_at(curve[waited], vacancies.elapsed[waited] / k)
        # The whole vacancy lasts ``k T`` days, ``T`` drawn given ``T > elapsed / k``.
        drawn = vacancies.opened + np.rint(k * model.fills.inverse(curve, level))
        known = ~np.isnan(vacancies.known_fill) & (vacancies.known_fill >= vacancies.opened)
        return np.where(known, vacancies.known_fill, drawn)

    def vacancies(
        self, vacancies: _Vacancies, generation: int
    ) -> tuple[IntArray, IntArray, FloatArray]:
        """Count the open vacancies; return the pairs (and posts) filled by the horizon
        and the day."""
        model = self.model
        post = vacancies.post
        filled_on = self._fill_day(vacancies, generation)
        abolished = model.abolished[post]
        cell = self.cell(vacancies.pair, post)
        first = self.month(vacancies.opened)
        stop = self.month(np.minimum(filled_on, abolished))
        measured = model.measured[post]
        self.tally.add("needed", cell[measured], first[measured])
        self.tally.interval("vacant", cell[measured], first[measured], stop[measured])
        covered = measured & vacancies.interim
        self.tally.interval("interim", cell[covered], first[covered], stop[covered])
        present = model.diverse[post] & (vacancies.presence != ETH_UNKNOWN)
        if np.any(present):
            self.tally.interval("known", cell[present], first[present], stop[present])
            bme = present & (vacancies.presence == ETH_BME)
            self.tally.interval("bme", cell[bme], first[bme], stop[bme])
        done = (filled_on <= self.last_day) & (filled_on < abolished)
        return vacancies.pair[done], post[done], filled_on[done]

    # Appointments -----------------------------------------------------------------------

    def _successors(
        self, pair: IntArray, post: IntArray, day: FloatArray, generation: int
    ) -> tuple[BoolArray, IntArray]:
        """Which fills go to a named ready-now successor, and their ethnic group."""
        model = self.model
        count = pair.shape[0]
        chosen = np.zeros(count, dtype=bool)
        group = np.zeros(count, dtype=np.int64)
        possible: BoolArray = self.has_successor[post]
        if self.extra is not None:
            possible |= self.extra[pair]
        candidates = np.flatnonzero(possible)
        if candidates.shape[0] == 0:
            return chosen, group
        share = self.scenario.pool_appointment_share
        willing = _uniform(self.keys[pair[candidates]], generation, SOURCE) < share
        candidates = candidates[willing]
        candidates = candidates[np.argsort(day[candidates], kind="stable")]
        rep = pair - post * self.r
        people = max(model.people, 1)
        for column in range(model.successors.shape[1]):
            person = model.successors[post[candidates], column]
            ready = model.successor_ready[post[candidates], column] <= day[candidates]
            free = (person >= 0) & ready & ~chosen[candidates]
            free[free] = ~self.taken[rep[candidates[free]], person[free]]
            picked = candidates[free]
            if picked.shape[0] == 0:
                continue
            who = person[free]
            _, first = np.unique(rep[picked] * people + who, return_index=True)
            winners, who = picked[first], who[first]
            chosen[winners] = True
            group[winners] = model.successor_ethnicity[post[winners], column]
            self.taken[rep[winners], who] = True
        if self.extra is not None:
            extra = candidates[~chosen[candidates] & self.extra[pair[candidates]]]
            self.extra[pair[extra]] = False
            chosen[extra] = True
            bme = _uniform(self.keys[pair[extra]], generation, GROWTH_BME) < model.pool_bme_share
            group[extra] = np.where(bme, ETH_BME, ETH_WHITE_OR_OTHER)
        return chosen, group

    def _appointees(self, pair: IntArray, post: IntArray, generation: int) -> IntArray:
        """The ethnic group of appointees not named on a plan."""
        model = self.model
        keys = self.keys[pair]
        internal = _uniform(keys, generation, INTERNAL) < model.internal_share[post]
        share = model.bme_share[post]
        if self.scenario.bme_share_appointments is not None:
            share = np.full(pair.shape[0], self.scenario.bme_share_appointments)
        if self.scenario.bme_share_external is not None:
            share = np.where(internal, share, self.scenario.bme_share_external)
        unknown = _uniform(keys, generation, KNOWN) < model.unknown_share[post]
        bme = _uniform(keys, generation, BME) < share
        return np.where(unknown, ETH_UNKNOWN, np.where(bme, ETH_BME, ETH_WHITE_OR_OTHER))

    def appointments(
        self, pair: IntArray, post: IntArray, day: FloatArray, generation: int
    ) -> _Vacancies:
        """New holders for the filled vacancies; return the vacancies they leave behind."""
        model = self.model
        named, named_group = self._successors(pair, post, day, generation)
        group = np.where(named, named_group, self._appointees(pair, post, generation))
        cell = self.cell(pair, post)
        measured = model.measured[post]
        month = self.month(day)
        self.tally.add("filled", cell[measured], month[measured])
        by_pool = measured & named
        self.tally.add("from_pool", cell[by_pool], month[by_pool])
        level = _uniform(self.keys[pair], generation, DEPART)
        end = day + self._spell(post, level, np.ones(pair.shape[0]))
        stop = np.minimum(end, model.abolished[post])
        self._count_end(pair, post, stop, group, holder_known=False)
        known = model.diverse[post] & (group != ETH_UNKNOWN)
        last = self.month(stop)
        self.tally.interval("known", cell[known], month[known], last[known])
        bme = known & (group == ETH_BME)
        self.tally.interval("bme", cell[bme], month[bme], last[bme])
        left = (end <= self.last_day) & (end < model.abolished[post])
        following = pair[left]
        count = following.shape[0]
        return _Vacancies(
            pair=following,
            post=post[left],
            opened=end[left],
            elapsed=np.zeros(count),
            interim=_uniform(self.keys[following], generation + 1, INTERIM)
            < model.interim_share[post[left]],
            presence=np.zeros(count, dtype=np.int64),
            known_fill=np.full(count, np.nan),
        )


def _join(a: _Vacancies, b: _Vacancies) -> _Vacancies:
    return _Vacancies(
        *(np.concatenate([getattr(a, f), getattr(b, f)]) for f in a.__dataclass_fields__)
    )


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
    batch = _Batch(model, scenario, group_of, groups, replications, seed)
    if model.size:
        open_now = batch.first_generation()
        for generation in range(MAX_GENERATIONS):
            if open_now.pair.shape[0] == 0:
                break
            pair, post, day = batch.vacancies(open_now, generation)
            open_now = batch.appointments(pair, post, day, generation)
    tally = batch.tally
    if existing is None:
        existing = existing_posts(model, group_of, groups)
    posts = np.broadcast_to(existing[:, None, :], (groups, replications, batch.h))
    ones = np.ones((groups, replications, batch.h), dtype=np.int64)
    return BatchCounts(
        numerator={
            "exec_departures": tally.counts("departures"),
            "exec_vacancy_rate": tally.counts("vacant"),
            "interim_cover_share": tally.counts("interim"),
            "appointments_needed": tally.counts("needed"),
            "ready_now_cover": tally.counts("from_pool"),
            "bme_share_board_voting": tally.counts("bme"),
        },
        denominator={
            "exec_departures": ones,
            "exec_vacancy_rate": np.ascontiguousarray(posts),
            "interim_cover_share": np.ascontiguousarray(posts),
            "appointments_needed": ones,
            "ready_now_cover": tally.counts("filled"),
            "bme_share_board_voting": tally.counts("known"),
        },
    )
