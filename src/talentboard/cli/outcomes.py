"""``talentboard outcomes``: how leadership stability goes with outcome indicators.

Prints the fit of an indicator on an exposure (docs/metrics.md, "Outcomes"): an
association after adjusting for organisation kind and size, with its 95% interval, never a
claim of cause.
"""

from __future__ import annotations

import enum
from typing import Annotated

import typer

from talentboard.cli.app import app
from talentboard.cli.options import DbOption, at_option, format_option, parse_date

__all__ = ["outcomes"]

# ``talentboard.outcomes.exposure_names()``, written out so that ``--help`` need not load
# the analytics (tests/cli/test_startup.py checks they agree).
EXPOSURE_NAMES = (
    "ceo_changes_3y",
    "exec_vacancy_share",
    "exec_interim_share",
    "exec_mean_time_in_post_years",
    "board_bme_gap_pp",
)


class Model(enum.StrEnum):
    ols_hc3 = "ols_hc3"
    panel = "panel"


class OutputFormat(enum.StrEnum):
    table = "table"
    json = "json"


@app.command()
def outcomes(
    indicator: Annotated[
        str,
        typer.Option(
            "--indicator",
            help="The indicator code, e.g. staff_engagement (docs/metrics.md).",
            show_default=False,
        ),
    ],
    exposure: Annotated[
        str,
        typer.Option(
            "--exposure",
            help="The exposure: " + ", ".join(EXPOSURE_NAMES) + ", or all.",
            show_default=False,
        ),
    ],
    at: Annotated[
        str | None, at_option("As-at date, YYYY-MM-DD or DD/MM/YYYY (default: today).")
    ] = None,
    model: Annotated[
        Model,
        typer.Option(
            "--model",
            help="ols_hc3: cross-section, latest values; panel: two-way fixed effects over "
            "every period.",
        ),
    ] = Model.ols_hc3,
    output: Annotated[OutputFormat, format_option()] = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Fit an outcome indicator on a leadership exposure, adjusted for kind and size."""
    import datetime as dt

    as_at = parse_date(at, "--at") if at is not None else dt.date.today()
    from talentboard.cli import _outcomes_work

    _outcomes_work.run(db, indicator, exposure, as_at, model.value, output.value)
