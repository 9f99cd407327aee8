"""Finding names in a study's text and generalising job titles, for anonymised outputs.

spaCy is imported only when a trained pipeline is asked for and installed.
"""
