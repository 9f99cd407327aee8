"""dimensions within themes and key issues: declared dimensions, cell and coding values,
a key-issues note per theme

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# New tables only: nothing existing is re-created, so no cascade can touch old rows.


def upgrade() -> None:
    op.create_table(
        "theme_dimensions",
        sa.Column("theme_id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_theme_dimensions_theme_id_themes"),
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("theme_id", "name", name=op.f("pk_theme_dimensions")),
    )
    op.create_table(
        "cell_dimensions",
        sa.Column("case_id", sa.String(length=200), nullable=False),
        sa.Column("theme_id", sa.String(length=200), nullable=False),
        sa.Column("dimension", sa.String(length=200), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=False),
        sa.Column("coder", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_cell_dimensions_case_id_cases"),
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_cell_dimensions_theme_id_themes"),
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint(
            "case_id", "theme_id", "dimension", name=op.f("pk_cell_dimensions")
        ),
    )
    op.create_table(
        "coding_dimensions",
        sa.Column("coding_id", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(length=200), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=False),
        sa.Column("coder", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["coding_id"],
            ["codings.id"],
            name=op.f("fk_coding_dimensions_coding_id_codings"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("coding_id", "dimension", name=op.f("pk_coding_dimensions")),
    )
    op.create_table(
        "key_issues",
        sa.Column("theme_id", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("coder", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_key_issues_theme_id_themes"),
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("theme_id", name=op.f("pk_key_issues")),
    )


def downgrade() -> None:
    op.drop_table("key_issues")
    op.drop_table("coding_dimensions")
    op.drop_table("cell_dimensions")
    op.drop_table("theme_dimensions")
