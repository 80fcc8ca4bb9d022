"""``build_report``: the board report document for a date and an optional region.

Every figure comes from ``talentboard.stability`` and is published through
``reports.publish`` (disclosure control) before it is placed in the document; this
module only chooses what goes where and words it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Final

import polars as pl

from talentboard.frames import RegisterFrames
from talentboard.frames.outcomes import IndicatorFrames
from talentboard.outcomes import OutcomeInputs
from talentboard.progress import SILENT, Reporter
from talentboard.reports.breakdowns import (
    diversity_chart,
    page_table,
    role_chart,
    workbook_table,
)
from talentboard.reports.exits import exits_section
from talentboard.reports.headlines import headlines
from talentboard.reports.hotspots import hotspots_tables
from talentboard.reports.methods import CONVENTIONS, DEFINITIONS
from talentboard.reports.model import ChartSpec, Headline, Report, Section, Table
from talentboard.reports.outcomes import outcomes_section
from talentboard.reports.outlook import OUTLOOK_SHEETS, Outlook
from talentboard.reports.presenters import format_date, mid_sentence
from talentboard.reports.publish import (
    EXACT,
    publish_figures,
    published_row,
    publishing_with,
)
from talentboard.reports.scope import (
    Scope,
    organisation_scope,
    restrict_to_organisation,
    restrict_to_region,
    scope_for,
)
from talentboard.reports.tenure import segment_curves, tenure_chart, time_to_fill_table
from talentboard.reports.trends import (
    SPC_DISCLOSURE,
    Trend,
    monthly_figures,
    series_table,
    trend_series,
)
from talentboard.stability.board import figures_frame
from talentboard.stability.disclosure import DEFAULT_RULE, DisclosureRule
from talentboard.stability.groups import BoardRegister, prepare_board

__all__ = [
    "HOTSPOTS_SHOWN",
    "ROLE_PUBLICATION_LEVELS",
    "RolePublication",
    "build_report",
    "disclosure_paragraphs",
    "exact_paragraphs",
    "role_publication",
]

HOTSPOTS_SHOWN: Final = {"national": 20, "region": 10}
_STEPS: Final = 8


def disclosure_paragraphs(rule: DisclosureRule = DEFAULT_RULE) -> tuple[str, ...]:
    """Appendix B: the disclosure rule applied, in words, from the rule itself."""
    return (
        f"This report is for boards and the public, so every count in it is published "
        f"with disclosure control. A count from {rule.suppress_from} to {rule.suppress_to} "
        f"is withheld and shown as {rule.symbol}; a count of 0 is shown. Every other count "
        f"is rounded to the nearest {rule.round_to}.",
        "A percentage built on a withheld count is withheld too. Percentages that are "
        "shown are worked out from the exact counts, so a percentage may differ slightly "
        "from one worked out from the rounded counts beside it.",
        "In a breakdown whose total is also published (by role, by region, by segment, by "
        "reason), further cells are withheld where needed so that no withheld count can be "
        "worked out by subtracting the others from the total.",
        "Medians, intervals and tests resting on a withheld number of spells are withheld, "
        "and a Kaplan-Meier curve for such a group is not drawn. The BME share of the "
        "workforce comes from organisations' published staff figures and is shown as it is.",
        SPC_DISCLOSURE,
    )


def exact_paragraphs(name: str) -> tuple[str, ...]:
    """Appendix B of an organisation's own report: why nothing is withheld."""
    return (
        f"This report is for {name}'s own use, made for people who may see the "
        "organisation's exact figures. No count in it is withheld or rounded, so it can "
        "point to single posts and people: do not publish it or share it outside the "
        "organisation. The regional report is the one to publish.",
        "Medians and tests resting on very few spells are shown as they are, so read "
        "them with their intervals.",
    )


def _summary(items: tuple[Headline, ...], trend_variation: str) -> tuple[str, ...]:
    wanted = (
        "orgs_with_exec_vacancy_share",
        "exec_vacancy_rate",
        "median_tenure_years",
        "appointed_within_3y_share",
        "bme_share_board_voting",
        "forced_exit_share_12m",
    )
    by_metric = {h.metric: h for h in items}
    lines = [by_metric[m].sentence for m in wanted if m in by_metric]
    lines.append(f"Executive vacancy rate over two years. {trend_variation}")
    return tuple(lines)


ROLE_PUBLICATION_LEVELS: Final = (
    ("role", "by role", "Executive vacancy and interim cover by role"),
    (
        "role_group",
        "by group of roles",
        "Executive vacancy and interim cover by group of roles",
    ),
    (
        "role_tier",
        "by group of roles",
        "Executive vacancy and interim cover by group of roles",
    ),
    (None, "for all executive posts together", "Executive vacancy and interim cover"),
)
"""The levels figure 6 may be published at, finest first: each role, four groups (chief
executive, finance, medical and nursing, the others), two groups, all executive posts."""

