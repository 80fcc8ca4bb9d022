"""The Outcomes page: fits of outcome indicators on exposures, as display values.

Every figure comes from ``talentboard.outcomes`` (the same functions ``talentboard
outcomes`` calls); this module only words and formats them. The page shows aggregates
only: the scatter's points are organisations, unnamed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl

from talentboard.outcomes import (
    CROSS_SECTION,
    EXPOSURES,
    PANEL,
    FitError,
    OutcomeFit,
    OutcomeInputs,
    TableCell,
    exposure,
    fit_outcome,
    fit_table,
)
from talentboard.outcomes.peers import exposure_peers, indicator_peers, latest_all
from talentboard.outcomes.wording import CAUTION, association_sentence
from talentboard.reports.charts.outcomes import outcome_chart, peer_strip_chart
from talentboard.stability.groups import ORG_KIND_LABELS
from talentboard.web.presenters.formatting import date
from talentboard.web.presenters.stats import chart_view

KIND_WORDS = {code: label.lower() for code, label in ORG_KIND_LABELS.items()}
DEFAULT_INDICATOR = "staff_engagement"
DEFAULT_EXPOSURE = "ceo_changes_3y"
DEMO_WARNING = (
    "The people in this database are the synthetic demo workforce. The indicator figures "
    "are real published NHS figures, but the leadership data beside them is invented, so "
    "these associations say nothing about the real NHS."
)


def signed(value: float) -> str:
    """A figure to 3 significant digits with a true minus sign."""
    return f"{value:.3g}".replace("-", "\N{MINUS SIGN}")


def interval(fit: OutcomeFit) -> str:
    return f"{signed(fit.ci_low)} to {signed(fit.ci_high)}"


@dataclass(frozen=True)
class Choice:
    indicator: str
    exposure: str


def _labels(inputs: OutcomeInputs) -> dict[str, dict[str, Any]]:
    return {row["code"]: row for row in inputs.indicators.definitions.iter_rows(named=True)}


def _options(chosen: str, pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"value": v, "text": t, "selected": v == chosen} for v, t in pairs]


def fit_summary(fit: OutcomeFit) -> list[dict[str, Any]]:
    """The fit's figures as a summary list."""
    rows = [
        ("Coefficient", signed(fit.coefficient)),
        ("95% interval", interval(fit)),
        ("p-value", f"{fit.p_value:.3g}"),
        ("R squared", f"{fit.r_squared:.3f}"),
        ("Organisations fitted", f"{fit.n_orgs:,}"),
        ("Organisations left out (a value missing)", f"{fit.n_excluded:,}"),
        ("Adjusted for", ", ".join(a.replace("_", " ") for a in fit.adjusted_for)),
    ]
    return [{"key": {"text": k}, "value": {"text": v}} for k, v in rows]


def _cell(cell: TableCell) -> dict[str, str]:
    if cell.fit is None:
        short = "too few organisations" if "too few" in (cell.reason or "") else "no fit"
        return {"text": short}
    fit = cell.fit
    return {"text": f"{signed(fit.coefficient)} ({interval(fit)}); n = {fit.n_orgs}"}


def all_pairs_table(inputs: OutcomeInputs, at: dt.date) -> dict[str, Any]:
    """Every exposure against every indicator: coefficient, interval and organisations."""
    labels = _labels(inputs)
    cells = fit_table(inputs, at, CROSS_SECTION)
    rows = []
    for code in inputs.indicators.codes():
        found = [c for c in cells if c.indicator == code]
        rows.append([{"text": labels[code]["name"]}, *(_cell(c) for c in found)])
    return {
        "caption": "Every exposure against every indicator: coefficient (95% interval); "
        "organisations fitted",
        "head": [{"text": "Indicator"}, *({"text": e.label} for e in EXPOSURES)],
        "rows": rows,
    }


def _panel_sentence(
    inputs: OutcomeInputs, choice: Choice, at: dt.date, label: dict[str, Any]
) -> str | None:
    periods = inputs.indicators.values.filter(
        (pl.col("indicator_code") == choice.indicator) & (pl.col("period_end") <= at)
    )["period_end"].n_unique()
    if periods < 2:
        return None
    try:
        fit = fit_outcome(inputs, choice.indicator, choice.exposure, at, PANEL)
    except FitError as exc:
        return f"Over its {periods} periods, the panel model could not be fitted: {exc}."
    return association_sentence(fit, label["name"], label["unit"])


