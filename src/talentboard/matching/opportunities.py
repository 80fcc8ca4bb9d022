"""One matching round: development opportunities to people, optimally, with reasons.

:func:`match_opportunities` takes the round's inputs (frames from
:mod:`talentboard.matching.inputs`), finds the eligible pairs
(:mod:`~talentboard.matching.eligibility`), scores them
(:mod:`~talentboard.matching.scoring`), allocates exactly
(:mod:`~talentboard.matching.assignment`) and explains every assignment and every
candidate left unassigned.

- Only opportunities with status ``open`` are on offer.
- **Kept proposals**: proposals accepted in earlier runs for opportunities that have not
  ended are fixed: the person keeps that place (and gets no other this round), and the
  place counts against the opportunity's capacity and the side constraints.
- **Declined proposals**: a pair a person has declined is not proposed again.
- **Side constraints** (optional): at most ``source_limit`` people from one source
  organisation at one host organisation; at least ``min_share`` of all places for a
  group. See :mod:`~talentboard.matching.assignment` for how exactness is kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from talentboard.matching.assignment import Allocation, Blocks, GroupShare, Method, allocate
from talentboard.matching.eligibility import eligible_pairs, not_ended
from talentboard.matching.outcomes import (
    ASSIGNMENT_SCHEMA,
    UNASSIGNED_SCHEMA,
    held_elsewhere,
    kept_assignments,
    kept_blocks,
    new_assignments,
    unassigned_reasons,
)
from talentboard.matching.scoring import (
    TERMS,
    group_member,
    positive_action_groups,
    score_pairs,
)
from talentboard.matching.settings import MatchSettings, MinShare

__all__ = [
    "ASSIGNMENT_SCHEMA",
    "DECLINED_SCHEMA",
    "KEPT_SCHEMA",
    "UNASSIGNED_SCHEMA",
    "MatchResult",
    "MatchSettings",
    "MinShare",
    "RoundInputs",
    "match_opportunities",
]

KEPT_SCHEMA: dict[str, pl.DataType] = {
    "proposal_ref": pl.Int64(),
    "person_ref": pl.Int64(),
    "opportunity_ref": pl.Int64(),
    "opportunity_id": pl.String(),
    "score": pl.Int64(),
    "reasons": pl.List(pl.String()),
    "decided_on": pl.Date(),
}
"""Accepted proposals to keep (for opportunities not ended): the input of a rerun."""

DECLINED_SCHEMA: dict[str, pl.DataType] = {
    "person_ref": pl.Int64(),
    "opportunity_ref": pl.Int64(),
    "decided_on": pl.Date(),
}


@dataclass(frozen=True)
class RoundInputs:
    """Everything a round reads, as frames (see :mod:`talentboard.matching.inputs`).

    ``people`` needs [person_ref, person_id] and, only when positive action or a minimum
    share is configured, the columns its groups are defined on.
    """

    candidates: pl.DataFrame
    offers: pl.DataFrame
    targets: pl.DataFrame
    gaps: pl.DataFrame
    aspirations: pl.DataFrame
    experience: pl.DataFrame
    people: pl.DataFrame


@dataclass(frozen=True)
class MatchResult:
    """A round's outcome: assignments and unassigned candidates with reasons, all pairs."""

    as_at: dt.date
    settings: MatchSettings
    assignments: pl.DataFrame
    unassigned: pl.DataFrame
    eligible_pairs: pl.DataFrame
    total_score: int
    method: Method

    def to_json(self, all_pairs: bool = False) -> dict[str, Any]:
        """The JSON of ``talentboard match opportunities`` (DESIGN section 6)."""
        out: dict[str, Any] = {
            "assignments": self.assignments.select(
                "person_id", "opportunity_id", "score", "reasons"
            ).to_dicts(),
            "total_score": self.total_score,
            "unassigned": self.unassigned.select("person_id", "reason").to_dicts(),
        }
        if all_pairs:
            out["eligible_pairs"] = self.eligible_pairs.select(
                "person_id", "opportunity_id", "score"
            ).to_dicts()
        return out


