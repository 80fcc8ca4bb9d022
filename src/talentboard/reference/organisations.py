"""The NHS trusts of England and their latest published oversight segments.

Built by ``scripts/build_reference.py`` from ODS and NHS England publications (Open
Government Licence v3.0); see ``docs/reference-data.md``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from talentboard.reference._files import read_csv


@dataclass(frozen=True, slots=True)
class ReferenceOrganisation:
    ods_code: str
    name: str
    kind: str
    region_code: str
    icb_code: str | None
    staff_headcount: int | None
    bme_staff_share: float | None
    opened_on: dt.date | None


@dataclass(frozen=True, slots=True)
class ReferencePerformance:
    ods_code: str
    effective_from: dt.date
    oversight_segment: int
    cqc_rating: str | None


@cache
def reference_organisations() -> tuple[ReferenceOrganisation, ...]:
    return tuple(
        ReferenceOrganisation(
            ods_code=r["ods_code"],
            name=r["name"],
            kind=r["kind"],
            region_code=r["region_code"],
            icb_code=r["icb_code"] or None,
            staff_headcount=int(r["staff_headcount"]) if r["staff_headcount"] else None,
            bme_staff_share=float(r["bme_staff_share"]) if r["bme_staff_share"] else None,
            opened_on=dt.date.fromisoformat(r["opened_on"]) if r["opened_on"] else None,
        )
        for r in read_csv("organisations.csv")
    )


@cache
def reference_performance() -> tuple[ReferencePerformance, ...]:
    return tuple(
        ReferencePerformance(
            ods_code=r["ods_code"],
            effective_from=dt.date.fromisoformat(r["effective_from"]),
            oversight_segment=int(r["oversight_segment"]),
            cqc_rating=r["cqc_rating"] or None,
        )
        for r in read_csv("performance.csv")
    )
