"""The analysis the pages show, loaded through the same services the command line calls.

Nothing is computed here: this module only loads the frames once per request and hands
them, narrowed to the caller's scope, to the talent and stability services.

What it keeps (``web.cache``) is kept with the stamp of the tables it reads (``READS``),
so an edit to the talent tables keeps the register and the dashboards. After an edit to a
few posts, people or appointments the register is patched with just those rows
(``frames.patch``), and a dashboard's figures at each month are kept by what they are
computed from, so the months and organisations an edit does not reach keep theirs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import polars as pl
from sqlalchemy.orm import Session
from starlette.requests import Request

from talentboard.db.stamp import STAMPED_TABLES, DataStamp
from talentboard.frames.patch import (
    PATCHABLE,
    KeptRegister,
    patch_register,
    read_register,
    register_counts,
)
from talentboard.frames.register import RegisterFrames
from talentboard.reports.headlines import headlines
from talentboard.reports.model import ChartSpec, Headline
from talentboard.reports.publish import publish_figures, published_row
from talentboard.reports.scope import restrict_to_organisation, restrict_to_region, scope_for
from talentboard.reports.trends import SERIES_MONTHS, Trend, trend_series
from talentboard.stability.board import (
    BoardFigures,
    board_figures,
    figures_frame,
)
from talentboard.stability.calendar import month_ends
from talentboard.stability.groups import BoardRegister, prepare_board
from talentboard.talent import services
from talentboard.talent.board_skills import BoardSkills
from talentboard.talent.conversations import grid_counts, placements
from talentboard.talent.pool import PoolFilter
from talentboard.talent.succession import coverage_share
from talentboard.web.cache import AnalysisCache
from talentboard.web.permissions import AnalysisScope
from talentboard.web.queries import configured_as_at

T = TypeVar("T")

REGISTER_TABLES = ("organisations", "performance_ratings", "posts", "people", "appointments")
# The tables each kind of kept value reads, by the first item of its key (or the key): a
# kind not named here is taken to read every stamped table, so forgetting one here costs
# recomputation, never a stale page.
READS: dict[str, tuple[str, ...]] = {
    "as_at": ("settings",),
    "segment": ("performance_ratings",),
    "register": REGISTER_TABLES,
    "dashboard": REGISTER_TABLES,
    "charts": REGISTER_TABLES,
    "stability_by_org": REGISTER_TABLES,
    "figures_by": REGISTER_TABLES,
}


def reads(key: Hashable) -> tuple[str, ...]:
    """The tables a kept value of this key reads (``READS``)."""
    kind = key[0] if isinstance(key, tuple) and key else key
    return READS.get(kind, STAMPED_TABLES) if isinstance(kind, str) else STAMPED_TABLES


def _cache(request: Request) -> AnalysisCache:
    cache: AnalysisCache = request.app.state.analysis_cache
    return cache


def cached(request: Request, session: Session, key: Hashable, build: Callable[[], T]) -> T:
    """``build()``, kept while the data it was built from is unchanged (``web.cache``).

    For what a page shows of the data alone: anything that depends on the caller is
    decided (and checked against their scope) outside, and is part of ``key``.
    """
    cache = _cache(request)
    return cache.get(key, cache.stamp(session).of(reads(key)), build, _mark(cache, session))


def _mark(cache: AnalysisCache, session: Session) -> Callable[[float], Hashable]:
    """The write mark as the cache asks for it (``AnalysisCache.refresh``)."""
    return lambda within: cache.write_mark(session, within)


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
    return kept_register(request, session).frames


@dataclass(frozen=True)
class _Kept:
    register: KeptRegister
    stamp: DataStamp
    sequence: int  # the last change noted before it was read


def kept_register(request: Request, session: Session) -> KeptRegister:
    """The register as the cache keeps it: patched after edits noted in this process,
    read whole after any other change."""
    cache = _cache(request)
    stamp = cache.stamp(session)

    def update(stale: _Kept | None) -> _Kept:
        sequence = cache.sequence
        patched = None if stale is None else _patched(request, session, stale, stamp)
        return _Kept(patched or read_register(session), stamp, sequence)

    kept: _Kept = cache.refresh(
        "register", stamp.of(REGISTER_TABLES), update, _mark(cache, session)
    )
    return kept.register


def _patched(
    request: Request, session: Session, stale: _Kept, stamp: DataStamp
) -> KeptRegister | None:
    """``stale`` with the rows noted since it was read re-read, if that is all that
    changed: organisations and ratings as they were, every change to the other tables
    noted with its rows, and the patched frames agreeing with the stamp."""
    changes = _cache(request).changes_since(stale.sequence)
    whole = ("organisations", "performance_ratings")
    if changes is None or stamp.of(whole) != stale.stamp.of(whole):
        return None
    rows = {table: keys for table, keys in changes.rows.items() if table in REGISTER_TABLES}
    if any(keys is None for keys in rows.values()) or not set(rows) <= PATCHABLE:
        return None
    patched = patch_register(session, stale.register, {t: k for t, k in rows.items() if k})
    counts = register_counts(patched)
    if any(stamp.read[table] != counts[table] for table in counts):
        return None
    return patched


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
    cache = _cache(request)

    def build() -> Dashboard:
        board = prepare_board(scoped(frames, scope))
        overall = kept_figures(cache, board, [at])[0]
        shown = overall if exact else publish_figures(overall)
        items = (
            headlines(
                published_row(shown), where=where(scope, organisation_name), rounded=not exact
            )
            if shown.height
            else ()
        )
        series = kept_trends(cache, board, at, disclose=not exact) if trends else ()
        charts = tuple(t.chart for t in series if t.chart is not None)
        undrawn = tuple(t.title for t in series if t.chart is None)
        return Dashboard(at, items, charts, undrawn, exact)

    key = ("dashboard", scope, at, exact, trends)
    return cached(request, session, key, build)


# Row hashes are cut to 48 bits, so that their sums over a register's rows cannot overflow.
_SHIFT = 1 << 16


def _known_by(frame: pl.DataFrame, days: list[dt.date]) -> list[int]:
    """For each day, a fingerprint of the rows of ``frame`` begun by then, each as it
    stood that day: an end date after it (and its reason) not yet known."""
    later = [c for c in ("end_date", "end_reason") if c in frame.columns]
    hashed = pl.DataFrame(
        {
            "start": frame["start_date"],
            "end": frame["end_date"],
            "ended": frame.hash_rows() // _SHIFT,
            "open": frame.with_columns(pl.lit(None).alias(c) for c in later).hash_rows() // _SHIFT,
        }
    )
    row = hashed.select(
        pl.when(pl.col("start") <= day)
        .then(pl.when(pl.col("end") <= day).then("ended").otherwise("open"))
        .otherwise(0)
        .sum()
        .alias(str(index))
        for index, day in enumerate(days)
    ).row(0)
    return [int(value) for value in row]


def _whole(frame: pl.DataFrame) -> int:
    return int((frame.hash_rows() // _SHIFT).sum())


def kept_figures(
    cache: AnalysisCache, board: BoardRegister, days: list[dt.date]
) -> list[pl.DataFrame]:
    """``figures_frame(board, day)`` for each day, each kept by what it is computed from.

    A figure as at a day reads the board posts and ratings, and of the spells, cover and
    voting appointments only those begun by that day, as they stood then
    (docs/metrics.md): so after an edit, the days and scopes whose fingerprint of those is
    unchanged keep their figures, and only the others are computed again.
    """
    fixed = (_whole(board.posts), _whole(board.frames.ratings))
    prints = zip(
        _known_by(board.executive_spells, days),
        _known_by(board.cover, days),
        _known_by(board.voting_appointments, days),
        strict=True,
    )

    def at(day: dt.date) -> Callable[[], pl.DataFrame]:
        return lambda: figures_frame(board, day)

    return [
        cache.get(("figures", day, *fixed, *known), (), at(day))
        for day, known in zip(days, prints, strict=True)
    ]


def kept_trends(
    cache: AnalysisCache, board: BoardRegister, at: dt.date, *, disclose: bool
) -> tuple[Trend, ...]:
    """The report's trends over the months to ``at`` (``monthly_figures`` with
    ``trend_series``), from kept monthly figures; kept whole while those are unchanged."""
    days = month_ends(at, SERIES_MONTHS)
    monthly = pl.concat(
        [
            figures.with_columns(as_at=pl.lit(day, dtype=pl.Date))
            for day, figures in zip(days, kept_figures(cache, board, days), strict=True)
        ]
    ).sort("as_at")
    key = ("trends", disclose, tuple(monthly.hash_rows().to_list()))
    return cache.get(key, (), lambda: trend_series(monthly, disclose=disclose))


def figures_by(frames: RegisterFrames, at: dt.date, by: str, *, exact: bool) -> pl.DataFrame:
    """The figures of each group of ``by`` at ``at``: ``figures_frame(by=by)``, the table
    ``talentboard stats --by`` prints; without personal-data access after disclosure
    control (a withheld figure is null, with its ``<figure>_suppressed`` flag set)."""
    table = figures_frame(prepare_board(frames), at, by=by)
    return table if exact else publish_figures(table, protect=True)


def stats_json(
    frames: RegisterFrames, at: dt.date, by: str | None, *, exact: bool
) -> dict[str, Any]:
    """The ``talentboard stats --format json`` object for these frames: the same functions
    the command calls; without personal-data access, each figure after disclosure control
    (a withheld figure is null)."""
    board = prepare_board(frames)
    if exact:
        payload: dict[str, Any] = board_figures(board, at).as_dict()
    else:
        published = publish_figures(figures_frame(board, at))
        first = (
            published.row(0, named=True) if published.height else dict.fromkeys(published.columns)
        )
        payload = BoardFigures.from_row(at, first).as_dict()
    if by:
        table = figures_by(frames, at, by, exact=exact)
        payload["by"] = {
            by: {
                row["group"]: BoardFigures.from_row(at, row).figures()
                for row in table.iter_rows(named=True)
            }
        }
    return payload


def kept_figures_by(
    request: Request, session: Session, at: dt.date, by: str, *, exact: bool
) -> pl.DataFrame:
    """``figures_by`` of the whole register, kept while the data is unchanged."""
    return cached(
        request,
        session,
        ("figures_by", at, by, exact),
        lambda: figures_by(register(request, session), at, by, exact=exact),
    )


STABILITY_COLUMNS = ("exec_vacancy_rate", "interim_cover_share", "median_tenure_years")


def stability_by_organisation(
    request: Request, session: Session, at: dt.date, *, exact: bool
) -> dict[str, dict[str, tuple[float | None, bool]]]:
    """Each organisation's executive vacancy rate, interim cover share and median tenure at
    ``at``, as the dashboard defines them (``figures_frame(by="org")``); without
    personal-data access each after disclosure control. Keyed by ODS code, each figure as
    (value, withheld); an organisation with no executive or voting board post is absent."""

    def build() -> dict[str, dict[str, tuple[float | None, bool]]]:
        table = kept_figures_by(request, session, at, "org", exact=exact)
        return {
            row["group"]: {
                name: (row[name], bool(row.get(f"{name}_suppressed"))) for name in STABILITY_COLUMNS
            }
            for row in table.iter_rows(named=True)
        }

    return cached(request, session, ("stability_by_org", at, exact), build)


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


def ready_now_for_post(
    request: Request, session: Session, at: dt.date, ods_code: str, post_id: str
) -> int | None:
    """The eligible successors named on the post's plan as ready now: the one "ready now
    for this post", as the succession page counts it (None for a post that is not
    critical or not open at ``at``)."""
    posts = succession_view(request, session, at, ods_code, None).report.posts
    found = posts.filter(pl.col("post_id") == post_id)["ready_now"].to_list()
    return int(found[0]) if found else None


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
