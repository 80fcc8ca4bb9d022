"""saved mappings: mapping files kept per organisation, region or the national team

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 08:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "saved_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("saved_by", sa.String(length=100), nullable=True),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_mappings")),
        sa.UniqueConstraint(
            "owner", "kind", "name", name=op.f("uq_saved_mappings_owner_kind_name")
        ),
    )


def downgrade() -> None:
    op.drop_table("saved_mappings")
