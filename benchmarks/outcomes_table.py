"""Every exposure against every indicator: talentboard against statsmodels' formula API.

On the national demo (202 trusts, the synthetic workforce) with the shipped published
indicators, as at the demo's date, the Outcomes page's table is 12 indicators by 5
exposures, 60 cross-section fits (OLS, HC3). In one run:

(a) talentboard: ``fit_table(inputs, at)`` from the loaded frames, the exposures worked
    out once (the path of the page, the report and ``talentboard outcomes --exposure all``);
(b) what an analyst would otherwise write: the exposures taken from talentboard (untimed),
    a pandas frame per pair with each organisation's latest value, and
    ``statsmodels.formula.api.ols("y ~ x + C(kind) + np.log(size)").fit(cov_type="HC3")``.

The benchmark asserts every coefficient, standard error and interval agrees to 1e-8 and
writes its section of benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/outcomes_table.py [--demo-db PATH] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import statsmodels.formula.api as smf
from sqlalchemy.orm import Session

from _results import cpu_model, write_section
from talentboard.db import make_engine, upgrade
from talentboard.db.seed import load_reference_indicators, load_reference_organisations
from talentboard.demo import DEMO_AS_AT, generate_demo
from talentboard.frames.outcomes import load_indicators
from talentboard.frames.register import load_register
from talentboard.outcomes import EXPOSURES, OutcomeInputs, fit_table, latest_values

NAME = "outcomes_table"


def _database(path: Path) -> None:
    if path.exists():
        return
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with Session(engine) as session, session.begin():
        load_reference_organisations(session)
        load_reference_indicators(session)
        generate_demo(session, scale="national", seed=1)
    engine.dispose()


def _pandas(frame: pl.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(frame.to_dict(as_series=False))


def _reference(inputs: OutcomeInputs, exposures: pl.DataFrame, at: dt.date) -> dict[Any, Any]:
    """The same fits written the obvious way: pandas and the formula API, pair by pair."""
    orgs = _pandas(inputs.register.organisations.select("ods_code", "kind", "staff_headcount"))
    found = {}
    for indicator in inputs.indicators.codes():
        values = _pandas(latest_values(inputs.indicators.values, indicator, at))
        for exposure in EXPOSURES:
            frame = (
                values.merge(_pandas(exposures.select("ods_code", exposure.name)), on="ods_code")
                .merge(orgs, on="ods_code")
                .rename(columns={"value": "y", exposure.name: "x", "staff_headcount": "size"})
                .dropna(subset=["y", "x", "kind", "size"])
            )
            frame = frame[frame["size"] > 0]
            frame = frame[frame.groupby("kind")["kind"].transform("size") > 1]
            if len(frame) < 10 or frame["x"].nunique() < 2:
                continue
            fit = smf.ols("y ~ x + C(kind) + np.log(size)", frame).fit(cov_type="HC3")
            found[(indicator, exposure.name)] = (
                fit.params["x"],
                fit.bse["x"],
                *fit.conf_int().loc["x"],
            )
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demo-db", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    path = args.demo_db or Path(tempfile.mkdtemp()) / "demo.db"
    _database(path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        register = load_register(session)
        indicators = load_indicators(session)
    at = DEMO_AS_AT
    ours, theirs = [], []
    for _ in range(args.repeat):
        inputs = OutcomeInputs(register, indicators)
        start = time.perf_counter()
        cells = fit_table(inputs, at)
        ours.append(time.perf_counter() - start)
        exposures = inputs.exposures(at)
        start = time.perf_counter()
        reference = _reference(inputs, exposures, at)
        theirs.append(time.perf_counter() - start)
    fitted = {(c.indicator, c.exposure): c.fit for c in cells if c.fit is not None}
    assert set(fitted) == set(reference), set(fitted) ^ set(reference)
    for key, fit in fitted.items():
        got = (fit.coefficient, fit.std_error, fit.ci_low, fit.ci_high)
        assert np.allclose(got, reference[key], rtol=0, atol=1e-8), key
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    machine = (
        f"{cpu_model()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )
    command = f".venv/bin/python benchmarks/outcomes_table.py --demo-db PATH --repeat {args.repeat}"
    lines = [
        "## Outcomes: every exposure against every indicator (issue 13)",
        "",
        f"Run {dt.date.today().isoformat()} on {machine}; load average before the run {load}.",
        f"National demo (202 trusts) with the shipped indicators, as at {at.isoformat()}: "
        f"{len(cells)} pairs, {len(fitted)} fitted, the rest too few organisations or no "
        f"variation. Median of {args.repeat} runs; every coefficient, standard error and "
        "interval agrees with statsmodels to 1e-8.",
        "",
        "```",
        command,
        "```",
        "",
        "| what | seconds |",
        "| --- | ---: |",
        "| talentboard `fit_table` (exposures worked out inside) "
        f"| {statistics.median(ours):.3f} |",
        '| pandas + `smf.ols("y ~ x + C(kind) + np.log(size)").fit(cov_type="HC3")` '
        f"(exposures given) | {statistics.median(theirs):.3f} |",
    ]
    body = "\n".join(lines)
    write_section(NAME, body)
    print(body)


if __name__ == "__main__":
    main()
