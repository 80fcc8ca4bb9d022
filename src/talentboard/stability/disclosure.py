"""Disclosure control for aggregates shown to people without personal-data access.

The one place the rule lives (docs/metrics.md, "Disclosure control"); every viewer page,
published table and report applies it through these functions. With the default
``DisclosureRule``:

* primary suppression: a count from 1 to 7 is shown as ``*`` (0 is shown);
* rounding: every other count is rounded to the nearest 5 (0 stays 0);
* a share (percentage) whose numerator or denominator is suppressed is suppressed; other
  shares are computed from the exact counts;
* secondary suppression: in a table with totals, more cells (the smallest non-zero ones
  that close the gap) are suppressed until no suppressed cell can be worked out from the
  totals and the cells shown. In graph terms (rows and columns as nodes, suppressed cells
  as edges, a line without a published total joined to a free node), a suppressed value can
  be derived exactly when its edge is a bridge; the algorithm adds suppressions until no
  edge is a bridge, so every suppressed cell lies on a cycle and can be moved up and down
  around it without changing any published figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl

__all__ = [
    "DEFAULT_RULE",
    "DisclosureRule",
    "ProtectedTable",
    "disclose_count",
    "disclose_counts_frame",
    "disclose_share",
    "protect_table",
]

Shown = int | str
Entry = tuple[int, int]
Grid = list[list[int]]


@dataclass(frozen=True)
class DisclosureRule:
    """Counts from ``suppress_from`` to ``suppress_to`` are suppressed; the others are
    rounded to the nearest ``round_to`` (1: not rounded); suppressed cells show ``symbol``."""

    suppress_from: int = 1
    suppress_to: int = 7
    round_to: int = 5
    symbol: str = "*"

    def suppressed(self, count: int) -> bool:
        return self.suppress_from <= count <= self.suppress_to

    def rounded(self, count: int) -> int:
        if self.round_to <= 1:
            return count
        # Half up (counts are whole numbers, so a half only arises for an even base).
        return int((count + self.round_to / 2) // self.round_to * self.round_to)


DEFAULT_RULE = DisclosureRule()


def disclose_count(count: int | None, rule: DisclosureRule = DEFAULT_RULE) -> Shown | None:
    """A count as it may be shown: the symbol if suppressed, else rounded (None stays)."""
    if count is None:
        return None
    if count < 0:
        raise ValueError(f"a count cannot be negative: {count}")
    return rule.symbol if rule.suppressed(count) else rule.rounded(count)


def disclose_share(
    numerator: int | None,
    denominator: int | None,
    rule: DisclosureRule = DEFAULT_RULE,
) -> float | str | None:
    """``numerator / denominator`` as it may be shown: suppressed when either count is;
    None when the denominator is zero or unknown."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    if rule.suppressed(numerator) or rule.suppressed(denominator):
        return rule.symbol
    return numerator / denominator


@dataclass(frozen=True)
class ProtectedTable:
    """A table of counts after disclosure control.

    ``cells`` row by row; ``row_totals``/``column_totals``/``grand_total`` are None when the
    table publishes none. ``suppressed`` marks every suppressed entry of the extended table
    (cells, then the row totals as the last column, then the column totals as the last row).
    """

    cells: list[list[Shown]]
    row_totals: list[Shown] | None
    column_totals: list[Shown] | None
    grand_total: Shown | None
    suppressed: list[list[bool]] = field(repr=False)


def _bridges(nodes: int, edges: list[tuple[int, int]]) -> set[int]:
    """Indices of the edges that are bridges of a multigraph (iterative Tarjan)."""
    adjacency: list[list[tuple[int, int]]] = [[] for _ in range(nodes)]
    for index, (a, b) in enumerate(edges):
        adjacency[a].append((b, index))
        adjacency[b].append((a, index))
    order = [-1] * nodes
    low = [0] * nodes
    bridges: set[int] = set()
    counter = 0
    for root in range(nodes):
        if order[root] != -1:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack: list[tuple[int, int, int]] = [(root, -1, 0)]
        while stack:
            node, via, position = stack[-1]
            if position < len(adjacency[node]):
                stack[-1] = (node, via, position + 1)
                neighbour, edge = adjacency[node][position]
                if edge == via:
                    continue
                if order[neighbour] == -1:
                    order[neighbour] = low[neighbour] = counter
                    counter += 1
                    stack.append((neighbour, edge, 0))
                else:
                    low[node] = min(low[node], order[neighbour])
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        bridges.add(via)
    return bridges


