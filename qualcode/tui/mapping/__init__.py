"""The Mapping workspace: co-occurrence, associations and the typology."""
