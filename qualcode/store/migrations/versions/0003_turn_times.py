"""turn times and source attributes: timestamps of transcript turns, service headers

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Plain ALTER TABLE, never batch mode: re-creating ``sources`` or ``segments`` on SQLite
# drops the old table, and with foreign keys on that cascades to the codings, segments,
# suggestions and embeddings that point at it. SQLite has ADD COLUMN, and DROP COLUMN
# since 3.35.


def upgrade() -> None:
    op.add_column("segments", sa.Column("time", sa.String(length=20), nullable=True))
    op.add_column("sources", sa.Column("attributes", sa.JSON(), nullable=True))


def _drop(table: str, column: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(sa.text(f'ALTER TABLE "{table}" DROP COLUMN "{column}"'))
    else:
        op.drop_column(table, column)


def downgrade() -> None:
    _drop("sources", "attributes")
    _drop("segments", "time")
