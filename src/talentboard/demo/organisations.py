"""The trusts the demo runs over: synthetic workforce BME shares and performance history.

The trusts themselves are the real ones ``talentboard init`` loads. Their workforce BME
share and their performance history before the published segments are synthetic: the
shares follow the regional pattern of the NHS workforce (about half in London, 10-30%
elsewhere, about a quarter nationally), and the yearly segments persist, so a trust that
is challenged now was usually challenged before.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_right
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard.db.models import Organisation, PerformanceRating
from talentboard.demo.calibration import (
    DEMO_AS_AT,
    HISTORY_START,
    REFERENCE_SEGMENT_DATE,
    WORKFORCE_BME_SHARE,
)
from talentboard.demo.rng import Weighted, day, stream, weighted
from talentboard.reference import reference_organisations

LONDON = "Y56"
# Typical workforce BME share by region outside London, and the multiplier by trust kind.
_REGIONAL_BME = {"Y58": 0.13, "Y59": 0.2, "Y60": 0.24, "Y61": 0.22, "Y62": 0.18, "Y63": 0.14}
_KIND_BME = {"acute": 1.08, "mental_health": 1.0, "community": 0.85, "ambulance": 0.45}

_DRAWN_SEGMENT = {
    "mental_health": weighted({1: 0.2, 2: 0.3, 3: 0.35, 4: 0.15}),
    "ambulance": weighted({1: 0.1, 2: 0.3, 3: 0.45, 4: 0.15}),
    "other": weighted({1: 0.15, 2: 0.15, 3: 0.45, 4: 0.25}),
}
_CQC_BY_SEGMENT: dict[int, Weighted[str]] = {
    1: weighted({"outstanding": 0.35, "good": 0.6, "requires_improvement": 0.05}),
    2: weighted({"outstanding": 0.1, "good": 0.7, "requires_improvement": 0.2}),
    3: weighted({"good": 0.45, "requires_improvement": 0.5, "inadequate": 0.05}),
    4: weighted({"good": 0.15, "requires_improvement": 0.6, "inadequate": 0.25}),
    5: weighted({"requires_improvement": 0.5, "inadequate": 0.5}),
}
# CQC's current ratings regime began in 2014; earlier synthetic rows carry no rating.
_CQC_FROM = dt.date(2014, 4, 1)
_SEGMENT_PERSISTENCE = 0.85


@dataclass(slots=True)
class Trust:
    """One trust in scope, with what the generator needs to know about it."""

    ods_code: str
    name: str
    kind: str
    region_code: str
    icb_code: str | None
    staff_headcount: int | None
    start: int
    bme_staff_share: float = 0.0
    rating_days: list[int] = field(default_factory=list)
    segments: list[int] = field(default_factory=list)

    def segment_at(self, when: int) -> int:
        """The segment of the latest rating effective on or before ``when`` (else the first)."""
        index = bisect_right(self.rating_days, when) - 1
        return self.segments[max(index, 0)]

    @property
    def segment_now(self) -> int:
        return self.segment_at(day(DEMO_AS_AT))

    @property
    def challenged(self) -> bool:
        return self.segment_now >= 3


@dataclass(slots=True)
class OrganisationPlan:
    trusts: list[Trust]
    bme_shares: dict[str, float]
    new_ratings: list[dict[str, object]]
    cqc_updates: list[tuple[int, str]]


def load_trusts(session: Session, region_code: str | None) -> list[Trust]:
    """The reference trusts in the database, in ODS code order, optionally of one region."""
    reference = {o.ods_code for o in reference_organisations()}
    query = select(Organisation).order_by(Organisation.ods_code)
    trusts = []
    history_start = day(HISTORY_START)
    for org in session.scalars(query):
        if org.ods_code not in reference:
            continue
        if region_code is not None and org.region_code != region_code:
            continue
        if org.closed_on is not None and org.closed_on <= DEMO_AS_AT:
            continue
        opened = day(org.opened_on) if org.opened_on else history_start
        trusts.append(
            Trust(
                ods_code=org.ods_code,
                name=org.name,
                kind=org.kind,
                region_code=org.region_code,
                icb_code=org.icb_code,
                staff_headcount=org.staff_headcount,
                start=max(history_start, opened),
            )
        )
    return trusts


def synthetic_bme_shares(session: Session, seed: int) -> dict[str, float]:
    """A workforce BME share for every reference trust, with the national mean pinned.

    London trusts draw 0.45-0.55; elsewhere the regional level times a kind multiplier and
    noise; then the non-London shares are scaled so the headcount-weighted national mean
    is ``WORKFORCE_BME_SHARE``. Computed over all trusts, so every scale agrees.
    """
    reference = {o.ods_code for o in reference_organisations()}
    rows = [
        (o.ods_code, o.region_code, o.kind, o.staff_headcount or 0)
        for o in session.scalars(select(Organisation).order_by(Organisation.ods_code))
        if o.ods_code in reference
    ]
    rng = stream(seed, "bme_staff_share")
    shares: dict[str, float] = {}
    for ods_code, region_code, kind, _ in rows:
        if region_code == LONDON:
            shares[ods_code] = rng.uniform(0.45, 0.55)
        else:
            base = _REGIONAL_BME.get(region_code, 0.2) * _KIND_BME.get(kind, 1.0)
            shares[ods_code] = base * rng.uniform(0.75, 1.25)
    london_weight = sum(h for code, r, _, h in rows if r == LONDON)
    london_mass = sum(shares[code] * h for code, r, _, h in rows if r == LONDON)
    other = [(code, h) for code, r, _, h in rows if r != LONDON]
    total_weight = london_weight + sum(h for _, h in other)
    for _ in range(5):
        other_mass = sum(shares[code] * h for code, h in other)
        if total_weight == 0 or other_mass == 0:
            break
        factor = (WORKFORCE_BME_SHARE * total_weight - london_mass) / other_mass
        for code, _ in other:
            shares[code] = min(0.42, max(0.04, shares[code] * factor))
    return {code: round(share, 4) for code, share in shares.items()}


def plan_organisations(session: Session, trusts: list[Trust], seed: int) -> OrganisationPlan:
    """BME shares and the performance history of the trusts in scope.

    A trust's published segments are kept; a trust without one draws a plausible segment
    at the published date (or its opening, if later). Synthetic yearly ratings (1 April)
    run from the start of the history up to the earliest rating already there. CQC
    ratings (from 2014) follow the segment and often carry over from the year before;
    ratings already there without one get one too.
    """
    all_shares = synthetic_bme_shares(session, seed)
    existing: dict[str, list[_Rating]] = {}
    query = select(
        PerformanceRating.id,
        PerformanceRating.ods_code,
        PerformanceRating.effective_from,
        PerformanceRating.oversight_segment,
        PerformanceRating.cqc_rating,
    ).order_by(PerformanceRating.ods_code, PerformanceRating.effective_from)
    for rating_id, ods_code, effective, segment, rated in session.execute(query):
        existing.setdefault(ods_code, []).append(_Rating(effective, segment, rated, rating_id))
    plan = OrganisationPlan(trusts, {}, [], [])
    for trust in trusts:
        trust.bme_staff_share = plan.bme_shares[trust.ods_code] = all_shares[trust.ods_code]
        rng = stream(seed, "performance", trust.ods_code)
        history = _rating_history(rng, trust, existing.get(trust.ods_code, []))
        cqc: str | None = None
        for rating in history:
            if rating.effective_from >= _CQC_FROM and rating.segment is not None:
                if cqc is None or rng.random() >= 0.6:
                    cqc = _CQC_BY_SEGMENT[rating.segment].draw(rng)
                if rating.id is None:
                    rating.cqc = cqc
                elif rating.cqc is None:
                    plan.cqc_updates.append((rating.id, cqc))
            if rating.id is None:
                plan.new_ratings.append(
                    {
                        "ods_code": trust.ods_code,
                        "effective_from": rating.effective_from,
                        "oversight_segment": rating.segment,
                        "cqc_rating": rating.cqc,
                    }
                )
        segmented = [r for r in history if r.segment is not None]
        trust.rating_days = [day(r.effective_from) for r in segmented]
        trust.segments = [r.segment for r in segmented if r.segment is not None]
    return plan


@dataclass(slots=True)
class _Rating:
    effective_from: dt.date
    segment: int | None
    cqc: str | None
    id: int | None = None


def _rating_history(rng: random.Random, trust: Trust, existing: list[_Rating]) -> list[_Rating]:
    """The trust's ratings in date order: those already there and the synthetic ones."""
    history = list(existing)
    known = [r for r in existing if r.segment is not None]
    if known:
        anchor_date, anchor = known[0].effective_from, known[0].segment
        assert anchor is not None
    else:
        anchor_date = max(REFERENCE_SEGMENT_DATE, dt.date.fromordinal(trust.start))
        anchor = _DRAWN_SEGMENT.get(trust.kind, _DRAWN_SEGMENT["other"]).draw(rng)
        history.append(_Rating(anchor_date, anchor, None))
    earliest = min([anchor_date, *(r.effective_from for r in existing)])
    for effective in reversed(_yearly_dates(trust.start, earliest)):
        anchor = _previous_segment(rng, anchor)
        history.append(_Rating(effective, anchor, None))
    return sorted(history, key=lambda r: r.effective_from)


def _yearly_dates(start: int, before: dt.date) -> list[dt.date]:
    """1 April of each year from the trust's start (or the start itself) to before ``before``."""
    first = dt.date.fromordinal(start)
    dates = [] if first.month == 4 and first.day == 1 else [first]
    dates += [
        dt.date(year, 4, 1)
        for year in range(first.year, before.year + 1)
        if dt.date(year, 4, 1) >= first
    ]
    return [d for d in sorted(set(dates)) if d < before]


def _previous_segment(rng: random.Random, segment: int) -> int:
    """The segment a year earlier: usually the same, otherwise one step away (1-4)."""
    if rng.random() < _SEGMENT_PERSISTENCE:
        return min(segment, 4)
    if segment <= 1:
        return 2
    if segment >= 4:
        return 3
    return segment + (1 if rng.random() < 0.5 else -1)
