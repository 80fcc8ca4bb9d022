"""The dashboard: headline figures, SPC charts (each with its table alternative) and the
figures by region."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import polars as pl
from markupsafe import Markup

from talentboard.reports.model import ChartSpec, ColumnKind, Headline, Suppressed
from talentboard.reports.presenters import format_cell, format_headline
from talentboard.web.presenters.organisations import sortable_head


def headline_cards(items: Sequence[Headline]) -> list[dict[str, Any]]:
    return [
        {
            "label": h.label,
            "value": "Withheld"
            if isinstance(h.value, Suppressed)
            else format_headline(h.value, h.kind),
            "withheld": isinstance(h.value, Suppressed),
            "sentence": h.sentence,
            "definition": h.definition,
        }
        for h in items
    ]


def chart_views(charts: Sequence[ChartSpec]) -> list[dict[str, Any]]:
    """The charts to draw. After disclosure control each is already safe to show whole:
    a withheld month is a gap, and its mean and limits come from the published months
    only (``reports.trends``)."""
    return [chart_view(chart) for chart in charts]


def chart_view(chart: ChartSpec) -> dict[str, Any]:
    """A chart as the chart component takes it: the Vega-Lite spec as JSON, its reading in
    plain English and the same figures as a table."""
    table = chart.table
    return {
        "id": chart.name.replace("_", "-"),
        "title": chart.title,
        "reading": chart.description,
        "spec_json": json.dumps(chart.spec, separators=(",", ":"), default=str),
        "caption": table.caption,
        "table_head": [{"text": c.label} for c in table.columns],
        "table_rows": [
            [
                {"text": format_cell(value, column.kind)}
                for value, column in zip(row, table.columns, strict=True)
            ]
            for row in table.rows
        ],
    }


# The region breakdown's figures (DESIGN section 5, the interval and the test aside): name,
# heading (as the headline cards call it) and how a value is written.
BREAKDOWN_FIGURES: tuple[tuple[str, str, ColumnKind], ...] = (
    ("orgs_with_exec_vacancy_share", "Organisations with an executive vacancy", "share"),
    ("exec_vacancy_rate", "Executive vacancy rate", "share"),
    ("interim_cover_share", "Interim cover", "share"),
    ("median_tenure_years", "Median tenure of executive directors", "years"),
    ("current_holders_median_years", "Time in post of current holders (snapshot)", "years"),
    ("appointed_within_3y_share", "Appointed in the last three years", "share"),
    ("turnover_rate_12m", "Executive turnover, last 12 months", "share"),
    ("forced_exit_share_12m", "Forced exits, last 12 months", "share"),
    ("bme_share_board_voting", "BME share of voting board members", "share"),
    ("bme_share_workforce", "BME share of the workforce", "share"),
    ("wres9_gap_pp", "Board against workforce gap (WRES indicator 9)", "pp"),
)
BREAKDOWN_SORTS = ("region", *(name for name, _, _ in BREAKDOWN_FIGURES))
# Sorted first the least stable way: higher rates first, shorter tenure first.
_FIRST_ASCENDING = frozenset(
    {"region", "median_tenure_years", "current_holders_median_years", "bme_share_board_voting"}
)
WITHHELD = "Withheld"


@dataclass(frozen=True)
class RegionRow:
    """One region's figures as the breakdown shows them: (value, withheld) by name."""

    code: str
    name: str
    figures: dict[str, tuple[float | None, bool]]


def region_figures(table: pl.DataFrame, names: Mapping[str, str]) -> list[RegionRow]:
    """The rows of ``analysis.figures_by(by="region")`` with their regions' names."""
    return [
        RegionRow(
            code=row["group"],
            name=names.get(row["group"], row["group"]),
            figures={
                name: (row[name], bool(row.get(f"{name}_suppressed")))
                for name, _, _ in BREAKDOWN_FIGURES
            },
        )
        for row in table.iter_rows(named=True)
    ]


def sort_regions(rows: Sequence[RegionRow], column: str, descending: bool) -> list[RegionRow]:
    """The regions ordered by ``column`` (by name within ties); those without the figure
    (withheld or not available) last in either direction."""
    by_name = sorted(rows, key=lambda r: r.name)
    if column == "region":
        return by_name[::-1] if descending else by_name
    known = [r for r in by_name if r.figures[column][0] is not None]
    unknown = [r for r in by_name if r.figures[column][0] is None]
    known.sort(key=lambda r: r.figures[column][0] or 0.0, reverse=descending)
    return known + unknown


def breakdown_head(column: str, descending: bool, query: Mapping[str, str]) -> list[dict[str, Any]]:
    """Column headings that sort the breakdown (``sortable_head``)."""
    headings = (("region", "Region"), *((name, text) for name, text, _ in BREAKDOWN_FIGURES))
    return sortable_head(
        headings,
        column,
        descending,
        lambda key: "ascending" if key in _FIRST_ASCENDING else "descending",
        lambda order_by: "/?" + urlencode({**query, **order_by}) + "#by-region",
    )


def _breakdown_cell(value: tuple[float | None, bool], kind: ColumnKind) -> dict[str, str]:
    figure, withheld = value
    if withheld:
        return {"text": WITHHELD}
    if figure is None:
        return {"text": "Not available"}
    if kind == "years":
        return {"text": format_headline(figure, kind)}
    return {"text": format_cell(figure, kind)}


def breakdown_rows(
    rows: Sequence[RegionRow], query: Mapping[str, str]
) -> list[list[dict[str, Any]]]:
    """The table's rows: each region's name linking to its own dashboard (at the same
    date), then its figures."""
    return [
        [
            {
                "html": Markup('<a href="{}">{}</a>').format(
                    "/?" + urlencode({**query, "region": r.code}), r.name
                )
            },
            *(_breakdown_cell(r.figures[name], kind) for name, _, kind in BREAKDOWN_FIGURES),
        ]
        for r in rows
    ]
