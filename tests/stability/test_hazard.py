"""The departure hazard model against lifelines' CoxPHFitter on the same spells."""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd
import polars as pl
import pytest
from lifelines import CoxPHFitter

from talentboard.frames.register import RegisterFrames
from talentboard.stability.board import figures_frame
from talentboard.stability.cox import CoxFitError
from talentboard.stability.hazard import FACTORS, departure_model, model_sample
from tests.stability.fixtures import T
from tests.stability.generated import random_register


def lifelines_fit(
    sample: pl.DataFrame, min_departures: int, truncated: bool
) -> tuple[CoxPHFitter, dict[str, str]]:
    """The same model built independently with pandas: reference level = most spells (ties
    by name), levels with fewer than ``min_departures`` departures folded into it."""
    data = pd.DataFrame(sample.to_dict(as_series=False))
    columns = {}
    references = {}
    for factor in FACTORS:
        counts = data.groupby(factor).agg(spells=("ended", "size"), departures=("ended", "sum"))
        counts = counts.reset_index().sort_values(["spells", factor], ascending=[False, True])
        reference = counts[factor].iloc[0]
        references[factor] = reference
        for level in sorted(counts[factor]):
            departures = counts.loc[counts[factor] == level, "departures"].iloc[0]
            if level != reference and departures >= min_departures:
                columns[f"{factor}={level}"] = (data[factor] == level).astype(float)
    design = pd.DataFrame(columns)
    design["T"] = data["days"].astype(float)
    design["E"] = data["ended"]
    if truncated:
        design["entry"] = data["entry_days"].where(data["entry_days"] > 0, -1).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitter = CoxPHFitter().fit(
            design,
            "T",
            "E",
            entry_col="entry" if truncated else None,
            fit_options={"precision": 1e-12, "max_steps": 200},
        )
    return fitter, references


@pytest.mark.parametrize("observed_from", [None, dt.date(2015, 1, 1)])
def test_hazard_ratios_equal_lifelines(observed_from: dt.date | None) -> None:
    frames = random_register(7, organisations=24)
    model = departure_model(frames, T, observed_from=observed_from)
    sample = model_sample(frames, T, observed_from=observed_from)
    reference, references = lifelines_fit(sample, 5, observed_from is not None)
    assert model.references == references
    names = [f"{r.factor}={r.level}" for r in model.ratios]
    assert names == list(reference.params_.index)
    np.testing.assert_allclose(
        [r.hazard_ratio for r in model.ratios], reference.hazard_ratios_.to_numpy(), rtol=1e-6
    )
    bounds = np.exp(reference.confidence_intervals_.to_numpy())
    np.testing.assert_allclose([r.lower for r in model.ratios], bounds[:, 0], rtol=1e-6)
    np.testing.assert_allclose([r.upper for r in model.ratios], bounds[:, 1], rtol=1e-6)
    np.testing.assert_allclose(
        [r.p_value for r in model.ratios], reference.summary["p"].to_numpy(), rtol=1e-5
    )
    # The model is fitted to exactly the spells of the tenure estimate.
    row = figures_frame(frames, T, observed_from=observed_from).row(0, named=True)
    assert (model.spells, model.departures) == (row["tenure_spells"], row["tenure_departures"])


def test_missing_values_are_levels_and_sparse_levels_are_pooled() -> None:
    """The generated people include some with no professional background: that is the
    ``not_recorded`` level. With a threshold of 500 departures, the levels below it are
    pooled into their factor's reference and the others estimated."""
    frames = random_register(7, organisations=60)
    sample = model_sample(frames, T)
    assert "not_recorded" in set(sample["professional_background"])
    model = departure_model(frames, T, min_departures=500)
    departures = {
        (factor, level): count
        for factor in FACTORS
        for level, count in sample.group_by(factor).agg(pl.col("ended").sum()).rows()
    }
    assert model.pooled
    for factor, levels in model.pooled.items():
        assert all(departures[factor, level] < 500 for level in levels)
    for ratio in model.ratios:
        assert departures[ratio.factor, ratio.level] >= 500
        assert ratio.departures == departures[ratio.factor, ratio.level]


def test_pooling_everything_leaves_nothing_to_fit() -> None:
    with pytest.raises(CoxFitError, match="nothing to compare"):
        departure_model(random_register(7, organisations=60), T, min_departures=10_000)


def test_no_departures_is_an_error() -> None:
    with pytest.raises(CoxFitError, match="no executive departures"):
        departure_model(RegisterFrames.from_rows(), T)


def test_as_dict_lists_every_ratio() -> None:
    model = departure_model(random_register(7, organisations=60), T)
    payload = model.as_dict()
    assert payload["spells"] == model.spells
    assert len(payload["hazard_ratios"]) == len(model.ratios)
    first = payload["hazard_ratios"][0]
    assert set(first) == {
        "factor",
        "level",
        "reference",
        "hazard_ratio",
        "ci",
        "p_value",
        "spells",
        "departures",
    }


def test_levels_the_other_factors_determine_are_aliased() -> None:
    """Twelve organisations: region, kind and segment are organisation-level, and together
    they have more levels than twelve organisations can tell apart. The levels they already
    determine are left out (aliased), and what is left is fitted."""
    frames = random_register(3, organisations=12)
    model = departure_model(frames, T)
    assert model.aliased
    sample = model_sample(frames, T)
    kept = {(r.factor, r.level) for r in model.ratios}
    design = np.column_stack(
        [np.ones(sample.height)]
        + [(sample[f] == level).to_numpy().astype(float) for f, level in sorted(kept)]
    )
    for factor, levels in model.aliased.items():
        for level in levels:
            column = (sample[factor] == level).to_numpy().astype(float)
            fitted = design @ np.linalg.lstsq(design, column, rcond=None)[0]
            assert np.abs(fitted - column).max() < 1e-8
