"""Matching against the database: read the frames, call the pure functions, store the runs.

The one layer here that touches a session. The CLI (and the web app) call these; every
figure comes from the pure functions in the sibling modules.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard.db.models import Post
from talentboard.frames.register import (
    RegisterFrames,
    covers,
    load_register,
    positions_at,
    segment_at,
)
from talentboard.frames.talent import TalentFrames, load_talent
from talentboard.matching.buddying import BuddyResult, BuddySettings, match_buddies
from talentboard.matching.inputs import (
    aspiration_frame,
    candidate_frame,
    experience_frame,
    offer_frame,
)
from talentboard.matching.opportunities import (
    MatchResult,
    MatchSettings,
    RoundInputs,
    match_opportunities,
)
from talentboard.matching.store import (
    declined_pairs,
    kept_proposals,
    save_buddy_run,
    save_opportunity_run,
)
from talentboard.matching.vacancy import Shortlist, VacancyPost, vacancy_shortlist
from talentboard.progress import SILENT, Reporter
from talentboard.reference.expected import expected_frame
from talentboard.stability.board import figures_frame
from talentboard.talent.assessments import development_gaps


class UnknownPostError(LookupError):
    """No post has the post_id asked for."""


def round_inputs(
    register: RegisterFrames, talent: TalentFrames, at: dt.date, region: str | None = None
) -> RoundInputs:
    """The inputs of a round at ``at`` from loaded frames.

    With ``region``, only opportunities hosted in that region are on offer and only
    candidates who will work there take part.
    """
    positions = positions_at(register, at)
    candidates = candidate_frame(talent.profiles, talent.targets, positions, register.people)
    offers = offer_frame(
        talent.opportunities, register.organisations, segment_at(register.ratings, at)
    )
    if region is not None:
        offers = offers.filter(pl.col("host_region_code") == region)
        candidates = candidates.filter(pl.col("willing_regions").list.contains(region))
    return RoundInputs(
        candidates=candidates,
        offers=offers,
        targets=talent.targets,
        gaps=development_gaps(talent.assessments, talent.targets, expected_frame()),
        aspirations=aspiration_frame(talent.conversations, talent.actions),
        experience=experience_frame(
            register.appointments,
            register.posts,
            register.organisations,
            register.ratings,
            at,
        ),
        people=register.people,
    )


def run_opportunity_match(
    session: Session,
    at: dt.date,
    settings: MatchSettings | None = None,
    *,
    region: str | None = None,
    save: bool = True,
    created_by: str | None = None,
    progress: Reporter = SILENT,
) -> tuple[MatchResult, int | None]:
    """Match development opportunities at ``at``; store the run unless ``save`` is false.

    Returns the result and the stored run's id (None when not saved).
    """
    progress.start("Reading the register and talent data", 3)
    register = load_register(session)
    progress.advance()
    talent = load_talent(session, at)
    progress.advance()
    inputs = round_inputs(register, talent, at, region)
    progress.advance()
    progress.start("Matching", 1)
    result = match_opportunities(
        inputs, at, settings, kept=kept_proposals(session, at), declined=declined_pairs(session)
    )
    progress.advance()
    if not save:
        return result, None
    stored = save_opportunity_run(session, result, created_by)
    return result, stored.run_ref


def shortlist_for_post(session: Session, post_id: str, at: dt.date) -> Shortlist:
    """The vacancy shortlist for the post with ``post_id`` at ``at``."""
    post_row = session.scalar(select(Post).where(Post.post_id == post_id))
    if post_row is None:
        raise UnknownPostError(f"there is no post {post_id!r}")
    register = load_register(session)
    talent = load_talent(session, at)
    organisation = register.organisations.filter(pl.col("ods_code") == post_row.ods_code)
    post = VacancyPost(
        post_ref=post_row.id,
        post_id=post_row.post_id,
        title=post_row.title,
        role_code=post_row.role_code,
        ods_code=post_row.ods_code,
        region_code=organisation.item(0, "region_code") if organisation.height else None,
    )
    holders = (
        register.appointments.filter(covers(at) & (pl.col("post_ref") == post_row.id))
        .get_column("person_ref")
        .to_list()
    )
    positions = positions_at(register, at)
    return vacancy_shortlist(
        post,
        candidate_frame(talent.profiles, talent.targets, positions, register.people),
        talent.targets,
        development_gaps(talent.assessments, talent.targets, expected_frame()),
        experience_frame(
            register.appointments, register.posts, register.organisations, register.ratings, at
        ),
        at,
        holders,
    )


def board_stability(register: RegisterFrames, at: dt.date) -> pl.DataFrame:
    """Per organisation [ods_code, exec_posts, exec_posts_vacant, turnover_rate_12m]."""
    return figures_frame(register, at, by="org").select(
        pl.col("group").alias("ods_code"), "exec_posts", "exec_posts_vacant", "turnover_rate_12m"
    )


def run_buddying(
    session: Session,
    at: dt.date,
    settings: BuddySettings | None = None,
    *,
    save: bool = True,
    created_by: str | None = None,
) -> tuple[BuddyResult, int | None]:
    """Pair challenged with strong organisations at ``at``; store the run unless not ``save``."""
    register = load_register(session)
    result = match_buddies(
        register.organisations,
        segment_at(register.ratings, at),
        board_stability(register, at),
        at,
        settings,
    )
    if not save:
        return result, None
    return result, save_buddy_run(session, result, created_by).run_ref
