"""A round's outcome in words: each assignment with its reasons, each person left out with why.

Built after the allocation (:mod:`talentboard.matching.opportunities`): who holds each
place, what each proposal scores term by term, and for every candidate left unassigned the
rule, decision, competitor or constraint that explains it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import polars as pl

from talentboard.matching.eligibility import kind_words, no_eligible_reasons
from talentboard.matching.explain import term_reasons
from talentboard.matching.scoring import POSITIVE_ACTION_GROUPS, group_member
from talentboard.matching.settings import MatchSettings

ASSIGNMENT_SCHEMA: dict[str, pl.DataType] = {
    "person_ref": pl.Int64(),
    "person_id": pl.String(),
    "opportunity_ref": pl.Int64(),
    "opportunity_id": pl.String(),
    "score": pl.Int64(),
    "kept": pl.Boolean(),
    "proposal_ref": pl.Int64(),
    "target_role_code": pl.String(),
    "readiness": pl.String(),
    "gaps": pl.Int64(),
    "readiness_points": pl.Int64(),
    "aspirations": pl.Int64(),
    "breadth": pl.Int64(),
    "positive_action": pl.Int64(),
    "reasons": pl.List(pl.String()),
}
"""Assignments, with the score terms of new ones (null for kept ones)."""

UNASSIGNED_SCHEMA: dict[str, pl.DataType] = {
    "person_ref": pl.Int64(),
    "person_id": pl.String(),
    "reason": pl.String(),
}
TERM_COLUMNS = (
    "target_role_code",
    "readiness",
    "gaps",
    "readiness_points",
    "aspirations",
    "breadth",
    "positive_action",
)
MAX_NAMED = 3
"""How many of a person's eligible opportunities an explanation names."""
_REST_WORDS = {
    "full": "with every place taken",
    "source_limit": "at the limit per host",
    "min_share": "held for the minimum share",
    "not_chosen": "not chosen",
}
"""How the eligible opportunities beyond those named are counted, by why none was given."""


def kept_blocks(
    kept: pl.DataFrame, candidates: pl.DataFrame, offers: pl.DataFrame
) -> dict[tuple[str, str], int]:
    """Kept places per (source organisation, host organisation)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    rows = kept.join(candidates.select("person_ref", "ods_code"), on="person_ref").join(
        offers.select("opportunity_ref", "host_ods_code"), on="opportunity_ref"
    )
    for source, host in rows.select("ods_code", "host_ods_code").iter_rows():
        counts[(source, host)] += 1
    return counts


def _offer_lookup(offers: pl.DataFrame) -> dict[int, dict[str, Any]]:
    return {row["opportunity_ref"]: row for row in offers.iter_rows(named=True)}


def _takers(
    chosen: pl.DataFrame, kept: pl.DataFrame, candidates: pl.DataFrame
) -> dict[int, list[tuple[str, int]]]:
    """Who holds each opportunity's places: (person_id, score), highest score first."""
    ids = dict(candidates.select("person_ref", "person_id").iter_rows())
    holders: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for person_ref, opportunity_ref, score in kept.select(
        "person_ref", "opportunity_ref", "score"
    ).iter_rows():
        holders[opportunity_ref].append((ids[person_ref], score))
    for person_id, opportunity_ref, score in chosen.select(
        "person_id", "opportunity_ref", "score"
    ).iter_rows():
        holders[opportunity_ref].append((person_id, score))
    for places in holders.values():
        places.sort(key=lambda p: (-p[1], p[0]))
    return holders


def _names(holders: list[tuple[str, int]]) -> str:
    shown = [f"{pid} (score {score})" for pid, score in holders[:MAX_NAMED]]
    more = len(holders) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _share_note(settings: MatchSettings) -> str | None:
    share = settings.min_share
    if share is None:
        return None
    return (
        f"the allocation keeps at least {float(share.share):.0%} of places for "
        f"{POSITIVE_ACTION_GROUPS[share.group]} (a minimum share, Equality Act 2010 s.158)"
    )


