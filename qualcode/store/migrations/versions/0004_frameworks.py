"""frameworks: several named frameworks per study, each saying what it codes

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 16:30:00

Existing themes keep ``framework`` NULL: they belong to the default framework, which
applies to every source, so a study made before this revision behaves as it did.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Plain ALTER TABLE, never batch mode: re-creating ``themes`` on SQLite would cascade
# to the codings, summaries and suggestions that point at it.


def upgrade() -> None:
    op.create_table(
        "frameworks",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=True),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_frameworks")),
    )
    op.add_column("themes", sa.Column("framework", sa.String(length=200), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(sa.text('ALTER TABLE "themes" DROP COLUMN "framework"'))
    else:
        op.drop_column("themes", "framework")
    op.drop_table("frameworks")
