"""A fit in words: an association after adjusting for kind and size, with its interval.

The wording never claims a cause: the data are observational, and a board's stability and
its staff's experience can each drive the other, or both follow something else.
"""

from __future__ import annotations

from talentboard.outcomes.exposures import SENTENCE_SCALE, exposure
from talentboard.outcomes.models import PANEL, OutcomeFit

__all__ = ["CAUTION", "association_sentence", "indicator_units"]

CAUTION = (
    "This is an association, not evidence that one causes the other: organisations differ "
    "in ways the adjustment does not capture, and outcomes can drive leadership churn as "
    "well as follow it."
)
UNIT_WORDS = {"score_0_10": "points", "percent": "percentage points", "fraction": ""}


def indicator_units(unit: str | None) -> str:
    """How a difference in an indicator of ``unit`` is spoken of (``""``: a bare number)."""
    return UNIT_WORDS.get(unit or "", "")


def _amount(value: float, units: str) -> str:
    text = f"{abs(value):.3g}"
    return f"{text} {units}" if units else text


def _direction(value: float, units: str) -> str:
    if value == 0:
        return "no different"
    return f"{_amount(value, units)} {'higher' if value > 0 else 'lower'}"


def association_sentence(
    fit: OutcomeFit, indicator_name: str | None = None, unit: str | None = None
) -> str:
    """The fit as one careful sentence, then the caution."""
    about = exposure(fit.exposure)
    scale = SENTENCE_SCALE.get(about.unit, 1.0)
    units = indicator_units(unit)
    name = indicator_name or fit.indicator
    adjusted = (
        "Comparing each organisation with itself over time, and allowing for changes common "
        "to all organisations in each period"
        if fit.model == PANEL
        else "After adjusting for organisation kind and size"
    )
    return (
        f"{adjusted}, {about.per_unit} went with {name} "
        f"{_direction(fit.coefficient * scale, units)} on average "
        f"(95% interval: {_direction(fit.ci_low * scale, units)} to "
        f"{_direction(fit.ci_high * scale, units)}; {fit.n_orgs} organisations, "
        f"{fit.n_excluded} left out for missing values). {CAUTION}"
    )
