"""Outcome indicators: user-declared definitions and each organisation's values."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl
from sqlalchemy import select

from talentboard import vocab
from talentboard.db.models import IndicatorDefinition, IndicatorValue
from talentboard.ingest.cells import Boolean, Code, Date, Number, Text
from talentboard.ingest.kinds.register import ORGANISATION
from talentboard.ingest.report import Problem
from talentboard.ingest.schema import ROW, Column, Kind, RuleContext
from talentboard.ingest.tables import OneTable
from talentboard.reference.indicators import catalogue_codes, indicator_catalogue
from talentboard.rules import INDICATOR_VALUE

CODE_PATTERN = r"^[a-z][a-z0-9_]*$"
# The values a unit allows, where it bounds them.
UNIT_BOUNDS = {"score_0_10": (0.0, 10.0), "percent": (0.0, 100.0), "fraction": (0.0, 1.0)}


def declared_codes(context: RuleContext) -> Iterable[Problem]:
    """A declared code is new: lower-case letters, digits and ``_``, not a catalogue code."""
    codes = context.frame.select(ROW, "code").filter(pl.col("code").is_not_null())
    badly_formed = codes.filter(~pl.col("code").str.contains(CODE_PATTERN)).select(
        ROW, pl.lit("use lower-case letters, digits and _ , starting with a letter").alias("reason")
    )
    shipped = codes.filter(pl.col("code").is_in(sorted(catalogue_codes()))).select(
        ROW,
        pl.lit(
            "is in the shipped indicator catalogue, whose definitions cannot be changed; "
            "choose another code"
        ).alias("reason"),
    )
    return context.problems(pl.concat([badly_formed, shipped]).sort(ROW), "code")


def _known_units(context: RuleContext) -> dict[str, str]:
    """Every indicator code the database knows, with its unit: catalogue and declared."""
    declared = context.session.scalars(select(IndicatorDefinition))
    return {d.code: d.unit for d in indicator_catalogue()} | {d.code: d.unit for d in declared}


def known_indicators(context: RuleContext) -> Iterable[Problem]:
    """Each indicator code is in the catalogue or declared; each value fits its unit."""
    units = _known_units(context)
    frame = context.frame.select(ROW, "indicator_code", "value").filter(
        pl.col("indicator_code").is_not_null()
    )
    unknown = frame.filter(~pl.col("indicator_code").is_in(sorted(units))).select(
        ROW,
        pl.lit(
            "unknown indicator code: use a code of the indicator catalogue "
            "(docs/metrics.md) or declare it first with an indicator-definitions import"
        ).alias("reason"),
    )
    problems = context.problems(unknown, "indicator_code")
    with_unit = frame.with_columns(
        unit=pl.col("indicator_code").replace_strict(units, default=None, return_dtype=pl.String)
    ).filter(pl.col("value").is_not_null())
    for unit, (low, high) in UNIT_BOUNDS.items():
        outside = with_unit.filter(
            (pl.col("unit") == unit) & ((pl.col("value") < low) | (pl.col("value") > high))
        ).select(ROW, pl.lit(f"must be between {low:g} and {high:g} for a {unit} indicator"))
        problems += context.problems(outside.rename({"literal": "reason"}), "value")
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))


INDICATOR_DEFINITIONS = Kind(
    name="indicator-definitions",
    summary=(
        "Outcome indicators beyond the shipped catalogue: what each measures, its unit and source."
    ),
    columns=(
        Column(
            "code",
            Text(40),
            "A short code for the indicator, e.g. `bank_staff_spend`.",
            required=True,
        ),
        Column("name", Text(200), "The indicator's name as people know it.", required=True),
        Column("unit", Code(vocab.INDICATOR_UNITS), "How it is measured.", required=True),
        Column(
            "higher_is_better",
            Boolean(),
            "Whether a higher value is better.",
            required=True,
        ),
        Column("source", Text(400), "Who publishes it, and where."),
        Column("licence", Text(200), "The licence it is published under."),
    ),
    key=("code",),
    rules=(declared_codes,),
    rule_docs=(
        "A code is lower-case letters, digits and `_`, starting with a letter, and not one "
        'of the shipped catalogue\'s codes (docs/metrics.md, "Outcomes").',
    ),
    mapping=OneTable(IndicatorDefinition),
)

INDICATORS = Kind(
    name="indicators",
    summary="Each organisation's value of an outcome indicator over a period.",
    columns=(
        Column("ods_code", Text(12), "The organisation.", required=True),
        Column(
            "indicator_code",
            Text(40),
            "The indicator: a catalogue code or one declared by an indicator-definitions import.",
            required=True,
        ),
        Column("period_start", Date(), "The first day of the period measured.", required=True),
        Column("period_end", Date(), "The last day of the period measured.", required=True),
        Column("value", Number(), "The value, in the indicator's unit.", required=True),
        Column("denominator", Number(minimum=0), "What the value was computed over, if known."),
    ),
    key=("ods_code", "indicator_code", "period_end"),
    references=(ORGANISATION,),
    orders=INDICATOR_VALUE.orders,
    rules=(known_indicators,),
    rule_docs=(
        "The indicator code is one of the catalogue (docs/metrics.md) or declared by an "
        "indicator-definitions import; a `score_0_10` value is between 0 and 10, a "
        "`percent` between 0 and 100, a `fraction` between 0 and 1.",
    ),
    mapping=OneTable(IndicatorValue),
)
