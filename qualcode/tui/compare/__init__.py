"""Compare coders (F10): where coders agree and differ, and settling differences."""
