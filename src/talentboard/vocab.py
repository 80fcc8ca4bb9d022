"""The closed vocabularies of the domain model (DESIGN section 4).

These are part of the database schema (check constraints), so they live in code; the
open catalogues (roles, regions, ethnic categories, frameworks) are data files under
``reference/``.
"""

from __future__ import annotations

ORG_KINDS = ("acute", "mental_health", "community", "ambulance", "specialist", "icb", "other")
POST_LEVELS = ("board", "senior", "middle", "frontline")
APPOINTMENT_TYPES = ("substantive", "interim", "acting", "secondment", "joint")
SUBSTANTIVE_TYPES = ("substantive", "joint")
COVER_TYPES = ("interim", "acting", "secondment")
END_REASONS = (
    "retired",
    "moved_nhs",
    "promoted_internal",
    "left_nhs",
    "dismissed_or_forced",
    "end_of_term",
    "death",
    "other",
)
SEXES = ("female", "male", "other", "not_stated")
DISABILITY = ("yes", "no", "not_stated")
PROFESSIONAL_BACKGROUNDS = (
    "medical",
    "nursing",
    "ahp",
    "other_clinical",
    "finance",
    "general_management",
    "other",
)
CQC_RATINGS = ("outstanding", "good", "requires_improvement", "inadequate")
OVERSIGHT_SEGMENTS = (1, 2, 3, 4, 5)
READINESS = ("ready_now", "ready_1_2y", "ready_3_5y", "not_yet")
RATER_RELATIONS = ("self", "manager", "peer", "direct_report", "other")
OPPORTUNITY_KINDS = (
    "secondment",
    "stretch_assignment",
    "board_shadowing",
    "project",
    "mentoring",
    "coaching",
    "programme_place",
)
OPPORTUNITY_STATUSES = ("open", "closed", "filled", "withdrawn")
PROPOSAL_STATUSES = ("proposed", "accepted", "declined")
GROWTH_WANTED = ("depth", "breadth", "stretch")
# Scope for Growth places a person on two three-point axes: current impact (performance)
# and growth (potential and ambition); together they give the 3x3 talent review grid.
AXIS_LEVELS = ("low", "medium", "high")
PLAN_ACTION_STATUSES = ("planned", "in_progress", "done", "cancelled")
FPPT_CHECKS = (
    "identity_right_to_work",
    "dbs",
    "insolvency_bankruptcy",
    "disqualified_directors",
    "employment_history_references",
    "qualifications",
    "professional_registration",
    "social_media",
    "self_attestation",
    "chair_sign_off",
)
FPPT_OUTCOMES = ("satisfactory", "concern", "not_satisfactory", "pending", "not_applicable")
USER_ROLES = ("national", "regional", "org_admin", "viewer", "individual")
# How an outcome indicator is measured (docs/metrics.md, "Outcomes").
INDICATOR_UNITS = ("score_0_10", "percent", "fraction", "count", "days", "other")
