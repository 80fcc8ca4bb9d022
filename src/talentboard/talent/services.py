"""Talent services: load the frames once, call the pure functions, return their results.

The command line and the web screens both call these, so a figure is computed in one
place. Functions taking a :class:`TalentContext` do no I/O; :func:`load_context` and the
``record_*``/``write_*`` functions use the session (and never commit: the caller owns the
transaction).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard import vocab
from talentboard.db.models import Appointment, BoardMemberReference, Person, Post
from talentboard.frames.register import (
    RegisterFrames,
    load_register,
    positions_at,
    segment_at,
    spells,
)
from talentboard.frames.talent import TalentFrames, load_talent
from talentboard.reference import REGION_CODES, roles
from talentboard.talent import (
    appraisals,
    board_skills,
    conversations,
    diversity,
    exits,
    fppt,
    leave,
    pool,
    risk,
    succession,
)
from talentboard.talent.timing import covers

BOARD_ROLES = tuple(r.code for r in roles() if r.level == "board")


@dataclass(frozen=True)
class TalentContext:
    """The register and talent data as known at ``at``, and what is derived from them."""

    at: dt.date
    register: RegisterFrames
    talent: TalentFrames
    spells: pl.DataFrame
    segments: pl.DataFrame
    positions: pl.DataFrame


def load_context(
    session: Session, at: dt.date, register: RegisterFrames | None = None
) -> TalentContext:
    """Read the register (unless it is given, already read) and the talent tables once,
    for every view at ``at``."""
    register = register if register is not None else load_register(session)
    return TalentContext(
        at=at,
        register=register,
        talent=load_talent(session, at),
        spells=spells(register.appointments),
        segments=segment_at(register.ratings, at),
        positions=positions_at(register, at),
    )


class UnknownScopeError(ValueError):
    """An organisation or region that the register does not hold."""


def organisations_in(
    context: TalentContext, ods_code: str | None = None, region_code: str | None = None
) -> list[str] | None:
    """The ODS codes in scope (None: all), checking that the organisation or region exists."""
    organisations = context.register.organisations
    if ods_code is not None and ods_code not in set(organisations["ods_code"].to_list()):
        raise UnknownScopeError(f"no organisation with ODS code {ods_code!r}")
    if region_code is not None and region_code not in set(REGION_CODES):
        raise UnknownScopeError(f"no NHS England region with code {region_code!r}")
    if ods_code is None and region_code is None:
        return None
    chosen = organisations
    if ods_code is not None:
        chosen = chosen.filter(pl.col("ods_code") == ods_code)
    if region_code is not None:
        chosen = chosen.filter(pl.col("region_code") == region_code)
    return sorted(chosen["ods_code"].to_list())


# Talent pool -------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolView:
    members: pl.DataFrame
    figures: pl.DataFrame
    readiness: pl.DataFrame


def talent_pool(context: TalentContext, filters: pool.PoolFilter = pool.PoolFilter()) -> PoolView:
    """The filtered pool, its group figures (exact) and its readiness counts."""
    placed = conversations.placements(
        context.talent.profiles, context.talent.conversations, context.at
    )
    members = pool.talent_pool(
        context.talent.profiles,
        context.talent.targets,
        context.register.people,
        context.positions,
        placed,
        filters,
    )
    return PoolView(
        members,
        pool.pool_figures(members, context.register.people),
        pool.readiness_counts(members),
    )


# Succession --------------------------------------------------------------------------


def leave_chances(context: TalentContext) -> pl.DataFrame:
    """The chance each substantive incumbent leaves within 12 months (Kaplan-Meier by role
    and segment, :mod:`talentboard.talent.leave`)."""
    current = context.spells.filter(covers(context.at))
    incumbents = (
        current.sort(["post_ref", "start_date"])
        .group_by("post_ref", maintain_order=True)
        .first()
        .select("post_ref", "start_date")
    )
    return leave.km_leave_chances(
        context.spells, context.register.posts, context.segments, incumbents, context.at
    )


@dataclass(frozen=True)
class SuccessionView:
    report: risk.SuccessionReport
    flags: pl.DataFrame
    by_organisation: pl.DataFrame
    by_region: pl.DataFrame


def succession_view(
    context: TalentContext,
    ods_code: str | None = None,
    region_code: str | None = None,
    *,
    max_plans: int = succession.MAX_PLANS,
    weights: risk.RiskWeights = risk.RiskWeights(),
) -> SuccessionView:
    """Succession for the critical posts of an organisation, a region, or everywhere."""
    scope = organisations_in(context, ods_code, region_code)
    posts = context.register.posts
    if scope is not None:
        posts = posts.filter(pl.col("ods_code").is_in(scope))
    report = risk.succession_report(
        posts,
        context.register.appointments,
        context.talent.plans,
        context.talent.successors,
        context.segments,
        leave_chances(context),
        context.at,
        weights,
    )
    flags = succession.named_on_too_many_plans(
        posts, context.talent.successors, context.at, max_plans=max_plans
    ).join(context.register.people.select("person_ref", "person_id"), on="person_ref", how="left")
    organisations = context.register.organisations
    return SuccessionView(
        report,
        flags,
        succession.succession_rollup(report.posts, organisations, "ods_code"),
        succession.succession_rollup(report.posts, organisations, "region_code"),
    )


# Pipeline diversity ------------------------------------------------------------------


def pipeline_diversity(
    context: TalentContext, ods_code: str | None = None, region_code: str | None = None
) -> pl.DataFrame:
    """The diversity ladder for an organisation, a region, or everywhere."""
    scope = organisations_in(context, ods_code, region_code)
    positions = context.positions
    if scope is not None:
        positions = positions.filter(pl.col("ods_code").is_in(scope))
        in_scope = positions.select("person_ref")
        targets = context.talent.targets.join(in_scope, on="person_ref", how="semi")
    else:
        targets = context.talent.targets
    return diversity.pipeline_diversity(
        positions,
        context.register.people,
        targets,
        context.register.organisations,
        BOARD_ROLES,
    )


# Board skills, FPPT and appraisals ----------------------------------------------------


def board_skills_view(context: TalentContext, ods_code: str) -> board_skills.BoardSkills:
    """The board skills matrix of one organisation."""
    organisations_in(context, ods_code)
    return board_skills.board_skills(
        ods_code,
        context.register.posts,
        context.register.appointments,
        context.register.people,
        context.talent.assessments,
        context.talent.appraisals,
        context.talent.appraisal_ratings,
        context.at,
    )


@dataclass(frozen=True)
class FpptView:
    status: pl.DataFrame
    attention: pl.DataFrame
    missing_references: pl.DataFrame


def fppt_view(
    context: TalentContext,
    ods_code: str | None = None,
    region_code: str | None = None,
    *,
    within_days: int = fppt.DUE_WITHIN_DAYS,
) -> FpptView:
    """FPPT check status of every board member in scope, what needs attention, and the
    leavers still without a board member reference."""
    scope = organisations_in(context, ods_code, region_code)
    register = context.register
    members = board_skills.board_members(
        register.posts, register.appointments, register.people, context.at, scope
    )
    status = fppt.check_status(
        members, context.talent.fppt_checks, context.at, within_days=within_days
    )
    leavers = fppt.board_leavers(register.posts, register.appointments, context.at)
    if scope is not None:
        leavers = leavers.filter(pl.col("ods_code").is_in(scope))
    missing = (
        fppt.missing_references(leavers, context.talent.references)
        .join(
            register.people.select(
                "person_ref",
                "person_id",
                pl.concat_str("given_name", "family_name", separator=" ").alias("name"),
            ),
            on="person_ref",
            how="left",
        )
        .sort(["end_date", "appointment_ref"])
    )
    return FpptView(status, fppt.needing_attention(status), missing)


def appraisal_view(
    context: TalentContext, ods_code: str | None = None, region_code: str | None = None
) -> pl.DataFrame:
    """Appraisal status of every board member in scope."""
    scope = organisations_in(context, ods_code, region_code)
    register = context.register
    members = board_skills.board_members(
        register.posts, register.appointments, register.people, context.at, scope
    )
    return (
        members.select("ods_code", "person_ref")
        .with_row_index("_order")
        .join(
            appraisals.appraisal_status(
                members.unique("person_ref", maintain_order=True),
                context.talent.appraisals,
                context.talent.appraisal_ratings,
                context.at,
            ),
            on="person_ref",
            how="left",
        )
        .sort("_order")
        .drop("_order")
    )


# Exit records ------------------------------------------------------------------------


@dataclass(frozen=True)
class ExitView:
    records: pl.DataFrame
    summary: exits.ExitSummary


def exit_view(
    context: TalentContext,
    ods_code: str | None = None,
    region_code: str | None = None,
    *,
    months: int = 12,
    executive_only: bool = False,
) -> ExitView:
    """Spells that ended in the window, with reasons and notes, and their summary."""
    scope = organisations_in(context, ods_code, region_code)
    posts = context.register.posts
    if scope is not None:
        posts = posts.filter(pl.col("ods_code").is_in(scope))
    if executive_only:
        posts = posts.filter((pl.col("level") == "board") & pl.col("executive"))
    records = (
        exits.exit_records(
            context.spells.join(posts.select("post_ref"), on="post_ref", how="semi"),
            context.register.appointments,
            context.talent.exits,
            context.at,
            months=months,
        )
        .join(posts.select("post_ref", "post_id", "ods_code", "role_code"), on="post_ref")
        .join(context.register.people.select("person_ref", "person_id"), on="person_ref")
        .sort(["end_date", "person_id"], descending=[True, False])
    )
    return ExitView(records, exits.exit_summary(records))


# Writing records ---------------------------------------------------------------------


class RecordError(ValueError):
    """A record that cannot be written, with the reason."""


def _appointment(
    session: Session, person_id: str, post_id: str, on_or_before: dt.date
) -> Appointment:
    appointment = session.scalars(
        select(Appointment)
        .join(Person, Person.id == Appointment.person_ref)
        .join(Post, Post.id == Appointment.post_ref)
        .where(
            Person.person_id == person_id,
            Post.post_id == post_id,
            Appointment.start_date <= on_or_before,
        )
        .order_by(Appointment.start_date.desc())
        .limit(1)
    ).first()
    if appointment is None:
        raise RecordError(
            f"no appointment of {person_id} to {post_id} starting on or before {on_or_before}"
        )
    return appointment


def record_exit(
    session: Session,
    person_id: str,
    post_id: str,
    ended_on: dt.date,
    end_reason: str,
    exit_notes: str | None = None,
) -> Appointment:
    """Record that a person's appointment to a post ended: the end date, the structured
    reason and the exit-conversation notes.

    The appointment is the person's latest-starting one to the post that started on or
    before ``ended_on``. One already ended on another date is refused (correct the register
    through the appointments import); recording the same exit again updates its reason
    and notes.
    """
    if end_reason not in vocab.END_REASONS:
        raise RecordError(
            f"end reason {end_reason!r} is not one of: {', '.join(vocab.END_REASONS)}"
        )
    appointment = _appointment(session, person_id, post_id, ended_on)
    if appointment.end_date is not None and appointment.end_date != ended_on:
        raise RecordError(
            f"the appointment of {person_id} to {post_id} from {appointment.start_date} "
            f"already ended on {appointment.end_date}"
        )
    appointment.end_date = ended_on
    appointment.end_reason = end_reason
    appointment.exit_notes = (exit_notes or "").strip() or None
    session.flush()
    return appointment


def write_board_member_reference(
    session: Session,
    person_id: str,
    post_id: str,
    written_on: dt.date,
    *,
    written_by: str | None = None,
    concerns_raised: bool = False,
    summary: str | None = None,
) -> BoardMemberReference:
    """Write (or rewrite) the board member reference for the person's latest appointment
    to a board post that ended on or before ``written_on``."""
    appointment = _appointment(session, person_id, post_id, written_on)
    post = session.get(Post, appointment.post_ref)
    if post is None or post.level != "board":
        raise RecordError(f"{post_id} is not a board post")
    if appointment.end_date is None or appointment.end_date > written_on:
        raise RecordError(
            f"the appointment of {person_id} to {post_id} has not ended by {written_on}"
        )
    reference = session.scalars(
        select(BoardMemberReference).where(BoardMemberReference.appointment_ref == appointment.id)
    ).first()
    if reference is None:
        reference = BoardMemberReference(appointment_ref=appointment.id, written_on=written_on)
        session.add(reference)
    reference.written_on = written_on
    reference.written_by = written_by
    reference.concerns_raised = concerns_raised
    reference.summary = (summary or "").strip() or None
    session.flush()
    return reference


__all__ = [
    "ExitView",
    "FpptView",
    "PoolView",
    "RecordError",
    "SuccessionView",
    "TalentContext",
    "UnknownScopeError",
    "appraisal_view",
    "board_skills_view",
    "exit_view",
    "fppt_view",
    "leave_chances",
    "load_context",
    "organisations_in",
    "pipeline_diversity",
    "record_exit",
    "succession_view",
    "talent_pool",
    "write_board_member_reference",
]
