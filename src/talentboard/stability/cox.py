"""Cox proportional hazards regression, fitted by Newton-Raphson on the Efron partial
likelihood (the method and tie handling of ``lifelines.CoxPHFitter``), in NumPy.

Every sum over a risk set is taken from cumulative sums over the subjects sorted by time,
and the Efron terms of tied departures are expanded one departure at a time, so a fit costs
a few passes over the data per iteration whatever the number of distinct times. With left
truncation a subject is at risk at ``t`` when ``entry < t <= duration`` (as lifelines'
``entry_col``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["CoxFit", "CoxFitError", "fit_cox"]

FloatArray = npt.NDArray[np.float64]


class CoxFitError(ValueError):
    """The model cannot be fitted (no departures, collinear covariates, no convergence)."""


@dataclass(frozen=True)
class CoxFit:
    """Coefficients (log hazard ratios), standard errors, and fit statistics."""

    coefficients: FloatArray
    standard_errors: FloatArray
    log_likelihood: float
    iterations: int
    subjects: int
    events: int

    def hazard_ratios(self) -> FloatArray:
        return np.exp(self.coefficients)

    def confidence_intervals(self, alpha: float = 0.05) -> tuple[FloatArray, FloatArray]:
        """Hazard ratio bounds ``exp(b -/+ z se)``, as lifelines' ``confidence_intervals_``."""
        from scipy import special

        z = float(special.ndtri(1 - alpha / 2))
        return (
            np.exp(self.coefficients - z * self.standard_errors),
            np.exp(self.coefficients + z * self.standard_errors),
        )

    def p_values(self) -> FloatArray:
        """Two-sided Wald test p-values."""
        from scipy import special

        result: FloatArray = 2 * special.ndtr(-np.abs(self.coefficients / self.standard_errors))
        return result


@dataclass(frozen=True)
class _Layout:
    """Data arranged once for the iterations."""

    x: FloatArray  # covariates, centred
    event_times: FloatArray  # distinct departure times, increasing
    at_risk_from: npt.NDArray[np.int64]  # per subject: first event-time index it is at risk at
    at_risk_to: npt.NDArray[np.int64]  # per subject: one past the last index
    death_index: npt.NDArray[np.int64]  # per departing subject: its event-time index
    death_rows: npt.NDArray[np.int64]  # the departing subjects
    deaths_per_time: npt.NDArray[np.int64]
    tie_time: npt.NDArray[np.int64]  # Efron expansion: event-time index of each term
    tie_fraction: FloatArray  # Efron expansion: l / d for l = 0 .. d - 1


def _layout(
    x: FloatArray, durations: FloatArray, events: npt.NDArray[np.bool_], entry: FloatArray | None
) -> _Layout:
    event_times = np.unique(durations[events])
    # Subject i is at risk at event time t_j when entry_i < t_j <= duration_i.
    at_risk_to = np.searchsorted(event_times, durations, side="right")
    if entry is None:
        at_risk_from = np.zeros(durations.shape[0], dtype=np.int64)
    else:
        at_risk_from = np.searchsorted(event_times, entry, side="right")
    death_rows = np.flatnonzero(events)
    death_index = np.searchsorted(event_times, durations[death_rows])
    deaths_per_time = np.bincount(death_index, minlength=event_times.shape[0])
    tie_time = np.repeat(np.arange(event_times.shape[0]), deaths_per_time)
    offsets = np.repeat(np.cumsum(deaths_per_time) - deaths_per_time, deaths_per_time)
    tie_fraction = (np.arange(tie_time.shape[0]) - offsets) / deaths_per_time[tie_time]
    return _Layout(
        x=x - x.mean(axis=0),
        event_times=event_times,
        at_risk_from=at_risk_from.astype(np.int64),
        at_risk_to=at_risk_to.astype(np.int64),
        death_index=death_index.astype(np.int64),
        death_rows=death_rows.astype(np.int64),
        deaths_per_time=deaths_per_time.astype(np.int64),
        tie_time=tie_time.astype(np.int64),
        tie_fraction=tie_fraction.astype(np.float64),
    )


def _risk_sums(layout: _Layout, values: FloatArray) -> FloatArray:
    """Per event time, the sum of ``values`` (rows per subject) over the risk set."""
    k = layout.event_times.shape[0]

    def later_than(index: npt.NDArray[np.int64]) -> FloatArray:
        # Sums over subjects whose index is > j, for each j: suffix sums of positive terms.
        by_index = np.zeros((k + 1, *values.shape[1:]))
        np.add.at(by_index, index, values)
        suffix: FloatArray = np.cumsum(by_index[::-1], axis=0)[::-1]
        return suffix[1:]

    # At risk at t_j: at_risk_to > j (still there) less at_risk_from > j (not yet entered).
    result = later_than(layout.at_risk_to)
    if np.any(layout.at_risk_from):
        result = result - later_than(layout.at_risk_from)
    return result


