"""The analysis the pages show, loaded through the same services the command line calls.

Nothing is computed here: this module only loads the frames once per request and hands
them, narrowed to the caller's scope, to the talent and stability services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import polars as pl
from sqlalchemy.orm import Session
from starlette.requests import Request

from talentboard.frames.register import RegisterFrames, load_register
from talentboard.reports.headlines import headlines
from talentboard.reports.model import ChartSpec, Headline
from talentboard.reports.publish import publish_figures, published_row
from talentboard.reports.scope import restrict_to_region, scope_for
from talentboard.reports.trends import monthly_figures, trend_series
from talentboard.stability.board import (
    BoardFigures,
    board_figures,
    board_figures_by,
    figures_frame,
)
from talentboard.stability.groups import prepare_board
from talentboard.talent import services
from talentboard.talent.board_skills import BoardSkills
from talentboard.talent.conversations import grid_counts, placements
from talentboard.talent.pool import PoolFilter
from talentboard.talent.succession import coverage_share
from talentboard.web.cache import AnalysisCache
from talentboard.web.permissions import AnalysisScope
from talentboard.web.queries import configured_as_at

T = TypeVar("T")


def _cache(request: Request) -> AnalysisCache:
    cache: AnalysisCache = request.app.state.analysis_cache
    return cache


def cached(request: Request, session: Session, key: Hashable, build: Callable[[], T]) -> T:
    """``build()``, kept while the data it was built from is unchanged (``web.cache``).

    For what a page shows of the data alone: anything that depends on the caller is
    decided (and checked against their scope) outside, and is part of ``key``.
    """
    cache = _cache(request)
    return cache.get(key, cache.stamp(session), build)


def shown_date(request: Request, session: Session) -> dt.date:
    """The date figures are shown "as at" (``queries.default_as_at``), its setting read
    once while the data is unchanged."""
    return cached(request, session, "as_at", lambda: configured_as_at(session)) or dt.date.today()


def talent_context(request: Request, session: Session, at: dt.date) -> services.TalentContext:
    """The register and talent frames as at ``at``, as ``talentboard talent`` loads them
    (sharing the register the other pages keep)."""
    return cached(
        request,
        session,
        ("talent", at),
        lambda: services.load_context(session, at, register(request, session)),
    )


def pool_filter(scope: AnalysisScope, **chosen: tuple[str, ...]) -> PoolFilter:
    """The talent pool filter: the caller's scope and the filters they chose."""
    return PoolFilter(
        ods_code=(scope.ods_code,) if scope.ods_code else (),
        region_code=(scope.region_code,) if scope.region_code else (),
        **chosen,
    )


def talent_grid(context: services.TalentContext, members: pl.DataFrame) -> pl.DataFrame:
    """The 3x3 grid of the pool members shown, as ``talentboard talent grid`` counts it."""
    people = members.select("person_ref")
    profiles = context.talent.profiles.join(people, on="person_ref", how="semi")
    conversations = context.talent.conversations.join(people, on="person_ref", how="semi")
    return grid_counts(placements(profiles, conversations, context.at))


def register(request: Request, session: Session) -> RegisterFrames:
    """The whole register as frames, as ``talentboard stats`` loads it."""
    return _cache(request).get(
        "register", _cache(request).stamp(session), lambda: load_register(session)
    )


def restrict_to_organisation(frames: RegisterFrames, ods_code: str) -> RegisterFrames:
    """The part of the register that belongs to one organisation (as ``restrict_to_region``
    does for a region)."""
    organisations = frames.organisations.filter(pl.col("ods_code") == ods_code)
    posts = frames.posts.filter(pl.col("ods_code") == ods_code)
    appointments = frames.appointments.filter(pl.col("post_ref").is_in(posts["post_ref"].implode()))
    people = frames.people.filter(pl.col("person_ref").is_in(appointments["person_ref"].implode()))
    return RegisterFrames(
        organisations=organisations,
        ratings=frames.ratings.filter(pl.col("ods_code") == ods_code),
        posts=posts,
        people=people,
        appointments=appointments,
    )


def scoped(frames: RegisterFrames, scope: AnalysisScope) -> RegisterFrames:
    """The register restricted to the caller's scope: every figure is then its definition
    restricted to those organisations' posts (DESIGN section 5)."""
    if scope.ods_code is not None:
        return restrict_to_organisation(frames, scope.ods_code)
    if scope.region_code is not None:
        return restrict_to_region(frames, scope.region_code)
    return frames


