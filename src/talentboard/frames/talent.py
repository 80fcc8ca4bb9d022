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
from sqlalchemy import Connection, Result, Row, Select, select
from sqlalchemy.orm import QueryableAttribute, Session

from talentboard.db.base import Base
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
    readiness = _load_readiness(connection, at)
    # Appraisals and their domain ratings come from the same rows: read them once.
    appraisal_rows = _appraisal_rows(connection, at)
    return TalentFrames(
        as_at=at,
        profiles=_load_profiles(connection),
        readiness=readiness,
        targets=current_readiness(readiness, at),
        assessments=_load_assessments(connection, at),
        plans=_load_plans(connection),
        successors=_load_successors(connection, at),
        opportunities=_load_opportunities(connection),
        conversations=_load_conversations(connection, at),
        actions=_load_actions(connection, at),
        fppt_checks=_load_fppt_checks(connection, at),
        references=_load_references(connection, at),
        appraisals=_frame(schemas.APPRAISALS, appraisal_rows),
        appraisal_ratings=_appraisal_ratings(appraisal_rows),
        exits=_load_exits(connection, at),
    )


def load_successors(session: Session, at: dt.date) -> pl.DataFrame:
    """The ``successors`` frame of :func:`load_talent` alone (entries reviewed on or before
    ``at``), for work that needs no other talent table (the forecast)."""
    session.flush()
    return _load_successors(session.connection(), at)


def _select(
    schema: Mapping[str, Any], table: type[Base], **elsewhere: QueryableAttribute[Any]
) -> Select[Any]:
    """A query of ``schema``'s columns, each from ``table`` under the same name unless
    ``elsewhere`` names it (a table's id under its ``_ref`` name, or a joined table's
    column), so a frame's columns are listed once, in its schema."""
    return select(
        *(
            (elsewhere[name] if name in elsewhere else getattr(table, name)).label(name)
            for name in schema
        )
    )


def _read(connection: Connection, schema: Mapping[str, Any], query: Select[Any]) -> pl.DataFrame:
    """The frame with ``schema`` of a query's rows."""
    return _frame(schema, connection.execute(query))


def _load_profiles(connection: Connection) -> pl.DataFrame:
    """Every talent profile, by person."""
    query = _select(schemas.PROFILES, TalentProfile, profile_ref=TalentProfile.id)
    return _read(connection, schemas.PROFILES, query.order_by(TalentProfile.person_ref))


def _load_readiness(connection: Connection, at: dt.date) -> pl.DataFrame:
    """The readiness reviews on or before ``at``, oldest first per person and target role."""
    query = (
        _select(schemas.READINESS, ReadinessReview, person_ref=TalentProfile.person_ref)
        .join(TalentProfile, ReadinessReview.profile_ref == TalentProfile.id)
        .where(ReadinessReview.reviewed_on <= at)
        .order_by(
            TalentProfile.person_ref,
            ReadinessReview.target_role_code,
            ReadinessReview.reviewed_on,
        )
    )
    return _read(connection, schemas.READINESS, query)


def _load_assessments(connection: Connection, at: dt.date) -> pl.DataFrame:
    """The ratings assessed on or before ``at``."""
    query = _select(schemas.ASSESSMENTS, Assessment).where(Assessment.assessed_on <= at)
    return _read(
        connection,
        schemas.ASSESSMENTS,
        query.order_by(Assessment.person_ref, Assessment.assessed_on, Assessment.id),
    )


def _load_plans(connection: Connection) -> pl.DataFrame:
    """Every succession plan, by post."""
    query = _select(schemas.PLANS, SuccessionPlan, plan_ref=SuccessionPlan.id)
    return _read(connection, schemas.PLANS, query.order_by(SuccessionPlan.post_ref))


