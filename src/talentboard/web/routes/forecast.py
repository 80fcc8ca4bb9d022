"""The Forecast page: the outlook of the caller's scope, a what-if scenario beside it, and
the backtest that says how far to trust it (docs/forecast.md).

The figures are ``talentboard.forecast.forecast_json`` and ``backtest_json``, as the
command line prints them: exact for people with personal-data access, otherwise after
disclosure control. A forecast takes seconds on a national register, so what the page
computed is kept in the analysis cache, keyed by its inputs and the data's stamp.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from talentboard.db.models import Organisation
from talentboard.forecast import ForecastInputError, Scenario, backtest_json, forecast_json
from talentboard.forecast.scenario import scenario_from_mapping
from talentboard.reports.model import Table
from talentboard.reports.outlook import (
    BACKTEST_REPLICATIONS,
    backtest_origins,
    backtest_table,
    coverage_table,
    fan_charts,
    first_record,
    horizon_table,
)
from talentboard.reports.presenters import format_cell
from talentboard.reports.scope import scope_for
from talentboard.web.analysis import cached, shown_date
from talentboard.web.deps import SessionDep, requires
from talentboard.web.permissions import (
    AnalysisScope,
    Capability,
    Principal,
    analysis_scope,
    exact_figures,
)
from talentboard.web.presenters.formatting import date
from talentboard.web.presenters.stats import chart_view
from talentboard.web.templating import fragment, render

router = APIRouter(prefix="/forecast", include_in_schema=False)

Reader = Annotated[Principal, Depends(requires(Capability.VIEW_AGGREGATES))]

PAGE_REPLICATIONS: Final = 500
HORIZON_MONTHS: Final = 36
SEED: Final = 1

# The scenario form's fields: (key, label, hint), each a number; blank keeps history.
LEVERS: Final = (
    (
        "turnover_multiplier",
        "Turnover multiplier",
        "1 is turnover as history shows it; 1.2 is a fifth more leavers, 0.8 a fifth fewer "
        "(0 to 20).",
    ),
    (
        "time_to_fill_multiplier",
        "Time-to-fill multiplier",
        "1 is as history shows; 0.75 fills vacancies in three quarters of the time "
        "(above 0, up to 20).",
    ),
    (
        "talent_pool_growth",
        "Talent pool growth",
        "0.5 is half as many ready-now successors again (0 to 10).",
    ),
    (
        "pool_appointment_share",
        "Share of vacancies filled from the pool",
        "The chance a vacancy with a ready-now successor available is filled by them; 1 is "
        "always (0 to 1).",
    ),
    (
        "bme_share_external",
        "BME share among external appointees",
        "As a fraction: 0.25 is one in four of those whose ethnic group is known (0 to 1).",
    ),
)
LEVER_KEYS: Final = tuple(key for key, _, _ in LEVERS)


@dataclass(frozen=True)
class Where:
    """The posts a caller's forecast covers, and how the page names them."""

    region: str | None
    org: str | None
    words: str
    backtest_groups: tuple[str, ...] | None


def forecast_scope(session: Session, scope: AnalysisScope) -> Where:
    """The caller's posts: an organisation's, a region's or every one; the backtest shows
    their region's rows (every region's for the national team)."""
    if scope.ods_code is not None:
        organisation = session.get(Organisation, scope.ods_code)
        name = organisation.name if organisation else scope.ods_code
        region = organisation.region_code if organisation else None
        return Where(None, scope.ods_code, f"at {name}", (region,) if region else ())
    if scope.region_code is not None:
        return Where(
            scope.region_code, None, scope_for(scope.region_code).where, (scope.region_code,)
        )
    return Where(None, None, "in England", None)


# The range each lever takes (docs/forecast.md, "Scenarios"); the time-to-fill multiplier
# must be above its lower end.
LIMITS: Final = {
    "turnover_multiplier": (0.0, 20.0),
    "time_to_fill_multiplier": (0.0, 20.0),
    "talent_pool_growth": (0.0, 10.0),
    "pool_appointment_share": (0.0, 1.0),
    "bme_share_external": (0.0, 1.0),
}


def _lever(key: str, label: str, text: str) -> tuple[float | None, str | None]:
    try:
        number = float(text)
    except ValueError:
        return None, f"{label} must be a number, like 1.2"
    low, high = LIMITS[key]
    above = key == "time_to_fill_multiplier"
    if not math.isfinite(number) or number > high or number < low or (above and number == low):
        lowest = f"above {low:g}" if above else f"from {low:g}"
        return None, f"{label} must be {lowest} up to {high:g}"
    return number, None