def _efron(layout: _Layout, beta: FloatArray) -> tuple[float, FloatArray, FloatArray]:
    """Log partial likelihood, gradient and Hessian at ``beta``."""
    x = layout.x
    k = layout.event_times.shape[0]
    risk = np.exp(x @ beta)
    s0 = _risk_sums(layout, risk)
    s1 = _risk_sums(layout, risk[:, None] * x)
    dead_risk = risk[layout.death_rows]
    dead_x = x[layout.death_rows]
    t0 = np.bincount(layout.death_index, weights=dead_risk, minlength=k)
    t1 = np.zeros((k, x.shape[1]))
    np.add.at(t1, layout.death_index, dead_risk[:, None] * dead_x)

    c = layout.tie_fraction
    j = layout.tie_time
    phi = s0[j] - c * t0[j]
    inv = 1.0 / phi
    inv2 = inv * inv
    a = np.bincount(j, weights=inv, minlength=k)
    b = np.bincount(j, weights=c * inv, minlength=k)
    c2 = np.bincount(j, weights=inv2, minlength=k)
    e2 = np.bincount(j, weights=c * inv2, minlength=k)
    f2 = np.bincount(j, weights=c * c * inv2, minlength=k)

    log_likelihood = float(np.sum(dead_x @ beta) - np.sum(np.log(phi)))
    gradient = dead_x.sum(axis=0) - (s1 * a[:, None]).sum(axis=0) + (t1 * b[:, None]).sum(axis=0)
    # Sum over event times of A_j * S2_j = sum over subjects of risk * x x' * (sum of A_j over
    # the event times the subject is at risk at): one weighted cross-product.
    cumulative_a = np.concatenate([[0.0], np.cumsum(a)])
    exposure = cumulative_a[layout.at_risk_to] - cumulative_a[layout.at_risk_from]
    weighted = risk * exposure
    second = (x * weighted[:, None]).T @ x
    second -= (dead_x * (dead_risk * b[layout.death_index])[:, None]).T @ dead_x
    outer = (s1 * c2[:, None]).T @ s1
    cross = (s1 * e2[:, None]).T @ t1
    outer -= cross + cross.T
    outer += (t1 * f2[:, None]).T @ t1
    hessian = -(second - outer)
    return log_likelihood, gradient, hessian


def fit_cox(
    covariates: npt.ArrayLike,
    durations: npt.ArrayLike,
    events: npt.ArrayLike,
    entry: npt.ArrayLike | None = None,
    *,
    max_iterations: int = 100,
    tolerance: float = 1e-10,
) -> CoxFit:
    """Fit ``h(t | x) = h0(t) exp(x b)`` by maximising the Efron partial likelihood.

    Newton-Raphson from ``b = 0``, halving a step that lowers the likelihood; converged
    when the largest step is below ``tolerance``. Standard errors from the inverse of the
    observed information. Raises ``CoxFitError`` when there is nothing to fit, a covariate
    is constant or collinear, or the fit does not converge (a level with no departures
    drives its coefficient to minus infinity).
    """
    x = np.asarray(covariates, dtype=np.float64)
    d = np.asarray(durations, dtype=np.float64)
    e = np.asarray(events, dtype=bool)
    if x.ndim != 2 or x.shape[0] != d.shape[0] or d.shape != e.shape:
        raise CoxFitError("covariates must be a matrix with one row per duration")
    if not e.any():
        raise CoxFitError("there are no departures to model")
    t0 = None if entry is None else np.asarray(entry, dtype=np.float64)
    layout = _layout(x, d, e, t0)
    beta = np.zeros(x.shape[1])
    log_likelihood, gradient, hessian = _efron(layout, beta)
    iterations = 0
    converged = False
    while not converged:
        iterations += 1
        if iterations > max_iterations:
            raise CoxFitError(
                "the fit did not converge: a level with no departures, or too few spells"
            )
        try:
            step = np.linalg.solve(-hessian, gradient)
        except np.linalg.LinAlgError as exc:
            if iterations == 1:
                raise CoxFitError("the covariates are collinear or constant") from exc
            # The information vanishes as a coefficient runs off to infinity.
            raise CoxFitError(
                "the fit did not converge: a level with no departures, or too few spells"
            ) from exc
        candidate = beta + step
        new_ll, new_gradient, new_hessian = _efron(layout, candidate)
        halvings = 0
        # Near the optimum the likelihood moves by rounding noise alone: only a real fall
        # calls for a shorter step.
        noise = 1e-9 * max(1.0, abs(log_likelihood))
        while not np.isfinite(new_ll) or new_ll < log_likelihood - noise:
            halvings += 1
            if halvings > 30:
                raise CoxFitError("the fit did not converge")
            step = step / 2
            candidate = beta + step
            new_ll, new_gradient, new_hessian = _efron(layout, candidate)
        beta, log_likelihood, gradient, hessian = candidate, new_ll, new_gradient, new_hessian
        converged = bool(np.max(np.abs(step)) < tolerance)
    try:
        covariance = np.linalg.inv(-hessian)
    except np.linalg.LinAlgError as exc:
        raise CoxFitError("the covariates are collinear or constant") from exc
    diagonal = np.diag(covariance)
    if np.any(diagonal <= 0) or np.any(np.abs(beta) > 20):
        raise CoxFitError("the fit did not converge: a level with no departures, or too few spells")
    return CoxFit(
        coefficients=beta,
        standard_errors=np.sqrt(diagonal),
        log_likelihood=log_likelihood,
        iterations=iterations,
        subjects=int(d.shape[0]),
        events=int(e.sum()),
    )