def _empty(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def match_opportunities(
    inputs: RoundInputs,
    at: dt.date,
    settings: MatchSettings | None = None,
    kept: pl.DataFrame | None = None,
    declined: pl.DataFrame | None = None,
) -> MatchResult:
    """Run one round (see the module docstring); pure, deterministic for the same data."""
    settings = settings or MatchSettings()
    kept = _empty(KEPT_SCHEMA) if kept is None else kept
    declined = _empty(DECLINED_SCHEMA) if declined is None else declined
    candidates = inputs.candidates.sort("person_id", "person_ref")
    every_offer = inputs.offers.sort("opportunity_id", "opportunity_ref")
    offers = every_offer.filter(pl.col("status") == "open")
    held = kept.join(candidates.select("person_ref"), on="person_ref", how="semi")
    kept, elsewhere = _kept_in_round(held, every_offer, at)
    free = candidates.join(held.select("person_ref"), on="person_ref", how="anti")

    pairs = eligible_pairs(free, offers, at)
    refused = pairs.join(declined, on=["person_ref", "opportunity_ref"], how="semi")
    pairs = pairs.join(declined, on=["person_ref", "opportunity_ref"], how="anti")
    scored = _scored(pairs, inputs, settings)

    per_block = kept_blocks(kept, candidates, every_offer)
    allocation = _allocate(
        scored, free, offers, candidates, kept, inputs.people, settings, per_block
    )
    chosen = scored.filter(pl.Series(allocation.chosen))
    new_rows = new_assignments(chosen, scored, offers, kept, candidates, settings)
    kept_rows = kept_assignments(kept, candidates, every_offer)
    assignments = (
        pl.concat([kept_rows, new_rows], how="vertical")
        .sort("person_id", "opportunity_id")
        .select(list(ASSIGNMENT_SCHEMA))
    )
    unassigned = unassigned_reasons(
        free,
        offers,
        scored,
        chosen,
        kept,
        candidates,
        refused,
        settings,
        inputs.people,
        at,
        per_block,
    )
    return MatchResult(
        as_at=at,
        settings=settings,
        assignments=assignments,
        unassigned=_with_held_elsewhere(unassigned, elsewhere, candidates),
        eligible_pairs=_eligible(scored),
        total_score=int(assignments.get_column("score").sum()),
        method=allocation.method,
    )


def _kept_in_round(
    held: pl.DataFrame, every_offer: pl.DataFrame, at: dt.date
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The held places split into those kept in this round and those held elsewhere."""
    in_round = every_offer.filter(not_ended(at)).select("opportunity_ref")
    kept = held.join(in_round, on="opportunity_ref", how="semi")
    # A place held in an opportunity outside this round (another region's) still counts:
    # one opportunity per person at a time.
    elsewhere = held.join(in_round, on="opportunity_ref", how="anti").join(
        kept.select("person_ref"), on="person_ref", how="anti"
    )
    return kept, elsewhere


def _scored(pairs: pl.DataFrame, inputs: RoundInputs, settings: MatchSettings) -> pl.DataFrame:
    """The scored pairs, with the ids and organisations the reasons and constraints need."""
    weights = settings.weights
    groups = None
    if weights.positive_action is not None:
        groups = positive_action_groups(inputs.people, weights.positive_action)
    scored = score_pairs(
        pairs, inputs.targets, inputs.gaps, inputs.aspirations, inputs.experience, weights, groups
    )
    return scored.with_columns(
        pairs.get_column("person_id"),
        pairs.get_column("opportunity_id"),
        pairs.get_column("ods_code").alias("source_ods_code"),
        pairs.get_column("host_ods_code"),
    )


def _with_held_elsewhere(
    unassigned: pl.DataFrame, elsewhere: pl.DataFrame, candidates: pl.DataFrame
) -> pl.DataFrame:
    """The unassigned candidates, with those holding a place outside this round."""
    if not elsewhere.height:
        return unassigned
    return pl.concat([unassigned, held_elsewhere(elsewhere, candidates)], how="vertical").sort(
        "person_id", "person_ref"
    )


def _eligible(scored: pl.DataFrame) -> pl.DataFrame:
    """Every eligible pair with its score and terms, as the result shows them."""
    return scored.select(
        "person_ref",
        "person_id",
        "opportunity_ref",
        "opportunity_id",
        "score",
        *[("readiness_points" if t == "readiness" else t) for t in TERMS],
        "target_role_code",
    )


def _allocate(
    scored: pl.DataFrame,
    free: pl.DataFrame,
    offers: pl.DataFrame,
    candidates: pl.DataFrame,
    kept: pl.DataFrame,
    people: pl.DataFrame,
    settings: MatchSettings,
    per_block: dict[tuple[str, str], int],
) -> Allocation:
    person, option = _pair_indices(scored, free, offers)
    return allocate(
        person,
        option,
        scored.get_column("score").to_numpy().astype(np.int64),
        _capacity_left(offers, kept),
        free.height,
        blocks=_blocks(scored, settings, per_block),
        group_share=_group_share(free, kept, people, settings),
    )


def _pair_indices(
    scored: pl.DataFrame, free: pl.DataFrame, offers: pl.DataFrame
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Each pair's person (row in ``free``) and option (row in ``offers``)."""
    # Index arrays must line up with the rows of ``scored`` and ``offers``: keep their order.
    indexed = scored.select("person_ref", "opportunity_ref").join(
        free.select("person_ref").with_row_index("_person"),
        on="person_ref",
        how="left",
        maintain_order="left",
    )
    indexed = indexed.join(
        offers.select("opportunity_ref").with_row_index("_option"),
        on="opportunity_ref",
        how="left",
        maintain_order="left",
    )
    person = indexed.get_column("_person").to_numpy().astype(np.int64)
    option = indexed.get_column("_option").to_numpy().astype(np.int64)
    return person, option


def _capacity_left(offers: pl.DataFrame, kept: pl.DataFrame) -> np.ndarray[Any, Any]:
    """Each offer's capacity less the places kept in it."""
    on_offer = kept.join(offers.select("opportunity_ref"), on="opportunity_ref", how="semi")
    kept_per_option = (
        offers.select("opportunity_ref")
        .join(
            on_offer.group_by("opportunity_ref").len(),
            on="opportunity_ref",
            how="left",
            maintain_order="left",
        )
        .get_column("len")
        .fill_null(0)
        .to_numpy()
        .astype(np.int64)
    )
    return np.maximum(
        offers.get_column("capacity").to_numpy().astype(np.int64) - kept_per_option, 0
    )


def _blocks(
    scored: pl.DataFrame, settings: MatchSettings, per_block: dict[tuple[str, str], int]
) -> Blocks | None:
    """Each pair's (source, host) block and the room left in each, under a source limit."""
    if settings.source_limit is None:
        return None
    keys = list(
        zip(
            scored.get_column("source_ods_code").to_list(),
            scored.get_column("host_ods_code").to_list(),
            strict=True,
        )
    )
    block_ids: dict[tuple[str, str], int] = {}
    block = np.array([block_ids.setdefault(k, len(block_ids)) for k in keys], dtype=np.int64)
    room = np.array(
        [settings.source_limit - per_block.get(k, 0) for k in block_ids], dtype=np.int64
    )
    return Blocks(block=block, room=room)


def _group_share(
    free: pl.DataFrame, kept: pl.DataFrame, people: pl.DataFrame, settings: MatchSettings
) -> GroupShare | None:
    """The minimum share, with who of the free candidates and kept places is in its group."""
    share = settings.min_share
    if share is None:
        return None
    kept_members = _in_group(people, kept.get_column("person_ref"), share.group)
    return GroupShare(
        in_group=_in_group(people, free.get_column("person_ref"), share.group),
        share=share.share,
        kept_total=kept.height,
        kept_in_group=int(kept_members.sum()),
    )


def _in_group(people: pl.DataFrame, refs: pl.Series, group: str) -> np.ndarray[Any, Any]:
    members = set(people.filter(group_member(group)).get_column("person_ref").to_list())
    return np.array([r in members for r in refs.to_list()], dtype=bool)