_COVER = (
    "Interim cover is the share of posts held by an interim, acting or seconded "
    "director while there is no substantive holder."
)


@dataclass(frozen=True)
class RolePublication:
    """Vacancy and interim cover by role at the finest level at which every vacancy rate
    may be published. ``level`` is the grouping (``ROLE_PUBLICATION_LEVELS``), ``rows``
    the published executive rows at that level, ``chart`` None when not even the rate
    for all executive posts together may be published, and ``note`` says in words at
    what level the figures are given and why."""

    level: str | None
    rows: pl.DataFrame
    chart: ChartSpec | None
    note: str


def _publishable(rows: pl.DataFrame) -> bool:
    """Every group's vacancy rate (the figure's main measure) may be published; an interim
    cover share resting on a small count is shown withheld beside it."""
    return rows.height > 0 and not rows["exec_vacancy_rate_suppressed"].any()


def _role_note(level: str | None, rows: pl.DataFrame, chart: bool) -> str:
    if not chart:
        return (
            "Even for all executive posts together, the number of vacant posts is from 1 "
            "to 7, too small to publish, so no chart is drawn. The workbook has the "
            f"figures by role, with small counts withheld. {_COVER}"
        )
    interim = (
        " Where the posts under interim cover number 1 to 7, the share is withheld (*)."
        if rows["interim_cover_share_suppressed"].any()
        else ""
    )
    if level == "role":
        shown = rows.filter(pl.col("exec_vacancy_rate") > 0).sort(
            "exec_vacancy_rate", descending=True
        )
        if shown.height < 2:
            return f"Figures are given for each executive role.{interim} {_COVER}"
        first, second = shown["label"][0], shown["label"][1]
        return (
            f"The highest published vacancy rates are for the {mid_sentence(first)} and the "
            f"{mid_sentence(second)}.{interim} {_COVER}"
        )
    groups = "; ".join(mid_sentence(str(label)) for label in rows["label"].to_list())
    if level is None:
        where = "all executive posts together"
        why = "for single roles and for groups of roles"
    else:
        where = f"groups of roles ({groups})"
        why = "for single roles"
    return (
        f"The numbers of vacant posts {why} are too small to publish (from 1 to 7), so "
        f"this figure gives them for {where}.{interim} The workbook has the figures by "
        f"role, with small counts withheld. {_COVER}"
    )


def role_publication(board: BoardRegister, at: dt.date) -> RolePublication:
    """Figure 6 at the finest level of ``ROLE_PUBLICATION_LEVELS`` at which no vacancy
    rate is withheld; the rule itself is unchanged, only the grouping is coarser."""
    rows = pl.DataFrame()
    level: str | None = None
    for level, _, title in ROLE_PUBLICATION_LEVELS:
        exact = figures_frame(board, at, by=level)
        published = publish_figures(exact, protect=level is not None)
        rows = published.filter(exact["exec_posts"] > 0)
        if level is None:
            rows = rows.with_columns(label=pl.lit("All executive posts"))
        if _publishable(rows):
            chart = role_chart(rows, title=title)
            return RolePublication(level, rows, chart, _role_note(level, rows, chart=True))
    return RolePublication(level, rows, None, _role_note(level, rows, chart=False))


@dataclass(frozen=True)
class _Parts:
    """What the report places, every figure already published.

    ``dimension`` is the breakdown beside the segments: regions for England, kinds of
    organisation for a region.
    """

    items: tuple[Headline, ...]
    trends: tuple[Trend, ...]
    by_segment: pl.DataFrame
    tenure: ChartSpec
    fill: Table
    by_role: pl.DataFrame
    roles: RolePublication
    dimension: str
    by_group: pl.DataFrame
    diversity: ChartSpec
    exits_chart: ChartSpec
    forced: Table
    top: Table
    every: Table

    @property
    def group_word(self) -> str:
        return "region" if self.dimension == "region" else "organisation kind"


