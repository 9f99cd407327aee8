"""change batches: group audit-trail entries by user action, for undo built on the log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 15:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("batch", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("undoes", sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f("ix_changes_batch"), ["batch"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_changes_batch"))
        batch_op.drop_column("undoes")
        batch_op.drop_column("batch")
