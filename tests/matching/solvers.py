"""Independent reference solvers for the allocation problem, used to check the optimiser.

- :func:`brute_force`: every allocation enumerated (tiny instances only);
- :func:`lp_optimum`: the transportation linear programme solved by HiGHS through
  :func:`scipy.optimize.linprog` (its constraint matrix is totally unimodular, so the
  optimum vertex is integral);
- :func:`greedy`: highest score first, for comparison only (not optimal).

Each returns the lexicographic optimum the optimiser promises: the largest total score,
then the most placements.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from fractions import Fraction

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix


def brute_force(
    person: list[int],
    option: list[int],
    score: list[int],
    capacity: list[int],
    n_people: int,
    *,
    block: list[int] | None = None,
    room: list[int] | None = None,
    in_group: list[bool] | None = None,
    share: Fraction | None = None,
) -> tuple[int, int] | None:
    """(best total score, most placements at that score), or None when nothing is feasible."""
    choices: dict[int, list[int | None]] = defaultdict(lambda: [None])
    for k, p in enumerate(person):
        choices[p].append(k)
    people = sorted(choices)
    best: tuple[int, int] | None = None
    for pick in itertools.product(*(choices[p] for p in people)):
        chosen = [k for k in pick if k is not None]
        used = Counter(option[k] for k in chosen)
        if any(used[j] > capacity[j] for j in used):
            continue
        if block is not None and room is not None:
            in_block = Counter(block[k] for k in chosen)
            if any(in_block[b] > room[b] for b in in_block):
                continue
        if share is not None and in_group is not None:
            members = sum(1 for k in chosen if in_group[person[k]])
            if members < share * len(chosen):
                continue
        value = (sum(score[k] for k in chosen), len(chosen))
        if best is None or value > best:
            best = value
    return best


def lp_optimum(
    person: np.ndarray, option: np.ndarray, score: np.ndarray, capacity: np.ndarray, n_people: int
) -> tuple[int, int]:
    """The lexicographic optimum from HiGHS on the transportation LP, as integers."""
    n = len(person)
    if n == 0:
        return 0, 0
    m = min(n_people, int(capacity.sum())) + 1
    weight = score.astype(float) * m + 1
    columns = np.arange(n)
    rows = np.concatenate([person, n_people + option])
    matrix = csr_matrix(
        (np.ones(2 * n), (rows, np.concatenate([columns, columns]))),
        shape=(n_people + len(capacity), n),
    )
    bounds = np.concatenate([np.ones(n_people), capacity.astype(float)])
    result = linprog(-weight, A_ub=matrix, b_ub=bounds, bounds=(0, 1), method="highs-ds")
    assert result.status == 0, result.message
    x = np.round(result.x).astype(int)
    assert np.allclose(result.x, x, atol=1e-6), "the LP optimum should be integral"
    return int(score[x == 1].sum()), int(x.sum())


def greedy(person: np.ndarray, option: np.ndarray, score: np.ndarray, capacity: np.ndarray) -> int:
    """The total of taking pairs highest score first while the person and option are free."""
    order = np.lexsort((option, person, -score))
    left = capacity.copy()
    taken: set[int] = set()
    total = 0
    for k in order:
        p, j = int(person[k]), int(option[k])
        if p in taken or left[j] == 0:
            continue
        taken.add(p)
        left[j] -= 1
        total += int(score[k])
    return total