def _component(nodes: int, edges: list[tuple[int, int]], start: int, skip: int) -> set[int]:
    adjacency: list[list[int]] = [[] for _ in range(nodes)]
    for index, (a, b) in enumerate(edges):
        if index != skip:
            adjacency[a].append(b)
            adjacency[b].append(a)
    seen = {start}
    frontier = [start]
    while frontier:
        node = frontier.pop()
        for neighbour in adjacency[node]:
            if neighbour not in seen:
                seen.add(neighbour)
                frontier.append(neighbour)
    return seen


def _checked_rows(counts: Sequence[Sequence[int]]) -> list[list[int]]:
    rows = [list(map(int, row)) for row in counts]
    c = len(rows[0]) if rows else 0
    if any(len(row) != c for row in rows):
        raise ValueError("every row of the table must have the same number of cells")
    if any(v < 0 for row in rows for v in row):
        raise ValueError("counts cannot be negative")
    return rows


def _extended(
    rows: list[list[int]], c: int, width: int, row_totals: bool, column_totals: bool
) -> Grid:
    """The extended table: cells, a row-total column, a column-total row."""
    r = len(rows)
    height = r + (1 if column_totals else 0)
    value = [[0] * width for _ in range(height)]
    for i in range(r):
        for j in range(c):
            value[i][j] = rows[i][j]
        if row_totals:
            value[i][c] = sum(rows[i])
    if column_totals:
        for j in range(c):
            value[r][j] = sum(rows[i][j] for i in range(r))
        if row_totals:
            value[r][c] = sum(value[r][:c])
    return value


class _TableGraph:
    """The extended table as a graph: an entry joins the nodes of its row and column.

    Nodes: one per extended row and column that carries an equation; lines without a
    published total have none and are merged into one free node.
    """

    def __init__(self, height: int, width: int, row_totals: bool, column_totals: bool) -> None:
        self.free = height + width
        self.nodes = self.free + 1
        self.row_node = [i if row_totals else self.free for i in range(height)]
        self.column_node = [height + j if column_totals else self.free for j in range(width)]
        self.entries = [(i, j) for i in range(height) for j in range(width)]

    def edge(self, entry: Entry) -> tuple[int, int]:
        return self.row_node[entry[0]], self.column_node[entry[1]]


def _closing_entry(graph: _TableGraph, value: Grid, suppressed: set[Entry]) -> Entry | None:
    """The next entry to suppress, or None when no suppressed entry can be worked out
    (or no entry is left to suppress)."""
    edges = [graph.edge(e) for e in sorted(suppressed)]
    bridges = _bridges(graph.nodes, edges)
    if not bridges:
        return None
    index = min(bridges)
    a, b = edges[index]
    side_a = _component(graph.nodes, edges, a, index)
    side_b = _component(graph.nodes, edges, b, index)
    open_entries = [e for e in graph.entries if e not in suppressed]
    # Prefer a cell joining the two sides of the bridge (it closes a cycle through it);
    # failing that, grow either side by a cell touching it. The smallest non-zero value
    # loses least.
    crossing = [
        e
        for e in open_entries
        if (graph.edge(e)[0] in side_a and graph.edge(e)[1] in side_b)
        or (graph.edge(e)[0] in side_b and graph.edge(e)[1] in side_a)
    ]
    touching = [e for e in open_entries if set(graph.edge(e)) & (side_a | side_b)]
    pool = crossing or touching or open_entries
    if not pool:
        return None
    return min(pool, key=lambda e: (value[e[0]][e[1]] == 0, value[e[0]][e[1]], e))


