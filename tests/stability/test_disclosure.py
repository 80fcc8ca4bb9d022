"""Disclosure control: the rule on single counts and shares, and property tests that no
published table lets a suppressed value be worked out.

"Worked out" is tested as strongly as it can be: the attacker is given every value shown
exactly (rounding switched off, so no uncertainty from it), every total equation of the
table, and that counts are not negative; for each suppressed entry a linear programme
finds the least and greatest value it could take. Protected means they differ.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from talentboard.stability.disclosure import (
    DEFAULT_RULE,
    DisclosureRule,
    ProtectedTable,
    disclose_count,
    disclose_counts_frame,
    disclose_share,
    protect_table,
)

EXACT = DisclosureRule(round_to=1)


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, 0), (1, "*"), (7, "*"), (8, 10), (12, 10), (13, 15), (15, 15), (17, 15), (18, 20)],
)
def test_small_counts_suppressed_others_rounded(count: int, shown: int | str) -> None:
    assert disclose_count(count) == shown


def test_a_share_built_on_a_suppressed_count_is_suppressed() -> None:
    assert disclose_share(3, 40) == "*"
    assert disclose_share(12, 5) == "*"
    assert disclose_share(12, 40) == 0.3
    assert disclose_share(0, 40) == 0.0
    assert disclose_share(0, 0) is None


def test_the_rule_is_configurable() -> None:
    rule = DisclosureRule(suppress_from=1, suppress_to=4, round_to=10, symbol="[c]")
    assert disclose_count(4, rule) == "[c]"
    assert disclose_count(5, rule) == 10
    assert disclose_count(14, rule) == 10
    assert disclose_count(15, rule) == 20


def test_hand_worked_secondary_suppression() -> None:
    """Rows (3, 10, 20) and (12, 15, 9), totals 33 and 36; columns 15, 25, 29; grand 69.
    The 3 is suppressed; row 0's total would give it back (33 - 10 - 20), so the smallest
    cell touching it, the 10, goes too. Column 0's total still gives the 3 (15 - 12) and
    no single cell closes a loop yet, so the smallest cell touching one, the 12, goes; then
    the 15 closes the cycle (0,0), (0,1), (1,1), (1,0): each suppressed cell can move by
    one around it without changing a published figure."""
    table = protect_table([[3, 10, 20], [12, 15, 9]], rule=EXACT)
    assert table.cells == [["*", "*", 20], ["*", "*", 9]]
    assert table.row_totals == [33, 36]
    assert table.column_totals == [15, 25, 29]
    assert table.grand_total == 69
    assert_protected(table, [[3, 10, 20], [12, 15, 9]], True, True)


def test_rounding_applies_to_the_published_cells() -> None:
    table = protect_table([[3, 10, 22], [12, 16, 9]])
    assert table.cells == [["*", "*", 20], ["*", "*", 10]]
    assert table.row_totals == [35, 35]  # 35 and 37


def test_a_list_with_a_total_needs_two_suppressions() -> None:
    """Counts by region with a national total: one suppressed region could be recovered by
    subtracting the others from the total, so the smallest other one is suppressed too."""
    table = protect_table([[40, 5, 23, 60]], row_totals=True, column_totals=False, rule=EXACT)
    assert table.cells == [[40, "*", "*", 60]]
    assert table.row_totals == [128]


def test_nothing_to_protect_without_totals() -> None:
    table = protect_table([[40, 5, 23]], row_totals=False, column_totals=False, rule=EXACT)
    assert table.cells == [[40, "*", 23]]


def value_ranges(
    published: ProtectedTable, values: list[list[int]], row_totals: bool, column_totals: bool
) -> list[tuple[float, float]]:
    """For each suppressed entry of the extended table, the least and greatest value
    consistent with everything published (exact values, equations, non-negativity)."""
    r, c = len(values), len(values[0])
    full = [row[:] + ([sum(row)] if row_totals else []) for row in values]
    if column_totals:
        bottom = [sum(values[i][j] for i in range(r)) for j in range(c)]
        if row_totals:
            bottom.append(sum(bottom))
        full.append(bottom)
    mask = published.suppressed
    unknown = [(i, j) for i in range(len(full)) for j in range(len(full[0])) if mask[i][j]]
    index = {e: k for k, e in enumerate(unknown)}
    equations: list[list[tuple[int, int, int]]] = []  # (i, j, coefficient)
    if row_totals:
        for i in range(len(full)):
            equations.append([(i, j, 1) for j in range(c)] + [(i, c, -1)])
    if column_totals:
        for j in range(len(full[0])):
            equations.append([(i, j, 1) for i in range(r)] + [(r, j, -1)])
    a_eq, b_eq = [], []
    for equation in equations:
        row = np.zeros(len(unknown))
        rhs = 0.0
        for i, j, coefficient in equation:
            if (i, j) in index:
                row[index[(i, j)]] += coefficient
            else:
                rhs -= coefficient * full[i][j]
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs)
    ranges = []
    for k in range(len(unknown)):
        objective = np.zeros(len(unknown))
        objective[k] = 1
        bounds = [(0, None)] * len(unknown)
        kwargs = {"A_eq": np.array(a_eq), "b_eq": np.array(b_eq)} if a_eq else {}
        low = linprog(objective, bounds=bounds, method="highs", **kwargs)
        high = linprog(-objective, bounds=bounds, method="highs", **kwargs)
        assert low.status == 0
        top = float("inf") if high.status == 3 else -high.fun
        ranges.append((low.fun, top))
    return ranges


def assert_protected(
    published: ProtectedTable, values: list[list[int]], row_totals: bool, column_totals: bool
) -> None:
    for low, high in value_ranges(published, values, row_totals, column_totals):
        assert high - low > 0.5


tables = st.integers(1, 5).flatmap(
    lambda columns: st.lists(
        st.lists(
            st.one_of(st.integers(0, 9), st.integers(0, 60)),
            min_size=columns,
            max_size=columns,
        ),
        min_size=1,
        max_size=5,
    )
)


@settings(max_examples=120, deadline=None)
@given(tables, st.booleans(), st.booleans())
def test_no_suppressed_value_can_be_derived(
    values: list[list[int]], row_totals: bool, column_totals: bool
) -> None:
    published = protect_table(
        values, row_totals=row_totals, column_totals=column_totals, rule=EXACT
    )
    shown = [
        *[v for row in published.cells for v in row],
        *(published.row_totals or []),
        *(published.column_totals or []),
        *([] if published.grand_total is None else [published.grand_total]),
    ]
    # Nothing from 1 to 7 is ever shown.
    assert not any(isinstance(v, int) and 1 <= v <= 7 for v in shown)
    assert_protected(published, values, row_totals, column_totals)


@settings(max_examples=100, deadline=None)
@given(tables)
def test_published_counts_are_multiples_of_five(values: list[list[int]]) -> None:
    published = protect_table(values, rule=DEFAULT_RULE)
    for row in published.cells:
        for v in row:
            assert v == "*" or (isinstance(v, int) and v % 5 == 0 and not 1 <= v <= 7)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 9), st.integers(0, 80)), min_size=1, max_size=8))
def test_a_frame_of_groups_with_its_total(counts: list[int]) -> None:
    """Group rows then the overall row: no suppressed group can be recovered from the
    overall figure and the groups shown, and shares on suppressed counts are suppressed."""
    total = sum(counts)
    frame = pl.DataFrame(
        {
            "group": [f"g{k}" for k in range(len(counts))] + ["all"],
            "vacant": [*counts, total],
            "posts": [c + 10 for c in counts] + [total + 10 * len(counts)],
        }
    )
    published = disclose_counts_frame(
        frame,
        ["vacant", "posts"],
        {"vacancy_rate": ("vacant", "posts")},
        total_row=len(counts),
        rule=EXACT,
    )
    shown = published["vacant"].to_list()
    hidden = [k for k, v in enumerate(shown[:-1]) if v == "*"]
    if shown[-1] != "*":
        assert len(hidden) != 1
    for k in range(len(counts)):
        if shown[k] == "*" or published["posts"][k] == "*":
            assert published["vacancy_rate"][k] == "*"
        else:
            assert float(published["vacancy_rate"][k]) == counts[k] / (counts[k] + 10)
