"""Every chart spec the code builds is valid Vega-Lite.

Specs are built without Altair's validation at run time (``charts.base``), so this is
where they are checked: against the Vega-Lite JSON schema Altair ships, for every chart
of the national and a regional report, the trends with and without disclosure control
(the web dashboard shows both), and each option of each chart function.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import jsonschema
import polars as pl
import pytest
from altair.vegalite.v6.schema.core import load_schema

from talentboard.reports import build_report
from talentboard.reports.charts import (
    bme_share_chart,
    spc_chart,
    survival_chart,
    vacancy_by_role_chart,
)
from talentboard.reports.model import ChartSpec
from talentboard.reports.trends import monthly_figures, trend_series
from talentboard.stability.groups import prepare_board
from tests.reports.registers import T, report_register
from tests.reports.samples import sample_charts

VALIDATOR = jsonschema.Draft7Validator(load_schema())


def assert_valid_vega_lite(chart: ChartSpec) -> None:
    """The chart's spec passes the Vega-Lite schema."""
    errors = sorted(VALIDATOR.iter_errors(chart.spec), key=str)
    assert not errors, f"{chart.name}: {errors[0].message} at {list(errors[0].path)}"


def _report_charts(region_code: str | None) -> list[ChartSpec]:
    return list(build_report(report_register().frames(), T, region_code=region_code).charts())


@pytest.mark.parametrize("region_code", [None, "Y56"])
def test_every_report_chart_is_valid_vega_lite(region_code: str | None) -> None:
    charts = _report_charts(region_code)
    assert len(charts) >= 5
    for chart in charts:
        assert_valid_vega_lite(chart)


@pytest.mark.parametrize("disclose", [True, False])
def test_every_trend_chart_is_valid_vega_lite(disclose: bool) -> None:
    board = prepare_board(report_register().frames())
    trends = trend_series(monthly_figures(board, T), disclose=disclose)
    charts = [t.chart for t in trends if t.chart is not None]
    assert charts
    for chart in charts:
        assert_valid_vega_lite(chart)


def test_every_sample_chart_is_valid_vega_lite() -> None:
    for chart in sample_charts():
        assert_valid_vega_lite(chart)


def _series() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "month": [dt.date(2026, m, 1) for m in range(1, 13)],
            "value": [0.1, None, 0.12, 0.11, 0.1, 0.09, 0.1, 0.3, 0.1, 0.11, 0.1, 0.1],
            "mean": [0.11] * 12,
            "lower_limit": [0.02] * 12,
            "upper_limit": [0.2] * 12,
            "point_type": [
                "common_cause",
                None,
                *(["common_cause"] * 5),
                "special_cause_improving",
                *(["common_cause"] * 4),
            ],
        }
    )


@pytest.mark.parametrize("kind", ["share", "number", "years"])
@pytest.mark.parametrize("target", [None, 0.1])
def test_spc_chart_options_are_valid_vega_lite(kind: str, target: float | None) -> None:
    chart = spc_chart(
        _series(),
        name="spc",
        title="A series",
        measure="Measure",
        variation="Common cause variation.",
        assurance="No target.",
        kind=kind,  # type: ignore[arg-type]
        target=target,
    )
    assert_valid_vega_lite(chart)


@pytest.mark.parametrize("x_max", [None, 10.0])
def test_survival_chart_options_are_valid_vega_lite(x_max: float | None) -> None:
    survival = next(c for c in sample_charts() if c.name == "km")
    rows: list[dict[str, Any]] = next(iter(survival.spec["datasets"].values()))
    curves = pl.DataFrame(rows).select("group", "years", "survival", "lower", "upper")
    medians = pl.DataFrame(
        {
            "group": ["Segment 1 & 2", "Segment <3>"],
            "spells": [30, 20],
            "median_years": [2.0, None],
            "median_lower": [1.0, None],
            "median_upper": [None, None],
        },
        schema_overrides={
            "median_years": pl.Float64,
            "median_lower": pl.Float64,
            "median_upper": pl.Float64,
        },
    )
    chart = survival_chart(
        curves, medians, name="km", title="Tenure", group_label="Segment", x_max=x_max
    )
    assert_valid_vega_lite(chart)


def test_vacancy_by_role_with_withheld_roles_is_valid_vega_lite() -> None:
    roles = pl.DataFrame(
        {
            "role": ["Chief executive", "Director of finance"],
            "posts": [205, 10],
            "exec_vacancy_rate": [0.05, None],
            "interim_cover_share": [0.02, None],
            "exec_vacancy_rate_suppressed": [False, True],
            "interim_cover_share_suppressed": [False, True],
        }
    )
    assert_valid_vega_lite(vacancy_by_role_chart(roles))


def test_bme_share_with_a_withheld_group_is_valid_vega_lite() -> None:
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
    assert_valid_vega_lite(bme_share_chart(groups, group_label="Region"))


def test_an_invalid_spec_is_caught() -> None:
    """The check itself: a spec Vega-Lite would reject fails it."""
    chart = sample_charts()[0]
    broken = dataclasses.replace(chart, build=lambda: {**chart.spec, "mark": "no-such-mark"})
    with pytest.raises(AssertionError, match="spc"):
        assert_valid_vega_lite(broken)
