"""Named queries, one module per aggregate: services ask these, never build SQL.

Every function takes an open SQLAlchemy ``Session`` (or ``Connection`` where the
rows are read in bulk) and plain parameters. Functions return domain types where
the callers only read, and ORM rows where the caller changes them inside its own
write transaction (the service keeps the use case and the audit trail).
"""