def _gather(board: BoardRegister, at: dt.date, scope: Scope, progress: Reporter) -> _Parts:
    """Work out and publish every part of the report, one progress step at a time."""
    overall = publish_figures(figures_frame(board, at))
    items = headlines(published_row(overall), where=scope.where, rounded=scope.ods_code is None)
    progress.advance()

    trends = trend_series(monthly_figures(board, at))
    progress.advance()

    by_segment = publish_figures(figures_frame(board, at, by="segment"), protect=True)
    tenure = tenure_chart(segment_curves(board, at), by_segment)
    fill = time_to_fill_table(board, at)
    progress.advance()

    by_role = publish_figures(figures_frame(board, at, by="role"), protect=True)
    roles = role_publication(board, at)
    progress.advance()

    dimension = "region" if scope.region_code is None else "org_kind"
    by_group = publish_figures(figures_frame(board, at, by=dimension), protect=True)
    progress.advance()

    diversity = diversity_chart(overall, by_group, dimension, scope.name)
    progress.advance()

    exits_chart, forced = exits_section(board, at)
    progress.advance()

    shown = HOTSPOTS_SHOWN["national" if scope.region_code is None else "region"]
    top, every = hotspots_tables(board, at, top=shown, sheet="Hotspots")
    progress.advance()
    return _Parts(
        items=items,
        trends=trends,
        by_segment=by_segment,
        tenure=tenure,
        fill=fill,
        by_role=by_role,
        roles=roles,
        dimension=dimension,
        by_group=by_group,
        diversity=diversity,
        exits_chart=exits_chart,
        forced=forced,
        top=top,
        every=every,
    )


def _headline_section(items: tuple[Headline, ...], scope: Scope, at: dt.date) -> Section:
    return Section(
        "headline-figures",
        "Headline figures",
        (
            f"The figures for {scope.name} as at {format_date(at)}. Each comes with its "
            "definition; appendix A has them all, and appendix B explains the * marks.",
        ),
        headlines=items,
    )


def _trends_section(trends: tuple[Trend, ...]) -> Section:
    return Section(
        "trends",
        "Trends: statistical process control charts",
        (
            "Each chart shows a figure at the end of each month over two years, with its "
            "mean (black line) and process limits (dashed lines): the range within which "
            "the figure moves by chance. Grey points are that common cause variation. An "
            "orange point is a special cause of concern and a blue point a special cause "
            "of improvement: a change too large or too sustained to be chance. A month "
            "whose figure is withheld is a gap; the mean, limits and special causes come "
            "from the published months only (appendix B).",
        ),
        charts=tuple(t.chart for t in trends if t.chart is not None),
        tables=tuple(t.table for t in trends if t.chart is None),
    )


def _tenure_section(tenure: ChartSpec, fill: Table) -> Section:
    return Section(
        "tenure",
        "Tenure and time to fill",
        (
            "The curves count every executive spell, including those still going, for "
            "the time served so far (Kaplan-Meier). Where a curve crosses 50% is the "
            "median tenure of that group.",
        ),
        charts=(tenure,),
        tables=(fill,),
    )


def _roles_section(roles: RolePublication) -> Section:
    level = next(phrase for key, phrase, _ in ROLE_PUBLICATION_LEVELS if key == roles.level)
    tables: tuple[Table, ...] = ()
    if roles.chart is not None:
        tables = (
            page_table(
                roles.rows,
                roles.level or "role",
                name="by_role",
                caption=f"Executive posts {level}",
            ),
        )
    return Section(
        "roles",
        "Vacancy and interim cover by role",
        (roles.note,),
        charts=() if roles.chart is None else (roles.chart,),
        tables=tables,
    )


def _breakdowns_section(parts: _Parts) -> Section:
    group_word = parts.group_word
    return Section(
        "breakdowns",
        f"By {group_word} and by oversight segment",
        (
            "Oversight segments run from 1 (least support needed) to 4 or 5 (most "
            "challenged). Organisations not rated at the date are shown as not rated.",
        ),
        tables=(
            page_table(
                parts.by_group,
                parts.dimension,
                name=f"by_{parts.dimension}",
                caption=f"Executive posts by {group_word}",
            ),
            page_table(
                parts.by_segment,
                "segment",
                name="by_segment",
                caption="Executive posts by oversight segment",
            ),
        ),
    )


def _diversity_section(diversity: ChartSpec) -> Section:
    return Section(
        "diversity",
        "Diversity of boards against the workforce",
        (
            "Workforce Race Equality Standard indicator 9 compares the share of voting "
            "board members from a Black or minority ethnic background with the same "
            "share of the workforce. People whose ethnicity is not stated or not known "
            "are left out of the board share.",
        ),
        charts=(diversity,),
    )


def _exits_section(exits_chart: ChartSpec, forced: Table) -> Section:
    return Section(
        "exits",
        "Why executives leave",
        (
            "Forced exits (dismissal or being forced out) are a measure of how boards "
            "treat their leaders, not a footnote.",
        ),
        charts=(exits_chart,),
        tables=(forced,),
    )


def _hotspots_section(top: Table) -> Section:
    return Section(
        "hotspots",
        "Hotspots",
        (
            "Organisations ranked by the instability index, with their oversight "
            "segment, so instability can be read against performance. The workbook "
            "version of this report lists every organisation.",
        ),
        tables=(top,),
    )


