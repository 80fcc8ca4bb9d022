"""All tables, importable from one place."""

from talentboard.db.base import Base
from talentboard.db.models.access import ApiToken, AuditEvent, Setting, User
from talentboard.db.models.imports import SavedMapping
from talentboard.db.models.matching import BuddyPairing, MatchProposal, MatchRun, Opportunity
from talentboard.db.models.outcomes import IndicatorDefinition, IndicatorValue
from talentboard.db.models.register import (
    Appointment,
    Organisation,
    PerformanceRating,
    Person,
    PersonOrigin,
    Post,
)
from talentboard.db.models.talent import (
    AppraisalRecord,
    Assessment,
    BoardMemberReference,
    CareerConversation,
    DevelopmentAction,
    FitAndProperCheck,
    ReadinessReview,
    SuccessionPlan,
    Successor,
    TalentProfile,
)

__all__ = [
    "ApiToken",
    "Appointment",
    "AppraisalRecord",
    "Assessment",
    "AuditEvent",
    "Base",
    "BoardMemberReference",
    "BuddyPairing",
    "CareerConversation",
    "DevelopmentAction",
    "FitAndProperCheck",
    "IndicatorDefinition",
    "IndicatorValue",
    "MatchProposal",
    "MatchRun",
    "Opportunity",
    "Organisation",
    "PerformanceRating",
    "Person",
    "PersonOrigin",
    "Post",
    "ReadinessReview",
    "SavedMapping",
    "Setting",
    "SuccessionPlan",
    "Successor",
    "TalentProfile",
    "User",
]
