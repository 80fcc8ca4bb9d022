"""The exact optimiser: a maximum-score allocation of people to places.

The problem (``docs/matching.md`` gives the argument in full): pairs ``(person, option)``
with integer scores; choose pairs so that each person has at most one, each option at
most its capacity, and the total score is as large as possible. Among allocations with
the largest total score, the one that places the most people is chosen: every pair is
weighed ``score * M + 1`` with ``M`` larger than any possible number of placements, so
the two aims are one exact integer objective.

Method. Each option is split into as many *places* as its capacity (never more than the
people who could take it), and the allocation becomes a matching between places and
people in a sparse bipartite graph. Giving every row of that graph its own "left empty"
column turns "a matching of largest weight" into "a full matching of least cost", which
:func:`scipy.sparse.csgraph.min_weight_full_bipartite_matching` (LAPJVsp, a shortest
augmenting path method) solves exactly. Weights are integers held in floating point well
below 2**53, so every sum the method forms is exact; a check refuses inputs where that
could fail.

Side constraints (at most ``N`` people from one source organisation at one host
organisation; a minimum share of places for a group) break the graph structure: the
constraint matrix is no longer totally unimodular, and the linear relaxation can have
fractional optima. When the matching optimum already satisfies them it is optimal for
the constrained problem too (it is optimal for a relaxation of it). Otherwise the
constrained problem is solved as an integer programme by HiGHS
(:func:`scipy.optimize.milp`) with a zero optimality gap: still an exact optimum, with
the worst-case cost of branch and bound.

Ties: pairs reach the solver in the order given; callers sort them canonically, so the
same data always give the same allocation.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy.optimize import LinearConstraint, milp
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# Integers up to 2**53 are exact in float64; LAPJVsp adds costs along augmenting paths.
_FLOAT_EXACT = 2**53

Method = Literal["none", "matching", "integer_programme"]


class InfeasibleAllocationError(ValueError):
    """The side constraints cannot all be met (only a minimum share can cause this)."""


@dataclass(frozen=True)
class GroupShare:
    """At least ``share`` of all places (kept ones included) go to members of a group.

    ``in_group`` is one flag per person index; ``kept_total`` and ``kept_in_group`` count
    places already fixed before this allocation.
    """

    in_group: BoolArray
    share: Fraction
    kept_total: int = 0
    kept_in_group: int = 0


@dataclass(frozen=True)
class Blocks:
    """At most ``room[b]`` chosen pairs in block ``b``; ``block[k]`` is pair ``k``'s block.

    Used for "at most N people from one source organisation at one host": a block is a
    (source organisation, host organisation) combination and its room is N less the
    places already kept there.
    """

    block: IntArray
    room: IntArray


@dataclass(frozen=True)
class Allocation:
    """The chosen pairs (a flag per pair), their total score and how it was found."""

    chosen: BoolArray
    total_score: int
    placed: int
    method: Method


def weights(score: IntArray, n_people: int, capacity: IntArray) -> tuple[IntArray, int]:
    """The exact objective weights ``score * M + 1`` and ``M``.

    ``M`` exceeds the largest possible number of placements, so one more point of score
    always outweighs any number of extra placements.
    """
    most_placements = min(n_people, int(capacity.sum()))
    m = most_placements + 1
    return score.astype(np.int64) * m + 1, m


def _check_inputs(
    person: IntArray, option: IntArray, score: IntArray, capacity: IntArray, n_people: int
) -> None:
    if not (len(person) == len(option) == len(score)):
        raise ValueError("person, option and score must have one entry per pair")
    if len(score) and int(score.min()) < 0:
        raise ValueError("scores must be non-negative integers")
    if len(capacity) and int(capacity.min()) < 0:
        raise ValueError("capacities must be non-negative")
    if len(person) and (int(person.min()) < 0 or int(person.max()) >= n_people):
        raise ValueError("person index out of range")
    if len(option) and (int(option.min()) < 0 or int(option.max()) >= len(capacity)):
        raise ValueError("option index out of range")


@dataclass(frozen=True)
class _PairIndex:
    """Pairs by key ``person * n_options + option``: the keys sorted, and their positions."""

    n_options: int
    sorted_keys: IntArray
    order: IntArray

    def find(self, person: IntArray, option: IntArray) -> IntArray:
        """The position of each (person, option) pair, all of which must exist."""
        wanted = person * self.n_options + option
        found: IntArray = self.order[np.searchsorted(self.sorted_keys, wanted)]
        return found


def _pair_index(person: IntArray, option: IntArray, n_options: int) -> _PairIndex:
    """Index the pairs by key, refusing a pair listed twice."""
    width = max(n_options, 1)
    keys = person * width + option
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    if len(ordered) > 1 and bool(np.any(ordered[1:] == ordered[:-1])):
        raise ValueError("a (person, option) pair is listed more than once")
    return _PairIndex(width, ordered, order)


def allocate(
    person: IntArray,
    option: IntArray,
    score: IntArray,
    capacity: IntArray,
    n_people: int,
    *,
    blocks: Blocks | None = None,
    group_share: GroupShare | None = None,
) -> Allocation:
    """The exact maximum-score allocation (see the module docstring).

    ``person[k]``, ``option[k]``, ``score[k]`` describe pair ``k`` (indices from 0);
    ``capacity[j]`` is the number of places option ``j`` still has.
    """
    person = np.asarray(person, dtype=np.int64)
    option = np.asarray(option, dtype=np.int64)
    score = np.asarray(score, dtype=np.int64)
    capacity = np.asarray(capacity, dtype=np.int64)
    _check_inputs(person, option, score, capacity, n_people)
    index = _pair_index(person, option, len(capacity))
    kept_ok = group_share is None or _share_met(group_share, 0, 0)
    if len(person) == 0 or int(capacity.sum()) == 0:
        if not kept_ok:
            raise InfeasibleAllocationError(_share_failure(group_share))
        return Allocation(np.zeros(len(person), dtype=bool), 0, 0, "none")
    weight, _ = weights(score, n_people, capacity)
    chosen = _match(person, option, weight, capacity, index)
    method: Method = "matching"
    if not _satisfies(chosen, person, blocks, group_share):
        chosen = _integer_programme(person, option, weight, capacity, n_people, blocks, group_share)
        method = "integer_programme"
    return Allocation(chosen, int(score[chosen].sum()), int(chosen.sum()), method)


def _share_met(group_share: GroupShare, placed: int, placed_in_group: int) -> bool:
    total = group_share.kept_total + placed
    in_group = group_share.kept_in_group + placed_in_group
    return in_group * group_share.share.denominator >= total * group_share.share.numerator


def _share_failure(group_share: GroupShare | None) -> str:
    assert group_share is not None
    return (
        f"the minimum share {group_share.share} cannot be met: the places already kept "
        f"give the group {group_share.kept_in_group} of {group_share.kept_total}, and no "
        "allocation of the remaining places raises it far enough"
    )


def _satisfies(
    chosen: BoolArray,
    person: IntArray,
    blocks: Blocks | None,
    group_share: GroupShare | None,
) -> bool:
    if blocks is not None and len(blocks.room):
        used = np.bincount(blocks.block[chosen], minlength=len(blocks.room))
        if np.any(used > blocks.room):
            return False
    if group_share is not None:
        placed_in_group = int(group_share.in_group[person[chosen]].sum())
        if not _share_met(group_share, int(chosen.sum()), placed_in_group):
            return False
    return True


def _match(
    person: IntArray, option: IntArray, weight: IntArray, capacity: IntArray, index: _PairIndex
) -> BoolArray:
    """Maximum-weight allocation with person capacity 1 and option capacities, exactly.

    Options are split into places; the side with fewer vertices becomes the rows, each row
    gets a private "left empty" column of cost ``C`` and each real edge costs
    ``C - weight``. Every row is matched exactly once, so the least-cost full matching has
    cost ``rows * C - (total weight of the real edges)``: it is a maximum-weight matching.
    """
    n_options = len(capacity)
    chosen = np.zeros(len(person), dtype=bool)
    degree = np.bincount(option, minlength=n_options)
    places = np.minimum(capacity, degree)
    usable = places[option] > 0
    if not usable.any():
        return chosen
    u_person, u_option, u_weight = person[usable], option[usable], weight[usable]
    # People who have a pair, numbered densely in index order.
    present = np.zeros(int(u_person.max()) + 1, dtype=bool)
    present[u_person] = True
    people = np.flatnonzero(present)
    dense = (np.cumsum(present) - 1).astype(np.int32)
    first_place = np.concatenate([[0], np.cumsum(places)[:-1]]).astype(np.int32)
    n_places = int(places.sum())
    place_option = np.repeat(np.arange(n_options), places)
    places_are_rows = n_places <= len(people)
    n_rows, n_real = (n_places, len(people)) if places_are_rows else (len(people), n_places)
    top = int(u_weight.max()) + 1
    if top * (2 * n_rows + 2) >= _FLOAT_EXACT:
        raise ValueError(
            "scores too large for exact arithmetic: reduce the score scale or the problem size"
        )
    # One edge per (pair, place of that pair's option), then one "left empty" edge per row;
    # 32-bit indices keep the arrays small (places and people are far below 2**31).
    copies = places[u_option].astype(np.int32)
    n_edges = int(copies.sum())
    edge_pair = np.repeat(np.arange(len(u_person), dtype=np.int32), copies)
    offset = np.arange(n_edges, dtype=np.int32)
    offset -= np.repeat(np.cumsum(copies, dtype=np.int32) - copies, copies)
    edge_place = first_place[u_option][edge_pair] + offset
    edge_person = dense[u_person][edge_pair]
    rows = np.empty(n_edges + n_rows, dtype=np.int32)
    cols = np.empty(n_edges + n_rows, dtype=np.int32)
    costs = np.empty(n_edges + n_rows, dtype=np.float64)
    rows[:n_edges], cols[:n_edges] = (
        (edge_place, edge_person) if places_are_rows else (edge_person, edge_place)
    )
    rows[n_edges:] = np.arange(n_rows, dtype=np.int32)
    cols[n_edges:] = n_real + np.arange(n_rows, dtype=np.int32)
    costs[:n_edges] = (top - u_weight)[edge_pair]
    costs[n_edges:] = top
    graph = csr_matrix((costs, (rows, cols)), shape=(n_rows, n_real + n_rows))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    real = col_ind < n_real
    place, who = (
        (row_ind[real], col_ind[real]) if places_are_rows else (col_ind[real], row_ind[real])
    )
    # Each matched (place, person) is one pair: look it up by its (person, option) key.
    chosen[index.find(people[who], place_option[place])] = True
    return chosen


def _integer_programme(
    person: IntArray,
    option: IntArray,
    weight: IntArray,
    capacity: IntArray,
    n_people: int,
    blocks: Blocks | None,
    group_share: GroupShare | None,
) -> BoolArray:
    """The constrained allocation as a 0-1 integer programme solved to proven optimality."""
    n_pairs = len(person)
    columns = np.arange(n_pairs)
    ones = np.ones(n_pairs)
    constraints = [
        LinearConstraint(
            csr_matrix((ones, (person, columns)), shape=(n_people, n_pairs)), -np.inf, 1
        ),
        LinearConstraint(
            csr_matrix((ones, (option, columns)), shape=(len(capacity), n_pairs)),
            -np.inf,
            capacity.astype(np.float64),
        ),
    ]
    if blocks is not None and len(blocks.room):
        constraints.append(
            LinearConstraint(
                csr_matrix((ones, (blocks.block, columns)), shape=(len(blocks.room), n_pairs)),
                -np.inf,
                np.maximum(blocks.room, 0).astype(np.float64),
            )
        )
    if group_share is not None:
        # q * (kept_in_group + placed_in_group) >= p * (kept_total + placed), in integers.
        p, q = group_share.share.numerator, group_share.share.denominator
        member = group_share.in_group[person]
        row = np.where(member, q - p, -p).astype(np.float64)
        floor = p * group_share.kept_total - q * group_share.kept_in_group
        constraints.append(LinearConstraint(row.reshape(1, -1), floor, np.inf))
    result = milp(
        c=-weight.astype(np.float64),
        integrality=np.ones(n_pairs),
        bounds=(0, 1),
        constraints=constraints,
        options={"mip_rel_gap": 0.0, "presolve": True},
    )
    if result.status == 2:
        raise InfeasibleAllocationError(_share_failure(group_share))
    if result.status != 0 or result.x is None:
        raise RuntimeError(f"the integer programme was not solved: {result.message}")
    chosen: BoolArray = np.asarray(np.round(result.x) > 0.5, dtype=bool)
    if not _satisfies(chosen, person, blocks, group_share) or np.any(
        np.bincount(person[chosen], minlength=n_people) > 1
    ):
        raise RuntimeError("the integer programme returned an allocation that breaks a constraint")
    return chosen
