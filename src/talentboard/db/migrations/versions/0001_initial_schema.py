"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 00:19:09.350448
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_key", sa.String(length=100), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_at"), ["at"], unique=False)

    op.create_table(
        "match_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("as_at", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("total_score", sa.Float(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('opportunities', 'buddies')", name=op.f("ck_match_runs_kind_allowed")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_runs")),
    )
    op.create_table(
        "organisations",
        sa.Column("ods_code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("region_code", sa.String(length=3), nullable=False),
        sa.Column("icb_code", sa.String(length=12), nullable=True),
        sa.Column("staff_headcount", sa.Integer(), nullable=True),
        sa.Column("bme_staff_share", sa.Float(), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('acute', 'mental_health', 'community', 'ambulance', 'specialist', 'icb', 'other')",
            name=op.f("ck_organisations_kind_allowed"),
        ),
        sa.CheckConstraint(
            "region_code IN ('Y56', 'Y58', 'Y59', 'Y60', 'Y61', 'Y62', 'Y63')",
            name=op.f("ck_organisations_region_code_allowed"),
        ),
        sa.CheckConstraint(
            "bme_staff_share IS NULL OR (bme_staff_share >= 0 AND bme_staff_share <= 1)",
            name=op.f("ck_organisations_bme_share_fraction"),
        ),
        sa.CheckConstraint(
            "opened_on IS NULL OR closed_on IS NULL OR opened_on <= closed_on",
            name=op.f("ck_organisations_opened_on_before_closed_on"),
        ),
        sa.CheckConstraint(
            "staff_headcount IS NULL OR staff_headcount >= 0",
            name=op.f("ck_organisations_headcount_positive"),
        ),
        sa.PrimaryKeyConstraint("ods_code", name=op.f("pk_organisations")),
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisations_region_code"), ["region_code"], unique=False
        )

    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("employee_number", sa.String(length=32), nullable=True),
        sa.Column("given_name", sa.String(length=100), nullable=False),
        sa.Column("family_name", sa.String(length=100), nullable=False),
        sa.Column("ethnic_category", sa.String(length=2), nullable=True),
        sa.Column("sex", sa.String(length=12), nullable=True),
        sa.Column("disability", sa.String(length=12), nullable=True),
        sa.Column("professional_background", sa.String(length=24), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "disability IS NULL OR disability IN ('yes', 'no', 'not_stated')",
            name=op.f("ck_people_disability_allowed"),
        ),
        sa.CheckConstraint(
            "ethnic_category IS NULL OR ethnic_category IN ('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'R', 'S', 'Z', '99')",
            name=op.f("ck_people_ethnic_category_allowed"),
        ),
        sa.CheckConstraint(
            "professional_background IS NULL OR professional_background IN ('medical', 'nursing', 'ahp', 'other_clinical', 'finance', 'general_management', 'other')",
            name=op.f("ck_people_professional_background_allowed"),
        ),
        sa.CheckConstraint(
            "sex IS NULL OR sex IN ('female', 'male', 'other', 'not_stated')",
            name=op.f("ck_people_sex_allowed"),
        ),
        sa.CheckConstraint(
            "birth_year IS NULL OR (birth_year >= 1900 AND birth_year <= 2100)",
            name=op.f("ck_people_birth_year_range"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("person_id", name=op.f("uq_people_person_id")),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=400), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "appraisal_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_ref", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("appraised_on", sa.Date(), nullable=True),
        sa.Column("appraiser", sa.String(length=200), nullable=True),
        sa.Column("multi_source_feedback", sa.Boolean(), nullable=False),
        sa.Column("domain_ratings", sa.JSON(), nullable=False),
        sa.Column("objectives", sa.JSON(), nullable=False),
        sa.Column("edi_objective", sa.Text(), nullable=True),
        sa.Column("development_needs", sa.Text(), nullable=True),
        sa.Column("programmes_attended", sa.JSON(), nullable=False),
        sa.Column("year_count", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "period_start IS NULL OR period_end IS NULL OR period_start < period_end",
            name=op.f("ck_appraisal_records_period_start_before_period_end"),
        ),
        sa.ForeignKeyConstraint(
            ["person_ref"],
            ["people.id"],
            name=op.f("fk_appraisal_records_person_ref_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal_records")),
        sa.UniqueConstraint(
            "person_ref", "period_end", name=op.f("uq_appraisal_records_person_ref_period_end")
        ),
    )
    with op.batch_alter_table("appraisal_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appraisal_records_person_ref"), ["person_ref"], unique=False
        )

    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_ref", sa.Integer(), nullable=False),
        sa.Column("framework", sa.String(length=16), nullable=False),
        sa.Column("domain_code", sa.String(length=40), nullable=False),
        sa.Column("rater_relation", sa.String(length=16), nullable=False),
        sa.Column("rater_id", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "framework IN ('lcf2024', 'hlm')", name=op.f("ck_assessments_framework_allowed")
        ),
        sa.CheckConstraint(
            "rater_relation IN ('self', 'manager', 'peer', 'direct_report', 'other')",
            name=op.f("ck_assessments_rater_relation_allowed"),
        ),
        sa.CheckConstraint(
            "score IS NULL OR (score >= 1 AND score <= 4)", name=op.f("ck_assessments_score_range")
        ),
        sa.ForeignKeyConstraint(
            ["person_ref"],
            ["people.id"],
            name=op.f("fk_assessments_person_ref_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        sa.UniqueConstraint(
            "person_ref",
            "framework",
            "domain_code",
            "rater_relation",
            "rater_id",
            "assessed_on",
            name=op.f(
                "uq_assessments_person_ref_framework_domain_code_rater_relation_rater_id_assessed_on"
            ),
        ),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessments_person_ref"), ["person_ref"], unique=False)

    op.create_table(
        "buddy_pairings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_ref", sa.Integer(), nullable=False),
        sa.Column("challenged_ods_code", sa.String(length=12), nullable=False),
        sa.Column("strong_ods_code", sa.String(length=12), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.CheckConstraint(
            "status IN ('proposed', 'accepted', 'declined')",
            name=op.f("ck_buddy_pairings_status_allowed"),
        ),
        sa.CheckConstraint(
            "challenged_ods_code <> strong_ods_code",
            name=op.f("ck_buddy_pairings_distinct_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["challenged_ods_code"],
            ["organisations.ods_code"],
            name=op.f("fk_buddy_pairings_challenged_ods_code_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["run_ref"],
            ["match_runs.id"],
            name=op.f("fk_buddy_pairings_run_ref_match_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["strong_ods_code"],
            ["organisations.ods_code"],
            name=op.f("fk_buddy_pairings_strong_ods_code_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buddy_pairings")),
    )
    with op.batch_alter_table("buddy_pairings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_buddy_pairings_run_ref"), ["run_ref"], unique=False)

    op.create_table(
        "career_conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_ref", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("held_with", sa.String(length=200), nullable=True),
        sa.Column("impact", sa.String(length=8), nullable=True),
        sa.Column("growth", sa.String(length=8), nullable=True),
        sa.Column("growth_wanted", sa.String(length=8), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "growth IS NULL OR growth IN ('low', 'medium', 'high')",
            name=op.f("ck_career_conversations_growth_allowed"),
        ),
        sa.CheckConstraint(
            "growth_wanted IS NULL OR growth_wanted IN ('depth', 'breadth', 'stretch')",
            name=op.f("ck_career_conversations_growth_wanted_allowed"),
        ),
        sa.CheckConstraint(
            "impact IS NULL OR impact IN ('low', 'medium', 'high')",
            name=op.f("ck_career_conversations_impact_allowed"),
        ),
        sa.ForeignKeyConstraint(
            ["person_ref"],
            ["people.id"],
            name=op.f("fk_career_conversations_person_ref_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_career_conversations")),
        sa.UniqueConstraint(
            "person_ref", "held_on", name=op.f("uq_career_conversations_person_ref_held_on")
        ),
    )
    with op.batch_alter_table("career_conversations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_career_conversations_person_ref"), ["person_ref"], unique=False
        )

    op.create_table(
        "fit_and_proper_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_ref", sa.Integer(), nullable=False),
        sa.Column("check_type", sa.String(length=40), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("next_due_on", sa.Date(), nullable=True),
        sa.Column("checked_by", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "check_type IN ('identity_right_to_work', 'dbs', 'insolvency_bankruptcy', 'disqualified_directors', 'employment_history_references', 'qualifications', 'professional_registration', 'social_media', 'self_attestation', 'chair_sign_off')",
            name=op.f("ck_fit_and_proper_checks_check_type_allowed"),
        ),
        sa.CheckConstraint(
            "outcome IN ('satisfactory', 'concern', 'not_satisfactory', 'pending', 'not_applicable')",
            name=op.f("ck_fit_and_proper_checks_outcome_allowed"),
        ),
        sa.CheckConstraint(
            "checked_on IS NULL OR next_due_on IS NULL OR checked_on <= next_due_on",
            name=op.f("ck_fit_and_proper_checks_checked_on_before_next_due_on"),
        ),
        sa.ForeignKeyConstraint(
            ["person_ref"],
            ["people.id"],
            name=op.f("fk_fit_and_proper_checks_person_ref_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fit_and_proper_checks")),
        sa.UniqueConstraint(
            "person_ref",
            "check_type",
            "checked_on",
            name=op.f("uq_fit_and_proper_checks_person_ref_check_type_checked_on"),
        ),
    )
    with op.batch_alter_table("fit_and_proper_checks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fit_and_proper_checks_person_ref"), ["person_ref"], unique=False
        )

    op.create_table(
        "opportunities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("host_ods_code", sa.String(length=12), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("develops", sa.JSON(), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "kind IN ('secondment', 'stretch_assignment', 'board_shadowing', 'project', 'mentoring', 'coaching', 'programme_place')",
            name=op.f("ck_opportunities_kind_allowed"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'closed', 'filled', 'withdrawn')",
            name=op.f("ck_opportunities_status_allowed"),
        ),
        sa.CheckConstraint("capacity >= 1", name=op.f("ck_opportunities_capacity_positive")),
        sa.CheckConstraint(
            "starts_on IS NULL OR ends_on IS NULL OR starts_on <= ends_on",
            name=op.f("ck_opportunities_starts_on_before_ends_on"),
        ),
        sa.ForeignKeyConstraint(
            ["host_ods_code"],
            ["organisations.ods_code"],
            name=op.f("fk_opportunities_host_ods_code_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunities")),
        sa.UniqueConstraint("opportunity_id", name=op.f("uq_opportunities_opportunity_id")),
    )
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_opportunities_host_ods_code"), ["host_ods_code"], unique=False
        )

    op.create_table(
        "performance_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ods_code", sa.String(length=12), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("oversight_segment", sa.Integer(), nullable=True),
        sa.Column("cqc_rating", sa.String(length=24), nullable=True),
        sa.CheckConstraint(
            "cqc_rating IS NULL OR cqc_rating IN ('outstanding', 'good', 'requires_improvement', 'inadequate')",
            name=op.f("ck_performance_ratings_cqc_rating_allowed"),
        ),
        sa.CheckConstraint(
            "oversight_segment IS NULL OR oversight_segment IN (1, 2, 3, 4, 5)",
            name=op.f("ck_performance_ratings_oversight_segment_allowed"),
        ),
        sa.ForeignKeyConstraint(
            ["ods_code"],
            ["organisations.ods_code"],
            name=op.f("fk_performance_ratings_ods_code_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_performance_ratings")),
        sa.UniqueConstraint(
            "ods_code",
            "effective_from",
            name=op.f("uq_performance_ratings_ods_code_effective_from"),
        ),
    )
    op.create_table(
        "posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.String(length=64), nullable=False),
        sa.Column("ods_code", sa.String(length=12), nullable=False),
        sa.Column("role_code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=12), nullable=False),
        sa.Column("executive", sa.Boolean(), nullable=False),
        sa.Column("voting", sa.Boolean(), nullable=False),
        sa.Column("established_from", sa.Date(), nullable=True),
        sa.Column("established_to", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "level IN ('board', 'senior', 'middle', 'frontline')",
            name=op.f("ck_posts_level_allowed"),
        ),
        sa.CheckConstraint(
            "role_code IN ('chief_executive', 'finance_director', 'medical_director', 'nursing_director', 'operations_director', 'strategy_director', 'people_director', 'digital_director', 'estates_director', 'quality_director', 'partnerships_director', 'chair', 'non_executive_director', 'associate_non_executive_director', 'company_secretary', 'divisional_director', 'clinical_director', 'associate_director', 'general_manager', 'service_manager', 'matron', 'ward_manager', 'team_leader', 'other')",
            name=op.f("ck_posts_role_code_allowed"),
        ),
        sa.CheckConstraint(
            "established_from IS NULL OR established_to IS NULL OR established_from < established_to",
            name=op.f("ck_posts_established_from_before_established_to"),
        ),
        sa.ForeignKeyConstraint(
            ["ods_code"], ["organisations.ods_code"], name=op.f("fk_posts_ods_code_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posts")),
        sa.UniqueConstraint("post_id", name=op.f("uq_posts_post_id")),
    )
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_posts_ods_code"), ["ods_code"], unique=False)

    op.create_table(
        "talent_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_ref", sa.Integer(), nullable=False),
        sa.Column("willing_regions", sa.JSON(), nullable=False),
        sa.Column("cross_org_consent", sa.Boolean(), nullable=False),
        sa.Column("timeframe", sa.String(length=40), nullable=True),
        sa.Column("impact", sa.String(length=8), nullable=True),
        sa.Column("growth", sa.String(length=8), nullable=True),
        sa.Column("programmes", sa.JSON(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "growth IS NULL OR growth IN ('low', 'medium', 'high')",
            name=op.f("ck_talent_profiles_growth_allowed"),
        ),
        sa.CheckConstraint(
            "impact IS NULL OR impact IN ('low', 'medium', 'high')",
            name=op.f("ck_talent_profiles_impact_allowed"),
        ),
        sa.ForeignKeyConstraint(
            ["person_ref"],
            ["people.id"],
            name=op.f("fk_talent_profiles_person_ref_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_profiles")),
        sa.UniqueConstraint("person_ref", name=op.f("uq_talent_profiles_person_ref")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("region_code", sa.String(length=3), nullable=True),
        sa.Column("ods_code", sa.String(length=12), nullable=True),
        sa.Column("person_ref", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role <> 'individual' OR person_ref IS NOT NULL",
            name=op.f("ck_users_individual_has_person"),
        ),
        sa.CheckConstraint(
            "role <> 'org_admin' OR ods_code IS NOT NULL", name=op.f("ck_users_org_admin_has_org")
        ),
        sa.CheckConstraint(
            "role <> 'regional' OR region_code IS NOT NULL",
            name=op.f("ck_users_regional_has_region"),
        ),
        sa.CheckConstraint(
            "role IN ('national', 'regional', 'org_admin', 'viewer', 'individual')",
            name=op.f("ck_users_role_allowed"),
        ),
        sa.ForeignKeyConstraint(
            ["ods_code"], ["organisations.ods_code"], name=op.f("fk_users_ods_code_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["person_ref"],
            ["people.id"],
            name=op.f("fk_users_person_ref_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_ref", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_ref"],
            ["users.id"],
            name=op.f("fk_api_tokens_user_ref_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_ref"), ["user_ref"], unique=False)

    op.create_table(
        "appointments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_ref", sa.Integer(), nullable=False),
        sa.Column("post_ref", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("appointment_type", sa.String(length=12), nullable=False),
        sa.Column("end_reason", sa.String(length=24), nullable=True),
        sa.Column("exit_notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "appointment_type IN ('substantive', 'interim', 'acting', 'secondment', 'joint')",
            name=op.f("ck_appointments_appointment_type_allowed"),
        ),
        sa.CheckConstraint(
            "end_reason IS NULL OR end_reason IN ('retired', 'moved_nhs', 'promoted_internal', 'left_nhs', 'dismissed_or_forced', 'end_of_term', 'death', 'other')",
            name=op.f("ck_appointments_end_reason_allowed"),
        ),
        sa.CheckConstraint(
            "end_reason IS NULL OR end_date IS NOT NULL",
            name=op.f("ck_appointments_end_reason_needs_end"),
        ),
        sa.CheckConstraint(
            "start_date IS NULL OR end_date IS NULL OR start_date <= end_date",
            name=op.f("ck_appointments_start_date_before_end_date"),
        ),
        sa.ForeignKeyConstraint(
            ["person_ref"],
            ["people.id"],
            name=op.f("fk_appointments_person_ref_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_ref"],
            ["posts.id"],
            name=op.f("fk_appointments_post_ref_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointments")),
        sa.UniqueConstraint(
            "person_ref",
            "post_ref",
            "start_date",
            name=op.f("uq_appointments_person_ref_post_ref_start_date"),
        ),
    )
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appointments_person_ref"), ["person_ref"], unique=False
        )
        batch_op.create_index(
            "ix_appointments_post_dates", ["post_ref", "start_date"], unique=False
        )

    op.create_table(
        "development_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_ref", sa.Integer(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("opportunity_kind", sa.String(length=24), nullable=True),
        sa.Column("programme_code", sa.String(length=40), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.CheckConstraint(
            "status IN ('planned', 'in_progress', 'done', 'cancelled')",
            name=op.f("ck_development_actions_status_allowed"),
        ),
        sa.ForeignKeyConstraint(
            ["conversation_ref"],
            ["career_conversations.id"],
            name=op.f("fk_development_actions_conversation_ref_career_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_development_actions")),
        sa.UniqueConstraint(
            "conversation_ref",
            "action",
            name=op.f("uq_development_actions_conversation_ref_action"),
        ),
    )
    with op.batch_alter_table("development_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_development_actions_conversation_ref"),
            ["conversation_ref"],
            unique=False,
        )

    op.create_table(
        "match_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_ref", sa.Integer(), nullable=False),
        sa.Column("person_ref", sa.Integer(), nullable=False),
        sa.Column("opportunity_ref", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("breakdown", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.CheckConstraint(
            "status IN ('proposed', 'accepted', 'declined')",
            name=op.f("ck_match_proposals_status_allowed"),
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_ref"],
            ["opportunities.id"],
            name=op.f("fk_match_proposals_opportunity_ref_opportunities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_ref"],
            ["people.id"],
            name=op.f("fk_match_proposals_person_ref_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_ref"],
            ["match_runs.id"],
            name=op.f("fk_match_proposals_run_ref_match_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_proposals")),
    )
    with op.batch_alter_table("match_proposals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_match_proposals_opportunity_ref"), ["opportunity_ref"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_match_proposals_person_ref"), ["person_ref"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_match_proposals_run_ref"), ["run_ref"], unique=False)

    op.create_table(
        "readiness_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_ref", sa.Integer(), nullable=False),
        sa.Column("target_role_code", sa.String(length=40), nullable=False),
        sa.Column("readiness", sa.String(length=12), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.CheckConstraint(
            "readiness IN ('ready_now', 'ready_1_2y', 'ready_3_5y', 'not_yet')",
            name=op.f("ck_readiness_reviews_readiness_allowed"),
        ),
        sa.CheckConstraint(
            "target_role_code IN ('chief_executive', 'finance_director', 'medical_director', 'nursing_director', 'operations_director', 'strategy_director', 'people_director', 'digital_director', 'estates_director', 'quality_director', 'partnerships_director', 'chair', 'non_executive_director', 'associate_non_executive_director', 'company_secretary', 'divisional_director', 'clinical_director', 'associate_director', 'general_manager', 'service_manager', 'matron', 'ward_manager', 'team_leader', 'other')",
            name=op.f("ck_readiness_reviews_target_role_code_allowed"),
        ),
        sa.ForeignKeyConstraint(
            ["profile_ref"],
            ["talent_profiles.id"],
            name=op.f("fk_readiness_reviews_profile_ref_talent_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_readiness_reviews")),
        sa.UniqueConstraint(
            "profile_ref",
            "target_role_code",
            "reviewed_on",
            name=op.f("uq_readiness_reviews_profile_ref_target_role_code_reviewed_on"),
        ),
    )
    op.create_table(
        "succession_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_ref", sa.Integer(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["post_ref"],
            ["posts.id"],
            name=op.f("fk_succession_plans_post_ref_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_succession_plans")),
        sa.UniqueConstraint("post_ref", name=op.f("uq_succession_plans_post_ref")),
    )
    op.create_table(
        "board_member_references",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appointment_ref", sa.Integer(), nullable=False),
        sa.Column("written_on", sa.Date(), nullable=False),
        sa.Column("written_by", sa.String(length=200), nullable=True),
        sa.Column("concerns_raised", sa.Boolean(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["appointment_ref"],
            ["appointments.id"],
            name=op.f("fk_board_member_references_appointment_ref_appointments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_member_references")),
        sa.UniqueConstraint(
            "appointment_ref", name=op.f("uq_board_member_references_appointment_ref")
        ),
    )
    op.create_table(
        "successors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_ref", sa.Integer(), nullable=False),
        sa.Column("person_ref", sa.Integer(), nullable=False),
        sa.Column("readiness", sa.String(length=12), nullable=False),
        sa.Column("emergency_cover", sa.Boolean(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "readiness IN ('ready_now', 'ready_1_2y', 'ready_3_5y', 'not_yet')",
            name=op.f("ck_successors_readiness_allowed"),
        ),
        sa.ForeignKeyConstraint(
            ["person_ref"],
            ["people.id"],
            name=op.f("fk_successors_person_ref_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_ref"],
            ["succession_plans.id"],
            name=op.f("fk_successors_plan_ref_succession_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_successors")),
        sa.UniqueConstraint(
            "plan_ref", "person_ref", name=op.f("uq_successors_plan_ref_person_ref")
        ),
    )
    with op.batch_alter_table("successors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_successors_person_ref"), ["person_ref"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("successors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_successors_person_ref"))

    op.drop_table("successors")
    op.drop_table("board_member_references")
    op.drop_table("succession_plans")
    op.drop_table("readiness_reviews")
    with op.batch_alter_table("match_proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_proposals_run_ref"))
        batch_op.drop_index(batch_op.f("ix_match_proposals_person_ref"))
        batch_op.drop_index(batch_op.f("ix_match_proposals_opportunity_ref"))

    op.drop_table("match_proposals")
    with op.batch_alter_table("development_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_development_actions_conversation_ref"))

    op.drop_table("development_actions")
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_index("ix_appointments_post_dates")
        batch_op.drop_index(batch_op.f("ix_appointments_person_ref"))

    op.drop_table("appointments")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_ref"))

    op.drop_table("api_tokens")
    op.drop_table("users")
    op.drop_table("talent_profiles")
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posts_ods_code"))

    op.drop_table("posts")
    op.drop_table("performance_ratings")
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opportunities_host_ods_code"))

    op.drop_table("opportunities")
    with op.batch_alter_table("fit_and_proper_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fit_and_proper_checks_person_ref"))

    op.drop_table("fit_and_proper_checks")
    with op.batch_alter_table("career_conversations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_career_conversations_person_ref"))

    op.drop_table("career_conversations")
    with op.batch_alter_table("buddy_pairings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_buddy_pairings_run_ref"))

    op.drop_table("buddy_pairings")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessments_person_ref"))

    op.drop_table("assessments")
    with op.batch_alter_table("appraisal_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appraisal_records_person_ref"))

    op.drop_table("appraisal_records")
    op.drop_table("settings")
    op.drop_table("people")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisations_region_code"))

    op.drop_table("organisations")
    op.drop_table("match_runs")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_at"))

    op.drop_table("audit_events")
