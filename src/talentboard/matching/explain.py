"""Score breakdowns in words: each term's contribution, as a person can read and challenge it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from talentboard.matching.eligibility import kind_words
from talentboard.matching.scoring import POSITIVE_ACTION_GROUPS, ScoringWeights
from talentboard.reference import frameworks, roles

READINESS_WORDS = {
    "ready_now": "ready now",
    "ready_1_2y": "ready in 1-2 years",
    "ready_3_5y": "ready in 3-5 years",
    "not_yet": "not yet ready",
}
GROWTH_WORDS = {"depth": "depth", "breadth": "breadth", "stretch": "stretch"}
ORG_KIND_WORDS = {
    "acute": "an acute",
    "mental_health": "a mental health",
    "community": "a community",
    "ambulance": "an ambulance",
    "specialist": "a specialist",
    "icb": "an integrated care board",
    "other": "another kind of",
}


def role_label(code: str | None) -> str:
    """A role's label in lower case for use mid-sentence ("director of finance")."""
    labels = {r.code: r.label for r in roles()}
    if code is None:
        return "no target role"
    label = labels.get(code, code.replace("_", " "))
    return label[0].lower() + label[1:]


def domain_name(code: str) -> str:
    """A framework domain's name ("Providing robust governance and assurance")."""
    for fw in frameworks().values():
        for domain in fw.domains:
            if domain.code == code:
                return domain.name
    return code


def points(value: int) -> str:
    return f"(+{value})"


def score_sum(row: Mapping[str, Any], weights: ScoringWeights) -> str:
    """ "score 75 = gaps 15 + readiness 30 + ..." (positive action only when configured)."""
    terms = [
        ("gaps", row["gaps"]),
        ("readiness", row["readiness_points"]),
        ("aspirations", row["aspirations"]),
        ("breadth", row["breadth"]),
    ]
    if weights.positive_action is not None:
        terms.append(("positive action", row["positive_action"]))
    return f"score {row['score']} = " + " + ".join(f"{name} {value}" for name, value in terms)


def gaps_words(row: Mapping[str, Any]) -> str:
    role = role_label(row["target_role_code"])
    if not row["covered_domains"]:
        return (
            f"gaps: no gap against the target role of {role} in the domains it develops {points(0)}"
        )
    parts = []
    for code, value, assessed in zip(
        row["covered_domains"], row["covered_points"], row["covered_assessed"], strict=True
    ):
        if assessed:
            parts.append(f"{domain_name(code)}, an assessed gap {points(value)}")
        else:
            parts.append(
                f"{domain_name(code)}, not yet rated by others, a chance to show it {points(value)}"
            )
    return f"gaps against the target role of {role}: develops " + "; ".join(parts)


def readiness_words(row: Mapping[str, Any], kind: str) -> str:
    readiness = READINESS_WORDS.get(row["readiness"] or "", "readiness not recorded")
    return (
        f"readiness: {readiness} for {role_label(row['target_role_code'])}; "
        f"{kind_words(kind)} fits that readiness {points(row['readiness_points'])}"
    )


def aspiration_words(row: Mapping[str, Any], kind: str, weights: ScoringWeights) -> str:
    parts = []
    if row["planned"]:
        parts.append(
            f"{kind_words(kind)} is in the development plan agreed in the person's career "
            f"conversation {points(weights.planned_kind)}"
        )
    if row["growth_met"]:
        parts.append(
            f"it gives the {GROWTH_WORDS[row['growth_wanted']]} the person asked for "
            f"{points(weights.growth_wanted)}"
        )
    if not parts:
        return f"aspirations: no stated aspiration that {kind_words(kind)} meets {points(0)}"
    return "aspirations: " + "; ".join(parts)


def breadth_words(row: Mapping[str, Any], offer: Mapping[str, Any], weights: ScoringWeights) -> str:
    parts = []
    if row["new_kind"]:
        parts.append(
            f"first experience of {ORG_KIND_WORDS.get(offer['host_kind'], 'another')} "
            f"organisation {points(weights.new_kind)}"
        )
    if row["new_context"] == "challenged":
        parts.append(
            f"first experience of a challenged organisation (oversight segment "
            f"{offer['host_segment']}) {points(weights.new_context)}"
        )
    elif row["new_context"] == "strong":
        parts.append(
            f"first experience of a well-performing organisation (oversight segment "
            f"{offer['host_segment']}) {points(weights.new_context)}"
        )
    if not parts:
        return (
            "breadth: the host is a kind of organisation and performance context the person "
            f"already knows {points(0)}"
        )
    return "breadth: " + "; ".join(parts)


def positive_action_words(row: Mapping[str, Any], weights: ScoringWeights) -> str | None:
    action = weights.positive_action
    if action is None:
        return None
    named = ", ".join(POSITIVE_ACTION_GROUPS[g] for g in action.groups)
    if row["positive_action_groups"]:
        members = ", ".join(POSITIVE_ACTION_GROUPS[g] for g in row["positive_action_groups"])
        return (
            f"positive action (Equality Act 2010 s.158), in use for {named}: applies to this "
            f"person as one of {members} {points(row['positive_action'])}"
        )
    return (
        f"positive action (Equality Act 2010 s.158), in use for {named}: does not apply to "
        f"this person {points(0)}"
    )


def term_reasons(
    row: Mapping[str, Any], offer: Mapping[str, Any], weights: ScoringWeights
) -> list[str]:
    """The score and each of its terms in words, for one scored pair."""
    kind = offer["kind"]
    reasons = [
        score_sum(row, weights),
        gaps_words(row),
        readiness_words(row, kind),
        aspiration_words(row, kind, weights),
        breadth_words(row, offer, weights),
    ]
    action = positive_action_words(row, weights)
    if action is not None:
        reasons.append(action)
    return reasons
