"""Chart specifications: valid Vega-Lite, carrying exactly the data they were given.

Each chart is built from a small frame written out here; the tests check the spec
against the Vega-Lite JSON schema Altair ships, find the frame's rows in the spec's
inline data, and check the table alternative and the accessibility text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import jsonschema
import polars as pl
import pytest
from altair.vegalite.v6.schema.core import load_schema

from talentboard.reports import palette
from talentboard.reports.charts import (
    bme_share_chart,
    exit_reasons_chart,
    spc_chart,
    survival_chart,
    vacancy_by_role_chart,
)
from talentboard.reports.model import SUPPRESSED, ChartSpec

VALIDATOR = jsonschema.Draft7Validator(load_schema())


def _rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The inline rows of the chart's single dataset."""
    datasets = spec["datasets"]
    assert len(datasets) == 1, "every chart draws one frame"
    (rows,) = datasets.values()
    assert isinstance(rows, list)
    return rows


def _iso(value: Any) -> Any:
    return f"{value.isoformat()}T00:00:00" if isinstance(value, dt.date) else value


def _assert_carries(chart: ChartSpec, frame: pl.DataFrame) -> None:
    rows = _rows(chart.spec)
    expected = [{k: _iso(v) for k, v in row.items()} for row in frame.iter_rows(named=True)]
    got = [{k: row.get(k) for k in frame.columns} for row in rows]
    assert got == expected


def _assert_accessible(chart: ChartSpec) -> None:
    spec = chart.spec
    assert spec["title"]["text"] == chart.title
    assert spec["description"] == chart.description
    assert len(chart.description) > 40
    assert spec["config"]["font"] == palette.FONT
    errors = sorted(VALIDATOR.iter_errors(spec), key=str)
    assert not errors, errors[0].message


SPC = pl.DataFrame(
    {
        "month": [dt.date(2026, m, 1) for m in range(1, 9)],
        "value": [0.10, 0.12, 0.11, None, 0.09, 0.10, 0.21, 0.11],
        "mean": [0.12] * 8,
        "lower_limit": [0.04] * 8,
        "upper_limit": [0.20] * 8,
        "point_type": ["common_cause"] * 3
        + [None]
        + ["common_cause"] * 2
        + ["special_cause_concerning", None],
        "value_suppressed": [False, False, False, True, False, False, False, False],
    }
)


def test_spc_chart_is_valid_and_keeps_its_series() -> None:
    chart = spc_chart(
        SPC,
        name="spc_vacancy",
        title="Executive vacancy rate",
        measure="Vacancy rate",
        variation="Special cause of concern: the rate is higher than expected.",
        assurance="No target is set, so there is no assurance to give.",
        target=0.08,
    )
    _assert_accessible(chart)
    rows = _rows(chart.spec)
    assert [r["value"] for r in rows] == SPC["value"].to_list()
    assert [r["variation"] for r in rows][6] == "Special cause: concern"
    # The variation and assurance sentences are the subtitle, as the icons' meaning.
    subtitle = chart.spec["title"]["subtitle"]
    assert subtitle[0].startswith("Special cause of concern")
    assert subtitle[1].startswith("No target")
    # Special-cause colours follow Making Data Count: concern orange, improvement blue.
    layers = chart.spec["layer"]
    colour = next(layer["encoding"]["color"] for layer in layers if "color" in layer["encoding"])
    domain, colours = colour["scale"]["domain"], colour["scale"]["range"]
    assert colours[domain.index("Special cause: concern")] == palette.SPC_CONCERN
    assert colours[domain.index("Special cause: improvement")] == palette.SPC_IMPROVEMENT
    assert any(layer["encoding"]["y"].get("datum") == 0.08 for layer in layers)
    table = chart.table
    assert table.column("value")[3] is SUPPRESSED
    assert table.column("value")[6] == 0.21
    assert table.column("month")[0] == dt.date(2026, 1, 1)
    assert len(table.rows) == 8


