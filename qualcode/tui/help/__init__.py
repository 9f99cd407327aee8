"""Help (F1): every key of every workspace, as bound now."""
