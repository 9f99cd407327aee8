"""Pure domain types and functions: standard library only."""