def outcomes_view(
    inputs: OutcomeInputs, at: dt.date, choice: Choice, *, demo: bool, where: str, exact: bool
) -> dict[str, Any]:
    """Everything the Outcomes page shows for ``choice`` at ``at``; with ``exact`` (the
    caller sees exact figures of their scope) the chart has each organisation's point."""
    labels = _labels(inputs)
    label = labels[choice.indicator]
    chosen = exposure(choice.exposure)
    view: dict[str, Any] = {
        "title": "Outcomes",
        "as_at": date(at),
        "where": where,
        "demo_warning": DEMO_WARNING if demo else None,
        "caution": CAUTION,
        "indicator_items": _options(
            choice.indicator, [(c, labels[c]["name"]) for c in inputs.indicators.codes()]
        ),
        "exposure_items": _options(choice.exposure, [(e.name, e.label) for e in EXPOSURES]),
        "indicator_name": label["name"],
        "indicator_source": label["source"],
        "exposure_label": chosen.label,
        "fit_chart": None,
        "no_fit": None,
        "sentence": None,
        "summary": [],
        "panel_sentence": _panel_sentence(inputs, choice, at, label),
        "points_withheld": False,
        "pairs": all_pairs_table(inputs, at),
    }
    try:
        fit = fit_outcome(inputs, choice.indicator, choice.exposure, at, CROSS_SECTION)
    except FitError as exc:
        view["no_fit"] = f"{label['name']} cannot be fitted on {chosen.label.lower()}: {exc}."
        return view
    chart = outcome_chart(
        fit,
        name="outcome_fit",
        indicator_label=label["name"],
        exposure_label=chosen.label,
        points=exact,
    )
    view |= {
        "fit_chart": chart_view(chart),
        "sentence": association_sentence(fit, label["name"], label["unit"]),
        "summary": fit_summary(fit),
        "points_withheld": not exact,
    }
    return view


def _indicator_value(value: float | None, unit: str) -> str:
    if value is None:
        return "no value"
    if unit == "percent":
        return f"{value:.2f}%"
    if unit == "fraction":
        return f"{100 * value:.1f}%"
    return f"{value:.2f}"


def _exposure_value(value: float | None, unit: str) -> str:
    if value is None:
        return "no value"
    if unit == "share":
        return f"{100 * value:.0f}%"
    if unit == "count":
        return f"{value:g}"
    if unit == "points":
        return f"{signed(round(value, 1))} points"
    return f"{value:.1f}"


def ordinal(number: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``, ``53rd``."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def _percentile(value: float | None) -> str:
    return "not known" if value is None else ordinal(round(100 * value))


def peer_view(
    inputs: OutcomeInputs, ods_code: str, name: str, kind: str, at: dt.date, *, exact: bool
) -> dict[str, Any]:
    """The organisation's indicators and stability beside organisations of the same kind,
    and where it sits nationally (a strip plot of every organisation's latest values).

    Without ``exact`` the organisation's own stability figures are left to the page's
    figures, which are after disclosure control; the peers' medians are shown.
    """
    organisations = inputs.register.organisations
    definitions = inputs.indicators.definitions
    indicators = indicator_peers(organisations, inputs.indicators.values, definitions, ods_code, at)
    exposures = exposure_peers(organisations, inputs.exposures(at), ods_code)
    rows = [
        [
            {"text": r["name"] + ("" if r["higher_is_better"] else " (lower is better)")},
            {"text": _indicator_value(r["value"], r["unit"])},
            {"text": _percentile(r["percentile"])},
            {"text": _indicator_value(r["peer_median"], r["unit"])},
            {"text": str(r["peers"])},
        ]
        for r in indicators.iter_rows(named=True)
    ]
    stability = [
        [
            {"text": r["label"]},
            {"text": _exposure_value(r["value"], r["unit"]) if exact else "see Figures"},
            {"text": _exposure_value(r["peer_median"], r["unit"])},
            {"text": str(r["peers"])},
        ]
        for r in exposures.iter_rows(named=True)
    ]
    names = dict(zip(definitions["code"], definitions["name"], strict=True))
    strip = (
        latest_all(inputs.indicators.values, at)
        .filter(
            pl.col("indicator_code").is_in(
                indicators.filter(pl.col("value").is_not_null())["code"].implode()
            )
        )
        .select(
            indicator=pl.col("indicator_code").replace_strict(names, default=None),
            value="value",
            own=pl.col("ods_code") == ods_code,
        )
        .sort("own")
    )
    chart = (
        chart_view(peer_strip_chart(strip, name="peer_strip", organisation=name))
        if strip.height
        else None
    )
    return {
        "kind": KIND_WORDS.get(kind, kind),
        "indicator_rows": rows,
        "stability_rows": stability,
        "chart": chart,
    }
