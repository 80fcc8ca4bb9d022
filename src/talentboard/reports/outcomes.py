"""The board report's "Outcomes" section: leadership stability against outcome indicators.

Every fit comes from ``talentboard.outcomes`` (as ``talentboard outcomes`` gives it). The
figures are coefficients and counts of organisations, never of people; the chart's points
are unnamed organisations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from talentboard.outcomes import (
    CROSS_SECTION,
    EXPOSURES,
    FitError,
    OutcomeInputs,
    TableCell,
    fit_outcome,
    fit_table,
)
from talentboard.outcomes.wording import association_sentence
from talentboard.reports.charts.outcomes import outcome_chart
from talentboard.reports.model import Cell, ChartSpec, Column, PrintedRows, Section, Table

__all__ = ["HEADLINE_PAIR", "PRINTED_STRONGEST", "outcomes_section", "outcomes_table"]

HEADLINE_PAIR = ("staff_engagement", "ceo_changes_3y")
DEMO_NOTE = (
    "The people in this database are the synthetic demo workforce: the indicator figures "
    "are real published NHS figures, but the leadership data beside them is invented, so "
    "these associations say nothing about the real NHS."
)
# The printed report's Outcomes table: every pair significant at the 5% level, and the
# strongest pairs (smallest p-values) up to this many, whichever is more.
PRINTED_STRONGEST = 10
SIGNIFICANT = 0.05
COLUMNS = (
    Column("indicator", "Indicator"),
    Column("exposure", "Exposure"),
    Column("coefficient", "Coefficient", "number"),
    Column("ci_low", "95% interval, lower", "number"),
    Column("ci_high", "95% interval, upper", "number"),
    Column("p_value", "p-value", "number"),
    Column("n_orgs", "Organisations fitted", "count"),
    Column("n_excluded", "Organisations left out", "count"),
    Column("reason", "Why no figure"),
)


def outcomes_table(
    inputs: OutcomeInputs, at: dt.date, cells: Sequence[TableCell] | None = None
) -> Table:
    """Every exposure against every indicator, one row each, cross-section fits
    (``cells``, when ``fit_table`` has already given them)."""
    names = {
        row["code"]: row["name"] for row in inputs.indicators.definitions.iter_rows(named=True)
    }
    labels = {e.name: e.label for e in EXPOSURES}
    rows: list[tuple[Cell, ...]] = []
    p_values: list[float | None] = []
    for cell in fit_table(inputs, at, CROSS_SECTION) if cells is None else cells:
        fit = cell.fit
        figures: tuple[Cell, ...] = (
            (fit.coefficient, fit.ci_low, fit.ci_high, fit.p_value, fit.n_orgs, fit.n_excluded)
            if fit is not None
            else (None,) * 6
        )
        rows.append((names[cell.indicator], labels[cell.exposure], *figures, cell.reason or ""))
        p_values.append(fit.p_value if fit is not None else None)
    return Table(
        name="outcomes_pairs",
        caption="Outcome indicators against leadership exposures, adjusted for kind and size",
        columns=COLUMNS,
        rows=tuple(rows),
        notes=(
            "Ordinary least squares of each organisation's latest indicator value on the "
            "exposure, organisation kind and the log of staff headcount, with HC3 robust "
            "standard errors. A share's coefficient is per whole share (0 to 1).",
        ),
        sheet="Outcomes",
        printed=printed_rows(p_values),
    )


def printed_rows(p_values: Sequence[float | None]) -> PrintedRows:
    """The pairs the PDF shows: those significant at the 5% level and the
    ``PRINTED_STRONGEST`` with the smallest p-values, in the table's order; the note says
    so, how many are left out, and where they are."""
    fitted = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    chosen = {i for p, i in fitted if p < SIGNIFICANT} | {i for _, i in fitted[:PRINTED_STRONGEST]}
    not_fitted = sum(p is None for p in p_values)
    left = len(p_values) - len(chosen)
    note = (
        f"This printed report shows {len(chosen)} of the {len(p_values)} pairs: those with "
        f"a p-value below {SIGNIFICANT:g} and, of the {len(fitted)} fitted, the "
        f"{min(PRINTED_STRONGEST, len(fitted))} with the smallest p-values. "
        f"The other {left} ({not_fitted} with no figure) are in the Excel "
        "report (sheet Outcomes) and on the report's web page, which have every pair."
    )
    return PrintedRows(tuple(sorted(chosen)), note)


def _headline(
    inputs: OutcomeInputs, at: dt.date, cells: Sequence[TableCell]
) -> tuple[str, ChartSpec | None]:
    indicator, exposure = HEADLINE_PAIR
    definition = inputs.indicators.definitions.row(
        inputs.indicators.codes().index(indicator), named=True
    )
    label = next(e.label for e in EXPOSURES if e.name == exposure)
    cannot = f"{definition['name']} cannot be fitted on {label.lower()}"
    # The table's fits include the headline pair's: it is fitted once, not twice.
    cell = next((c for c in cells if (c.indicator, c.exposure) == HEADLINE_PAIR), None)
    if cell is None:
        try:
            fit = fit_outcome(inputs, indicator, exposure, at, CROSS_SECTION)
        except FitError as exc:
            return f"{cannot}: {exc}.", None
    elif cell.fit is None:
        return f"{cannot}: {cell.reason}.", None
    else:
        fit = cell.fit
    # The report is published after disclosure control: no organisation's own point.
    chart = outcome_chart(
        fit,
        name="outcomes_chart",
        indicator_label=definition["name"],
        exposure_label=label,
        points=False,
    )
    return association_sentence(fit, definition["name"], definition["unit"]), chart


def outcomes_section(inputs: OutcomeInputs, at: dt.date, *, demo: bool) -> Section:
    """The section: what the fits mean, the headline pair's chart, and the full table."""
    cells = fit_table(inputs, at, CROSS_SECTION)
    sentence, chart = _headline(inputs, at, cells)
    paragraphs = (
        "How leadership stability goes with the outcomes organisations are judged on: "
        "each organisation's latest published indicator value against its leadership "
        "figures at the report date, adjusted for the kind and size of organisation.",
        *((DEMO_NOTE,) if demo else ()),
        sentence,
    )
    return Section(
        "outcomes",
        "Outcomes",
        paragraphs,
        charts=(chart,) if chart is not None else (),
        tables=(outcomes_table(inputs, at, cells),),
    )
