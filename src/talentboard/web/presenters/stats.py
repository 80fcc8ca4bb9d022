"""The dashboard: headline figures and SPC charts, each chart with its table alternative."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from talentboard.reports.model import ChartSpec, Headline, Suppressed
from talentboard.reports.presenters import format_cell, format_headline


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