def test_survival_chart_draws_steps_with_bands() -> None:
    curves = pl.DataFrame(
        {
            "group": ["Segments 1-2"] * 3 + ["Segments 3-5"] * 3,
            "years": [0.0, 1.0, 2.5, 0.0, 0.5, 1.5],
            "survival": [1.0, 0.75, 0.5, 1.0, 0.6, 0.3],
            "lower": [1.0, 0.6, 0.3, 1.0, 0.4, 0.1],
            "upper": [1.0, 0.9, 0.7, 1.0, 0.8, 0.5],
        }
    )
    medians = pl.DataFrame(
        {
            "group": ["Segments 1-2", "Segments 3-5"],
            "spells": [40, None],
            "median_years": [2.5, 1.5],
            "median_lower": [1.0, 0.5],
            "median_upper": [None, None],
            "spells_suppressed": [False, True],
        }
    )
    chart = survival_chart(
        curves, medians, name="km_segment", title="Tenure by segment", group_label="Segment"
    )
    _assert_accessible(chart)
    _assert_carries(chart, curves)
    marks = [layer["mark"] for layer in chart.spec["layer"]]
    assert {"type": "area", "interpolate": "step-after", "opacity": 0.15, "clip": True} in marks
    assert any(m.get("type") == "line" and m.get("interpolate") == "step-after" for m in marks)
    assert chart.table.column("spells") == (40, SUPPRESSED)
    assert chart.table.column("median_upper") == (None, None)


ROLES = pl.DataFrame(
    {
        "role": ["Director of operations", "Director of strategy", "Chief executive"],
        "posts": [120, 95, 205],
        "exec_vacancy_rate": [0.15, 0.12, None],
        "interim_cover_share": [0.10, 0.05, None],
        "exec_vacancy_rate_suppressed": [False, False, True],
        "interim_cover_share_suppressed": [False, False, True],
    }
)


def test_vacancy_by_role_keeps_role_order_and_both_measures() -> None:
    chart = vacancy_by_role_chart(ROLES)
    _assert_accessible(chart)
    _assert_carries(chart, ROLES)
    bars = chart.spec["layer"][0]
    assert bars["encoding"]["y"]["sort"] == ROLES["role"].to_list()
    fold = bars["transform"][0]["fold"]
    assert fold == ["exec_vacancy_rate", "interim_cover_share"]
    assert chart.table.rows[2] == ("Chief executive", 205, SUPPRESSED, SUPPRESSED)


def test_bme_share_chart_pairs_board_and_workforce() -> None:
    groups = pl.DataFrame(
        {
            "group": ["England", "London"],
            "bme_share_board_voting": [0.10, None],
            "bme_share_workforce": [0.26, 0.48],
            "wres9_gap_pp": [-16.0, None],
            "bme_share_board_voting_suppressed": [False, True],
            "wres9_gap_pp_suppressed": [False, True],
        }
    )
    chart = bme_share_chart(groups, group_label="Region")
    _assert_accessible(chart)
    _assert_carries(chart, groups)
    assert chart.table.rows == (
        ("England", 0.10, 0.26, -16.0),
        ("London", SUPPRESSED, 0.48, SUPPRESSED),
    )


def test_exit_reasons_table_is_wide_and_keeps_suppression() -> None:
    exits = pl.DataFrame(
        {
            "period": ["2025", "2025", "2026", "2026"],
            "end_reason": ["Retired", "Dismissed or forced", "Retired", "Dismissed or forced"],
            "spells": [20, None, 25, 10],
            "spells_suppressed": [False, True, False, False],
        }
    )
    reasons = ["Retired", "Dismissed or forced", "Death"]
    chart = exit_reasons_chart(exits, reasons=reasons)
    _assert_accessible(chart)
    _assert_carries(chart, exits)
    assert [c.label for c in chart.table.columns] == ["Period", *reasons]
    # A reason with no row in a period ended no spell there: zero, not withheld.
    assert chart.table.rows == (("2025", 20, SUPPRESSED, 0), ("2026", 25, 10, 0))


def test_a_label_with_quotes_stays_data_not_code() -> None:
    exits = pl.DataFrame(
        {"period": ["2026"], "end_reason": ["Chair's decision"], "spells": [9]},
    )
    chart = exit_reasons_chart(exits, reasons=["Chair's decision"])
    _assert_accessible(chart)
    calculate = chart.spec["transform"][1]["calculate"]
    assert calculate == 'indexof(["Chair\'s decision"], datum.end_reason)'


@pytest.mark.parametrize("kind", ["share", "number", "years"])
def test_spc_axis_format_follows_the_kind(kind: str) -> None:
    chart = spc_chart(
        SPC.drop("value_suppressed"),
        name="s",
        title="A series",
        measure="Measure",
        variation="Common cause variation.",
        assurance="No target.",
        kind=kind,  # type: ignore[arg-type]
    )
    line = next(layer for layer in chart.spec["layer"] if "axis" in layer["encoding"]["y"])
    assert (
        line["encoding"]["y"]["axis"]["format"]
        == {
            "share": ".1%",
            "number": ",.0f",
            "years": ".1f",
        }[kind]
    )
