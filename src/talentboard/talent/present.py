"""Presenters: talent results as JSON-ready values and as rows of text for tables.

The command line prints these; the web screens can render the same values.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from talentboard.talent.diversity import disclosed_ladder
from talentboard.talent.pool import MEMBER_COLUMNS, disclosed_figures
from talentboard.talent.services import FpptView, PoolView, SuccessionView


def json_value(value: Any) -> Any:
    """A value JSON can hold: dates as ISO text, NaN as null, containers converted."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return value


def records(frame: pl.DataFrame, columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The frame's rows as JSON-ready dictionaries (of ``columns`` when given)."""
    chosen = frame.select(columns) if columns is not None else frame
    return [json_value(row) for row in chosen.iter_rows(named=True)]


def share_text(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f}%"


def cell(value: Any) -> str:
    """A value as table text: empty for null, lists joined, floats to 3 places, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={cell(v)}" for k, v in value.items())
    return str(value)


def text_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain table: columns padded to their widest cell, two spaces apart."""
    texts = [[cell(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in texts:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in texts
    ]
    return "\n".join(lines)


def frame_table(frame: pl.DataFrame, columns: Sequence[str]) -> str:
    return text_table(columns, frame.select(columns).rows())


# Talent pool -------------------------------------------------------------------------

POOL_COLUMNS = MEMBER_COLUMNS


def pool_figures(view: PoolView, *, exact: bool) -> list[dict[str, Any]]:
    """The pool's group figures: after disclosure control, or exact for an administrator."""
    if exact:
        return view.figures.to_dicts()
    return disclosed_figures(view.figures)


def pool_json(
    view: PoolView, at: dt.date, filters: Mapping[str, Sequence[str]], *, exact: bool = False
) -> dict[str, Any]:
    return {
        "as_at": at.isoformat(),
        "filters": {k: list(v) for k, v in filters.items() if v},
        "members": records(view.members, POOL_COLUMNS),
        "figures": {
            row["group"]: {"count": row["count"], "known": row["known"], "share": row["share"]}
            for row in pool_figures(view, exact=exact)
        },
        "exact": exact,
        "readiness": records(view.readiness),
    }


def _share(value: Any) -> str:
    return value if isinstance(value, str) else share_text(value)


def pool_text(view: PoolView, *, exact: bool = False) -> str:
    members = view.members.with_columns(
        pl.col("targets")
        .list.eval(
            pl.concat_str(
                pl.element().struct.field("target_role_code"),
                pl.element().struct.field("readiness"),
                separator=":",
            )
        )
        .alias("targets")
    )
    parts = [
        frame_table(
            members,
            ["person_id", "name", "ods_code", "region_code", "level", "targets", "box"],
        ),
        f"\n{members.height} people in the pool.",
        "\nGroup figures" + (" (exact):" if exact else " (after disclosure control):"),
        text_table(
            ["group", "count", "known", "share"],
            [
                (r["group"], r["count"], r["known"], _share(r["share"]))
                for r in pool_figures(view, exact=exact)
            ],
        ),
    ]
    return "\n".join(parts)


# Succession --------------------------------------------------------------------------


def succession_text(view: SuccessionView) -> str:
    report = view.report
    posts = report.posts.with_columns(pl.col("reasons").list.join("; "))
    lines = [
        frame_table(
            posts,
            [
                "post_id",
                "ods_code",
                "role_code",
                "state",
                "ready_now",
                "ready_1_2y",
                "ready_3_5y",
                "emergency_cover",
                "covered",
                "risk",
            ],
        ),
        "",
        f"Coverage: {share_text(report.coverage_share) or 'no critical posts'} of "
        f"{report.posts.height} critical posts covered at {report.as_at.isoformat()}.",
    ]
    high = posts.filter(pl.col("risk") >= 0.5).sort("risk", descending=True)
    if high.height:
        lines.append("\nHighest risk:")
        lines += [
            f"  {r['post_id']} ({r['risk']:.2f}): {r['reasons']}"
            for r in high.head(10).iter_rows(named=True)
        ]
    if view.flags.height:
        lines.append("\nNamed on too many plans:")
        lines += [
            f"  {r['person_id']}: {r['plans']} plans ({', '.join(r['post_ids'])})"
            for r in view.flags.iter_rows(named=True)
        ]
    return "\n".join(lines)


ROLLUP_COLUMNS = (
    "critical_posts",
    "covered_posts",
    "coverage_share",
    "vacant_or_interim",
    "ready_now",
    "mean_risk",
    "high_risk_posts",
)


def rollup_json(view: SuccessionView, by: str) -> dict[str, Any]:
    frame = view.by_organisation if by == "ods_code" else view.by_region
    return {
        "as_at": view.report.as_at.isoformat(),
        "by": {
            by: {
                row[by]: {k: json_value(row[k]) for k in ROLLUP_COLUMNS}
                for row in frame.iter_rows(named=True)
            }
        },
    }


def flags_json(view: SuccessionView) -> dict[str, Any]:
    return {
        "as_at": view.report.as_at.isoformat(),
        "people": records(view.flags, ["person_id", "plans", "post_ids"]),
    }


# FPPT and exits ----------------------------------------------------------------------

FPPT_COLUMNS = (
    "ods_code",
    "person_id",
    "name",
    "role_code",
    "check_type",
    "status",
    "checked_on",
    "outcome",
    "due_on",
    "days_overdue",
)
REFERENCE_COLUMNS = ("ods_code", "person_id", "name", "role_code", "end_date", "end_reason")


def fppt_json(view: FpptView, at: dt.date) -> dict[str, Any]:
    return {
        "as_at": at.isoformat(),
        "checks": records(view.attention, FPPT_COLUMNS),
        "references_missing": records(view.missing_references, REFERENCE_COLUMNS),
    }


# Pipeline diversity ------------------------------------------------------------------


def ladder_rows(ladder: pl.DataFrame, *, exact: bool) -> list[dict[str, Any]]:
    """The diversity ladder's rows: after disclosure control, or exact for an administrator."""
    if exact:
        return records(ladder)
    return [json_value(row) for row in disclosed_ladder(ladder)]


def ladder_text(rows: Sequence[Mapping[str, Any]]) -> str:
    def pp(value: Any) -> str:
        return value if isinstance(value, str) else cell(value)

    return text_table(
        [
            "rung",
            "people",
            "bme",
            "bme share",
            "women share",
            "disabled share",
            "bme vs workforce pp",
        ],
        [
            (
                r["rung"],
                r["people"],
                r["bme"],
                _share(r["bme_share"]),
                _share(r["women_share"]),
                _share(r["disabled_share"]),
                pp(r["bme_vs_workforce_pp"]),
            )
            for r in rows
        ],
    )
