"""The Monte Carlo of every post, a batch of replications at a time, in NumPy.

A batch holds ``R`` replications of the ``P`` posts as flat arrays of (post, replication)
pairs; the loop runs over *generations* (the holder at the as-at date, the vacancy after
them, the next holder, ...), not over posts, until every pair has passed the horizon.
Each batch draws from its own streams, ``SeedSequence(seed).spawn(...)[batch]`` split once
more per purpose (departures, fills, interim cover, appointment source, ethnic group, pool
growth), so that a batch gives the same figures whether it runs alone, with the others in
one process, or on another machine, and a lever of a scenario that changes no timing
(ethnic group, appointment source) leaves every other draw as it was (common random
numbers).

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
    "simulate_batch",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

MEASURES = (
    "exec_departures",
    "exec_vacancy_rate",
    "interim_cover_share",
    "appointments_needed",
    "ready_now_cover",
    "bme_share_board_voting",
)
# Post-by-replication elements per batch: large enough for NumPy to run at full speed,
# small enough that a batch of the all-levels register stays in a few hundred megabytes.
BATCH_ELEMENTS = 1_000_000
MAX_GENERATIONS = 500
STREAMS = ("departure", "fill", "interim", "source", "ethnicity", "growth")
TINY = 1e-9


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


class _Tally:
    """Difference arrays over (group, replication, month + 1), turned into counts."""

    def __init__(self, groups: int, replications: int, months: int) -> None:
        self.shape = (groups, replications, months + 1)
        self.size = groups * replications * (months + 1)
        self.months = months
        self.replications = replications
        self.diff: dict[str, IntArray] = {}

    def add(self, name: str, cell: IntArray, month: IntArray, sign: int = 1) -> None:
        if cell.shape[0] == 0:
            return
        counts = np.bincount(cell * (self.months + 1) + month, minlength=self.size)
        current = self.diff.get(name)
        delta = counts if sign > 0 else -counts
        self.diff[name] = delta if current is None else current + delta

    def interval(self, name: str, cell: IntArray, first: IntArray, stop: IntArray) -> None:
        """Count pairs in months ``first <= m < stop``."""
        keep = first < stop
        self.add(name, cell[keep], first[keep])
        self.add(name, cell[keep], stop[keep], -1)

    def counts(self, name: str) -> IntArray:
        current = self.diff.get(name)
        if current is None:
            return np.zeros((self.shape[0], self.shape[1], self.months), dtype=np.int64)
        return np.cumsum(current.reshape(self.shape), axis=2)[:, :, : self.months]


@dataclass
class _Pairs:
    """The (post, replication) pairs still moving, and the vacancy each has open."""

    post: IntArray
    rep: IntArray
    opened: FloatArray  # when the vacancy opened (years from as_at)
    elapsed: FloatArray  # years it had lasted by as_at (0 for a new vacancy)
    interim: BoolArray
    presence: IntArray  # ethnic group of the interim at as_at counted in the BME share
    known_fill: FloatArray  # a recorded start (nan when none)


def _month(offsets: FloatArray, times: FloatArray) -> IntArray:
    """The first month whose end is at or after each time (``H`` when none)."""
    return np.searchsorted(offsets, times, side="left").astype(np.int64)


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
        self.end = float(model.offsets[-1])
        self.tally = _Tally(groups, replications, self.h)
        self.rng = {
            name: np.random.Generator(np.random.PCG64(child))
            for name, child in zip(STREAMS, seed.spawn(len(STREAMS)), strict=True)
        }
        self.hazard = np.array(
            [scenario.turnover_for(s) for s in model.segments], dtype=np.float64
        )
        self.taken = np.zeros((replications, max(model.people, 1)), dtype=bool)
        critical = np.flatnonzero(model.critical)
        chance = 0.0
        if scenario.talent_pool_growth > 0 and critical.shape[0]:
            chance = min(
                1.0, scenario.talent_pool_growth * model.pool_ready_now / critical.shape[0]
            )
        draw = self.rng["growth"].random((model.size, replications))
        self.extra = (draw < chance) & model.critical[:, None]

    def cell(self, post: IntArray, rep: IntArray) -> IntArray:
        return self.group_of[post] * self.r + rep

    # Holders ------------------------------------------------------------------------

    def _leave(self, post: IntArray, served: FloatArray, level: FloatArray) -> FloatArray:
        """Years from the start of a spell to its end, given ``served`` years already."""
        model = self.model
        curve = model.departure_curve[post]
        scale = model.departures.survival_at(curve, served) if np.any(served > 0) else 1.0
        target = level ** (1.0 / np.maximum(self.hazard[post], TINY)) * scale
        return model.departures.inverse(curve, target)

    def holders(
        self, post: IntArray, rep: IntArray, start: FloatArray, end: FloatArray, group: IntArray
    ) -> None:
        """Count a holder spell ``[start, end)`` (its departure and its ethnic group)."""
        model = self.model
        abolished = model.abolished[post]
        last = np.minimum(end, abolished)
        cell = self.cell(post, rep)
        measured = model.measured[post] & (last <= self.end)
        self.tally.add("departures", cell[measured], _month(model.offsets, last[measured]))
        diverse = model.diverse[post] & (group != ETH_UNKNOWN)
        first = _month(model.offsets, start[diverse])
        stop = _month(model.offsets, last[diverse])
        self.tally.interval("known", cell[diverse], first, stop)
        bme = group[diverse] == ETH_BME
        self.tally.interval("bme", cell[diverse][bme], first[bme], stop[bme])

    def first_generation(self) -> _Pairs:
        model = self.model
        p = model.size
        post = np.repeat(np.arange(p, dtype=np.int64), self.r)
        rep = np.tile(np.arange(self.r, dtype=np.int64), p)
        level = self.rng["departure"].random(p * self.r)
        held = model.held[post]
        hp, hr = post[held], rep[held]
        planned = model.planned_end[hp]
        drawn = self._leave(hp, model.tenure[hp], level[held]) - model.tenure[hp]
        end = np.where(np.isnan(planned), np.maximum(drawn, TINY), planned)
        self.holders(hp, hr, np.full(hp.shape[0], -np.inf), end, model.ethnicity_now[hp])
        left = end < np.minimum(model.abolished[hp], self.end)
        vacant = ~held
        vp, vr = post[vacant], rep[vacant]
        future = model.established[vp] > 0
        opened = np.where(future, model.established[vp], -model.vacant_for[vp])
        return _Pairs(
            post=np.concatenate([hp[left], vp]),
            rep=np.concatenate([hr[left], vr]),
            opened=np.concatenate([end[left], opened]),
            elapsed=np.concatenate([np.zeros(int(left.sum())), np.where(future, 0.0, -opened)]),
            interim=np.concatenate(
                [
                    self.rng["interim"].random(int(left.sum())) < model.interim_share[hp[left]],
                    model.interim_now[vp] & ~future,
                ]
            ),
            presence=np.concatenate(
                [
                    np.full(int(left.sum()), ETH_UNKNOWN),
                    np.where(model.interim_now[vp] & ~future, model.ethnicity_now[vp], 0),
                ]
            ),
            known_fill=np.concatenate([model.next_start[hp[left]], model.next_start[vp]]),
        )

    # Vacancies ----------------------------------------------------------------------

    def _fill_time(self, pairs: _Pairs) -> FloatArray:
        model = self.model
        k = self.scenario.time_to_fill_multiplier
        curve = model.fill_curve[pairs.post]
        scaled = pairs.elapsed / k
        level = self.rng["fill"].random(pairs.post.shape[0])
        scale = np.ones(pairs.post.shape[0])
        waited = scaled > 0
        if np.any(waited):
            scale[waited] = model.fills.survival_at(curve[waited], scaled[waited])
        # The whole vacancy lasts ``k T`` with ``T`` drawn given ``T > elapsed / k``.
        drawn = pairs.opened + k * model.fills.inverse(curve, level * scale)
        known = ~np.isnan(pairs.known_fill) & (pairs.known_fill >= pairs.opened)
        return np.where(known, pairs.known_fill, drawn)

    def vacancies(self, pairs: _Pairs) -> tuple[_Pairs, FloatArray]:
        """Count the open vacancies; return those filled within the horizon and when."""
        model = self.model
        offsets = model.offsets
        filled_at = self._fill_time(pairs)
        abolished = model.abolished[pairs.post]
        close = np.minimum(filled_at, abolished)
        cell = self.cell(pairs.post, pairs.rep)
        measured = model.measured[pairs.post]
        first = _month(offsets, np.maximum(pairs.opened, 0.0))
        stop = _month(offsets, close)
        self.tally.add("needed", cell[measured], first[measured])
        self.tally.interval("vacant", cell[measured], first[measured], stop[measured])
        covered = measured & pairs.interim
        self.tally.interval("interim", cell[covered], first[covered], stop[covered])
        present = model.diverse[pairs.post] & (pairs.presence != ETH_UNKNOWN)
        self.tally.interval("known", cell[present], first[present], stop[present])
        bme = present & (pairs.presence == ETH_BME)
        self.tally.interval("bme", cell[bme], first[bme], stop[bme])
        done = filled_at < np.minimum(abolished, self.end)
        return _subset(pairs, done), filled_at[done]

    # Appointments -------------------------------------------------------------------

    def _successors(self, pairs: _Pairs, when: FloatArray) -> tuple[BoolArray, IntArray]:
        """Which fills go to a named ready-now successor, and their ethnic group."""
        model = self.model
        count = pairs.post.shape[0]
        chosen = np.zeros(count, dtype=bool)
        group = np.zeros(count, dtype=np.int64)
        willing = self.rng["source"].random(count) < self.scenario.pool_appointment_share
        order = np.argsort(when, kind="stable")
        for column in range(model.successors.shape[1]):
            person = model.successors[pairs.post, column]
            ready = model.successor_ready[pairs.post, column] <= when
            free = (person >= 0) & ready & willing & ~chosen
            free[free] = ~self.taken[pairs.rep[free], person[free]]
            candidates = order[free[order]]
            if candidates.shape[0] == 0:
                continue
            key = pairs.rep[candidates] * max(model.people, 1) + person[candidates]
            _, first = np.unique(key, return_index=True)
            winners = candidates[first]
            chosen[winners] = True
            group[winners] = model.successor_ethnicity[pairs.post[winners], column]
            self.taken[pairs.rep[winners], person[winners]] = True
        extra = ~chosen & willing & self.extra[pairs.post, pairs.rep]
        self.extra[pairs.post[extra], pairs.rep[extra]] = False
        chosen |= extra
        bme = self.rng["growth"].random(count) < model.pool_bme_share
        group[extra] = np.where(bme[extra], ETH_BME, ETH_WHITE_OR_OTHER)
        return chosen, group

    def _appointees(self, pairs: _Pairs) -> IntArray:
        """The ethnic group of appointees not named on a plan."""
        model = self.model
        count = pairs.post.shape[0]
        draws = self.rng["ethnicity"].random((3, count))
        internal = draws[0] < model.internal_share[pairs.post]
        share = model.bme_share[pairs.post].copy()
        if self.scenario.bme_share_appointments is not None:
            share[:] = self.scenario.bme_share_appointments
        if self.scenario.bme_share_external is not None:
            share[~internal] = self.scenario.bme_share_external
        unknown = draws[1] < model.unknown_share[pairs.post]
        bme = draws[2] < share
        return np.where(unknown, ETH_UNKNOWN, np.where(bme, ETH_BME, ETH_WHITE_OR_OTHER))

    def appointments(self, pairs: _Pairs, when: FloatArray) -> _Pairs:
        """New holders for the filled vacancies; return the vacancies they leave behind."""
        model = self.model
        named, named_group = self._successors(pairs, when)
        group = np.where(named, named_group, self._appointees(pairs))
        cell = self.cell(pairs.post, pairs.rep)
        measured = model.measured[pairs.post]
        month = _month(model.offsets, when)
        self.tally.add("filled", cell[measured], month[measured])
        by_pool = measured & named
        self.tally.add("from_pool", cell[by_pool], month[by_pool])
        level = self.rng["departure"].random(pairs.post.shape[0])
        end = when + self._leave(pairs.post, np.zeros(pairs.post.shape[0]), level)
        self.holders(pairs.post, pairs.rep, when, end, group)
        left = end < np.minimum(model.abolished[pairs.post], self.end)
        following = _subset(pairs, left)
        count = following.post.shape[0]
        following.opened = end[left]
        following.elapsed = np.zeros(count)
        following.interim = (
            self.rng["interim"].random(count) < model.interim_share[following.post]
        )
        following.presence = np.zeros(count, dtype=np.int64)
        following.known_fill = np.full(count, np.nan)
        return following


def _subset(pairs: _Pairs, keep: BoolArray) -> _Pairs:
    return _Pairs(
        post=pairs.post[keep],
        rep=pairs.rep[keep],
        opened=pairs.opened[keep],
        elapsed=pairs.elapsed[keep],
        interim=pairs.interim[keep],
        presence=pairs.presence[keep],
        known_fill=pairs.known_fill[keep],
    )


def _existing(model: Model, group_of: IntArray, groups: int) -> tuple[IntArray, IntArray]:
    """Posts existing at each month end, per group: measured ones and all (groups, H)."""
    h = len(model.months)
    alive = (model.established[:, None] <= model.offsets[None, :]) & (
        model.offsets[None, :] < model.abolished[:, None]
    )
    measured = np.zeros((groups, h), dtype=np.int64)
    np.add.at(measured, group_of[model.measured], alive[model.measured].astype(np.int64))
    return measured, alive.sum(axis=0)


def simulate_batch(
    model: Model,
    scenario: Scenario,
    group_of: IntArray,
    groups: int,
    replications: int,
    seed: np.random.SeedSequence,
) -> BatchCounts:
    """Simulate ``replications`` of every post of ``model`` with the batch's own streams.

    ``group_of`` gives each post's group number (all 0 without a breakdown).
    """
    batch = _Batch(model, scenario, group_of, groups, replications, seed)
    if model.size:
        pairs = batch.first_generation()
        for _ in range(MAX_GENERATIONS):
            if pairs.post.shape[0] == 0:
                break
            filled, when = batch.vacancies(pairs)
            pairs = batch.appointments(filled, when)
    tally = batch.tally
    existing, _ = _existing(model, group_of, groups)
    posts = np.broadcast_to(existing[:, None, :], tally.counts("vacant").shape).astype(np.int64)
    ones = np.ones_like(posts)
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
            "exec_vacancy_rate": posts,
            "interim_cover_share": posts,
            "appointments_needed": ones,
            "ready_now_cover": tally.counts("filled"),
            "bme_share_board_voting": tally.counts("known"),
        },
    )
