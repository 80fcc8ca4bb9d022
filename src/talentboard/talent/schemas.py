"""Column schemas of the talent frames: the shape every talent function reads.

:func:`talentboard.frames.talent.load_talent` builds frames with exactly these schemas, and
tests build small frames with :func:`frame`. Integer ``*_ref`` columns are database ids
(``person_ref`` is ``people.id``, ``post_ref`` is ``posts.id``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

Schema = dict[str, Any]

PROFILES: Schema = {
    "profile_ref": pl.Int64,
    "person_ref": pl.Int64,
    "willing_regions": pl.List(pl.String),
    "cross_org_consent": pl.Boolean,
    "timeframe": pl.String,
    "impact": pl.String,
    "growth": pl.String,
    "programmes": pl.List(pl.String),
    "reviewed_on": pl.Date,
}
READINESS: Schema = {
    "person_ref": pl.Int64,
    "target_role_code": pl.String,
    "readiness": pl.String,
    "reviewed_on": pl.Date,
}
TARGETS = READINESS
ASSESSMENTS: Schema = {
    "person_ref": pl.Int64,
    "framework": pl.String,
    "domain_code": pl.String,
    "rater_relation": pl.String,
    "rater_id": pl.String,
    "score": pl.Int64,
    "assessed_on": pl.Date,
}
EXPECTED: Schema = {
    "framework": pl.String,
    "role_code": pl.String,
    "domain_code": pl.String,
    "expected": pl.Float64,
}
PLANS: Schema = {"plan_ref": pl.Int64, "post_ref": pl.Int64, "reviewed_on": pl.Date}
SUCCESSORS: Schema = {
    "plan_ref": pl.Int64,
    "post_ref": pl.Int64,
    "person_ref": pl.Int64,
    "readiness": pl.String,
    "emergency_cover": pl.Boolean,
    "reviewed_on": pl.Date,
}
OPPORTUNITIES: Schema = {
    "opportunity_ref": pl.Int64,
    "opportunity_id": pl.String,
    "kind": pl.String,
    "host_ods_code": pl.String,
    "title": pl.String,
    "develops": pl.List(pl.String),
    "levels": pl.List(pl.String),
    "capacity": pl.Int64,
    "starts_on": pl.Date,
    "ends_on": pl.Date,
    "status": pl.String,
}
CONVERSATIONS: Schema = {
    "conversation_ref": pl.Int64,
    "person_ref": pl.Int64,
    "held_on": pl.Date,
    "held_with": pl.String,
    "impact": pl.String,
    "growth": pl.String,
    "growth_wanted": pl.String,
    "summary": pl.String,
}
ACTIONS: Schema = {
    "action_ref": pl.Int64,
    "conversation_ref": pl.Int64,
    "person_ref": pl.Int64,
    "action": pl.String,
    "opportunity_kind": pl.String,
    "programme_code": pl.String,
    "due_on": pl.Date,
    "status": pl.String,
}
FPPT_CHECKS: Schema = {
    "person_ref": pl.Int64,
    "check_type": pl.String,
    "outcome": pl.String,
    "checked_on": pl.Date,
    "next_due_on": pl.Date,
    "checked_by": pl.String,
    "notes": pl.String,
}
REFERENCES: Schema = {
    "appointment_ref": pl.Int64,
    "written_on": pl.Date,
    "written_by": pl.String,
    "concerns_raised": pl.Boolean,
    "summary": pl.String,
}
APPRAISALS: Schema = {
    "appraisal_ref": pl.Int64,
    "person_ref": pl.Int64,
    "period_start": pl.Date,
    "period_end": pl.Date,
    "appraised_on": pl.Date,
    "appraiser": pl.String,
    "multi_source_feedback": pl.Boolean,
    "objectives": pl.List(pl.String),
    "edi_objective": pl.String,
    "development_needs": pl.String,
    "programmes_attended": pl.List(pl.String),
}
APPRAISAL_RATINGS: Schema = {
    "appraisal_ref": pl.Int64,
    "person_ref": pl.Int64,
    "domain_code": pl.String,
    "score": pl.Int64,
}
EXITS: Schema = {
    "appointment_ref": pl.Int64,
    "end_date": pl.Date,
    "end_reason": pl.String,
    "exit_notes": pl.String,
}


def frame(schema: Mapping[str, Any], rows: Sequence[Mapping[str, Any]] = ()) -> pl.DataFrame:
    """A frame of ``rows`` (dicts; missing keys are null) with exactly ``schema``."""
    return pl.DataFrame(
        [{column: row.get(column) for column in schema} for row in rows],
        schema=dict(schema),
        orient="row",
    )


def require(data: pl.DataFrame, columns: Sequence[str], name: str) -> None:
    """Fail with the missing column names when ``data`` lacks any of ``columns``."""
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ValueError(f"{name} frame lacks column(s) {', '.join(missing)}")
