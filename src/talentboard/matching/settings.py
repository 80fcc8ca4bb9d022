"""The settings of a matching round: score weights and the optional side constraints."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from talentboard.matching.scoring import ScoringWeights, group_member


@dataclass(frozen=True)
class MinShare:
    """At least ``share`` of all places in the round go to members of ``group``."""

    group: str
    share: Fraction

    def __post_init__(self) -> None:
        group_member(self.group)
        if not 0 <= self.share <= 1:
            raise ValueError("a minimum share is a fraction between 0 and 1")


@dataclass(frozen=True)
class MatchSettings:
    """How a round is scored and constrained; stored with each run."""

    weights: ScoringWeights = field(default_factory=ScoringWeights)
    source_limit: int | None = None
    min_share: MinShare | None = None

    def __post_init__(self) -> None:
        if self.source_limit is not None and self.source_limit < 1:
            raise ValueError("the source-organisation limit must be at least 1")

    def to_json(self) -> dict[str, Any]:
        w = self.weights
        action = w.positive_action
        return {
            "points_per_gap_level": w.points_per_gap_level,
            "unrated_domain": w.unrated_domain,
            "planned_kind": w.planned_kind,
            "growth_wanted": w.growth_wanted,
            "new_kind": w.new_kind,
            "new_context": w.new_context,
            "readiness_fit": {k: dict(v) for k, v in w.readiness_fit.items()},
            "positive_action": (
                None if action is None else {"groups": list(action.groups), "points": action.points}
            ),
            "source_limit": self.source_limit,
            "min_share": (
                None
                if self.min_share is None
                else {"group": self.min_share.group, "share": str(self.min_share.share)}
            ),
        }