def _load_successors(connection: Connection, at: dt.date) -> pl.DataFrame:
    """The successor entries reviewed on or before ``at``, with their plan's post."""
    query = (
        _select(schemas.SUCCESSORS, Successor, post_ref=SuccessionPlan.post_ref)
        .join(SuccessionPlan, Successor.plan_ref == SuccessionPlan.id)
        .where(Successor.reviewed_on <= at)
        .order_by(SuccessionPlan.post_ref, Successor.person_ref)
    )
    return _read(connection, schemas.SUCCESSORS, query)


def _load_opportunities(connection: Connection) -> pl.DataFrame:
    """Every opportunity, whatever its dates."""
    query = _select(schemas.OPPORTUNITIES, Opportunity, opportunity_ref=Opportunity.id)
    return _read(connection, schemas.OPPORTUNITIES, query.order_by(Opportunity.opportunity_id))


def _load_conversations(connection: Connection, at: dt.date) -> pl.DataFrame:
    """The career conversations held on or before ``at``."""
    query = _select(
        schemas.CONVERSATIONS, CareerConversation, conversation_ref=CareerConversation.id
    ).where(CareerConversation.held_on <= at)
    return _read(
        connection,
        schemas.CONVERSATIONS,
        query.order_by(CareerConversation.person_ref, CareerConversation.held_on),
    )


def _load_actions(connection: Connection, at: dt.date) -> pl.DataFrame:
    """The development actions of the conversations held on or before ``at``."""
    query = (
        _select(
            schemas.ACTIONS,
            DevelopmentAction,
            action_ref=DevelopmentAction.id,
            person_ref=CareerConversation.person_ref,
        )
        .join(CareerConversation, DevelopmentAction.conversation_ref == CareerConversation.id)
        .where(CareerConversation.held_on <= at)
        .order_by(DevelopmentAction.conversation_ref, DevelopmentAction.id)
    )
    return _read(connection, schemas.ACTIONS, query)


def _load_fppt_checks(connection: Connection, at: dt.date) -> pl.DataFrame:
    """The Fit and Proper Person checks done on or before ``at``."""
    query = _select(schemas.FPPT_CHECKS, FitAndProperCheck).where(
        FitAndProperCheck.checked_on <= at
    )
    return _read(
        connection,
        schemas.FPPT_CHECKS,
        query.order_by(
            FitAndProperCheck.person_ref,
            FitAndProperCheck.check_type,
            FitAndProperCheck.checked_on,
        ),
    )


def _load_references(connection: Connection, at: dt.date) -> pl.DataFrame:
    """The board member references written on or before ``at``."""
    query = _select(schemas.REFERENCES, BoardMemberReference).where(
        BoardMemberReference.written_on <= at
    )
    return _read(
        connection, schemas.REFERENCES, query.order_by(BoardMemberReference.appointment_ref)
    )


def _appraisal_rows(connection: Connection, at: dt.date) -> Sequence[Row[Any]]:
    """The appraisals whose period started on or before ``at``, with their domain ratings."""
    query = (
        _select(schemas.APPRAISALS, AppraisalRecord, appraisal_ref=AppraisalRecord.id)
        .add_columns(AppraisalRecord.domain_ratings)
        .where(AppraisalRecord.period_start <= at)
        .order_by(AppraisalRecord.person_ref, AppraisalRecord.period_end)
    )
    return connection.execute(query).all()


def _appraisal_ratings(appraisal_rows: Sequence[Row[Any]]) -> pl.DataFrame:
    """The LCF domain ratings of the appraisals, one row per domain."""
    return schemas.frame(
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


def _load_exits(connection: Connection, at: dt.date) -> pl.DataFrame:
    """The appointments ended on or before ``at``, with their reason and exit notes."""
    query = (
        _select(schemas.EXITS, Appointment, appointment_ref=Appointment.id)
        .where(Appointment.end_date.is_not(None), Appointment.end_date <= at)
        .order_by(Appointment.id)
    )
    return _read(connection, schemas.EXITS, query)
