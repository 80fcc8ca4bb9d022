"""Leadership stability against outcome indicators: exposures and their fits; pure.

Like ``talentboard.stability``: frames in, figures out; no session, no I/O. The
definitions are in docs/metrics.md ("Outcomes").
"""

from talentboard.outcomes.analysis import (
    MODELS,
    OutcomeInputs,
    TableCell,
    UnknownChoiceError,
    check_choices,
    fit_outcome,
    fit_table,
)
from talentboard.outcomes.exposures import (
    EXPOSURES,
    Exposure,
    exposure,
    exposure_names,
    exposures_at,
)
from talentboard.outcomes.models import (
    CROSS_SECTION,
    MIN_ORGANISATIONS,
    PANEL,
    FitError,
    OutcomeFit,
    latest_values,
)

__all__ = [
    "CROSS_SECTION",
    "EXPOSURES",
    "MIN_ORGANISATIONS",
    "MODELS",
    "PANEL",
    "Exposure",
    "FitError",
    "OutcomeFit",
    "OutcomeInputs",
    "TableCell",
    "UnknownChoiceError",
    "check_choices",
    "exposure",
    "exposure_names",
    "exposures_at",
    "fit_outcome",
    "fit_table",
    "latest_values",
]
