"""Outcome indicators as Polars frames: definitions (catalogue and declared) and values."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard.db.models import IndicatorDefinition, IndicatorValue
from talentboard.reference.indicators import indicator_catalogue

__all__ = ["DEFINITIONS_SCHEMA", "VALUES_SCHEMA", "IndicatorFrames", "load_indicators"]

DEFINITIONS_SCHEMA: dict[str, pl.DataType] = {
    "code": pl.String(),
    "name": pl.String(),
    "unit": pl.String(),
    "higher_is_better": pl.Boolean(),
    "source": pl.String(),
    "licence": pl.String(),
}
VALUES_SCHEMA: dict[str, pl.DataType] = {
    "ods_code": pl.String(),
    "indicator_code": pl.String(),
    "period_start": pl.Date(),
    "period_end": pl.Date(),
    "value": pl.Float64(),
    "denominator": pl.Float64(),
}


@dataclass(frozen=True)
class IndicatorFrames:
    """``definitions``: the catalogue's indicators, then those declared by import, in that
    order (columns ``DEFINITIONS_SCHEMA``); ``values``: every stored value
    (``VALUES_SCHEMA``)."""

    definitions: pl.DataFrame
    values: pl.DataFrame

    def codes(self) -> list[str]:
        return list(self.definitions["code"])


def catalogue_frame() -> pl.DataFrame:
    rows = [
        (d.code, d.name, d.unit, d.higher_is_better, d.source, d.licence)
        for d in indicator_catalogue()
    ]
    return pl.DataFrame(rows, schema=DEFINITIONS_SCHEMA, orient="row")


def load_indicators(session: Session) -> IndicatorFrames:
    """The indicator definitions and values the database holds."""
    declared = pl.DataFrame(
        [
            tuple(r)
            for r in session.execute(
                select(*(getattr(IndicatorDefinition, c) for c in DEFINITIONS_SCHEMA)).order_by(
                    IndicatorDefinition.code
                )
            )
        ],
        schema=DEFINITIONS_SCHEMA,
        orient="row",
    )
    values = pl.DataFrame(
        [
            tuple(r)
            for r in session.execute(select(*(getattr(IndicatorValue, c) for c in VALUES_SCHEMA)))
        ],
        schema=VALUES_SCHEMA,
        orient="row",
    )
    return IndicatorFrames(pl.concat([catalogue_frame(), declared]), values)
