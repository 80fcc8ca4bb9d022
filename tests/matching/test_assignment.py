"""The optimiser is exact: checked against enumeration and against HiGHS on random instances."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from talentboard.matching.assignment import (
    Blocks,
    GroupShare,
    InfeasibleAllocationError,
    allocate,
    weights,
)
from tests.matching.solvers import brute_force, greedy, lp_optimum


def arr(values: list[int]) -> np.ndarray:
    return np.array(values, dtype=np.int64)


def random_instance(
    rng: np.random.Generator, n_people: int, n_options: int, density: float, top: int, cap: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    mask = rng.random((n_people, n_options)) < density
    person, option = np.nonzero(mask)
    score = rng.integers(0, top + 1, size=len(person))
    capacity = rng.integers(0, cap + 1, size=n_options)
    return (
        person.astype(np.int64),
        option.astype(np.int64),
        score.astype(np.int64),
        capacity.astype(np.int64),
    )


def check_feasible(
    chosen: np.ndarray, person: np.ndarray, option: np.ndarray, capacity: np.ndarray
):
    assert np.all(np.bincount(person[chosen], minlength=1) <= 1)
    assert np.all(np.bincount(option[chosen], minlength=len(capacity)) <= capacity)


def test_worked_example() -> None:
    """Two people, two single places: A scores 10 at X and 9 at Y; B scores 8 at X only.

    Greedy gives A to X (10) and leaves B out: 10. The optimum is A to Y and B to X: 17.
    """
    person, option, score = arr([0, 0, 1]), arr([0, 1, 0]), arr([10, 9, 8])
    capacity = arr([1, 1])
    result = allocate(person, option, score, capacity, 2)
    assert result.chosen.tolist() == [False, True, True]
    assert (result.total_score, result.placed, result.method) == (17, 2, "matching")
    assert greedy(person, option, score, capacity) == 10


def test_ties_prefer_more_placements() -> None:
    """A scores 5 at X; B scores 0 at Y. Placing B adds no score but places one more person."""
    result = allocate(arr([0, 1]), arr([0, 1]), arr([5, 0]), arr([1, 1]), 2)
    assert (result.total_score, result.placed) == (5, 2)


def test_weights_make_score_dominate_placements() -> None:
    """With 3 people and 2 places, M = 3: one point (3) outweighs two placements (2)."""
    w, m = weights(arr([1, 0]), 3, arr([1, 1]))
    assert m == 3
    assert w.tolist() == [4, 1]


def test_capacity_above_one_and_zero() -> None:
    """X has 2 places and Y none: the two best for X get it, Y's pair is never chosen."""
    person, option, score = arr([0, 1, 2, 2]), arr([0, 0, 0, 1]), arr([3, 5, 4, 9])
    result = allocate(person, option, score, arr([2, 0]), 3)
    assert result.chosen.tolist() == [False, True, True, False]
    assert result.total_score == 9


def test_more_places_than_people_uses_the_other_orientation() -> None:
    """Ten places for two people: the people become the rows; both are placed at their best."""
    person, option, score = arr([0, 0, 1, 1]), arr([0, 1, 0, 1]), arr([2, 7, 6, 1])
    result = allocate(person, option, score, arr([5, 5]), 2)
    assert result.chosen.tolist() == [False, True, True, False]
    assert result.total_score == 13


def test_empty_instance() -> None:
    result = allocate(arr([]), arr([]), arr([]), arr([1]), 0)
    assert (result.total_score, result.placed, result.method) == (0, 0, "none")


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="more than once"):
        allocate(arr([0, 0]), arr([1, 1]), arr([1, 2]), arr([1, 1]), 1)
    with pytest.raises(ValueError, match="non-negative"):
        allocate(arr([0]), arr([0]), arr([-1]), arr([1]), 1)
    with pytest.raises(ValueError, match="out of range"):
        allocate(arr([3]), arr([0]), arr([1]), arr([1]), 1)


def test_inexact_arithmetic_is_refused() -> None:
    with pytest.raises(ValueError, match="exact arithmetic"):
        allocate(arr([0]), arr([0]), arr([2**50]), arr([1]), 1)