def _suppress(
    value: Grid, width: int, row_totals: bool, column_totals: bool, rule: DisclosureRule
) -> set[Entry]:
    """Primary suppression, then secondary suppression until no suppressed entry is a bridge."""
    graph = _TableGraph(len(value), width, row_totals, column_totals)
    suppressed = {(i, j) for (i, j) in graph.entries if rule.suppressed(value[i][j])}
    while (entry := _closing_entry(graph, value, suppressed)) is not None:
        suppressed.add(entry)
    return suppressed


def protect_table(
    counts: Sequence[Sequence[int]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    rule: DisclosureRule = DEFAULT_RULE,
) -> ProtectedTable:
    """Primary and secondary suppression and rounding of a table of counts with totals.

    Totals are computed here from the cells (a row total for each row, a column total for
    each column, and the grand total when both are published).
    """
    rows = _checked_rows(counts)
    r = len(rows)
    c = len(rows[0]) if rows else 0
    width = c + (1 if row_totals else 0)
    value = _extended(rows, c, width, row_totals, column_totals)
    suppressed = _suppress(value, width, row_totals, column_totals, rule)

    def shown(i: int, j: int) -> Shown:
        return rule.symbol if (i, j) in suppressed else rule.rounded(value[i][j])

    mask = [[(i, j) in suppressed for j in range(width)] for i in range(len(value))]
    return ProtectedTable(
        cells=[[shown(i, j) for j in range(c)] for i in range(r)],
        row_totals=[shown(i, c) for i in range(r)] if row_totals else None,
        column_totals=[shown(r, j) for j in range(c)] if column_totals else None,
        grand_total=shown(r, c) if row_totals and column_totals else None,
        suppressed=mask,
    )


def disclose_counts_frame(
    frame: pl.DataFrame,
    counts: Sequence[str],
    shares: dict[str, tuple[str, str]] | None = None,
    *,
    total_row: int | None = None,
    rule: DisclosureRule = DEFAULT_RULE,
) -> pl.DataFrame:
    """A frame of counts (one row per group) made fit to publish.

    Each column in ``counts`` is protected as a one-line table: its groups with the row at
    ``total_row`` (when given) as their published total, so a suppressed group cannot be
    recovered by subtracting the others from the total. Each share column in ``shares``
    (name: (numerator, denominator)) is recomputed from the exact counts and suppressed
    when either count is suppressed. Count and share columns become strings.
    """
    shares = shares or {}
    result = frame.clone()
    suppressed_cells: dict[str, list[bool]] = {}
    for column in counts:
        values = [int(v or 0) for v in frame[column].to_list()]
        if total_row is None:
            shown: list[Shown] = [
                rule.symbol if rule.suppressed(v) else rule.rounded(v) for v in values
            ]
            hidden = [rule.suppressed(v) for v in values]
        else:
            parts = [v for k, v in enumerate(values) if k != total_row]
            table = protect_table([parts], row_totals=True, column_totals=False, rule=rule)
            assert table.row_totals is not None
            shown = [*table.cells[0]]
            hidden = list(table.suppressed[0][: len(parts)])
            shown.insert(total_row, table.row_totals[0])
            hidden.insert(total_row, table.suppressed[0][len(parts)])
        suppressed_cells[column] = hidden
        result = result.with_columns(pl.Series(column, [str(v) for v in shown]))
    for name, (numerator, denominator) in shares.items():
        top = frame[numerator].to_list()
        bottom = frame[denominator].to_list()
        hide_top = suppressed_cells.get(numerator, [rule.suppressed(int(v or 0)) for v in top])
        hide_bottom = suppressed_cells.get(
            denominator, [rule.suppressed(int(v or 0)) for v in bottom]
        )
        ratios: list[str | None] = []
        for k, (n, d) in enumerate(zip(top, bottom, strict=True)):
            if not d:
                ratios.append(None)
            elif hide_top[k] or hide_bottom[k]:
                ratios.append(rule.symbol)
            else:
                ratios.append(repr(n / d))
        result = result.with_columns(pl.Series(name, ratios, dtype=pl.String))
    return result
