"""single sign-on: users' email, provider subject and claim-managed flag

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 08:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("sso_subject", sa.String(length=512), nullable=True))
        batch_op.add_column(
            sa.Column("sso_managed", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_unique_constraint(batch_op.f("uq_users_email"), ["email"])
        batch_op.create_unique_constraint(batch_op.f("uq_users_sso_subject"), ["sso_subject"])


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_sso_subject"), type_="unique")
        batch_op.drop_constraint(batch_op.f("uq_users_email"), type_="unique")
        batch_op.drop_column("sso_managed")
        batch_op.drop_column("email")
        batch_op.drop_column("sso_subject")
