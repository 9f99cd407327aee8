"""study settings: what the interfaces remember per study (the Matrix grouping)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "study_settings",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_study_settings")),
    )


def downgrade() -> None:
    op.drop_table("study_settings")
