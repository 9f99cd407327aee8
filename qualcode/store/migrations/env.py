"""Alembic environment: always run programmatically with a connection from qualcode."""

from __future__ import annotations

from alembic import context

from qualcode.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs the alembic CLI
    raise RuntimeError("qualcode migrations run through qualcode.store.schema.upgrade()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