def parse_scenario(values: Mapping[str, str]) -> tuple[Scenario | None, list[dict[str, str]]]:
    """The scenario the form asks for (None when every field is blank), or the errors."""
    given: dict[str, Any] = {}
    errors = []
    for key, label, _ in LEVERS:
        text = (values.get(key) or "").strip()
        if not text:
            continue
        number, problem = _lever(key, label, text)
        if problem is not None:
            errors.append({"text": problem, "href": f"#{key}"})
        else:
            given[key] = number
    if errors or not given:
        return None, errors
    return scenario_from_mapping({"name": "Scenario", **given}), []


def scenario_key(scenario: Scenario | None) -> str | None:
    """A scenario as part of a cache key (its levers, in a fixed order)."""
    return None if scenario is None else json.dumps(scenario.to_json(), sort_keys=True)


def page_forecast(
    request: Request,
    session: Session,
    where: Where,
    at: dt.date,
    exact: bool,
    scenario: Scenario | None,
) -> dict[str, Any]:
    """The forecast document of the caller's posts, kept by its inputs and the data."""
    key = ("forecast", at, where.region, where.org, exact, scenario_key(scenario))
    return cached(
        request,
        session,
        key,
        lambda: forecast_json(
            session,
            as_at=at,
            horizon_months=HORIZON_MONTHS,
            replications=PAGE_REPLICATIONS,
            seed=SEED,
            scenario=scenario,
            region=where.region,
            org=where.org,
            exact=exact,
        ),
    )


def page_backtest(
    request: Request, session: Session, at: dt.date, exact: bool
) -> dict[str, Any] | None:
    """The 12-month backtest by region from one, two and three years back, kept."""

    def build() -> dict[str, Any] | None:
        origins = backtest_origins(at, first_record(session))
        if not origins:
            return None
        return backtest_json(
            session,
            origins=origins,
            horizon_months=12,
            replications=BACKTEST_REPLICATIONS,
            seed=SEED,
            by="region",
            exact=exact,
        )

    return cached(request, session, ("backtest", at, exact, BACKTEST_REPLICATIONS), build)


def _charts(document: Mapping[str, Any], where: Where, prefix: str, label: str) -> list[Markup]:
    return [
        fragment("components/chart.jinja", "chart", chart_view(chart))
        for chart in fan_charts(document, where=where.words, prefix=prefix, label=label)
    ]


def table_view(table: Table) -> dict[str, Any]:
    """A report table as the table component takes it."""
    return {
        "caption": table.caption,
        "captionSize": "s",
        "head": [{"text": c.label} for c in table.columns],
        "rows": [
            [{"text": format_cell(v, c.kind)} for v, c in zip(row, table.columns, strict=True)]
            for row in table.rows
        ],
        "notes": table.notes,
    }


def _fields(values: Mapping[str, str], errors: list[dict[str, str]]) -> list[dict[str, Any]]:
    wrong = {e["href"][1:]: e["text"] for e in errors}
    fields = []
    for key, label, hint in LEVERS:
        params: dict[str, Any] = {
            "label": {"text": label},
            "hint": {"text": hint},
            "id": key,
            "name": key,
            "value": values.get(key, ""),
            "inputmode": "decimal",
            "classes": "nhsuk-input--width-5",
        }
        if key in wrong:
            params["errorMessage"] = {"text": wrong[key]}
        fields.append({"component": "input", "params": params})
    return fields


@router.get("", response_class=HTMLResponse)
def forecast_page(request: Request, session: SessionDep, principal: Reader) -> Response:
    where = forecast_scope(session, analysis_scope(principal))
    exact = exact_figures(principal)
    at = shown_date(request, session)
    values = {key: request.query_params.get(key, "") for key in LEVER_KEYS}
    scenario, errors = parse_scenario(values)
    context: dict[str, Any] = {
        "title": "Forecast",
        "as_at": date(at),
        "where": where.words,
        "exact": exact,
        "replications": f"{PAGE_REPLICATIONS:,}",
        "horizon": HORIZON_MONTHS,
        "fields": _fields(values, errors),
        "errors": errors,
        "scenario_run": scenario is not None,
    }
    try:
        baseline = page_forecast(request, session, where, at, exact, None)
    except ForecastInputError as exc:
        reason = str(exc).split(": ", 1)[-1]
        context["unavailable"] = reason.replace(
            "before the first record", "the date is before the register's first record"
        )
        return render(request, "forecast/index.jinja", context)
    runs = [("Baseline", baseline)]
    context["baseline_charts"] = _charts(baseline, where, "baseline", "")
    if scenario is not None:
        chosen = page_forecast(request, session, where, at, exact, scenario)
        runs.append(("Scenario", chosen))
        context["scenario_charts"] = _charts(chosen, where, "scenario", ": scenario")
    context["horizon_table"] = table_view(horizon_table(runs))
    backtest = page_backtest(request, session, at, exact)
    if backtest is not None:
        context["coverage"] = table_view(coverage_table(backtest, where.backtest_groups))
        context["backtest_rows"] = table_view(backtest_table(backtest, where.backtest_groups))
    return render(request, "forecast/index.jinja", context, status_code=400 if errors else 200)
