"""Talent management: profiles, readiness, conversations, assessments, succession, FPPT."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentboard import vocab
from talentboard.db.base import Base, one_of, ordered
from talentboard.reference import ROLE_CODES

FRAMEWORK_CODES = ("lcf2024", "hlm")


class TalentProfile(Base):
    """A talent-pool member's aspirations and consent; one per person."""

    __tablename__ = "talent_profiles"
    __table_args__ = (
        one_of("impact", vocab.AXIS_LEVELS, nullable=True),
        one_of("growth", vocab.AXIS_LEVELS, nullable=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_ref: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), unique=True
    )
    # NHS England region codes the person will work in; empty means their own region.
    willing_regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    cross_org_consent: Mapped[bool] = mapped_column(default=False)
    timeframe: Mapped[str | None] = mapped_column(String(40))
    # Latest talent review placement on the 3x3 grid.
    impact: Mapped[str | None] = mapped_column(String(8))
    growth: Mapped[str | None] = mapped_column(String(8))
    programmes: Mapped[list[str]] = mapped_column(JSON, default=list)
    reviewed_on: Mapped[dt.date | None] = mapped_column(Date)

    # Raised by one on every saved edit; an edit based on an older version is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    readiness: Mapped[list[ReadinessReview]] = relationship(
        back_populates="profile", cascade="all, delete-orphan"
    )


class ReadinessReview(Base):
    """Readiness for one target role as reviewed on one date; the history is kept."""

    __tablename__ = "readiness_reviews"
    __table_args__ = (
        UniqueConstraint("profile_ref", "target_role_code", "reviewed_on"),
        one_of("target_role_code", ROLE_CODES),
        one_of("readiness", vocab.READINESS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_ref: Mapped[int] = mapped_column(ForeignKey("talent_profiles.id", ondelete="CASCADE"))
    target_role_code: Mapped[str] = mapped_column(String(40))
    readiness: Mapped[str] = mapped_column(String(12))
    reviewed_on: Mapped[dt.date] = mapped_column(Date)

    profile: Mapped[TalentProfile] = relationship(back_populates="readiness")


class CareerConversation(Base):
    """A Scope for Growth career conversation."""

    __tablename__ = "career_conversations"
    __table_args__ = (
        UniqueConstraint("person_ref", "held_on"),
        one_of("impact", vocab.AXIS_LEVELS, nullable=True),
        one_of("growth", vocab.AXIS_LEVELS, nullable=True),
        one_of("growth_wanted", vocab.GROWTH_WANTED, nullable=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_ref: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    held_with: Mapped[str | None] = mapped_column(String(200))
    impact: Mapped[str | None] = mapped_column(String(8))
    growth: Mapped[str | None] = mapped_column(String(8))
    growth_wanted: Mapped[str | None] = mapped_column(String(8))
    summary: Mapped[str | None] = mapped_column(Text)

    # Raised by one on every saved edit; an edit based on an older version is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    actions: Mapped[list[DevelopmentAction]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan"
    )


class DevelopmentAction(Base):
    """One action in the aspirational development plan agreed in a conversation."""

    __tablename__ = "development_actions"
    __table_args__ = (
        # An action is named once per conversation, so a re-imported plan updates it.
        UniqueConstraint("conversation_ref", "action"),
        one_of("status", vocab.PLAN_ACTION_STATUSES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_ref: Mapped[int] = mapped_column(
        ForeignKey("career_conversations.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(Text)
    opportunity_kind: Mapped[str | None] = mapped_column(String(24))
    programme_code: Mapped[str | None] = mapped_column(String(40))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="planned")

    conversation: Mapped[CareerConversation] = relationship(back_populates="actions")


class Assessment(Base):
    """One rating of one person on one framework domain by one rater."""

    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint(
            "person_ref", "framework", "domain_code", "rater_relation", "rater_id", "assessed_on"
        ),
        one_of("framework", FRAMEWORK_CODES),
        one_of("rater_relation", vocab.RATER_RELATIONS),
        # Null is "no chance to demonstrate" on the LCF scale.
        CheckConstraint("score IS NULL OR (score >= 1 AND score <= 4)", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_ref: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    framework: Mapped[str] = mapped_column(String(16))
    domain_code: Mapped[str] = mapped_column(String(40))
    rater_relation: Mapped[str] = mapped_column(String(16))
    # Distinguishes several raters of one relation (three peers); empty when there is one.
    rater_id: Mapped[str] = mapped_column(String(64), default="")
    score: Mapped[int | None] = mapped_column(Integer)
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    # Raised by one on every saved edit; an edit based on an older version is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class SuccessionPlan(Base):
    __tablename__ = "succession_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_ref: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), unique=True)
    reviewed_on: Mapped[dt.date | None] = mapped_column(Date)

    successors: Mapped[list[Successor]] = relationship(
        back_populates="plan", cascade="all, delete-orphan"
    )


class Successor(Base):
    __tablename__ = "successors"
    __table_args__ = (
        UniqueConstraint("plan_ref", "person_ref"),
        one_of("readiness", vocab.READINESS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_ref: Mapped[int] = mapped_column(ForeignKey("succession_plans.id", ondelete="CASCADE"))
    person_ref: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    readiness: Mapped[str] = mapped_column(String(12))
    emergency_cover: Mapped[bool] = mapped_column(default=False)
    reviewed_on: Mapped[dt.date] = mapped_column(Date)

    # Raised by one on every saved edit; an edit based on an older version is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    plan: Mapped[SuccessionPlan] = relationship(back_populates="successors")


class FitAndProperCheck(Base):
    """One check of the Fit and Proper Person Test framework (2023) for a board member."""

    __tablename__ = "fit_and_proper_checks"
    __table_args__ = (
        UniqueConstraint("person_ref", "check_type", "checked_on"),
        one_of("check_type", vocab.FPPT_CHECKS),
        one_of("outcome", vocab.FPPT_OUTCOMES),
        ordered("checked_on", "next_due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_ref: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    check_type: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(20))
    checked_on: Mapped[dt.date] = mapped_column(Date)
    next_due_on: Mapped[dt.date | None] = mapped_column(Date)
    checked_by: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)


class BoardMemberReference(Base):
    """The board member reference written when someone leaves a board (FPPT framework 2023)."""

    __tablename__ = "board_member_references"

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_ref: Mapped[int] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), unique=True
    )
    written_on: Mapped[dt.date] = mapped_column(Date)
    written_by: Mapped[str | None] = mapped_column(String(200))
    concerns_raised: Mapped[bool] = mapped_column(default=False)
    summary: Mapped[str | None] = mapped_column(Text)


class AppraisalRecord(Base):
    """An annual board member appraisal under the national framework."""

    __tablename__ = "appraisal_records"
    __table_args__ = (
        UniqueConstraint("person_ref", "period_end"),
        ordered("period_start", "period_end", strict=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_ref: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    appraised_on: Mapped[dt.date | None] = mapped_column(Date)
    appraiser: Mapped[str | None] = mapped_column(String(200))
    multi_source_feedback: Mapped[bool] = mapped_column(default=False)
    # {"outcomes": 3, ...}: the LCF domain ratings agreed in the appraisal.
    domain_ratings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    objectives: Mapped[list[str]] = mapped_column(JSON, default=list)
    edi_objective: Mapped[str | None] = mapped_column(Text)
    development_needs: Mapped[str | None] = mapped_column(Text)
    programmes_attended: Mapped[list[str]] = mapped_column(JSON, default=list)
    year_count: Mapped[int | None] = mapped_column(Integer)
