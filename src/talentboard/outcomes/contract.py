"""The JSON of ``talentboard outcomes --format json``, shared by the command and the API.

One object per fit: ``indicator, exposure, as_at, model, n_orgs, n_excluded, coefficient,
std_error, ci_low, ci_high, p_value, r_squared, adjusted_for`` (docs/metrics.md). For
``exposure="all"`` a list, one object per exposure in ``EXPOSURES`` order; an exposure that
cannot be fitted has null figures and a ``reason``.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from talentboard.outcomes.analysis import OutcomeInputs, check_choices, fit_outcome
from talentboard.outcomes.exposures import exposure_names
from talentboard.outcomes.models import FitError, OutcomeFit

__all__ = ["FIGURES", "outcome_answer", "outcome_json", "unfitted"]

FIGURES = ("coefficient", "std_error", "ci_low", "ci_high", "p_value", "r_squared")


def outcome_json(fit: OutcomeFit) -> dict[str, Any]:
    """The contract's object, with a figure that is not a number as null."""
    return {
        key: None if isinstance(value, float) and not math.isfinite(value) else value
        for key, value in fit.as_dict().items()
    }


def unfitted(indicator: str, exposure: str, at: dt.date, model: str, reason: str) -> dict[str, Any]:
    """The object of an exposure that cannot be fitted: the keys, null figures, a reason."""
    return {
        "indicator": indicator,
        "exposure": exposure,
        "as_at": at.isoformat(),
        "model": model,
        "n_orgs": None,
        "n_excluded": None,
        **dict.fromkeys(FIGURES),
        "adjusted_for": None,
        "reason": reason,
    }


def outcome_answer(
    inputs: OutcomeInputs, indicator: str, exposure: str, at: dt.date, model: str
) -> dict[str, Any] | list[dict[str, Any]]:
    """One object, or for ``all`` the list; raises ``UnknownChoiceError`` for an unknown
    name, ``FitError`` when the one fit (or, for ``all``, every fit) is impossible."""
    check_choices(inputs, indicator, exposure, model)
    if exposure != "all":
        return outcome_json(fit_outcome(inputs, indicator, exposure, at, model))
    answers: list[dict[str, Any]] = []
    failures: list[str] = []
    for name in exposure_names():
        try:
            answers.append(outcome_json(fit_outcome(inputs, indicator, name, at, model)))
        except FitError as exc:
            answers.append(unfitted(indicator, name, at, model, str(exc)))
            failures.append(f"{name}: {exc}")
    if len(failures) == len(answers):
        raise FitError(f"{indicator}: no exposure can be fitted ({'; '.join(failures)})")
    return answers
