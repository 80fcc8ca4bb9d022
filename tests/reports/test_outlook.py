"""The board report's Outlook section, from forecast documents written out by hand."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from talentboard.db import make_engine, upgrade
from talentboard.db.seed import load_reference_organisations
from talentboard.reports import build_report, render
from talentboard.reports.charts.fan import fan_chart
from talentboard.reports.model import SUPPRESSED
from talentboard.reports.outlook import MEASURES, Outlook, fan_charts, monthly_frame
from tests.reports.registers import T, report_register
from tests.reports.test_chart_schema import assert_valid_vega_lite
from tests.reports.test_cli import run


def _figures(mean: float, spread: float, withheld: bool = False) -> dict[str, Any]:
    if withheld:
        return dict.fromkeys(("mean", "p05", "p50", "p95"), "*")
    return {"mean": mean, "p05": mean - spread, "p50": mean, "p95": mean + spread}


def forecast_document(withheld: bool = False) -> dict[str, Any]:
    months = ["2026-10", "2026-11", "2026-12"]
    monthly = [
        {
            "month": month,
            **{
                m: _figures(
                    10.0 * (i + 1) if MEASURES[m][1] == "count" else 0.05 + 0.01 * i,
                    2.0 if MEASURES[m][1] == "count" else 0.02,
                    withheld and m == "bme_share_board_voting",
                )
                for m in MEASURES
            },
        }
        for i, month in enumerate(months)
    ]
    return {
        "as_at": "2026-09-30",
        "horizon_months": 3,
        "replications": 100,
        "seed": 1,
        "scenario": {},
        "measures": {m: monthly[-1][m] for m in MEASURES},
        "monthly": monthly,
        "groups": [],
    }


BACKTEST = {
    "origins": ["2024-09-30", "2025-09-30"],
    "horizon_months": 12,
    "rows": [
        {
            "origin": origin,
            "measure": "exec_departures",
            "group": group,
            "actual": 10.0,
            "mean": 12.0,
            "p05": 8.0,
            "p95": 15.0,
            "covered": covered,
            "naive": 11.0,
        }
        for origin, group, covered in (
            ("2024-09-30", "all", True),
            ("2024-09-30", "Y56", True),
            ("2024-09-30", "Y58", False),
            ("2025-09-30", "Y56", True),
            ("2025-09-30", "Y58", True),
        )
    ],
}


@pytest.mark.parametrize("withheld", [False, True])
def test_fan_charts_are_valid_vega_lite(withheld: bool) -> None:
    charts = fan_charts(forecast_document(withheld), where="in England")
    assert [c.name for c in charts] == [
        "outlook_exec_vacancy_rate",
        "outlook_bme_share_board_voting",
    ]
    for chart in charts:
        assert_valid_vega_lite(chart)
    bme = charts[1].table
    if withheld:
        assert bme.column("p05") == (SUPPRESSED,) * 3
    else:
        assert bme.column("p05") == pytest.approx((0.03, 0.04, 0.05))
    assert bme.column("month_label") == ("October 2026", "November 2026", "December 2026")


def test_the_fan_draws_the_50_percent_band_when_it_has_quartiles() -> None:
    frame = monthly_frame(forecast_document(), "exec_vacancy_rate")
    with_quartiles = frame.with_columns(p25=frame["p50"] - 0.01, p75=frame["p50"] + 0.01)
    chart = fan_chart(
        with_quartiles,
        name="fan",
        title="Fan",
        value_label="Rate",
        kind="share",
        description="A fan.",
    )
    assert_valid_vega_lite(chart)
    areas = [layer for layer in chart.spec["layer"] if layer["mark"]["type"] == "area"]
    assert len(areas) == 2
    plain = fan_charts(forecast_document(), where="in England")[0]
    assert sum(1 for layer in plain.spec["layer"] if layer["mark"]["type"] == "area") == 1


def test_the_report_ends_with_its_outlook() -> None:
    outlook = Outlook(forecast_document(), BACKTEST, ("Y56",))
    report = build_report(report_register().frames(), T, region_code="Y56", outlook=outlook)
    section = report.sections[-1]
    assert (section.name, section.heading) == ("outlook", "Outlook")
    horizon, coverage = section.tables
    assert horizon.rows[0] == ("Executive departures (cumulative)", "30", "28 to 32")
    # London's two cells both covered; Bristol's and the England total are not London's.
    assert coverage.rows[0] == ("Executive departures (cumulative)", 2, 2, 1.0)
    assert {"Outlook", "Backtest"} <= {t.sheet for t in report.workbook}
    page = render(report, "html").decode()
    assert "Outlook" in page
    assert "Backtest: how often the 90% interval covered" in page
    sheets = load_workbook(io.BytesIO(render(report, "xlsx"))).sheetnames
    assert {"Outlook", "Backtest", "Outlook vacancy rate", "Outlook BME share"} <= set(sheets)


def test_without_an_outlook_the_report_is_as_before() -> None:
    report = build_report(report_register().frames(), T)
    assert "outlook" not in [s.name for s in report.sections]


def test_the_command_adds_the_outlook_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = f"sqlite:///{tmp_path / 'tb.db'}"
    engine = make_engine(database)
    upgrade(engine)
    with Session(engine) as session, session.begin():
        load_reference_organisations(session)
        report_register().save(session)
    engine.dispose()
    out = tmp_path / "london.xlsx"
    argv = ["report", "--db", database, "--at", "2026-09-30", "--region", "Y56"]
    code, _, stderr = run([*argv, "--outlook", "--out", str(out)], capsys)
    assert code == 0, stderr
    assert "Forecasting the outlook" in stderr
    sheets = openpyxl.load_workbook(io.BytesIO(out.read_bytes())).sheetnames
    assert {"Outlook", "Backtest", "Outlook vacancy rate"} <= set(sheets)
    code, _, stderr = run([*argv, "--out", str(out)], capsys)
    assert code == 0, stderr
    assert "Outlook" not in openpyxl.load_workbook(io.BytesIO(out.read_bytes())).sheetnames
    # A date before the register's first record: exit 2, the file left as it was.
    before = out.read_bytes()
    code, _, stderr = run(
        ["report", "--db", database, "--at", "1990-01-01", "--outlook", "--out", str(out)],
        capsys,
    )
    assert code == 2
    assert "--outlook" in stderr
    assert "before the first record" in stderr
    assert out.read_bytes() == before
