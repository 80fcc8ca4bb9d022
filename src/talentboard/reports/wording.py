"""What the NHS Making Data Count icons mean, as sentences for chart subtitles and tables.

The SPC figures come from ``talentboard.stability.spc``; these functions only word them:
the variation icon (common cause, or special cause improving, concerning or neither) and
the assurance icon (passing, failing, or hit and miss against a target).
"""

from __future__ import annotations

from typing import Final

from talentboard.reports.presenters import format_cell
from talentboard.stability.spc import XmrChart

__all__ = ["assurance_sentence", "variation_sentence"]

_DIRECTION: Final = {"high": "higher", "low": "lower"}


def variation_sentence(chart: XmrChart) -> str:
    """The variation icon of the latest point, in words."""
    side = chart.sides[-1] if chart.sides else None
    match chart.variation:
        case "special_cause_improving":
            return (
                "Variation: special cause of an improving nature: recent months are "
                f"{_DIRECTION.get(side or '', 'further from the mean')} than chance alone gives."
            )
        case "special_cause_concerning":
            return (
                "Variation: special cause of a concerning nature: recent months are "
                f"{_DIRECTION.get(side or '', 'further from the mean')} than chance alone gives."
            )
        case "special_cause_neither":
            return "Variation: special cause, neither improving nor concerning."
        case "common_cause":
            return "Variation: common cause" + _recently(chart)
        case _:
            return "Variation: too few months to judge."


RECENT_MONTHS: Final = 6
_NATURE: Final = {
    "special_cause_improving": "improving",
    "special_cause_concerning": "concerning",
    "special_cause_neither": "neither improving nor concerning",
}


def _recently(chart: XmrChart) -> str:
    """After "common cause" for the latest point: whether the chart flags any of the months
    just before it, so the sentence never calls a chart with flagged recent points
    unchanged."""
    before = chart.point_variation[-RECENT_MONTHS - 1 : -1]
    flagged = [v for v in before if v in _NATURE]
    if not flagged:
        return ", no significant change."
    natures = sorted({_NATURE[v] for v in flagged}, key=list(_NATURE.values()).index)
    return (
        f" in the latest month, but {len(flagged)} of the {len(before)} months before it "
        f"{'was' if len(flagged) == 1 else 'were'} special cause "
        f"({' and '.join(natures)}), as the chart marks them."
    )


def assurance_sentence(chart: XmrChart, *, kind: str = "share") -> str:
    """The assurance icon against the chart's target, in words."""
    if chart.target is None:
        return "Assurance: no target is set, so the chart gives no assurance either way."
    target = format_cell(chart.target, "share" if kind == "share" else "number")
    match chart.assurance:
        case "consistently_passing":
            return (
                f"Assurance: both process limits are on the right side of the target of {target}: "
                "the target will be met month after month unless the process changes."
            )
        case "consistently_failing":
            return (
                f"Assurance: both process limits are on the wrong side of the target of {target}: "
                "the target will not be met unless the process changes."
            )
        case "hit_and_miss":
            return (
                f"Assurance: the target of {target} lies between the process limits: it will "
                "be met in some months and missed in others, by chance."
            )
        case _:
            return f"Assurance: not assessed against the target of {target}."
