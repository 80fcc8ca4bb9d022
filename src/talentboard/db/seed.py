"""Loading the shipped NHS organisations and their published oversight segments."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard.db.models import Organisation, PerformanceRating
from talentboard.reference import reference_organisations, reference_performance


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
