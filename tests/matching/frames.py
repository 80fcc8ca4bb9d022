"""Small builders for matching inputs: write a round out by hand, get the frames.

Defaults make a person eligible for an offer in the same region and level: each test
changes only what it is about.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from talentboard.matching.inputs import (
    ASPIRATION_SCHEMA,
    CANDIDATE_SCHEMA,
    EXPERIENCE_SCHEMA,
    OFFER_SCHEMA,
)
from talentboard.matching.opportunities import RoundInputs

AT = dt.date(2026, 9, 30)

TARGET_SCHEMA = {
    "person_ref": pl.Int64(),
    "target_role_code": pl.String(),
    "readiness": pl.String(),
}
GAP_SCHEMA = {
    "person_ref": pl.Int64(),
    "target_role_code": pl.String(),
    "framework": pl.String(),
    "domain_code": pl.String(),
    "expected": pl.Float64(),
    "gap": pl.Float64(),
}
PEOPLE_SCHEMA = {
    "person_ref": pl.Int64(),
    "person_id": pl.String(),
    "ethnic_category": pl.String(),
    "sex": pl.String(),
    "disability": pl.String(),
}


def frame(schema: dict[str, pl.DataType], rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame([{c: r.get(c) for c in schema} for r in rows], schema=schema, orient="row")


@dataclass
class Round:
    candidates: list[dict[str, Any]] = field(default_factory=list)
    offers: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    gaps: list[dict[str, Any]] = field(default_factory=list)
    aspirations: list[dict[str, Any]] = field(default_factory=list)
    experience: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)

    def person(
        self,
        ref: int,
        *,
        ods: str | None = "AAA",
        region: str | None = "Y56",
        level: str | None = "senior",
        willing: list[str] | None = None,
        consent: bool = True,
        readiness: str | dict[str, str] = "ready_1_2y",
        kinds: list[str] | None = None,
        organisations: int | None = None,
        challenged: bool = False,
        strong: bool = True,
        ethnic: str | None = "A",
        sex: str | None = "female",
        disability: str | None = "no",
    ) -> Round:
        pid = f"P{ref:03d}"
        self.candidates.append(
            {
                "person_ref": ref,
                "person_id": pid,
                "ods_code": ods,
                "region_code": region,
                "level": level,
                "willing_regions": willing if willing is not None else [region] if region else [],
                "cross_org_consent": consent,
            }
        )
        by_role = readiness if isinstance(readiness, dict) else {"finance_director": readiness}
        for role, ready in by_role.items():
            self.targets.append({"person_ref": ref, "target_role_code": role, "readiness": ready})
        self.experience.append(
            {
                "person_ref": ref,
                "kinds": kinds if kinds is not None else ["acute"],
                "organisations": organisations or (len(kinds) if kinds else 1),
                "challenged": challenged,
                "strong": strong,
            }
        )
        self.people.append(
            {
                "person_ref": ref,
                "person_id": pid,
                "ethnic_category": ethnic,
                "sex": sex,
                "disability": disability,
            }
        )
        return self

    def offer(
        self,
        ref: int,
        *,
        kind: str = "project",
        host: str = "BBB",
        region: str = "Y56",
        host_kind: str = "acute",
        segment: int | None = 2,
        develops: list[str] | None = None,
        levels: list[str] | None = None,
        capacity: int = 1,
        ends_on: dt.date | None = None,
        status: str = "open",
    ) -> Round:
        self.offers.append(
            {
                "opportunity_ref": ref,
                "opportunity_id": f"OPP{ref:03d}",
                "kind": kind,
                "title": f"Opportunity {ref}",
                "host_ods_code": host,
                "host_name": f"{host} NHS Trust",
                "host_kind": host_kind,
                "host_region_code": region,
                "host_segment": segment,
                "develops": develops if develops is not None else [],
                "levels": levels if levels is not None else ["senior"],
                "capacity": capacity,
                "starts_on": None,
                "ends_on": ends_on,
                "status": status,
            }
        )
        return self

    def gap(
        self,
        ref: int,
        domain: str,
        gap: float,
        role: str = "finance_director",
        expected: float = 4.0,
    ) -> Round:
        self.gaps.append(
            {
                "person_ref": ref,
                "target_role_code": role,
                "framework": "lcf2024",
                "domain_code": domain,
                "expected": expected,
                "gap": gap,
            }
        )
        return self

    def aspire(
        self, ref: int, growth: str | None = None, planned: list[str] | None = None
    ) -> Round:
        self.aspirations.append(
            {"person_ref": ref, "growth_wanted": growth, "planned_kinds": planned or []}
        )
        return self

    def inputs(self) -> RoundInputs:
        return RoundInputs(
            candidates=frame(CANDIDATE_SCHEMA, self.candidates),
            offers=frame(OFFER_SCHEMA, self.offers),
            targets=frame(TARGET_SCHEMA, self.targets),
            gaps=frame(GAP_SCHEMA, self.gaps),
            aspirations=frame(ASPIRATION_SCHEMA, self.aspirations),
            experience=frame(EXPERIENCE_SCHEMA, self.experience),
            people=frame(PEOPLE_SCHEMA, self.people),
        )
