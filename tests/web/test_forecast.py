"""The Forecast page, GET /api/forecast and the report's Outlook, on the test world.

The world (tests/web/world.py) has five executive board posts: three in London (Y56:
Barts' chief executive and its director of finance, vacant since the post was
established, and London North West's chief executive) and two in the South West (Y58:
Bristol's chief executive and its medical director, held by an interim). So every
replication of London and of the South West needs at least one appointment, and every
published figure rests on fewer than eight posts and is withheld.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from talentboard.db.models import Setting
from talentboard.forecast import Scenario, forecast_json
from talentboard.reports.outlook import (
    backtest_origins,
    coverage_table,
    horizon_table,
    monthly_frame,
)
from talentboard.web.accounts import create_token
from talentboard.web.routes.forecast import PAGE_REPLICATIONS, table_view
from tests.web.conftest import ClientFor
from tests.web.world import World

AT = dt.date(2026, 9, 30)
MEASURES = {
    "exec_departures",
    "exec_vacancy_rate",
    "interim_cover_share",
    "appointments_needed",
    "ready_now_cover",
    "bme_share_board_voting",
}
FIGURES = {"mean", "p05", "p25", "p50", "p75", "p95"}

pytestmark = pytest.mark.usefixtures("as_at")


def api(client: TestClient, token: str, **params: object) -> object:
    return client.get("/api/forecast", params=params, headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def token(session: Session, world: World) -> dict[str, str]:
    return {
        role: create_token(session, world.users[role].username)
        for role in ("national", "regional", "org_admin", "viewer", "individual")
    }


def test_api_answers_with_the_contract(
    client_for: ClientFor, session: Session, token: dict[str, str]
) -> None:
    answer = api(
        client_for(None),
        token["national"],
        replications=100,
        horizon_months=12,
        by="region",
        seed=7,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert {
        "as_at",
        "horizon_months",
        "replications",
        "seed",
        "scenario",
        "measures",
        "monthly",
        "groups",
    } <= set(body)
    assert (body["as_at"], body["horizon_months"], body["replications"], body["seed"]) == (
        "2026-09-30",
        12,
        100,
        7,
    )
    assert set(body["measures"]) == MEASURES
    assert all(set(f) == FIGURES for f in body["measures"].values())
    assert [m["month"] for m in body["monthly"]][:3] == ["2026-10", "2026-11", "2026-12"]
    assert len(body["monthly"]) == 12
    assert {m: body["monthly"][-1][m] for m in MEASURES} == body["measures"]
    # The national team sees exact figures: the same object as the command line prints.
    expected = forecast_json(
        session, as_at=AT, horizon_months=12, replications=100, seed=7, by="region", exact=True
    )
    assert body == expected
    groups = {g["key"]["region"]: g["measures"] for g in body["groups"]}
    assert set(groups) == {"Y56", "Y58"}
    # Barts' director of finance and Bristol's medical director are vacant at the date.
    assert groups["Y56"]["appointments_needed"]["p05"] >= 1
    assert groups["Y58"]["appointments_needed"]["p05"] >= 1


def test_a_regional_token_sees_its_region_only(
    client_for: ClientFor, session: Session, token: dict[str, str]
) -> None:
    by_org = api(
        client_for(None), token["regional"], replications=100, horizon_months=6, by="org"
    ).json()
    assert {g["key"]["org"] for g in by_org["groups"]} == {"R1H", "R1K"}
    by_region = api(
        client_for(None), token["regional"], replications=100, horizon_months=6, by="region"
    ).json()
    assert [g["key"]["region"] for g in by_region["groups"]] == ["Y56"]
    london = forecast_json(
        session, as_at=AT, horizon_months=6, replications=100, seed=1, region="Y56", exact=True
    )
    assert by_region["measures"] == london["measures"]
    everywhere = forecast_json(
        session, as_at=AT, horizon_months=6, replications=100, seed=1, exact=True
    )
    assert by_region["measures"] != everywhere["measures"]
    mine = api(
        client_for(None), token["org_admin"], replications=100, horizon_months=6, by="org"
    ).json()
    assert [g["key"]["org"] for g in mine["groups"]] == ["R1H"]


def test_a_viewer_gets_small_counts_withheld(client_for: ClientFor, token: dict[str, str]) -> None:
    body = api(client_for(None), token["viewer"], replications=100, horizon_months=6).json()
    assert body["exact"] is False
    # Five executive posts: 1 to 7 is withheld, so every figure is.
    for measure in MEASURES:
        assert set(body["measures"][measure].values()) == {"*"}, measure


def test_individuals_get_no_forecast(client_for: ClientFor, token: dict[str, str]) -> None:
    assert api(client_for(None), token["individual"], replications=100).status_code == 404
    assert client_for("individual").get("/forecast").status_code == 404
    assert 'href="/forecast"' not in client_for("individual").get("/").text


@pytest.mark.parametrize(
    ("params", "status", "words"),
    [
        ({"horizon_months": 0}, 422, "horizon_months"),
        ({"horizon_months": 121}, 422, "horizon_months"),
        ({"replications": 99}, 422, "replications"),
        ({"replications": 10_001}, 422, "replications"),
        ({"at": "2000-01-01"}, 400, "at=2000-01-01: before the first record (2019-06-01)"),
        ({"turnover_multiplier": 21}, 400, "turnover_multiplier"),
        ({"pool_appointment_share": 1.5}, 400, "pool_appointment_share"),
        ({"by": "colour"}, 422, "by"),
    ],
)
def test_api_refuses_what_the_contract_refuses(
    client_for: ClientFor, token: dict[str, str], params: dict[str, object], status: int, words: str
) -> None:
    answer = api(client_for(None), token["national"], **params)
    assert answer.status_code == status, answer.text
    assert words in answer.text


def test_api_scenario_keys(client_for: ClientFor, session: Session, token: dict[str, str]) -> None:
    body = api(
        client_for(None),
        token["national"],
        replications=100,
        horizon_months=12,
        turnover_multiplier=3,
        bme_share_external=0.5,
    ).json()
    assert body["scenario"]["turnover_multiplier"] == 3.0
    assert body["scenario"]["bme_share_external"] == 0.5
    chosen = Scenario(name="scenario", turnover_multiplier=3.0, bme_share_external=0.5)
    expected = forecast_json(
        session, as_at=AT, horizon_months=12, replications=100, seed=1, scenario=chosen, exact=True
    )
    assert body["measures"] == expected["measures"]


def _row_html(cells: list[dict[str, str]]) -> str:
    return "".join(f'<td class="nhsuk-table__cell">{html.escape(c["text"])}</td>' for c in cells)


@pytest.mark.parametrize(
    ("role", "region", "org", "exact"),
    [
        ("national", None, None, True),
        ("regional", "Y56", None, True),
        ("org_admin", None, "R1H", True),
        ("viewer", None, None, False),
    ],
)
def test_the_page_shows_the_callers_forecast(
    client_for: ClientFor,
    session: Session,
    role: str,
    region: str | None,
    org: str | None,
    exact: bool,
) -> None:
    page = client_for(role).get("/forecast")
    assert page.status_code == 200
    assert 'href="/forecast"' in page.text
    expected = forecast_json(
        session,
        as_at=AT,
        horizon_months=36,
        replications=PAGE_REPLICATIONS,
        seed=1,
        region=region,
        org=org,
        exact=exact,
    )
    table = table_view(horizon_table([("Baseline", expected)]))
    text = page.text.replace("&#39;", "'").replace("&#x27;", "'")
    for row in table["rows"]:
        assert _row_html(row) in text, row[0]["text"]
    assert page.text.count('data-vega-lite="') == 2
    assert "Backtest: how often the 90% interval covered what happened" in page.text
    if not exact:
        assert _row_html(table["rows"][0]) == (
            '<td class="nhsuk-table__cell">Executive departures (cumulative)</td>'
            '<td class="nhsuk-table__cell">*</td><td class="nhsuk-table__cell">*</td>'
        )


def test_the_scenario_runs_beside_the_baseline(client_for: ClientFor, session: Session) -> None:
    page = client_for("regional").get(
        "/forecast", params={"turnover_multiplier": "3", "talent_pool_growth": ""}
    )
    assert page.status_code == 200
    assert "Scenario: mean" in page.text
    assert "Baseline: mean" in page.text
    assert page.text.count('data-vega-lite="') == 4
    chosen = Scenario(name="Scenario", turnover_multiplier=3.0)
    runs = [
        (
            label,
            forecast_json(
                session,
                as_at=AT,
                horizon_months=36,
                replications=PAGE_REPLICATIONS,
                seed=1,
                region="Y56",
                scenario=scenario,
                exact=True,
            ),
        )
        for label, scenario in (("Baseline", None), ("Scenario", chosen))
    ]
    departures = table_view(horizon_table(runs))["rows"][0]
    assert _row_html(departures) in page.text
    # No one has ever left a post in the test world: the departure curve is flat, so even
    # three times the hazard gives no departure.
    base, more = (float(runs[i][1]["measures"]["exec_departures"]["mean"]) for i in (0, 1))
    assert base == more == 0.0
    assert runs[1][1]["scenario"]["turnover_multiplier"] == 3.0
    assert 'data-busy-text="' in page.text
    assert 'src="/static/app/busy.js"' in page.text


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("lots", "Turnover multiplier must be a number, like 1.2"),
        ("25", "Turnover multiplier must be from 0 up to 20"),
    ],
)
def test_a_bad_scenario_is_named(client_for: ClientFor, value: str, message: str) -> None:
    page = client_for("national").get("/forecast", params={"turnover_multiplier": value})
    assert page.status_code == 400
    assert "There is a problem" in page.text
    assert message in page.text
    assert 'href="#turnover_multiplier"' in page.text


def test_time_to_fill_must_be_above_zero(client_for: ClientFor) -> None:
    page = client_for("national").get("/forecast", params={"time_to_fill_multiplier": "0"})
    assert page.status_code == 400
    assert "Time-to-fill multiplier must be above 0 up to 20" in page.text


def test_backtest_origins() -> None:
    assert backtest_origins(dt.date(2026, 9, 30), dt.date(2019, 6, 1)) == [
        dt.date(2023, 9, 30),
        dt.date(2024, 9, 30),
        dt.date(2025, 9, 30),
    ]
    # 29 February falls back to the 28th; origins before the first record are left out.
    assert backtest_origins(dt.date(2028, 2, 29), dt.date(2025, 6, 1)) == [
        dt.date(2026, 2, 28),
        dt.date(2027, 2, 28),
    ]


def test_withheld_figures_become_gaps_marked_withheld() -> None:
    document = {
        "monthly": [
            {
                "month": "2026-10",
                "exec_vacancy_rate": {"mean": 0.1, "p05": "*", "p50": 0.1, "p95": None},
            },
            {
                "month": "2027-02",
                "exec_vacancy_rate": {"mean": 0.2, "p05": 0.1, "p50": 0.2, "p95": 0.3},
            },
        ]
    }
    frame = monthly_frame(document, "exec_vacancy_rate")
    assert frame["month"].to_list() == [dt.date(2026, 10, 31), dt.date(2027, 2, 28)]
    assert frame["p05"].to_list() == [None, 0.1]
    assert frame["p05_suppressed"].to_list() == [True, False]
    assert frame["p95_suppressed"].to_list() == [False, False]


def test_coverage_counts_the_cells_of_the_groups_asked_for() -> None:
    rows = [
        {"origin": "2024-09-30", "measure": "exec_departures", "group": g, "covered": c}
        for g, c in (("all", False), ("Y56", True), ("Y58", False))
    ] + [
        {"origin": "2025-09-30", "measure": "exec_departures", "group": g, "covered": c}
        for g, c in (("all", True), ("Y56", True), ("Y58", None))
    ]
    backtest = {"rows": rows, "origins": ["2024-09-30", "2025-09-30"], "horizon_months": 12}
    every = coverage_table(backtest)
    # Y56 twice covered, Y58 once not and once unknown; the England total is not a cell.
    assert every.rows[0] == ("Executive departures (cumulative)", 2, 3, 2 / 3)
    assert coverage_table(backtest, ("Y58",)).rows[-1] == ("All measures", 0, 1, 0.0)


def test_the_board_report_has_an_outlook(client_for: ClientFor) -> None:
    viewer = client_for("viewer")
    page = viewer.get("/reports/board.html")
    assert page.status_code == 200
    assert re.search(r"<h2[^>]*>\s*Outlook\s*</h2>", page.text)
    assert "Backtest: how often the 90% interval covered what happened" in page.text
    assert "The forecast 36 months ahead" in page.text
    workbook = load_workbook(io.BytesIO(viewer.get("/reports/board.xlsx").content))
    assert {"Outlook", "Backtest"} <= set(workbook.sheetnames)
    outlook = [row for row in workbook["Outlook"].iter_rows(values_only=True) if any(row)]
    departures = next(r for r in outlook if r[0] == "Executive departures (cumulative)")
    # Five executive posts in England's test world: withheld.
    assert departures[1:3] == ("*", "*")


def test_a_date_before_the_first_record_is_explained(
    client_for: ClientFor, session: Session
) -> None:
    setting = session.get(Setting, "demo_as_at")
    assert setting is not None
    setting.value = "2019-01-31"
    session.flush()
    page = client_for("national").get("/forecast")
    assert page.status_code == 200
    assert (
        "No forecast can be made: the date is before the register&#39;s first record "
        "(2019-06-01)." in page.text
    )
    assert "data-vega-lite" not in page.text
