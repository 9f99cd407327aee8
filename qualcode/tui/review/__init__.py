"""Review suggestions (F8): accept or reject suggested codings in bulk."""
