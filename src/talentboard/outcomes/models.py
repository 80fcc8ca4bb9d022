"""Fits of an outcome indicator on a leadership exposure (docs/metrics.md, "Outcomes").

Cross-section (``ols_hc3``): each organisation's latest value of the indicator whose period
ends on or before ``t``, regressed by ordinary least squares on the exposure at ``t``,
dummies for organisation kind and the log of staff headcount, with HC3 robust standard
errors. Panel (``twoway_fe_cluster``): every period of the indicator ending on or before
``t``, the exposure at each period's end, organisation and period fixed effects, standard
errors clustered by organisation. Both as statsmodels fits them (``fit(cov_type="HC3")``
and ``fit(cov_type="cluster")``, normal-distribution inference), worked out here in NumPy
so that a report does not import statsmodels and pandas; tests/outcomes compares them with
statsmodels to 1e-8. The figures describe an association, never a cause.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

__all__ = [
    "CROSS_SECTION",
    "MIN_ORGANISATIONS",
    "PANEL",
    "FitError",
    "OutcomeFit",
    "cross_section",
    "cross_section_sample",
    "latest_values",
    "panel",
    "panel_sample",
]

CROSS_SECTION = "ols_hc3"
PANEL = "twoway_fe_cluster"
MIN_ORGANISATIONS = 10
CROSS_SECTION_ADJUSTED_FOR = ("kind", "log_staff_headcount")
PANEL_ADJUSTED_FOR = ("organisation", "period")
BAND_POINTS = 41


class FitError(ValueError):
    """The data cannot support the fit asked for (too few organisations or periods)."""


@dataclass(frozen=True)
class OutcomeFit:
    """One fit: the ``talentboard outcomes`` JSON (``as_dict``) and what a chart needs.

    ``points``: the organisations fitted (``ods_code``, ``kind``, ``x``, ``y`` and, for the
    panel, ``period_end``); ``line``: ``x``, ``fitted``, ``lower``, ``upper``, the fitted
    mean with its 95% interval along the exposure, other terms held at their sample means.
    """

    indicator: str
    exposure: str
    as_at: dt.date
    model: str
    n_orgs: int
    n_excluded: int
    coefficient: float
    std_error: float
    ci_low: float
    ci_high: float
    p_value: float
    r_squared: float
    adjusted_for: tuple[str, ...]
    points: pl.DataFrame = field(repr=False, compare=False)
    line: pl.DataFrame = field(repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "exposure": self.exposure,
            "as_at": self.as_at.isoformat(),
            "model": self.model,
            "n_orgs": self.n_orgs,
            "n_excluded": self.n_excluded,
            "coefficient": self.coefficient,
            "std_error": self.std_error,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "p_value": self.p_value,
            "r_squared": self.r_squared,
            "adjusted_for": list(self.adjusted_for),
        }


def latest_values(values: pl.DataFrame, indicator: str, at: dt.date) -> pl.DataFrame:
    """Each organisation's latest value of ``indicator`` whose period ends on or before
    ``at`` (columns ``ods_code``, ``period_end``, ``value``)."""
    return (
        values.filter((pl.col("indicator_code") == indicator) & (pl.col("period_end") <= at))
        .sort("ods_code", "period_end")
        .group_by("ods_code", maintain_order=True)
        .last()
        .select("ods_code", "period_end", "value")
    )


@dataclass(frozen=True)
class Sample:
    """The rows a fit uses, and how many organisations were left out."""

    rows: pl.DataFrame
    n_excluded: int


def cross_section_sample(
    organisations: pl.DataFrame,
    exposures: pl.DataFrame,
    values: pl.DataFrame,
    indicator: str,
    exposure: str,
    at: dt.date,
    *,
    latest: pl.DataFrame | None = None,
) -> Sample:
    """The organisations with an indicator value, an exposure, a kind and a headcount above 0.

    Organisations with either value but not all of them are left out and counted; so are
    those whose kind no other organisation in the sample shares (their own dummy would fit
    them exactly: they carry nothing about the exposure, and HC3 is undefined for them).
    ``latest``: ``latest_values(values, indicator, at)`` when the caller has it.
    """
    if latest is None:
        latest = latest_values(values, indicator, at)
    y = latest.select("ods_code", y="value")
    x = exposures.select("ods_code", x=exposure).filter(pl.col("x").is_not_null())
    orgs = organisations.select("ods_code", "kind", "staff_headcount")
    candidates = y.join(x, on="ods_code", how="full", coalesce=True).join(
        orgs, on="ods_code", how="inner"
    )
    complete = candidates.filter(
        pl.col("y").is_not_null()
        & pl.col("x").is_not_null()
        & pl.col("kind").is_not_null()
        & (pl.col("staff_headcount") > 0)
    )
    rows = complete.filter(pl.len().over("kind") > 1).sort("ods_code")
    return Sample(
        rows.select("ods_code", "kind", "staff_headcount", "x", "y"),
        candidates.height - rows.height,
    )


def _kind_dummies(kinds: list[str]) -> tuple[np.ndarray, list[str]]:
    """Dummies for every kind but the first in code order."""
    levels = sorted(set(kinds))[1:]
    columns = [[1.0 if k == level else 0.0 for k in kinds] for level in levels]
    return np.array(columns, dtype=float).T.reshape(len(kinds), len(levels)), levels


def _check_enough(n_orgs: int, what: str) -> None:
    if n_orgs < MIN_ORGANISATIONS:
        raise FitError(
            f"too few organisations to fit: {n_orgs} with {what} "
            f"(at least {MIN_ORGANISATIONS} are needed)"
        )


def _check_rank(design: np.ndarray, exposure: str) -> None:
    """The exposure must vary beyond what the other terms explain, or it has no estimate."""
    if np.linalg.matrix_rank(design) < design.shape[1]:
        raise FitError(
            f"{exposure} does not vary once the other terms are allowed for: nothing to compare"
        )


def cross_section(sample: Sample, indicator: str, exposure: str, at: dt.date) -> OutcomeFit:
    """OLS of the indicator on the exposure, kind dummies and log headcount; HC3 errors."""
    rows = sample.rows
    _check_enough(rows.height, "both values, a kind shared by another and a headcount")
    if rows["x"].n_unique() < 2:
        raise FitError(f"{exposure} takes only one value in the sample: nothing to compare")
    x = rows["x"].to_numpy().astype(float)
    dummies, _ = _kind_dummies(rows["kind"].to_list())
    log_size = np.log(rows["staff_headcount"].to_numpy().astype(float))
    design = np.column_stack([np.ones(rows.height), x, dummies, log_size])
    _check_rank(design, exposure)
    fit = _ols(rows["y"].to_numpy().astype(float), design, groups=None)
    means = design.mean(axis=0)
    return _result(
        fit, sample, indicator, exposure, at, CROSS_SECTION, CROSS_SECTION_ADJUSTED_FOR, means
    )


def panel_sample(
    organisations: pl.DataFrame,
    exposures_by_period: pl.DataFrame,
    values: pl.DataFrame,
    indicator: str,
    exposure: str,
    at: dt.date,
) -> Sample:
    """Organisation-periods with both values; organisations seen in one period only are
    left out (their fixed effect fits them exactly) and counted with those with no pair.

    ``exposures_by_period``: ``ods_code``, ``period_end`` and the exposure columns, the
    exposures at each period's end.
    """
    y = values.filter(
        (pl.col("indicator_code") == indicator) & (pl.col("period_end") <= at)
    ).select("ods_code", "period_end", y="value")
    x = exposures_by_period.select("ods_code", "period_end", x=exposure)
    known = organisations.select("ods_code", "kind")
    pairs = y.join(x, on=["ods_code", "period_end"], how="left").join(known, on="ods_code")
    complete = pairs.filter(pl.col("x").is_not_null() & pl.col("y").is_not_null())
    rows = complete.filter(pl.len().over("ods_code") > 1).sort("ods_code", "period_end")
    seen = pl.concat(
        [pairs.select("ods_code"), x.filter(pl.col("x").is_not_null()).select("ods_code")]
    )
    n_excluded = seen["ods_code"].n_unique() - rows["ods_code"].n_unique()
    return Sample(rows.select("ods_code", "kind", "period_end", "x", "y"), n_excluded)


def panel(sample: Sample, indicator: str, exposure: str, at: dt.date) -> OutcomeFit:
    """Two-way fixed effects (organisation and period), errors clustered by organisation."""
    rows = sample.rows
    periods = sorted(set(rows["period_end"].to_list()))
    if len(periods) < 2:
        raise FitError(
            f"the panel model needs {indicator} in two or more periods ending on or before "
            f"{at.isoformat()} for the same organisations; found {len(periods)}"
        )
    n_orgs = rows["ods_code"].n_unique()
    _check_enough(n_orgs, "both values in two or more periods")
    orgs = rows["ods_code"].to_list()
    org_levels = sorted(set(orgs))
    org_index = {code: i for i, code in enumerate(org_levels)}
    x = rows["x"].to_numpy().astype(float)
    org_dummies = np.array([[1.0 if o == level else 0.0 for level in org_levels[1:]] for o in orgs])
    period_list = rows["period_end"].to_list()
    period_dummies = np.array(
        [[1.0 if p == level else 0.0 for level in periods[1:]] for p in period_list]
    )
    design = np.column_stack(
        [np.ones(rows.height), x, org_dummies.reshape(rows.height, -1), period_dummies]
    )
    _check_rank(design, exposure)
    groups = np.array([org_index[o] for o in orgs])
    fit = _ols(rows["y"].to_numpy().astype(float), design, groups=groups)
    means = design.mean(axis=0)
    return _result(fit, sample, indicator, exposure, at, PANEL, PANEL_ADJUSTED_FOR, means)


# The 97.5th percentile of the standard normal distribution: statsmodels' robust and
# clustered fits use normal, not t, intervals and p-values.
NORMAL_975 = 1.959963984540054


@dataclass(frozen=True)
class _Fit:
    """Least-squares estimates, their covariance and the R squared of one fit."""

    params: np.ndarray
    cov: np.ndarray
    r_squared: float

    def std_error(self, term: int) -> float:
        return math.sqrt(float(self.cov[term, term]))

    def p_value(self, term: int) -> float:
        """Two-sided p-value of the normal test that the term is zero."""
        return math.erfc(abs(float(self.params[term])) / self.std_error(term) / math.sqrt(2.0))


def _ols(y: np.ndarray, design: np.ndarray, groups: np.ndarray | None) -> _Fit:
    """Ordinary least squares with HC3 errors (``groups`` None) or errors clustered by
    ``groups`` (CRV1 with the small-sample factor G/(G-1) * (n-1)/(n-k)), as statsmodels.

    The design has a constant column and full column rank (``_check_rank``).
    """
    n, k = design.shape
    pinv = np.linalg.pinv(design)
    params = pinv @ y
    resid = y - design @ params
    bread = pinv @ pinv.T  # (X'X)^-1
    if groups is None:
        leverage = np.einsum("ij,ji->i", design, pinv)
        scale = (resid / (1.0 - leverage)) ** 2
        cov = (pinv * scale) @ pinv.T
    else:
        labels, index = np.unique(groups, return_inverse=True)
        scores = np.zeros((len(labels), k))
        np.add.at(scores, index, design * resid[:, None])
        cov = bread @ (scores.T @ scores) @ bread
        g = len(labels)
        cov *= g / (g - 1.0) * ((n - 1.0) / (n - k))
    centred = y - y.mean()
    r_squared = 1.0 - float(resid @ resid) / float(centred @ centred)
    return _Fit(params, cov, r_squared)


def _result(
    fit: _Fit,
    sample: Sample,
    indicator: str,
    exposure: str,
    at: dt.date,
    model: str,
    adjusted_for: tuple[str, ...],
    means: np.ndarray,
) -> OutcomeFit:
    coefficient = float(fit.params[1])
    std_error = fit.std_error(1)
    return OutcomeFit(
        indicator=indicator,
        exposure=exposure,
        as_at=at,
        model=model,
        n_orgs=sample.rows["ods_code"].n_unique(),
        n_excluded=sample.n_excluded,
        coefficient=coefficient,
        std_error=std_error,
        ci_low=coefficient - NORMAL_975 * std_error,
        ci_high=coefficient + NORMAL_975 * std_error,
        p_value=fit.p_value(1),
        r_squared=fit.r_squared,
        adjusted_for=adjusted_for,
        points=sample.rows,
        line=_band(fit, sample.rows["x"], means),
    )


def _band(fit: _Fit, x: pl.Series, means: np.ndarray) -> pl.DataFrame:
    """The fitted mean along the exposure, other terms at their means, with its 95%
    interval from the fit's own (robust or clustered) covariance.

    A clustered covariance with more terms than clusters is only semi-definite, so a
    variance that rounding makes a hair below zero is taken as zero.
    """
    grid = np.linspace(float(x.min()), float(x.max()), BAND_POINTS)  # type: ignore[arg-type]
    rows = np.tile(means, (BAND_POINTS, 1))
    rows[:, 1] = grid
    fitted = rows @ fit.params
    variance = np.einsum("ij,jk,ik->i", rows, fit.cov, rows)
    error = np.sqrt(np.clip(variance, 0.0, None))
    return pl.DataFrame(
        {
            "x": grid,
            "fitted": fitted,
            "lower": fitted - NORMAL_975 * error,
            "upper": fitted + NORMAL_975 * error,
        }
    )
