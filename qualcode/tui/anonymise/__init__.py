"""Anonymise (F11): propose, review and apply replacements of names."""
