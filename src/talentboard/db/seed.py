"""Loading the shipped NHS organisations, their published oversight segments and indicators."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from talentboard.db.models import IndicatorValue, Organisation, PerformanceRating
from talentboard.reference import reference_organisations, reference_performance
from talentboard.reference.indicators import closed_organisations, reference_indicator_values


@dataclass(frozen=True)
class SeedResult:
    organisations_added: int
    ratings_added: int


def load_reference_organisations(session: Session) -> SeedResult:
    """Add the shipped trusts and ratings that are not there yet; never overwrite local edits."""
    known = set(session.scalars(select(Organisation.ods_code)))
    new_orgs = [
        Organisation(
            ods_code=o.ods_code,
            name=o.name,
            kind=o.kind,
            region_code=o.region_code,
            icb_code=o.icb_code,
            staff_headcount=o.staff_headcount,
            bme_staff_share=o.bme_staff_share,
            opened_on=o.opened_on,
        )
        for o in reference_organisations()
        if o.ods_code not in known
    ]
    session.add_all(new_orgs)
    session.flush()
    rated = set(
        session.execute(select(PerformanceRating.ods_code, PerformanceRating.effective_from))
    )
    new_ratings = [
        PerformanceRating(
            ods_code=p.ods_code,
            effective_from=p.effective_from,
            oversight_segment=p.oversight_segment,
            cqc_rating=p.cqc_rating,
        )
        for p in reference_performance()
        if (p.ods_code, p.effective_from) not in rated
    ]
    session.add_all(new_ratings)
    session.flush()
    return SeedResult(len(new_orgs), len(new_ratings))


@dataclass(frozen=True)
class IndicatorSeedResult:
    organisations_added: int
    values_added: int


def load_reference_indicators(session: Session, *, closed: bool = True) -> IndicatorSeedResult:
    """Add the shipped indicator values that are not there yet, and (with ``closed``) the
    closed trusts they cover; never overwrite a value or organisation already stored
    (docs/reference-data.md). Without ``closed``, values of organisations not stored are
    left out."""
    known = set(session.scalars(select(Organisation.ods_code)))
    added = [
        {
            "ods_code": o.ods_code,
            "name": o.name,
            "kind": o.kind,
            "region_code": o.region_code,
            "icb_code": o.icb_code,
            "staff_headcount": o.staff_headcount,
            "bme_staff_share": None,
            "opened_on": o.opened_on,
            "closed_on": closed_on,
        }
        for o, closed_on in (closed_organisations() if closed else ())
        if o.ods_code not in known
    ]
    if added:
        session.execute(insert(Organisation), added)
    key = (IndicatorValue.ods_code, IndicatorValue.indicator_code, IndicatorValue.period_end)
    stored = {(ods, code, end) for ods, code, end in session.execute(select(*key))}
    codes = known | {o["ods_code"] for o in added}
    values = [
        {
            "ods_code": v.ods_code,
            "indicator_code": v.indicator_code,
            "period_start": v.period_start,
            "period_end": v.period_end,
            "value": v.value,
            "denominator": v.denominator,
        }
        for v in reference_indicator_values()
        if v.ods_code in codes and (v.ods_code, v.indicator_code, v.period_end) not in stored
    ]
    if values:
        session.execute(insert(IndicatorValue), values)
    session.flush()
    return IndicatorSeedResult(len(added), len(values))
