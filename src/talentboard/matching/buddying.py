"""Buddying: challenged organisations paired with strong ones, optimally, with reasons.

At date ``t`` (``docs/matching.md`` has the detail):

- **challenged**: oversight segment 3 or worse at ``t`` (within the region, when one is
  given);
- **strong**: segment 1 at ``t`` with a **stable board** by the board stability figures
  (:func:`talentboard.stability.board.figures_frame` by organisation): at least one
  executive board post, none vacant (every one has a substantive holder), and executive
  turnover over the last 12 months at most ``max_turnover``;
- a challenged and a strong organisation may be paired when they are of the **same kind**
  and of **similar size**: staff headcounts within a factor ``max_size_ratio`` of each
  other (a pair with an unknown headcount is allowed and gets no size points);
- **score** (whole points): ``size_points * (1 - ln(ratio) / ln(max_size_ratio))``
  rounded half up, ``same_region`` points for the same NHS England region and
  ``same_system`` points for the same integrated care board;
- each challenged organisation gets at most one buddy and each strong organisation at most
  ``capacity`` (default 1); the allocation maximises the total score exactly (the same
  optimiser as development opportunities), and among equal totals pairs as many
  organisations as possible.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from talentboard.matching.assignment import Method, allocate
from talentboard.matching.eligibility import region_name
from talentboard.matching.explain import ORG_KIND_WORDS
from talentboard.matching.inputs import CHALLENGED_FROM

STRONG_SEGMENT = 1

PAIR_SCHEMA: dict[str, pl.DataType] = {
    "challenged_ods_code": pl.String(),
    "strong_ods_code": pl.String(),
    "score": pl.Int64(),
    "size_points": pl.Int64(),
    "region_points": pl.Int64(),
    "system_points": pl.Int64(),
    "reasons": pl.List(pl.String()),
}
UNPAIRED_SCHEMA: dict[str, pl.DataType] = {
    "ods_code": pl.String(),
    "side": pl.String(),
    "reason": pl.String(),
}
STABILITY_COLUMNS = ("ods_code", "exec_posts", "exec_posts_vacant", "turnover_rate_12m")


@dataclass(frozen=True)
class BuddySettings:
    """How buddying is constrained and scored; the defaults are in docs/matching.md."""

    capacity: int = 1
    region: str | None = None
    max_size_ratio: float = 3.0
    max_turnover: float = 0.25
    size_points: int = 40
    same_region: int = 30
    same_system: int = 10

    def __post_init__(self) -> None:
        if self.capacity < 1:
            raise ValueError("the capacity per strong organisation must be at least 1")
        if self.max_size_ratio <= 1:
            raise ValueError("the size ratio limit must be above 1")

    def to_json(self) -> dict[str, Any]:
        return {
            "capacity": self.capacity,
            "region": self.region,
            "max_size_ratio": self.max_size_ratio,
            "max_turnover": self.max_turnover,
            "size_points": self.size_points,
            "same_region": self.same_region,
            "same_system": self.same_system,
        }


@dataclass(frozen=True)
class BuddyResult:
    as_at: dt.date
    settings: BuddySettings
    pairs: pl.DataFrame
    unpaired: pl.DataFrame
    eligible_pairs: pl.DataFrame
    total_score: int
    method: Method

    def to_json(self, all_pairs: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "pairs": self.pairs.select(
                "challenged_ods_code", "strong_ods_code", "score", "reasons"
            ).to_dicts(),
            "total_score": self.total_score,
            "unpaired": self.unpaired.select("ods_code", "side", "reason").to_dicts(),
        }
        if all_pairs:
            out["eligible_pairs"] = self.eligible_pairs.select(
                "challenged_ods_code", "strong_ods_code", "score"
            ).to_dicts()
        return out


def _stability_words(row: dict[str, Any]) -> str:
    turnover = row["turnover_rate_12m"]
    turnover_words = "unknown" if turnover is None else f"{turnover:.0%}"
    return (
        f"{row['exec_posts_vacant']} of {row['exec_posts']} executive board posts vacant, "
        f"executive turnover in the last 12 months {turnover_words}"
    )


def stable_board(settings: BuddySettings) -> pl.Expr:
    """True for a board that is stable (see the module docstring)."""
    return (
        (pl.col("exec_posts").fill_null(0) > 0)
        & (pl.col("exec_posts_vacant").fill_null(0) == 0)
        & (pl.col("turnover_rate_12m").fill_null(0.0) <= settings.max_turnover)
    )


def size_points(a: int | None, b: int | None, settings: BuddySettings) -> int | None:
    """Points for similar size, or None when the sizes are too different to pair."""
    if not a or not b:
        return 0
    ratio = max(a, b) / min(a, b)
    if ratio > settings.max_size_ratio:
        return None
    share = 1 - math.log(ratio) / math.log(settings.max_size_ratio)
    return math.floor(settings.size_points * share + 0.5)


def _headcount(value: int | None) -> str:
    return "unknown staff numbers" if not value else f"{value:,} staff"


def match_buddies(
    organisations: pl.DataFrame,
    segments: pl.DataFrame,
    stability: pl.DataFrame,
    at: dt.date,
    settings: BuddySettings | None = None,
) -> BuddyResult:
    """Pair challenged with strong organisations (see the module docstring).

    ``organisations``: [ods_code, name, kind, region_code, icb_code, staff_headcount];
    ``segments``: :func:`talentboard.frames.register.segment_at` at ``at``; ``stability``:
    per organisation [ods_code, exec_posts, exec_posts_vacant, turnover_rate_12m].
    """
    settings = settings or BuddySettings()
    orgs = (
        organisations.join(segments, on="ods_code", how="left")
        .join(stability.select(STABILITY_COLUMNS), on="ods_code", how="left")
        .sort("ods_code")
    )
    challenged = orgs.filter(pl.col("oversight_segment") >= CHALLENGED_FROM)
    if settings.region is not None:
        challenged = challenged.filter(pl.col("region_code") == settings.region)
    top = orgs.filter(pl.col("oversight_segment") == STRONG_SEGMENT)
    strong = top.filter(stable_board(settings))
    unstable = top.filter(~stable_board(settings))

    pair_rows = []
    too_different: dict[str, list[str]] = defaultdict(list)
    for c in challenged.iter_rows(named=True):
        for s in strong.filter(pl.col("kind") == c["kind"]).iter_rows(named=True):
            size = size_points(c["staff_headcount"], s["staff_headcount"], settings)
            if size is None:
                too_different[c["ods_code"]].append(s["ods_code"])
                continue
            region = settings.same_region if c["region_code"] == s["region_code"] else 0
            same_icb = c["icb_code"] is not None and c["icb_code"] == s["icb_code"]
            system = settings.same_system if same_icb else 0
            pair_rows.append(
                {
                    "challenged_ods_code": c["ods_code"],
                    "strong_ods_code": s["ods_code"],
                    "score": size + region + system,
                    "size_points": size,
                    "region_points": region,
                    "system_points": system,
                }
            )
    pair_schema = {k: v for k, v in PAIR_SCHEMA.items() if k != "reasons"}
    eligible = pl.DataFrame(pair_rows, schema=pair_schema, orient="row")

    challenged_index = {code: i for i, code in enumerate(challenged.get_column("ods_code"))}
    strong_index = {code: j for j, code in enumerate(strong.get_column("ods_code"))}
    allocation = allocate(
        np.array([challenged_index[c] for c in eligible["challenged_ods_code"]], dtype=np.int64),
        np.array([strong_index[s] for s in eligible["strong_ods_code"]], dtype=np.int64),
        eligible.get_column("score").to_numpy().astype(np.int64),
        np.full(len(strong_index), settings.capacity, dtype=np.int64),
        len(challenged_index),
    )
    chosen = eligible.filter(pl.Series(allocation.chosen, dtype=pl.Boolean))
    info = {r["ods_code"]: r for r in orgs.iter_rows(named=True)}
    pairs = _pair_reasons(chosen, info, settings)
    unpaired = _unpaired(challenged, strong, unstable, eligible, chosen, too_different, settings)
    return BuddyResult(
        as_at=at,
        settings=settings,
        pairs=pairs,
        unpaired=unpaired,
        eligible_pairs=eligible,
        total_score=allocation.total_score,
        method=allocation.method,
    )


def _describe(org: dict[str, Any]) -> str:
    return (
        f"{org['ods_code']} ({org['name']}: segment {org['oversight_segment']}, "
        f"{ORG_KIND_WORDS.get(org['kind'], 'an')} organisation of "
        f"{_headcount(org['staff_headcount'])},"
        f" {region_name(org['region_code'])})"
    )


def _pair_reasons(
    chosen: pl.DataFrame, info: dict[str, dict[str, Any]], settings: BuddySettings
) -> pl.DataFrame:
    rows = []
    for row in chosen.sort("challenged_ods_code").iter_rows(named=True):
        c, s = info[row["challenged_ods_code"]], info[row["strong_ods_code"]]
        if c["staff_headcount"] and s["staff_headcount"]:
            ratio = max(c["staff_headcount"], s["staff_headcount"]) / min(
                c["staff_headcount"], s["staff_headcount"]
            )
            size = f"similar size: headcounts within a factor {ratio:.2f} (+{row['size_points']})"
        else:
            size = "size: a headcount is unknown, so no size points (+0)"
        region = (
            f"same region, {region_name(c['region_code'])} (+{row['region_points']})"
            if row["region_points"]
            else f"different regions: {region_name(c['region_code'])} and "
            f"{region_name(s['region_code'])} (+0)"
        )
        system = (
            f"same integrated care board, {c['icb_code']} (+{row['system_points']})"
            if row["system_points"]
            else "different integrated care boards (+0)"
        )
        rows.append(
            {
                **row,
                "reasons": [
                    f"{_describe(c)} paired with {_describe(s)}",
                    f"score {row['score']} = size {row['size_points']} + region "
                    f"{row['region_points']} + system {row['system_points']}",
                    f"same kind of organisation: {c['kind'].replace('_', ' ')}",
                    size,
                    region,
                    system,
                    f"{s['ods_code']} has a stable board: {_stability_words(s)}",
                ],
            }
        )
    return pl.DataFrame(rows, schema=PAIR_SCHEMA, orient="row")


def _unpaired(
    challenged: pl.DataFrame,
    strong: pl.DataFrame,
    unstable: pl.DataFrame,
    eligible: pl.DataFrame,
    chosen: pl.DataFrame,
    too_different: dict[str, list[str]],
    settings: BuddySettings,
) -> pl.DataFrame:
    paired_c = set(chosen.get_column("challenged_ods_code"))
    use: dict[str, list[str]] = defaultdict(list)
    for c_code, s_code in chosen.select("challenged_ods_code", "strong_ods_code").iter_rows():
        use[s_code].append(c_code)
    rows = []
    for c in challenged.iter_rows(named=True):
        code = c["ods_code"]
        if code in paired_c:
            continue
        options = eligible.filter(pl.col("challenged_ods_code") == code).sort(
            ["score", "strong_ods_code"], descending=[True, False]
        )
        kind = c["kind"].replace("_", " ")
        if options.height:
            taken = "; ".join(
                f"{s} (score {score} with {code}) is buddying {', '.join(sorted(use[s]))}"
                for s, score in options.select("strong_ods_code", "score").iter_rows()
            )
            reason = (
                f"every strong organisation it could pair with is taken in the pairing with the "
                f"highest total score: {taken}"
            )
        elif too_different.get(code):
            reason = (
                f"the strong {kind} organisations ({', '.join(too_different[code])}) differ "
                f"from it in size by more than a factor {settings.max_size_ratio:g}"
            )
        else:
            shaky = unstable.filter(pl.col("kind") == c["kind"]).height
            reason = f"no segment-1 {kind} organisation has a stable board"
            if shaky:
                reason += f" ({shaky} segment-1 {kind} organisation(s) have unstable boards)"
        rows.append({"ods_code": code, "side": "challenged", "reason": reason})
    for s in strong.iter_rows(named=True):
        left = settings.capacity - len(use[s["ods_code"]])
        if left <= 0:
            continue
        rows.append(
            {
                "ods_code": s["ods_code"],
                "side": "strong",
                "reason": (
                    f"{left} buddying place(s) unused: no further challenged "
                    f"{s['kind'].replace('_', ' ')} organisation of a similar size needs one"
                ),
            }
        )
    for u in unstable.iter_rows(named=True):
        if not u["exec_posts"]:
            why = "no executive board posts are recorded, so its board's stability is unknown"
        else:
            why = f"its board is not stable: {_stability_words(u)}"
        rows.append(
            {
                "ods_code": u["ods_code"],
                "side": "strong",
                "reason": f"segment 1 but not offered as a buddy: {why}",
            }
        )
    return pl.DataFrame(rows, schema=UNPAIRED_SCHEMA, orient="row").sort("side", "ods_code")
