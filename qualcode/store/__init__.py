"""Persistence: SQLAlchemy models, the engine factory, migrations and queries.

Nothing here imports spaCy, scikit-learn or Textual.
"""