@pytest.mark.parametrize("seed", range(300))
def test_matches_brute_force_on_tiny_instances(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_people, n_options = int(rng.integers(1, 6)), int(rng.integers(1, 4))
    person, option, score, capacity = random_instance(rng, n_people, n_options, 0.7, 4, 2)
    result = allocate(person, option, score, capacity, n_people)
    check_feasible(result.chosen, person, option, capacity)
    expected = brute_force(
        person.tolist(), option.tolist(), score.tolist(), capacity.tolist(), n_people
    )
    assert (result.total_score, result.placed) == expected


@pytest.mark.parametrize("seed", range(60))
def test_matches_highs_on_random_instances(seed: int) -> None:
    """Up to 80 people and 25 options, capacities 0-5, scores 0-6 (many ties)."""
    rng = np.random.default_rng(1000 + seed)
    n_people, n_options = int(rng.integers(5, 81)), int(rng.integers(2, 26))
    person, option, score, capacity = random_instance(rng, n_people, n_options, 0.25, 6, 5)
    result = allocate(person, option, score, capacity, n_people)
    check_feasible(result.chosen, person, option, capacity)
    assert (result.total_score, result.placed) == lp_optimum(
        person, option, score, capacity, n_people
    )
    assert result.total_score >= greedy(person, option, score, capacity)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda n_people: st.tuples(
            st.just(n_people),
            st.lists(st.integers(0, 3), min_size=1, max_size=3),
            st.lists(
                st.tuples(st.integers(0, n_people - 1), st.integers(0, 2), st.integers(0, 3)),
                max_size=12,
            ),
        )
    )
)
def test_property_exact_against_enumeration(
    case: tuple[int, list[int], list[tuple[int, int, int]]],
) -> None:
    n_people, capacity, raw = case
    seen: dict[tuple[int, int], int] = {}
    for p, j, s in raw:
        if j < len(capacity):
            seen.setdefault((p, j), s)
    person = [p for p, _ in seen]
    option = [j for _, j in seen]
    score = list(seen.values())
    result = allocate(arr(person), arr(option), arr(score), arr(capacity), n_people)
    assert (result.total_score, result.placed) == brute_force(
        person, option, score, capacity, n_people
    )


def test_same_input_same_allocation_with_ties() -> None:
    """All scores equal: the allocation is the same on every run."""
    rng = np.random.default_rng(7)
    person, option, _, capacity = random_instance(rng, 40, 10, 0.4, 0, 3)
    score = np.full(len(person), 5, dtype=np.int64)
    first = allocate(person, option, score, capacity, 40)
    for _ in range(3):
        assert allocate(person, option, score, capacity, 40).chosen.tolist() == (
            first.chosen.tolist()
        )


# Side constraint: at most N from one source organisation at one host -----------------


def fractional_example() -> tuple[np.ndarray, ...]:
    """Three people and three single places where the LP relaxation is fractional.

    p0 works at organisation A0; p1 and p2 at A1. o0 is hosted by H1; o1 and o2 by H0.
    Scores: p0-o0 9, p0-o1 1, p0-o2 8, p1-o2 7, p2-o0 8, p2-o1 8, p2-o2 5. At most one
    person from A1 at H0 (block 2: pairs p1-o2, p2-o1, p2-o2).

    The LP relaxation reaches 20 with every chosen pair at one half (p0-o0, p0-o2, p1-o2,
    p2-o0, p2-o1: 4.5 + 4 + 3.5 + 4 + 4). Integer allocations: p0-o0 with p2-o1 gives 17;
    p0-o0 with p1-o2 gives 16; p0-o2 with p2-o0 gives 16 (p1 has only o2). So 17 is the
    optimum, found by the integer programme.
    """
    person = arr([0, 0, 0, 1, 2, 2, 2])
    option = arr([0, 1, 2, 2, 0, 1, 2])
    score = arr([9, 1, 8, 7, 8, 8, 5])
    # Blocks: (A0,H1)=0, (A0,H0)=1, (A1,H0)=2, (A1,H1)=3.
    block = arr([0, 1, 1, 2, 3, 2, 2])
    return person, option, score, block


def test_source_limit_relaxation_is_fractional_and_the_optimum_is_integral() -> None:
    person, option, score, block = fractional_example()
    n = len(person)
    rows = np.concatenate([person, 3 + option, 6 + block])
    columns = np.tile(np.arange(n), 3)
    matrix = csr_matrix((np.ones(3 * n), (rows, columns)), shape=(10, n))
    relaxed = linprog(-score.astype(float), A_ub=matrix, b_ub=np.ones(10), bounds=(0, 1))
    assert -relaxed.fun == pytest.approx(20)
    assert np.any(np.abs(relaxed.x - np.round(relaxed.x)) > 0.4)

    result = allocate(person, option, score, arr([1, 1, 1]), 3, blocks=Blocks(block, arr([1] * 4)))
    assert result.method == "integer_programme"
    assert result.total_score == 17
    assert result.chosen.tolist() == [True, False, False, False, False, True, False]
    # Without the limit: p0-o0 9, p2-o1 8 and p1-o2 7, two people from A1 at H0.
    unconstrained = allocate(person, option, score, arr([1, 1, 1]), 3)
    assert unconstrained.total_score == 24


