"""Talent data as Polars frames, as known at a date.

:func:`load_talent` is the one place talent rows leave the database for analysis; the
frames' columns are the schemas in :mod:`talentboard.talent.schemas`. Register data
(posts, people, appointments) comes from :mod:`talentboard.frames.register`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import Result, select
from sqlalchemy.orm import Session

from talentboard.db.models import (
    Appointment,
    AppraisalRecord,
    Assessment,
    BoardMemberReference,
    CareerConversation,
    DevelopmentAction,
    FitAndProperCheck,
    Opportunity,
    ReadinessReview,
    SuccessionPlan,
    Successor,
    TalentProfile,
)
from talentboard.talent import schemas


@dataclass(frozen=True)
class TalentFrames:
    """Talent data as known at ``as_at``; each frame has the schema of the same name.

    - ``profiles``: every talent profile (``willing_regions`` and ``programmes`` as lists);
    - ``readiness``: the readiness review history, reviews on or before ``as_at``;
    - ``targets``: the current readiness per person and target role, from the latest review
      on or before ``as_at`` (the ``targets`` input of ``development_gaps``);
    - ``assessments``: ratings assessed on or before ``as_at``;
    - ``plans``, ``successors``: succession plans, and successor entries reviewed on or
      before ``as_at``;
    - ``opportunities``: every opportunity (``develops`` and ``levels`` as lists), whatever
      its dates: eligibility at a date is the matching rules' business;
    - ``conversations``, ``actions``: career conversations held on or before ``as_at`` and
      their development actions;
    - ``fppt_checks``: Fit and Proper Person checks done on or before ``as_at``;
    - ``references``: board member references written on or before ``as_at``;
    - ``appraisals``, ``appraisal_ratings``: appraisals whose period started on or before
      ``as_at``, and their LCF domain ratings one row per domain;
    - ``exits``: appointments ended on or before ``as_at`` with their structured reason and
      exit-conversation notes.
    """

    as_at: dt.date
    profiles: pl.DataFrame
    readiness: pl.DataFrame
    targets: pl.DataFrame
    assessments: pl.DataFrame
    plans: pl.DataFrame
    successors: pl.DataFrame
    opportunities: pl.DataFrame
    conversations: pl.DataFrame
    actions: pl.DataFrame
    fppt_checks: pl.DataFrame
    references: pl.DataFrame
    appraisals: pl.DataFrame
    appraisal_ratings: pl.DataFrame
    exits: pl.DataFrame


def _frame(schema: Mapping[str, Any], rows: Result[Any] | Sequence[Any]) -> pl.DataFrame:
    """A frame with exactly ``schema`` from a query's rows: its columns named as the
    schema's (any other left out, any missing null), built a column at a time rather
    than a dictionary per row."""
    if isinstance(rows, Result):
        names, data = list(rows.keys()), rows.all()
    else:
        data = list(rows)
        names = list(data[0]._fields) if data else []
    columns: dict[str, Sequence[Any]] = dict(zip(names, zip(*data, strict=True), strict=False))
    return pl.DataFrame(
        [
            pl.Series(name, columns.get(name, [None] * len(data)), dtype=dtype)
            for name, dtype in schema.items()
        ]
    )


def current_readiness(readiness: pl.DataFrame, at: dt.date) -> pl.DataFrame:
    """The latest readiness review on or before ``at`` per (person_ref, target_role_code)."""
    return (
        readiness.filter(pl.col("reviewed_on") <= at)
        .sort("reviewed_on")
        .group_by(["person_ref", "target_role_code"], maintain_order=True)
        .last()
        .sort(["person_ref", "target_role_code"])
        .select(list(schemas.TARGETS))
    )


def load_talent(session: Session, at: dt.date) -> TalentFrames:
    """Read every talent table into frames as known at ``at`` (see :class:`TalentFrames`).

    The session's pending changes are flushed first; each query then runs on the session's
    connection as plain rows, without the ORM's per-row handling (these are column
    queries, so there are no objects to build).
    """
    session.flush()
    connection = session.connection()
    profiles = _frame(
        schemas.PROFILES,
        connection.execute(
            select(
                TalentProfile.id.label("profile_ref"),
                TalentProfile.person_ref,
                TalentProfile.willing_regions,
                TalentProfile.cross_org_consent,
                TalentProfile.timeframe,
                TalentProfile.impact,
                TalentProfile.growth,
                TalentProfile.programmes,
                TalentProfile.reviewed_on,
            ).order_by(TalentProfile.person_ref)
        ),
    )
    readiness = _frame(
        schemas.READINESS,
        connection.execute(
            select(
                TalentProfile.person_ref,
                ReadinessReview.target_role_code,
                ReadinessReview.readiness,
                ReadinessReview.reviewed_on,
            )
            .join(TalentProfile, ReadinessReview.profile_ref == TalentProfile.id)
            .where(ReadinessReview.reviewed_on <= at)
            .order_by(
                TalentProfile.person_ref,
                ReadinessReview.target_role_code,
                ReadinessReview.reviewed_on,
            )
        ),
    )
    assessments = _frame(
        schemas.ASSESSMENTS,
        connection.execute(
            select(
                Assessment.person_ref,
                Assessment.framework,
                Assessment.domain_code,
                Assessment.rater_relation,
                Assessment.rater_id,
                Assessment.score,
                Assessment.assessed_on,
            )
            .where(Assessment.assessed_on <= at)
            .order_by(Assessment.person_ref, Assessment.assessed_on, Assessment.id)
        ),
    )
    plans = _frame(
        schemas.PLANS,
        connection.execute(
            select(
                SuccessionPlan.id.label("plan_ref"),
                SuccessionPlan.post_ref,
                SuccessionPlan.reviewed_on,
            ).order_by(SuccessionPlan.post_ref)
        ),
    )
    successors = _frame(
        schemas.SUCCESSORS,
        connection.execute(
            select(
                Successor.plan_ref,
                SuccessionPlan.post_ref,
                Successor.person_ref,
                Successor.readiness,
                Successor.emergency_cover,
                Successor.reviewed_on,
            )
            .join(SuccessionPlan, Successor.plan_ref == SuccessionPlan.id)
            .where(Successor.reviewed_on <= at)
            .order_by(SuccessionPlan.post_ref, Successor.person_ref)
        ),
    )
    opportunities = _frame(
        schemas.OPPORTUNITIES,
        connection.execute(
            select(
                Opportunity.id.label("opportunity_ref"),
                Opportunity.opportunity_id,
                Opportunity.kind,
                Opportunity.host_ods_code,
                Opportunity.title,
                Opportunity.develops,
                Opportunity.levels,
                Opportunity.capacity,
                Opportunity.starts_on,
                Opportunity.ends_on,
                Opportunity.status,
            ).order_by(Opportunity.opportunity_id)
        ),
    )
    conversations = _frame(
        schemas.CONVERSATIONS,
        connection.execute(
            select(
                CareerConversation.id.label("conversation_ref"),
                CareerConversation.person_ref,
                CareerConversation.held_on,
                CareerConversation.held_with,
                CareerConversation.impact,
                CareerConversation.growth,
                CareerConversation.growth_wanted,
                CareerConversation.summary,
            )
            .where(CareerConversation.held_on <= at)
            .order_by(CareerConversation.person_ref, CareerConversation.held_on)
        ),
    )
    actions = _frame(
        schemas.ACTIONS,
        connection.execute(
            select(
                DevelopmentAction.id.label("action_ref"),
                DevelopmentAction.conversation_ref,
                CareerConversation.person_ref,
                DevelopmentAction.action,
                DevelopmentAction.opportunity_kind,
                DevelopmentAction.programme_code,
                DevelopmentAction.due_on,
                DevelopmentAction.status,
            )
            .join(CareerConversation, DevelopmentAction.conversation_ref == CareerConversation.id)
            .where(CareerConversation.held_on <= at)
            .order_by(DevelopmentAction.conversation_ref, DevelopmentAction.id)
        ),
    )
    fppt_checks = _frame(
        schemas.FPPT_CHECKS,
        connection.execute(
            select(
                FitAndProperCheck.person_ref,
                FitAndProperCheck.check_type,
                FitAndProperCheck.outcome,
                FitAndProperCheck.checked_on,
                FitAndProperCheck.next_due_on,
                FitAndProperCheck.checked_by,
                FitAndProperCheck.notes,
            )
            .where(FitAndProperCheck.checked_on <= at)
            .order_by(
                FitAndProperCheck.person_ref,
                FitAndProperCheck.check_type,
                FitAndProperCheck.checked_on,
            )
        ),
    )
    references = _frame(
        schemas.REFERENCES,
        connection.execute(
            select(
                BoardMemberReference.appointment_ref,
                BoardMemberReference.written_on,
                BoardMemberReference.written_by,
                BoardMemberReference.concerns_raised,
                BoardMemberReference.summary,
            )
            .where(BoardMemberReference.written_on <= at)
            .order_by(BoardMemberReference.appointment_ref)
        ),
    )
    appraisal_rows = connection.execute(
        select(
            AppraisalRecord.id.label("appraisal_ref"),
            AppraisalRecord.person_ref,
            AppraisalRecord.period_start,
            AppraisalRecord.period_end,
            AppraisalRecord.appraised_on,
            AppraisalRecord.appraiser,
            AppraisalRecord.multi_source_feedback,
            AppraisalRecord.objectives,
            AppraisalRecord.edi_objective,
            AppraisalRecord.development_needs,
            AppraisalRecord.programmes_attended,
            AppraisalRecord.domain_ratings,
        )
        .where(AppraisalRecord.period_start <= at)
        .order_by(AppraisalRecord.person_ref, AppraisalRecord.period_end)
    ).all()
    appraisals = _frame(schemas.APPRAISALS, appraisal_rows)
    appraisal_ratings = schemas.frame(
        schemas.APPRAISAL_RATINGS,
        [
            {
                "appraisal_ref": row.appraisal_ref,
                "person_ref": row.person_ref,
                "domain_code": domain,
                "score": score,
            }
            for row in appraisal_rows
            for domain, score in (row.domain_ratings or {}).items()
        ],
    )
    exits = _frame(
        schemas.EXITS,
        connection.execute(
            select(
                Appointment.id.label("appointment_ref"),
                Appointment.end_date,
                Appointment.end_reason,
                Appointment.exit_notes,
            )
            .where(Appointment.end_date.is_not(None), Appointment.end_date <= at)
            .order_by(Appointment.id)
        ),
    )
    return TalentFrames(
        as_at=at,
        profiles=profiles,
        readiness=readiness,
        targets=current_readiness(readiness, at),
        assessments=assessments,
        plans=plans,
        successors=successors,
        opportunities=opportunities,
        conversations=conversations,
        actions=actions,
        fppt_checks=fppt_checks,
        references=references,
        appraisals=appraisals,
        appraisal_ratings=appraisal_ratings,
        exits=exits,
    )
