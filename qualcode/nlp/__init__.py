"""Offline text analysis: the spaCy pipeline, normalisation, suggesters and discovery.

Nothing here imports spaCy, scikit-learn or sentence-transformers at module import
time; every heavy import happens inside the function that needs it, so the CLI starts
quickly and ``qualcode.store`` never pulls them in.
"""
