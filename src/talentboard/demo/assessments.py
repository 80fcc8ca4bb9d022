"""Framework assessments and board member appraisals.

Board members in post are assessed against the Leadership Competency Framework (LCF
2024): most by self-assessment, about two in five also by multi-source feedback (their
manager, three peers and, for executives, three direct reports), some with last year's
self-assessment too. Talent-pool members below the board are assessed against the
Healthcare Leadership Model (self, and often their manager), and those aiming for the
board against the LCF as well. Scores come from a latent capability per person and
domain plus rater noise; people rate themselves a little higher than others do. On the
LCF scale an empty score is "no chance to demonstrate".
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from talentboard.demo.history import Spell
from talentboard.demo.posts import AS_AT
from talentboard.demo.rng import date_of, stream
from talentboard.demo.talent import Member
from talentboard.reference import framework, roles

SELF_BIAS = 0.25
RATER_NOISE = 0.45
NO_CHANCE_SHARE = 0.03
APPRAISAL_YEARS = (
    (dt.date(2025, 4, 1), dt.date(2026, 3, 31)),
    (dt.date(2024, 4, 1), dt.date(2025, 3, 31)),
)
_OBJECTIVES = (
    "Deliver the trust's financial plan for the year",
    "Improve elective waiting times in line with the national standard",
    "Strengthen board assurance on patient safety",
    "Lead the trust's contribution to the system's urgent care plan",
    "Improve staff survey engagement scores",
    "Complete the digital maturity roadmap milestones for the year",
    "Reduce agency staffing spend",
)
_EDI_OBJECTIVES = (
    "Sponsor a reverse mentoring pair and act on what it shows",
    "Improve the representation of ethnic minority staff at band 8a and above",
    "Close the gap in disciplinary rates between ethnic groups",
    "Act on the Workforce Disability Equality Standard findings",
)
_NEEDS = (
    "Broaden experience of system partnership working",
    "Develop financial and commercial acumen",
    "Deepen understanding of quality improvement methods",
    "Build confidence in leading through public scrutiny",
    "Strengthen board-level governance and assurance skills",
)


@dataclass(slots=True)
class AssessmentRows:
    assessments: list[dict[str, object]]
    appraisals: list[dict[str, object]]
    multi_source: set[int]


class _Scorer:
    def __init__(self, rng: random.Random, ids: dict[str, int]) -> None:
        self.rng = rng
        self.rows: list[dict[str, object]] = []
        self.first_id = ids["assessments"]

    def rate(
        self,
        person_ref: int,
        framework_code: str,
        capability: dict[str, float],
        relation: str,
        rater_id: str,
        when: int,
    ) -> None:
        rng = self.rng
        bias = SELF_BIAS if relation == "self" else 0.0
        for domain, level in capability.items():
            score: int | None = round(min(4.0, max(1.0, level + bias + rng.gauss(0, RATER_NOISE))))
            if framework_code == "lcf2024" and rng.random() < NO_CHANCE_SHARE:
                score = None
            self.rows.append(
                {
                    "id": self.first_id + len(self.rows),
                    "person_ref": person_ref,
                    "framework": framework_code,
                    "domain_code": domain,
                    "rater_relation": relation,
                    "rater_id": rater_id,
                    "score": score,
                    "assessed_on": date_of(when),
                }
            )


def _capability(rng: random.Random, codes: tuple[str, ...]) -> dict[str, float]:
    overall = rng.gauss(2.9, 0.35)
    return {code: overall + rng.gauss(0, 0.3) for code in codes}


def build_assessments(
    current: dict[int, Spell], members: list[Member], seed: int, ids: dict[str, int]
) -> AssessmentRows:
    """LCF and HLM assessments and appraisal records for people in post at the as-at date."""
    rng = stream(seed, "assessments")
    scorer = _Scorer(rng, ids)
    lcf = framework("lcf2024").domain_codes
    hlm = framework("hlm").domain_codes
    multi_source: set[int] = set()
    for person_ref, spell in sorted(current.items()):
        if spell.post.level != "board" or rng.random() >= 0.8:
            continue
        capability = _capability(rng, lcf)
        when = AS_AT - rng.randint(15, 300)
        scorer.rate(person_ref, "lcf2024", capability, "self", "", when)
        if rng.random() < 0.3:
            scorer.rate(person_ref, "lcf2024", capability, "self", "", when - 365)
        if rng.random() < 0.4:
            multi_source.add(person_ref)
            feedback_on = when + rng.randint(0, 14)
            scorer.rate(person_ref, "lcf2024", capability, "manager", "", feedback_on)
            for number in range(1, 4):
                scorer.rate(
                    person_ref, "lcf2024", capability, "peer", f"peer-{number}", feedback_on
                )
            if spell.post.executive:
                for number in range(1, 4):
                    scorer.rate(
                        person_ref,
                        "lcf2024",
                        capability,
                        "direct_report",
                        f"report-{number}",
                        feedback_on,
                    )
    for member in members:
        if member.spell.post.level == "board":
            continue
        person_ref = member.person.ref
        when = AS_AT - rng.randint(15, 300)
        capability = _capability(rng, hlm)
        scorer.rate(person_ref, "hlm", capability, "self", "", when)
        if rng.random() < 0.6:
            scorer.rate(person_ref, "hlm", capability, "manager", "", when + rng.randint(0, 14))
        if any(_is_board_role(target) for target in member.targets):
            board_capability = _capability(rng, lcf)
            scorer.rate(person_ref, "lcf2024", board_capability, "self", "", when)
            scorer.rate(person_ref, "lcf2024", board_capability, "manager", "", when)
    appraisals = _appraisals(rng, current, members, multi_source, ids)
    return AssessmentRows(scorer.rows, appraisals, multi_source)


def _is_board_role(role_code: str) -> bool:
    return any(r.code == role_code and r.level == "board" for r in roles())


def _appraisals(
    rng: random.Random,
    current: dict[int, Spell],
    members: list[Member],
    multi_source: set[int],
    ids: dict[str, int],
) -> list[dict[str, object]]:
    """Annual appraisals for about three in ten voting board members in substantive posts."""
    programmes = {m.person.ref: m.programmes for m in members}
    lcf = framework("lcf2024").domain_codes
    rows: list[dict[str, object]] = []
    for person_ref, spell in sorted(current.items()):
        post = spell.post
        if post.level != "board" or not post.voting or not spell.substantive:
            continue
        if rng.random() >= 0.3:
            continue
        appraiser = (
            "Senior independent director" if post.role_code == "chair"
            else "Chair" if not post.executive or post.role_code == "chief_executive"
            else "Chief executive"
        )  # fmt: skip
        for index, (period_start, period_end) in enumerate(APPRAISAL_YEARS):
            if index and rng.random() >= 0.4:
                break
            if date_of(spell.start) > period_start:
                break
            rows.append(
                {
                    "id": ids["appraisal_records"] + len(rows),
                    "person_ref": person_ref,
                    "period_start": period_start,
                    "period_end": period_end,
                    "appraised_on": period_end + dt.timedelta(days=rng.randint(15, 120)),
                    "appraiser": appraiser,
                    "multi_source_feedback": person_ref in multi_source and index == 0,
                    "domain_ratings": {code: rng.choice((2, 3, 3, 3, 4)) for code in lcf},
                    "objectives": rng.sample(_OBJECTIVES, 3),
                    "edi_objective": rng.choice(_EDI_OBJECTIVES),
                    "development_needs": rng.choice(_NEEDS),
                    "programmes_attended": programmes.get(person_ref, []),
                    "year_count": max(1, (period_end.toordinal() - spell.start) // 365),
                }
            )
    return rows