def new_assignments(
    chosen: pl.DataFrame,
    scored: pl.DataFrame,
    offers: pl.DataFrame,
    kept: pl.DataFrame,
    candidates: pl.DataFrame,
    settings: MatchSettings,
) -> pl.DataFrame:
    """New assignments with their reasons: what, the score term by term, and context."""
    by_offer = _offer_lookup(offers)
    holders = _takers(chosen, kept, candidates)
    best = (
        scored.sort(["person_ref", "score", "opportunity_id"], descending=[False, True, False])
        .unique("person_ref", keep="first", maintain_order=True)
        .select("person_ref", "opportunity_ref", "opportunity_id", pl.col("score").alias("_best"))
    )
    top = {r[0]: (r[1], r[2], r[3]) for r in best.iter_rows()}
    note = _share_note(settings)
    rows = []
    for row in chosen.iter_rows(named=True):
        offer = by_offer[row["opportunity_ref"]]
        reasons = [
            f"proposed for {row['opportunity_id']}: {kind_words(offer['kind'])}, "
            f"{offer['title']}, hosted by {offer['host_name'] or offer['host_ods_code']}",
            *term_reasons(row, offer, settings.weights),
        ]
        best_ref, best_id, best_score = top[row["person_ref"]]
        if best_score > row["score"]:
            others = [h for h in holders.get(best_ref, []) if h[0] != row["person_id"]]
            reasons.append(
                f"this person's highest-scoring opportunity, {best_id} (score {best_score}), "
                f"went to {_names(others)}: the total score is higher this way"
            )
        if note:
            reasons.append(note)
        rows.append(
            {
                "person_ref": row["person_ref"],
                "person_id": row["person_id"],
                "opportunity_ref": row["opportunity_ref"],
                "opportunity_id": row["opportunity_id"],
                "score": row["score"],
                "kept": False,
                "proposal_ref": None,
                **{c: row[c] for c in TERM_COLUMNS},
                "reasons": reasons,
            }
        )
    return pl.DataFrame(rows, schema=ASSIGNMENT_SCHEMA, orient="row")


def kept_assignments(
    kept: pl.DataFrame, candidates: pl.DataFrame, offers: pl.DataFrame
) -> pl.DataFrame:
    """Kept (accepted) places as assignments, with the reasons stored when proposed."""
    rows = []
    joined = kept.join(candidates.select("person_ref", "person_id"), on="person_ref").join(
        offers.select("opportunity_ref", "opportunity_id"), on="opportunity_ref"
    )
    for row in joined.iter_rows(named=True):
        decided = row["decided_on"].isoformat() if row["decided_on"] else "an earlier date"
        rows.append(
            {
                "person_ref": row["person_ref"],
                "person_id": row["person_id"],
                "opportunity_ref": row["opportunity_ref"],
                "opportunity_id": row["opportunity_id"],
                "score": row["score"],
                "kept": True,
                "proposal_ref": row["proposal_ref"],
                **dict.fromkeys(TERM_COLUMNS),
                "reasons": [
                    f"kept: proposal {row['proposal_ref']} was accepted on {decided}, so the "
                    "place stays with this person and is not offered again",
                    *list(row["reasons"] or []),
                ],
            }
        )
    return pl.DataFrame(rows, schema=ASSIGNMENT_SCHEMA, orient="row")


def held_elsewhere(elsewhere: pl.DataFrame, candidates: pl.DataFrame) -> pl.DataFrame:
    """Candidates who hold an accepted place outside this round, with that reason."""
    grouped = (
        elsewhere.join(candidates.select("person_ref", "person_id"), on="person_ref")
        .group_by("person_ref", "person_id")
        .agg(pl.col("opportunity_id").sort())
    )
    return pl.DataFrame(
        [
            {
                "person_ref": ref,
                "person_id": pid,
                "reason": "holds an accepted place in "
                + ", ".join(opportunities)
                + ", outside this round, so is offered nothing else",
            }
            for ref, pid, opportunities in grouped.iter_rows()
        ],
        schema=UNASSIGNED_SCHEMA,
        orient="row",
    )


def unassigned_reasons(
    free: pl.DataFrame,
    offers: pl.DataFrame,
    scored: pl.DataFrame,
    chosen: pl.DataFrame,
    kept: pl.DataFrame,
    candidates: pl.DataFrame,
    refused: pl.DataFrame,
    settings: MatchSettings,
    people: pl.DataFrame,
    at: dt.date,
    per_block: dict[tuple[str, str], int],
) -> pl.DataFrame:
    """Every free candidate left unassigned, with one reason each (see the module)."""
    left = free.join(chosen.select("person_ref"), on="person_ref", how="anti")
    with_pairs = left.join(scored.select("person_ref").unique(), on="person_ref", how="semi")
    without = left.join(scored.select("person_ref").unique(), on="person_ref", how="anti")
    only_declined = without.join(refused.select("person_ref").unique(), on="person_ref", how="semi")
    nothing = without.join(refused.select("person_ref").unique(), on="person_ref", how="anti")

    rows: list[dict[str, Any]] = []
    reasons = no_eligible_reasons(nothing, offers, at)
    ids = dict(nothing.select("person_ref", "person_id").iter_rows())
    for person_ref, reason in reasons.select("person_ref", "reason").iter_rows():
        rows.append({"person_ref": person_ref, "person_id": ids[person_ref], "reason": reason})

    declined_ids = dict(
        refused.group_by("person_ref").agg(pl.col("opportunity_id").sort()).iter_rows()
    )
    for person_ref, person_id in only_declined.select("person_ref", "person_id").iter_rows():
        names = declined_ids[person_ref]
        rows.append(
            {
                "person_ref": person_ref,
                "person_id": person_id,
                "reason": (
                    "eligible only for opportunities this person has declined before ("
                    + ", ".join(names)
                    + "), which are not proposed again"
                ),
            }
        )

    rows.extend(
        _outcompeted(
            with_pairs, offers, scored, chosen, kept, candidates, settings, people, per_block
        )
    )
    return pl.DataFrame(rows, schema=UNASSIGNED_SCHEMA, orient="row").sort(
        "person_id", "person_ref"
    )


