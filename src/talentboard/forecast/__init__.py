"""Forecasting and scenario planning: a Monte Carlo of every post ahead (docs/forecast.md).

Pure analytics over the register and talent frames, like ``talentboard.stability``; the
two functions below are the entry points for the command line, the web page, the API
and the board report.

``forecast_json(session, as_at=..., horizon_months=36, replications=1000, seed=1, ...)``
reads the register and the succession plans as known at ``as_at`` through the session
(it writes nothing) and returns the JSON contract of ``talentboard forecast --format
json``::

    from talentboard.forecast import forecast_json, backtest_json
    document = forecast_json(
        session,
        as_at=datetime.date(2026, 9, 30),
        horizon_months=36,
        replications=1000,
        seed=1,
        scenario=None,          # or a talentboard.forecast.Scenario / a TOML path
        by=None,                # or "region", "org", "role", "segment"
        level="board",          # or "senior", "middle", "frontline", "all"
        region=None,            # keep one region's posts (a regional user's scope)
        org=None,               # keep one organisation's posts
        exact=False,            # False: disclosure control as for the stability figures
    )
    # {"as_at", "horizon_months", "replications", "seed", "scenario",
    #  "measures": {NAME: {"mean", "p05", "p50", "p95"}},
    #  "monthly": [{"month": "YYYY-MM", NAME: {...}}],
    #  "groups": [{"key": {BY: CODE}, "measures": {...}}], "by", "exact"}

``backtest_json(session, origins=[...], horizon_months=12, replications=1000, seed=1,
by="region")`` returns ``{"origins", "horizon_months", "rows": [...], "coverage",
"mae"}``: the backtest table (docs/forecast.md, "Backtest").

Both raise :class:`ForecastInputError` (a ``ValueError``) for input the contract refuses:
a date before the first record, a horizon outside 1-120 months, replications outside
100-1,000,000, a bad scenario (the message names the key).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from talentboard.forecast.scenario import BASELINE, Scenario, ScenarioError, load_scenario

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from talentboard.frames.register import RegisterFrames

__all__ = [
    "MAX_HORIZON_MONTHS",
    "MAX_REPLICATIONS",
    "MIN_REPLICATIONS",
    "ForecastInputError",
    "Scenario",
    "ScenarioError",
    "backtest_json",
    "check_inputs",
    "forecast_frames",
    "forecast_json",
    "load_scenario",
]

MIN_REPLICATIONS = 100
MAX_REPLICATIONS = 1_000_000
MAX_HORIZON_MONTHS = 120


class ForecastInputError(ValueError):
    """Input the forecast contract refuses (the CLI exits 2 with the message)."""


def first_record(register: RegisterFrames) -> dt.date | None:
    """The earliest date the register knows of: the first appointment's start."""
    value = register.appointments["start_date"].min()
    return value if isinstance(value, dt.date) else None


def check_inputs(
    register: RegisterFrames | None,
    as_at: dt.date,
    horizon_months: int,
    replications: int,
) -> None:
    """Refuse what the contract refuses, with a message naming the option."""
    if not 1 <= horizon_months <= MAX_HORIZON_MONTHS:
        raise ForecastInputError(
            f"--horizon-months {horizon_months}: must be between 1 and {MAX_HORIZON_MONTHS}"
        )
    if not MIN_REPLICATIONS <= replications <= MAX_REPLICATIONS:
        raise ForecastInputError(
            f"--replications {replications}: must be between {MIN_REPLICATIONS:,} and "
            f"{MAX_REPLICATIONS:,}"
        )
    if register is not None:
        first = first_record(register)
        if first is None:
            raise ForecastInputError("the register holds no appointments to forecast from")
        if as_at < first:
            raise ForecastInputError(
                f"--at {as_at.isoformat()}: before the first record ({first.isoformat()})"
            )


def _scenario(scenario: Scenario | str | Path | None) -> Scenario:
    if scenario is None:
        return BASELINE
    if isinstance(scenario, Scenario):
        return scenario
    return load_scenario(scenario)


def forecast_frames(
    register: RegisterFrames,
    successors: Any,
    *,
    as_at: dt.date,
    horizon_months: int = 36,
    replications: int = 1000,
    seed: int = 1,
    scenario: Scenario | str | Path | None = None,
    by: str | None = None,
    level: str = "board",
    ods_codes: Sequence[str] | None = None,
    exact: bool = False,
    batch_size: int | None = None,
) -> dict[str, Any]:
    """:func:`forecast_json` on frames already read (``successors``: the successor entries,
    columns of ``talentboard.talent.schemas.SUCCESSORS``)."""
    from talentboard.forecast.run import prepare, run_forecast

    check_inputs(register, as_at, horizon_months, replications)
    chosen = _scenario(scenario)
    setup = prepare(
        register, successors, as_at, horizon_months, by=by, level=level, ods_codes=ods_codes
    )
    result = run_forecast(setup, replications, seed, chosen, batch_size=batch_size)
    document = result.to_json(exact=exact)
    document["level"] = level
    return document


def _scope(register: RegisterFrames, region: str | None, org: str | None) -> list[str] | None:
    if region is None and org is None:
        return None
    import polars as pl

    chosen = register.organisations
    if region is not None:
        chosen = chosen.filter(pl.col("region_code") == region)
    if org is not None:
        chosen = chosen.filter(pl.col("ods_code") == org)
    return sorted(chosen["ods_code"].to_list())


def forecast_json(
    session: Session,
    *,
    as_at: dt.date,
    horizon_months: int = 36,
    replications: int = 1000,
    seed: int = 1,
    scenario: Scenario | str | Path | None = None,
    by: str | None = None,
    level: str = "board",
    region: str | None = None,
    org: str | None = None,
    exact: bool = False,
) -> dict[str, Any]:
    """The forecast contract for the register in ``session`` (see the module docstring).

    ``region``/``org`` keep only those posts (the model is still calibrated on the whole
    register's history); ``exact=True`` skips disclosure control (an administrator's view).
    """
    from talentboard.frames.register import load_register
    from talentboard.frames.talent import load_successors

    register = load_register(session)
    successors = load_successors(session, as_at)
    return forecast_frames(
        register,
        successors,
        as_at=as_at,
        horizon_months=horizon_months,
        replications=replications,
        seed=seed,
        scenario=scenario,
        by=by,
        level=level,
        ods_codes=_scope(register, region, org),
        exact=exact,
    )


def backtest_json(
    session: Session,
    *,
    origins: Sequence[dt.date],
    horizon_months: int = 12,
    replications: int = 1000,
    seed: int = 1,
    by: str = "region",
    level: str = "board",
    exact: bool = False,
) -> dict[str, Any]:
    """The backtest table (docs/forecast.md, "Backtest") for the register in ``session``."""
    from talentboard.forecast.backtest import backtest
    from talentboard.frames.register import load_register
    from talentboard.frames.talent import load_successors

    register = load_register(session)
    successors = load_successors(session, max(origins))
    for origin in origins:
        check_inputs(register, origin, horizon_months, replications)
    return backtest(
        register,
        successors,
        origins=origins,
        horizon_months=horizon_months,
        replications=replications,
        seed=seed,
        by=by,
        level=level,
    ).to_json(exact=exact)
