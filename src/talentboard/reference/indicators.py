"""The outcome indicator catalogue and the published values shipped with the package.

``indicators/catalogue.csv`` defines the indicators every installation knows;
``indicators/values.csv`` holds NHS Staff Survey 2025 and sickness absence figures
for the trusts of England, and ``indicators/closed_organisations.csv`` the trusts those
figures cover that have closed since. Built by ``scripts/build_indicators.py`` from NHS
publications (Open Government Licence v3.0); see ``docs/reference-data.md``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from talentboard.reference._files import as_bool, read_csv
from talentboard.reference.organisations import ReferenceOrganisation

OGL_ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0."
)


@dataclass(frozen=True, slots=True)
class Indicator:
    """What an indicator measures: ``unit`` one of ``vocab.INDICATOR_UNITS``."""

    code: str
    name: str
    unit: str
    higher_is_better: bool
    source: str | None
    licence: str | None


@dataclass(frozen=True, slots=True)
class ReferenceIndicatorValue:
    ods_code: str
    indicator_code: str
    period_start: dt.date
    period_end: dt.date
    value: float
    denominator: float | None


@cache
def indicator_catalogue() -> tuple[Indicator, ...]:
    """The shipped indicator definitions, in catalogue order."""
    return tuple(
        Indicator(
            code=r["code"],
            name=r["name"],
            unit=r["unit"],
            higher_is_better=as_bool(r["higher_is_better"]),
            source=r["source"] or None,
            licence=r["licence"] or None,
        )
        for r in read_csv("indicators/catalogue.csv")
    )


@cache
def catalogue_codes() -> frozenset[str]:
    return frozenset(d.code for d in indicator_catalogue())


@cache
def reference_indicator_values() -> tuple[ReferenceIndicatorValue, ...]:
    return tuple(
        ReferenceIndicatorValue(
            ods_code=r["ods_code"],
            indicator_code=r["indicator_code"],
            period_start=dt.date.fromisoformat(r["period_start"]),
            period_end=dt.date.fromisoformat(r["period_end"]),
            value=float(r["value"]),
            denominator=float(r["denominator"]) if r["denominator"] else None,
        )
        for r in read_csv("indicators/values.csv")
    )


@cache
def closed_organisations() -> tuple[tuple[ReferenceOrganisation, dt.date], ...]:
    """The trusts the shipped figures cover that have closed, each with its closing date."""
    return tuple(
        (
            ReferenceOrganisation(
                ods_code=r["ods_code"],
                name=r["name"],
                kind=r["kind"],
                region_code=r["region_code"],
                icb_code=r["icb_code"] or None,
                staff_headcount=int(r["staff_headcount"]) if r["staff_headcount"] else None,
                bme_staff_share=None,
                opened_on=dt.date.fromisoformat(r["opened_on"]) if r["opened_on"] else None,
            ),
            dt.date.fromisoformat(r["closed_on"]),
        )
        for r in read_csv("indicators/closed_organisations.csv")
    )
