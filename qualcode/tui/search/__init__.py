"""Search (F5): find passages across the study and code them."""
