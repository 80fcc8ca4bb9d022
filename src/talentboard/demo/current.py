"""The state of every post at the as-at date: who has been in post how long, what is vacant.

For executive board posts this is where the calibration happens (DESIGN section 5
definitions, section 1 figures):

- vacancies are placed by quota: ``round(37% x trusts)`` trusts get one vacant executive
  post each, chosen with weights that rise with the trust's oversight segment, and the
  remaining ``round(8% x executive posts)`` vacancies go to those same trusts (again
  favouring challenged ones), so vacancies cluster the way the published pair of figures
  requires;
- serving executives' start dates are given by rank: each draws a score (normal noise
  plus a shift by segment, so challenged trusts' executives are the more recent), and the
  k-th lowest of n takes the ``(k + u) / n`` quantile of the published time-in-post
  distribution, so 20% started within a year and 54% within three, and chief executives'
  median is three years.

Other posts draw their state from their role's tenure profile.
"""

from __future__ import annotations

import itertools
import random

from talentboard.demo.calibration import (
    CHIEF_EXEC_ELAPSED_CDF,
    CURRENT_CONTRACT_RENEWAL,
    EXEC_ELAPSED_CDF,
    EXEC_VACANCY_RATE,
    MAX_VACANCIES_PER_TRUST,
    ORGS_WITH_EXEC_VACANCY_SHARE,
    TENURE_SHIFT_BY_SEGMENT,
    VACANCY_COVER,
    VACANCY_WEIGHT_BY_ROLE,
    VACANCY_WEIGHT_BY_SEGMENT,
)
from talentboard.demo.history import MIN_SPELL_DAYS, Anchor, profile_for
from talentboard.demo.posts import AS_AT, PostPlan
from talentboard.demo.rng import (
    Weighted,
    lognormal_days,
    sample_weighted,
    stream,
    weighted,
    years_to_days,
)

_VACANCY_COVER: Weighted[str | None] = weighted(VACANCY_COVER)


def inverse_cdf(knots: tuple[tuple[float, float], ...], share: float) -> float:
    """The value at which a piecewise-linear cumulative distribution reaches ``share``."""
    for (x0, p0), (x1, p1) in itertools.pairwise(knots):
        if share <= p1:
            return x0 + (x1 - x0) * (share - p0) / (p1 - p0) if p1 > p0 else x0
    return knots[-1][0]


def _vacant_since(rng: random.Random, post: PostPlan) -> int:
    since = AS_AT - min(540, max(20, lognormal_days(rng, 150, 0.7)))
    if since - post.established_from < MIN_SPELL_DAYS:
        since = post.established_from
    return since


def executive_anchors(posts: list[PostPlan], seed: int) -> dict[int, Anchor]:
    """Calibrated as-at state of the executive board posts existing at the as-at date."""
    executive = [p for p in posts if p.executive_board and p.exists_at(AS_AT)]
    by_trust: dict[str, list[PostPlan]] = {}
    for post in executive:
        by_trust.setdefault(post.trust.ods_code, []).append(post)
    rng = stream(seed, "vacancies")
    codes = list(by_trust)
    trust_weight = {
        code: VACANCY_WEIGHT_BY_SEGMENT[by_trust[code][0].trust.segment_now] for code in codes
    }
    trusts_with_vacancy = round(ORGS_WITH_EXEC_VACANCY_SHARE * len(codes))
    vacancies = max(trusts_with_vacancy, round(EXEC_VACANCY_RATE * len(executive)))
    chosen = sample_weighted(rng, codes, [trust_weight[c] for c in codes], trusts_with_vacancy)
    counts = dict.fromkeys(chosen, 1)
    for _ in range(vacancies - trusts_with_vacancy):
        room = [c for c in chosen if counts[c] < min(MAX_VACANCIES_PER_TRUST, len(by_trust[c]))]
        if not room:
            break
        code = Weighted((c, trust_weight[c]) for c in room).draw(rng)
        counts[code] += 1
    vacant: set[int] = set()
    for code in chosen:
        candidates = by_trust[code]
        weights = [VACANCY_WEIGHT_BY_ROLE[p.role_code] for p in candidates]
        vacant.update(p.ref for p in sample_weighted(rng, candidates, weights, counts[code]))

    anchors: dict[int, Anchor] = {}
    for post in executive:
        if post.ref in vacant:
            anchors[post.ref] = Anchor(
                vacant_since=_vacant_since(rng, post), cover=_VACANCY_COVER.draw(rng)
            )
    tenure_rng = stream(seed, "executive_tenure")
    filled = [p for p in executive if p.ref not in vacant]
    for is_chief, knots in ((True, CHIEF_EXEC_ELAPSED_CDF), (False, EXEC_ELAPSED_CDF)):
        group = [p for p in filled if (p.role_code == "chief_executive") == is_chief]
        scored = sorted(
            (
                tenure_rng.normalvariate(0.0, 1.0) + TENURE_SHIFT_BY_SEGMENT[p.trust.segment_now],
                p.ref,
                p,
            )
            for p in group
        )
        for rank, (_, _, post) in enumerate(scored):
            elapsed = inverse_cdf(knots, (rank + tenure_rng.random()) / len(scored))
            start = max(post.established_from, AS_AT - max(1, years_to_days(elapsed)))
            renewal = None
            if (
                AS_AT - start > years_to_days(3.2)
                and tenure_rng.random() < CURRENT_CONTRACT_RENEWAL
            ):
                point = AS_AT - years_to_days(tenure_rng.uniform(0.3, 2.9))
                renewal = (point, point + (0 if tenure_rng.random() < 0.6 else 1))
            anchors[post.ref] = Anchor(holder_start=start, renewal=renewal)
    return anchors


def drawn_anchor(post: PostPlan, rng: random.Random) -> Anchor:
    """As-at state of a post outside the calibration, from its role's tenure profile."""
    profile = profile_for(post.role_code)
    if rng.random() >= profile.filled_now:
        return Anchor(vacant_since=_vacant_since(rng, post), cover=profile.cover.draw(rng))
    if profile.terms is not None:
        length = years_to_days(profile.terms.draw(rng) * profile.term_years)
    else:
        length = lognormal_days(rng, profile.median_years * 365.25, profile.sigma)
    start = max(post.established_from, AS_AT - max(1, round(length * rng.random())))
    return Anchor(holder_start=start)
