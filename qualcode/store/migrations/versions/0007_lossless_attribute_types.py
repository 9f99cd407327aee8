"""attribute types: numbers only where reading them as numbers loses nothing

An attribute was typed a number when every value parsed as one, so "01", "1" and
"001" (site codes) all read 1 and merged into one group of the matrix, and "NaN"
went out in --json as a bare NaN. Imports now type such columns text
(store/attributes.py: infer_type); this puts the studies made before right. The
values were always stored as typed, so nothing is lost.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 20:30:00
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# the rule of store/attributes.py at this revision, kept here as it was
INTEGER = re.compile(r"[+-]?(?:0|[1-9][0-9]*)")
DECIMAL = re.compile(r"[+-]?(?:0|[1-9][0-9]*)?(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def _kind(values: list[str]) -> str:
    kind = "integer"
    seen: dict[float, str] = {}
    for value in values:
        if value == "":
            continue
        if kind == "integer" and not INTEGER.fullmatch(value):
            kind = "number"
        if kind == "number" and (
            not DECIMAL.fullmatch(value) or not any(c.isdigit() for c in value)
        ):
            return "text"
        if seen.setdefault(float(value), value) != value:
            return "text"
    return kind if seen else "text"


def upgrade() -> None:
    conn = op.get_bind()
    attributes = sa.table("attributes", sa.column("name"), sa.column("type"))
    values = sa.table("case_attributes", sa.column("name"), sa.column("value"))
    typed = conn.execute(
        sa.select(attributes.c.name).where(attributes.c.type.in_(["integer", "number"]))
    ).scalars()
    for name in list(typed):
        found = conn.execute(sa.select(values.c.value).where(values.c.name == name)).scalars()
        kind = _kind([str(v) for v in found])
        conn.execute(
            sa.update(attributes).where(attributes.c.name == name).values(type=kind)
        )


def downgrade() -> None:
    pass  # the types were a guess before too; the values are unchanged
