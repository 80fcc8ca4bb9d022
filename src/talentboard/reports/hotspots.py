"""The hotspots table: organisations ranked by ``stability.hotspots``' instability index.

The rank and index are those the stability function gives (computed from exact figures);
the four figures shown beside them are each organisation's published figures, withheld
when they rest on a small count (an executive team is small, so many are).
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import polars as pl

from talentboard.reference import regions
from talentboard.reports.model import Column, Table, table_from_frame
from talentboard.reports.publish import publish_figures
from talentboard.stability.board import figures_frame
from talentboard.stability.groups import ORG_KIND_LABELS, BoardRegister
from talentboard.stability.hotspots import INDEX_COMPONENTS, hotspots

__all__ = ["HOTSPOT_COLUMNS", "hotspots_table", "hotspots_tables"]

HOTSPOT_COLUMNS: Final = (
    Column("rank", "Rank", "count"),
    Column("name", "Organisation", "text"),
    Column("ods_code", "ODS code", "text"),
    Column("region", "Region", "text"),
    Column("kind_label", "Kind", "text"),
    Column("segment", "Oversight segment", "text"),
    Column("exec_vacancy_rate", "Vacancy rate", "share"),
    Column("interim_cover_share", "Interim cover", "share"),
    Column("turnover_rate_12m", "Turnover (12 months)", "share"),
    Column("median_tenure_years", "Median tenure (years)", "years"),
    Column("instability_index", "Instability index", "score"),
)
# The printed page has room for fewer columns; the workbook has them all.
_PAGE_KEYS: Final = (
    "rank",
    "name",
    "region",
    "segment",
    "exec_vacancy_rate",
    "interim_cover_share",
    "turnover_rate_12m",
    "median_tenure_years",
    "instability_index",
)


def _ranked(board: BoardRegister, at: dt.date) -> pl.DataFrame:
    """Every ranked organisation with its published figures beside its exact index."""
    by_org = figures_frame(board, at, by="org")
    ranked = hotspots(board, at, by_org=by_org)
    published = publish_figures(by_org, protect=True).select(
        pl.col("group").alias("ods_code"),
        *INDEX_COMPONENTS,
        *(f"{c}_suppressed" for c in INDEX_COMPONENTS),
    )
    names = {r.code: r.name for r in regions()}
    return (
        ranked.select("rank", "ods_code", "name", "region_code", "kind", "oversight_segment")
        .join(published, on="ods_code", how="left")
        .join(ranked.select("ods_code", "instability_index"), on="ods_code", how="left")
        .with_columns(
            region=pl.col("region_code").replace_strict(names, default=pl.col("region_code")),
            kind_label=pl.col("kind").replace_strict(ORG_KIND_LABELS, default=pl.col("kind")),
            segment=pl.when(pl.col("oversight_segment").is_null())
            .then(pl.lit("Not rated"))
            .otherwise(pl.col("oversight_segment").cast(pl.String)),
        )
        .sort("rank")
    )


def _table(frame: pl.DataFrame, top: int | None, sheet: str | None) -> Table:
    if top is not None:
        frame = frame.head(top)
    caption = (
        f"The {top} organisations with the least stable executive teams"
        if top is not None
        else "Every organisation with executive posts, least stable first"
    )
    columns = (
        HOTSPOT_COLUMNS if top is None else tuple(c for c in HOTSPOT_COLUMNS if c.key in _PAGE_KEYS)
    )
    notes = [
        "The instability index is the mean of four percentile scores (vacancy rate, "
        "interim cover, turnover and shorter median tenure), from 0 (most stable) to "
        "100 (least stable), computed from the exact figures. Figures resting on a "
        "count of 1 to 7 are withheld (*)."
    ]
    if top is not None:
        # A column withheld for every organisation shown says nothing on the page: it is
        # left out, and the note says why (the workbook keeps every column).
        withheld = [
            c
            for c in columns
            if f"{c.key}_suppressed" in frame.columns
            and frame.height > 0
            and bool(frame[f"{c.key}_suppressed"].fill_null(False).all())
        ]
        if withheld:
            columns = tuple(c for c in columns if c not in withheld)
            names = ", ".join(c.label.lower() for c in withheld)
            notes.append(
                f"Each organisation's {names} rest on counts of 1 to 7, too small to "
                "publish for any organisation listed, so those columns are left out; the "
                "index still reflects them, and the figures for the whole area are in "
                "the headline figures."
            )
    return table_from_frame(
        frame,
        columns,
        name="hotspots" if top is not None else "hotspots_all",
        caption=caption,
        notes=tuple(notes),
        sheet=sheet,
    )


def hotspots_table(
    board: BoardRegister, at: dt.date, *, top: int | None = None, sheet: str | None = None
) -> Table:
    """The ``top`` least stable organisations (all when None), with published figures."""
    return _table(_ranked(board, at), top, sheet)


def hotspots_tables(
    board: BoardRegister, at: dt.date, *, top: int, sheet: str
) -> tuple[Table, Table]:
    """The page's ``top`` least stable organisations and the workbook's ``sheet`` of every
    one, from one ranking: the ranking reads every organisation's figures."""
    ranked = _ranked(board, at)
    return _table(ranked, top, None), _table(ranked, None, sheet)
