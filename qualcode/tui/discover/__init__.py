"""Discover (F9): candidate themes found in the uncoded text."""