@pytest.mark.parametrize("seed", range(150))
def test_source_limit_matches_brute_force(seed: int) -> None:
    rng = np.random.default_rng(5000 + seed)
    n_people, n_options = int(rng.integers(2, 6)), int(rng.integers(1, 4))
    person, option, score, capacity = random_instance(rng, n_people, n_options, 0.8, 5, 3)
    source = rng.integers(0, 2, size=n_people)
    host = rng.integers(0, 2, size=n_options)
    key = source[person] * 2 + host[option]
    room = rng.integers(0, 3, size=4).astype(np.int64)
    result = allocate(person, option, score, capacity, n_people, blocks=Blocks(key, room))
    check_feasible(result.chosen, person, option, capacity)
    assert np.all(np.bincount(key[result.chosen], minlength=4) <= room)
    expected = brute_force(
        person.tolist(),
        option.tolist(),
        score.tolist(),
        capacity.tolist(),
        n_people,
        block=key.tolist(),
        room=room.tolist(),
    )
    assert (result.total_score, result.placed) == expected


# Side constraint: a minimum share of places for a group --------------------------------


def test_min_share_worked_example() -> None:
    """Two places; A (not in the group) scores 10 and 9, B (in it) scores 2 at X only.

    Without the constraint A takes X and C (not in the group, score 6 at Y) takes Y: 16.
    With at least half the places for the group: B must be placed (at X), then the other
    place goes to A at Y (9): total 11, one of two places in the group.
    """
    person, option, score = arr([0, 0, 1, 2]), arr([0, 1, 0, 1]), arr([10, 9, 2, 6])
    capacity = arr([1, 1])
    free = allocate(person, option, score, capacity, 3)
    assert free.total_score == 16
    share = GroupShare(in_group=np.array([False, True, False]), share=Fraction(1, 2))
    result = allocate(person, option, score, capacity, 3, group_share=share)
    assert result.method == "integer_programme"
    assert result.chosen.tolist() == [False, True, True, False]
    assert result.total_score == 11


def test_min_share_counts_kept_places() -> None:
    """One kept place already held by a group member satisfies a one-half share of two."""
    person, option, score = arr([0, 1]), arr([0, 0]), arr([10, 2])
    share = GroupShare(
        in_group=np.array([False, True]), share=Fraction(1, 2), kept_total=1, kept_in_group=1
    )
    result = allocate(person, option, score, arr([1]), 2, group_share=share)
    assert result.chosen.tolist() == [True, False]
    assert result.method == "matching"


def test_min_share_that_cannot_be_met_is_an_error() -> None:
    share = GroupShare(
        in_group=np.array([False]), share=Fraction(1, 2), kept_total=2, kept_in_group=0
    )
    with pytest.raises(InfeasibleAllocationError, match="minimum share"):
        allocate(arr([0]), arr([0]), arr([3]), arr([1]), 1, group_share=share)


@pytest.mark.parametrize("seed", range(120))
def test_min_share_matches_brute_force(seed: int) -> None:
    rng = np.random.default_rng(9000 + seed)
    n_people, n_options = int(rng.integers(2, 6)), int(rng.integers(1, 4))
    person, option, score, capacity = random_instance(rng, n_people, n_options, 0.8, 5, 2)
    in_group = rng.random(n_people) < 0.4
    fraction = Fraction(int(rng.integers(1, 4)), 4)
    result = allocate(
        person,
        option,
        score,
        capacity,
        n_people,
        group_share=GroupShare(in_group=in_group, share=fraction),
    )
    members = int(in_group[person[result.chosen]].sum())
    assert members >= fraction * int(result.chosen.sum())
    expected = brute_force(
        person.tolist(),
        option.tolist(),
        score.tolist(),
        capacity.tolist(),
        n_people,
        in_group=in_group.tolist(),
        share=fraction,
    )
    assert (result.total_score, result.placed) == expected
