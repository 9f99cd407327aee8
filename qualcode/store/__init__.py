"""Persistence: SQLAlchemy models, the engine factory, migrations and queries.

Services never build SQL themselves: they call the named queries in
``store.queries`` (one module per aggregate), ``store.attributes`` and
``store.archive_tables`` (whole tables, for backups). Nothing here imports spaCy,
scikit-learn or Textual.
"""
