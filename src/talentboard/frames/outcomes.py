"""Outcome indicators as Polars frames: definitions (catalogue and declared) and values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import Boolean, Date, Float, String, column, select, table
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

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


_TYPES: dict[type[pl.DataType], type[TypeEngine[Any]]] = {
    pl.String: String,
    pl.Boolean: Boolean,
    pl.Date: Date,
    pl.Float64: Float,
}


def _read(session: Session, name: str, schema: dict[str, pl.DataType], order: str) -> pl.DataFrame:
    # A lightweight table, typed so dates and booleans come back as such on every backend:
    # analysis never imports the models.
    source = table(name, *(column(c, _TYPES[type(t)]) for c, t in schema.items()))
    rows = session.execute(select(*source.c).order_by(source.c[order])).all()
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")


def load_indicators(session: Session) -> IndicatorFrames:
    """The indicator definitions and values the database holds."""
    declared = _read(session, "indicator_definitions", DEFINITIONS_SCHEMA, "code")
    values = _read(session, "indicator_values", VALUES_SCHEMA, "ods_code")
    return IndicatorFrames(pl.concat([catalogue_frame(), declared]), values)
