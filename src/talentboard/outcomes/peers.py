"""An organisation's indicators and stability against organisations of the same kind.

For each indicator, the organisation's latest value whose period ends on or before ``t``
(as the fits take it), beside its peers' (the other organisations of the same kind with a
value): how many there are, the organisation's percentile among them (the share of peers
with a lower value, plus half of those with an equal one) and their median. The same for
the exposures at ``t``. Definitions in docs/metrics.md ("Peer comparison").
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from talentboard.outcomes.exposures import EXPOSURES
from talentboard.outcomes.models import latest_values

__all__ = ["exposure_peers", "indicator_peers", "latest_all"]


def latest_all(values: pl.DataFrame, at: dt.date) -> pl.DataFrame:
    """Every organisation's latest value of every indicator at ``at``
    (``ods_code``, ``indicator_code``, ``period_end``, ``value``)."""
    codes = values["indicator_code"].unique().sort().to_list()
    frames = [
        latest_values(values, code, at).with_columns(indicator_code=pl.lit(code)) for code in codes
    ]
    schema = {
        "ods_code": pl.String,
        "indicator_code": pl.String,
        "period_end": pl.Date,
        "value": pl.Float64,
    }
    if not frames:
        return pl.DataFrame(schema=schema)
    return pl.concat(frames).select(list(schema))


def _compare(own: float | None, others: list[float]) -> tuple[int, float | None, float | None]:
    """Peers counted, the percentile of ``own`` among them and their median."""
    if not others:
        return 0, None, None
    median = float(pl.Series(others).median())  # type: ignore[arg-type]
    if own is None:
        return len(others), None, median
    lower = sum(1 for v in others if v < own)
    equal = sum(1 for v in others if v == own)
    return len(others), (lower + 0.5 * equal) / len(others), median


def _peers(organisations: pl.DataFrame, ods_code: str) -> list[str]:
    kind = organisations.filter(pl.col("ods_code") == ods_code)["kind"]
    if kind.is_empty():
        return []
    same = organisations.filter((pl.col("kind") == kind[0]) & (pl.col("ods_code") != ods_code))
    return same["ods_code"].to_list()


def indicator_peers(
    organisations: pl.DataFrame,
    values: pl.DataFrame,
    definitions: pl.DataFrame,
    ods_code: str,
    at: dt.date,
) -> pl.DataFrame:
    """One row per indicator that the organisation or a peer has a value of: ``code``,
    ``name``, ``unit``, ``higher_is_better``, ``value``, ``period_end``, ``peers``,
    ``percentile``, ``peer_median``; in catalogue order."""
    latest = latest_all(values, at)
    peers = set(_peers(organisations, ods_code))
    rows = []
    for definition in definitions.iter_rows(named=True):
        of_code = latest.filter(pl.col("indicator_code") == definition["code"])
        own = of_code.filter(pl.col("ods_code") == ods_code)
        others = of_code.filter(pl.col("ods_code").is_in(sorted(peers)))["value"].to_list()
        value = None if own.is_empty() else float(own["value"][0])
        if value is None and not others:
            continue
        count, percentile, median = _compare(value, others)
        rows.append(
            {
                "code": definition["code"],
                "name": definition["name"],
                "unit": definition["unit"],
                "higher_is_better": definition["higher_is_better"],
                "value": value,
                "period_end": None if own.is_empty() else own["period_end"][0],
                "peers": count,
                "percentile": percentile,
                "peer_median": median,
            }
        )
    schema = {
        "code": pl.String,
        "name": pl.String,
        "unit": pl.String,
        "higher_is_better": pl.Boolean,
        "value": pl.Float64,
        "period_end": pl.Date,
        "peers": pl.Int64,
        "percentile": pl.Float64,
        "peer_median": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def exposure_peers(
    organisations: pl.DataFrame, exposures: pl.DataFrame, ods_code: str
) -> pl.DataFrame:
    """The organisation's exposures beside its peers': ``name``, ``label``, ``unit``,
    ``value``, ``peers``, ``percentile``, ``peer_median``, in ``EXPOSURES`` order."""
    peers = set(_peers(organisations, ods_code))
    own = exposures.filter(pl.col("ods_code") == ods_code)
    others = exposures.filter(pl.col("ods_code").is_in(sorted(peers)))
    rows = []
    for exposure in EXPOSURES:
        value = None if own.is_empty() else own[exposure.name][0]
        count, percentile, median = _compare(
            None if value is None else float(value),
            [float(v) for v in others[exposure.name].drop_nulls().to_list()],
        )
        rows.append(
            (exposure.name, exposure.label, exposure.unit, value, count, percentile, median)
        )
    schema = {
        "name": pl.String,
        "label": pl.String,
        "unit": pl.String,
        "value": pl.Float64,
        "peers": pl.Int64,
        "percentile": pl.Float64,
        "peer_median": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")
