"""The import kinds, in the order their files load: each refers only to kinds before it."""

from __future__ import annotations

from talentboard.ingest.kinds.opportunities import OPPORTUNITIES
from talentboard.ingest.kinds.outcomes import INDICATOR_DEFINITIONS, INDICATORS
from talentboard.ingest.kinds.register import (
    APPOINTMENTS,
    ORGANISATIONS,
    PEOPLE,
    PERFORMANCE,
    POSTS,
)
from talentboard.ingest.kinds.talent import ASSESSMENTS, SUCCESSION, TALENT
from talentboard.ingest.kinds.talent_records import APPRAISALS, CONVERSATIONS, FPPT
from talentboard.ingest.schema import Kind

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        ORGANISATIONS,
        PERFORMANCE,
        POSTS,
        PEOPLE,
        APPOINTMENTS,
        TALENT,
        ASSESSMENTS,
        SUCCESSION,
        OPPORTUNITIES,
        CONVERSATIONS,
        FPPT,
        APPRAISALS,
        INDICATOR_DEFINITIONS,
        INDICATORS,
    )
}


class UnknownKindError(ValueError):
    """A kind name that is not one of ``KINDS``."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown kind {name!r}: use one of {', '.join(KINDS)}")
        self.name = name


def get_kind(name: str) -> Kind:
    """The kind called ``name`` (ignoring case and surrounding spaces)."""
    try:
        return KINDS[name.strip().lower()]
    except KeyError:
        raise UnknownKindError(name) from None


__all__ = ["KINDS", "Kind", "UnknownKindError", "get_kind"]