def where(scope: AnalysisScope, organisation_name: str | None = None) -> str:
    """The scope as the headline sentences name it."""
    if scope.ods_code is not None:
        return f"at {organisation_name or scope.ods_code}"
    return scope_for(scope.region_code).where


@dataclass(frozen=True)
class Dashboard:
    """The dashboard of one scope: headline figures and the SPC charts of the report.

    ``undrawn`` are the titles of the trends with too few published months for a chart.
    """

    as_at: dt.date
    headlines: tuple[Headline, ...]
    charts: tuple[ChartSpec, ...]
    undrawn: tuple[str, ...]
    exact: bool


def dashboard(
    request: Request,
    session: Session,
    scope: AnalysisScope,
    at: dt.date,
    *,
    exact: bool,
    organisation_name: str | None = None,
    trends: bool = True,
) -> Dashboard:
    """Headline figures and the report's SPC trend charts for the caller's scope: exact
    for people with personal-data access, otherwise after disclosure control (each chart
    then drawn from its published months only, as in the report)."""
    frames = register(request, session)

    def build() -> Dashboard:
        board = prepare_board(scoped(frames, scope))
        overall = figures_frame(board, at)
        shown = overall if exact else publish_figures(overall)
        items = (
            headlines(published_row(shown), where=where(scope, organisation_name))
            if shown.height
            else ()
        )
        series = trend_series(monthly_figures(board, at), disclose=not exact) if trends else ()
        charts = tuple(t.chart for t in series if t.chart is not None)
        undrawn = tuple(t.title for t in series if t.chart is None)
        return Dashboard(at, items, charts, undrawn, exact)

    key = ("dashboard", scope, at, exact, trends)
    return _cache(request).get(key, _cache(request).stamp(session), build)


def stats_json(
    frames: RegisterFrames, at: dt.date, by: str | None, *, exact: bool
) -> dict[str, Any]:
    """The ``talentboard stats --format json`` object for these frames: the same functions
    the command calls; without personal-data access, each figure after disclosure control
    (a withheld figure is null)."""
    board = prepare_board(frames)
    if exact:
        overall = board_figures(board, at)
        payload: dict[str, Any] = overall.as_dict()
        if by:
            groups = board_figures_by(board, at, by)
            payload["by"] = {by: {code: f.figures() for code, f in groups.items()}}
        return payload
    published = publish_figures(figures_frame(board, at))
    first = published.row(0, named=True) if published.height else dict.fromkeys(published.columns)
    payload = BoardFigures.from_row(at, first).as_dict()
    if by:
        table = publish_figures(figures_frame(board, at, by=by), protect=True)
        payload["by"] = {
            by: {
                row["group"]: BoardFigures.from_row(at, row).figures()
                for row in table.iter_rows(named=True)
            }
        }
    return payload


def succession_view(
    request: Request,
    session: Session,
    at: dt.date,
    ods_code: str | None = None,
    region_code: str | None = None,
) -> services.SuccessionView:
    """Succession in a scope as ``talentboard succession`` computes it (everywhere when
    neither code is given), kept while the data is unchanged."""
    context = talent_context(request, session, at)
    return cached(
        request,
        session,
        ("succession", at, ods_code, region_code),
        lambda: services.succession_view(context, ods_code, region_code),
    )


@dataclass(frozen=True)
class OrganisationAnalysis:
    """Succession, board skills and Fit and Proper Person checks of one organisation."""

    coverage_share: float | None
    critical_posts: pl.DataFrame
    skills: BoardSkills
    fppt: services.FpptView


def organisation_analysis(
    request: Request, session: Session, ods_code: str, at: dt.date
) -> OrganisationAnalysis:
    """What the organisation page shows beyond its register, from the talent services
    (computed for the page's personal section, which is kept whole).

    Succession is read from the national view (loaded once for every organisation page):
    each critical post's bench, coverage and risk depend on that post alone, so its rows
    for one organisation are those ``succession_view(context, ods_code)`` gives.
    """
    context = talent_context(request, session, at)
    posts = succession_view(request, session, at).report.posts.filter(
        pl.col("ods_code") == ods_code
    )
    return OrganisationAnalysis(
        coverage_share=coverage_share(posts),
        critical_posts=posts,
        skills=services.board_skills_view(context, ods_code),
        fppt=services.fppt_view(context, ods_code),
    )