def _sections(parts: _Parts, scope: Scope, at: dt.date) -> tuple[Section, ...]:
    """The sections of the document, in reading order."""
    return (
        _headline_section(parts.items, scope, at),
        _trends_section(parts.trends),
        _tenure_section(parts.tenure, parts.fill),
        _roles_section(parts.roles),
        _breakdowns_section(parts),
        _diversity_section(parts.diversity),
        _exits_section(parts.exits_chart, parts.forced),
        _hotspots_section(parts.top),
    )


def _workbook(parts: _Parts) -> tuple[Table, ...]:
    """The tables of the XLSX export, one sheet each, in sheet order."""
    group_word = parts.group_word
    return (
        workbook_table(
            parts.by_role, "role", name="wb_by_role", caption="Figures by role", sheet="By role"
        ),
        workbook_table(
            parts.by_group,
            parts.dimension,
            name=f"wb_by_{parts.dimension}",
            caption=f"Figures by {group_word}",
            sheet=f"By {group_word}",
        ),
        workbook_table(
            parts.by_segment,
            "segment",
            name="wb_by_segment",
            caption="Figures by oversight segment",
            sheet="By segment",
        ),
        parts.every,
        series_table(parts.trends),
        parts.fill,
        parts.exits_chart.table,
        parts.forced,
    )


def _outlook_workbook(sections: tuple[Section, ...]) -> tuple[Table, ...]:
    """The Outlook's sheets: its tables, then each fan chart's figures month by month."""
    return tuple(t for s in sections for t in s.tables) + tuple(
        dataclasses.replace(c.table, sheet=OUTLOOK_SHEETS.get(c.name, c.title[:31]))
        for s in sections
        for c in s.charts
    )


def build_report(
    frames: RegisterFrames,
    at: dt.date,
    *,
    region_code: str | None = None,
    ods_code: str | None = None,
    progress: Reporter = SILENT,
    indicators: IndicatorFrames | None = None,
    demo: bool = False,
    outlook: Outlook | None = None,
) -> Report:
    """The board report for ``at``, for England, the region ``region_code`` or the one
    organisation ``ods_code``.

    A report for England or a region is for publication: every figure passes disclosure
    control. A report for one organisation is for that organisation's own use, by people
    who may see its exact figures (docs/access.md): nothing in it is withheld or rounded,
    and its appendix B says so.

    With ``indicators``, an "Outcomes" section follows the stability sections
    (``reports.outcomes``), its table a sheet of the workbook; ``demo`` says the register
    is the synthetic demo's. With ``outlook`` (published forecast documents,
    ``reports.outlook.outlook_for``), the "Outlook" section comes last.
    """
    if ods_code is not None and region_code is not None:
        raise ValueError("a report is for a region or for one organisation, not both")
    exact = ods_code is not None
    scope: Scope
    if ods_code is not None:
        scope = organisation_scope(frames, ods_code)
        scoped = restrict_to_organisation(frames, ods_code)
    else:
        scope = scope_for(region_code)
        scoped = frames if region_code is None else restrict_to_region(frames, region_code)
    with publishing_with(EXACT if exact else DEFAULT_RULE):
        return _document(scope, scoped, at, progress, indicators, demo, outlook)


def _document(
    scope: Scope,
    scoped: RegisterFrames,
    at: dt.date,
    progress: Reporter,
    indicators: IndicatorFrames | None,
    demo: bool,
    outlook: Outlook | None,
) -> Report:
    exact = scope.ods_code is not None
    region_code = None if exact else scope.region_code
    board = prepare_board(scoped)
    progress.start("Building the report", total=_STEPS)
    parts = _gather(board, at, scope, progress)
    trend_variation = next(t.variation for t in parts.trends if t.metric == "exec_vacancy_rate")
    sections = _sections(parts, scope, at)
    workbook = _workbook(parts)
    if indicators is not None:
        outcomes = outcomes_section(OutcomeInputs(scoped, indicators), at, demo=demo)
        sections = (*sections, outcomes)
        workbook = (*workbook, *outcomes.tables)
    outlook_sections = () if outlook is None else (outlook.section(scope.where),)
    sections = (*sections, *outlook_sections)
    workbook = (*workbook, *_outlook_workbook(outlook_sections))
    return Report(
        title="Leadership stability report",
        as_at=at,
        scope=scope.name,
        region_code=region_code,
        summary=_summary(parts.items, trend_variation),
        sections=sections,
        methods=(*CONVENTIONS, *DEFINITIONS),
        disclosure=exact_paragraphs(scope.name) if exact else disclosure_paragraphs(),
        workbook=workbook,
    )