def _outcompeted(
    left: pl.DataFrame,
    offers: pl.DataFrame,
    scored: pl.DataFrame,
    chosen: pl.DataFrame,
    kept: pl.DataFrame,
    candidates: pl.DataFrame,
    settings: MatchSettings,
    people: pl.DataFrame,
    per_block: dict[tuple[str, str], int],
) -> list[dict[str, Any]]:
    """Why people with eligible pairs got none: who holds the places, or which constraint."""
    places = _PlacesLeft(
        holders=_takers(chosen, kept, candidates),
        capacity={ref: offer["capacity"] for ref, offer in _offer_lookup(offers).items()},
        block_use=_block_use(chosen, per_block),
        members=_group_members(people, settings),
        settings=settings,
    )
    options = (
        scored.join(left.select("person_ref"), on="person_ref", how="semi")
        .sort(["person_ref", "score", "opportunity_id"], descending=[False, True, False])
        .select(
            "person_ref",
            "person_id",
            "opportunity_ref",
            "opportunity_id",
            "score",
            "source_ods_code",
            "host_ods_code",
        )
    )
    grouped = options.group_by("person_ref", "person_id", maintain_order=True).agg(pl.all())
    return [
        {
            "person_ref": row["person_ref"],
            "person_id": row["person_id"],
            "reason": _outcompeted_reason(row, places),
        }
        for row in grouped.iter_rows(named=True)
    ]


@dataclass(frozen=True)
class _PlacesLeft:
    """The allocation as seen by a person who got nothing: who holds each opportunity's
    places, how many each (source, host) block takes, and who is in the minimum-share
    group."""

    holders: dict[int, list[tuple[str, int]]]
    capacity: dict[int, int]
    block_use: defaultdict[tuple[str, str], int]
    members: set[int]
    settings: MatchSettings

    def cause(self, person_ref: int, ref: int, block: tuple[str, str]) -> str:
        """Why opportunity ``ref`` is not this person's: the first constraint that binds."""
        limit = self.settings.source_limit
        if len(self.holders.get(ref, ())) >= self.capacity[ref]:
            return "full"
        if limit is not None and self.block_use[block] >= limit:
            return "source_limit"
        if self.settings.min_share is not None and person_ref not in self.members:
            return "min_share"
        return "not_chosen"

    def words(self, cause: str, ref: int, block: tuple[str, str]) -> str:
        """``cause`` in words, naming who holds the places or the constraint."""
        share = self.settings.min_share
        if cause == "full":
            return f"went to {_names(self.holders[ref])}"
        if cause == "source_limit":
            return (
                f"its host {block[1]} already takes {self.block_use[block]} people from "
                f"{block[0]}, the limit per host"
            )
        if cause == "min_share" and share is not None:
            return (
                f"a place there would take {POSITIVE_ACTION_GROUPS[share.group]} below the "
                f"minimum share of {float(share.share):.0%}"
            )
        return "not chosen in the allocation with the highest total score"


def _block_use(
    chosen: pl.DataFrame, per_block: dict[tuple[str, str], int]
) -> defaultdict[tuple[str, str], int]:
    """Places per (source organisation, host organisation): kept ones and chosen ones."""
    block_use: defaultdict[tuple[str, str], int] = defaultdict(int, per_block)
    for key in chosen.select("source_ods_code", "host_ods_code").iter_rows():
        block_use[key] += 1
    return block_use


def _group_members(people: pl.DataFrame, settings: MatchSettings) -> set[int]:
    """The person_refs in the minimum-share group (none without a minimum share)."""
    if settings.min_share is None:
        return set()
    return set(people.filter(group_member(settings.min_share.group)).get_column("person_ref"))


def _outcompeted_reason(row: dict[str, Any], places: _PlacesLeft) -> str:
    """One person's reason: their best opportunities named with why each is not theirs,
    the rest counted by why."""
    refs, n = row["opportunity_ref"], len(row["opportunity_ref"])
    parts = []
    rest: dict[str, int] = defaultdict(int)
    for k in range(n):
        block = (row["source_ods_code"][k], row["host_ods_code"][k])
        cause = places.cause(row["person_ref"], refs[k], block)
        if k < MAX_NAMED:
            parts.append(
                f"{row['opportunity_id'][k]} (score {row['score'][k]} for this person) "
                + places.words(cause, refs[k], block)
            )
        else:
            rest[_REST_WORDS[cause]] += 1
    reason = (
        f"eligible for {n} opportunit{'y' if n == 1 else 'ies'}, none left for this person "
        "in the allocation with the highest total score: " + "; ".join(parts)
    )
    if rest:
        summary = ", ".join(f"{count} {label}" for label, count in sorted(rest.items()))
        reason += f"; and {n - MAX_NAMED} more ({summary})"
    return reason
