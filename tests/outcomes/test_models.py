"""The fits equal statsmodels fitted independently, from the raw rows, to 1e-8.

The register and indicator rows are in tests/outcomes/registers.py; the test works the
exposure out from how the register was built, picks each organisation's latest value by
hand, and fits the model with statsmodels' formula interface.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import polars as pl
import pytest
import statsmodels.formula.api as smf

from talentboard.frames.outcomes import IndicatorFrames, catalogue_frame
from talentboard.outcomes import (
    CROSS_SECTION,
    PANEL,
    FitError,
    OutcomeInputs,
    fit_outcome,
    latest_values,
)
from tests.outcomes.registers import (
    COUNT,
    KINDS,
    PERIOD_A,
    PERIOD_B,
    T,
    code,
    generated_register,
    headcount,
    indicator_rows,
    outcome,
    vacant_at_a,
    vacant_at_b,
)

TOLERANCE = 1e-8


def _inputs() -> OutcomeInputs:
    return OutcomeInputs(generated_register(), IndicatorFrames(catalogue_frame(), indicator_rows()))


def _same(fit: object, reference: object, term: str = "x") -> None:
    params = reference.params  # type: ignore[attr-defined]
    low, high = reference.conf_int().loc[term]  # type: ignore[attr-defined]
    assert fit.coefficient == pytest.approx(params[term], abs=TOLERANCE)  # type: ignore[attr-defined]
    assert fit.std_error == pytest.approx(reference.bse[term], abs=TOLERANCE)  # type: ignore[attr-defined]
    assert fit.ci_low == pytest.approx(low, abs=TOLERANCE)  # type: ignore[attr-defined]
    assert fit.ci_high == pytest.approx(high, abs=TOLERANCE)  # type: ignore[attr-defined]
    assert fit.p_value == pytest.approx(reference.pvalues[term], abs=TOLERANCE)  # type: ignore[attr-defined]
    assert fit.r_squared == pytest.approx(reference.rsquared, abs=TOLERANCE)  # type: ignore[attr-defined]


def test_cross_section_equals_statsmodels_ols_with_hc3() -> None:
    """At T each G organisation's latest value is period B's (the later one ends after T),
    and its exposure is ((i // 2 + 1) % 3) / 4. Left out and counted: GAMB (the only ambulance
    trust), GNOP (no posts), GNOV (no value), GLATE (its only value ends after T) and GSIZE
    (no headcount): 5."""
    fit = fit_outcome(_inputs(), "staff_engagement", "exec_vacancy_share", T)
    frame = pd.DataFrame(
        {
            "y": [outcome(i, vacant_at_b(i) / 4, 1) for i in range(1, COUNT + 1)],
            "x": [vacant_at_b(i) / 4 for i in range(1, COUNT + 1)],
            "kind": [KINDS[i % 3] for i in range(1, COUNT + 1)],
            "size": [headcount(i) for i in range(1, COUNT + 1)],
        }
    )
    reference = smf.ols("y ~ x + C(kind) + np.log(size)", frame).fit(cov_type="HC3")
    _same(fit, reference)
    assert fit.model == CROSS_SECTION
    assert (fit.n_orgs, fit.n_excluded) == (COUNT, 5)
    assert fit.as_dict()["adjusted_for"] == ["kind", "log_staff_headcount"]


def test_panel_equals_statsmodels_two_way_fixed_effects_clustered() -> None:
    """Periods A and B (the value after T is not used); exposures at each period's end.
    GNOP, GSIZE and GAMB have a value in period B only and GLATE none before T: one
    period, or none, so their fixed effect alone would fit them; they and GNOV are left out."""
    fit = fit_outcome(_inputs(), "staff_engagement", "exec_vacancy_share", T, PANEL)
    rows = []
    for i in range(1, COUNT + 1):
        for period, vacant in ((0, vacant_at_a(i)), (1, vacant_at_b(i))):
            rows.append((code(i), period, vacant / 4, outcome(i, vacant / 4, period)))
    frame = pd.DataFrame(rows, columns=["org", "period", "x", "y"])
    groups = pd.factorize(frame["org"])[0]
    reference = smf.ols("y ~ x + C(org) + C(period)", frame).fit(
        cov_type="cluster", cov_kwds={"groups": groups}
    )
    _same(fit, reference)
    assert fit.model == PANEL
    assert (fit.n_orgs, fit.n_excluded) == (COUNT, 5)


def test_latest_value_is_the_last_period_ending_on_or_before_the_date() -> None:
    values = indicator_rows().filter(pl.col("ods_code") == "G01")
    assert PERIOD_A[1] == dt.date(2024, 11, 30)

    def value_at(at: dt.date) -> float | None:
        found = latest_values(values, "staff_engagement", at)
        return None if found.is_empty() else float(found["value"][0])

    assert value_at(T) == outcome(1, vacant_at_b(1) / 4, 1)
    assert value_at(PERIOD_B[1]) == outcome(1, vacant_at_b(1) / 4, 1)
    assert value_at(PERIOD_B[1] - dt.timedelta(days=1)) == outcome(1, vacant_at_a(1) / 4, 0)
    assert value_at(PERIOD_A[1] - dt.timedelta(days=1)) is None
    assert value_at(dt.date(2026, 11, 30)) == 9.9


def test_too_few_organisations_is_refused() -> None:
    """Before period A ends there is no value at all; with values for nine organisations
    only, nine is fewer than ten."""
    inputs = _inputs()
    with pytest.raises(FitError, match="too few organisations to fit: 0"):
        fit_outcome(inputs, "staff_engagement", "exec_vacancy_share", dt.date(2024, 11, 29))
    nine = indicator_rows().filter(pl.col("ods_code").is_in([code(i) for i in range(1, 10)]))
    few = OutcomeInputs(generated_register(), IndicatorFrames(catalogue_frame(), nine))
    with pytest.raises(FitError, match="too few organisations to fit: 9"):
        fit_outcome(few, "staff_engagement", "exec_vacancy_share", T)


def test_the_panel_needs_two_periods() -> None:
    at = PERIOD_B[1] - dt.timedelta(days=1)
    with pytest.raises(FitError, match="two or more periods"):
        fit_outcome(_inputs(), "staff_engagement", "exec_vacancy_share", at, PANEL)


def test_the_fitted_line_passes_through_the_means() -> None:
    """OLS with a constant goes through the sample means: at the mean exposure the line
    gives the mean indicator (other terms are held at their means)."""
    fit = fit_outcome(_inputs(), "staff_engagement", "exec_vacancy_share", T)
    x = fit.points["x"].to_numpy()
    y = fit.points["y"].to_numpy()
    slope = (fit.line["fitted"][1] - fit.line["fitted"][0]) / (fit.line["x"][1] - fit.line["x"][0])
    at_mean = fit.line["fitted"][0] + slope * (x.mean() - fit.line["x"][0])
    assert slope == pytest.approx(fit.coefficient, abs=1e-10)
    assert at_mean == pytest.approx(float(np.mean(y)), abs=1e-10)
    assert all(fit.line["lower"] < fit.line["fitted"])
    assert all(fit.line["fitted"] < fit.line["upper"])
    assert not math.isnan(fit.p_value)


def test_the_analytics_import_neither_the_database_models_nor_the_web() -> None:
    """Like ``stability``: frames in, figures out (DESIGN section 3)."""
    import json
    import subprocess
    import sys

    code = (
        "import json, sys, talentboard.outcomes, talentboard.outcomes.contract, "
        "talentboard.outcomes.peers, talentboard.outcomes.wording, talentboard.frames.outcomes\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('talentboard.db', "
        "'talentboard.web')))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
