"""Use cases: the only API that the CLI and the TUI call.

Each function takes a :class:`~qualcode.services.study.Study` and returns domain types.
"""
