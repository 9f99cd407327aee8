"""The spaCy pipeline, loaded once per process and never downloaded.

By default ``spacy.blank("en")`` with a sentencizer and the lookup lemmatizer whose
tables come from the spacy-lookups-data package. When settings name a trained
pipeline (``[nlp] model = "en_core_web_sm"`` or ``QUALCODE_NLP_MODEL``) that is
installed as a package or a folder, it is used instead (better sentences, noun
phrases and entities). A named pipeline that is not installed falls back to the blank
one with a note, rather than reaching for the network.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

BLANK = "blank-en+lookup-lemmatizer"
_lock = threading.Lock()


@dataclass(frozen=True)
class Pipeline:
    """A loaded pipeline and what it can do."""

    nlp: Language
    name: str  # BLANK or the trained pipeline's name
    trained: bool  # has a parser/tagger: noun chunks and entities are available
    note: str | None = None  # why a named pipeline was not used


def _blank() -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # reads the lookup tables from spacy-lookups-data, offline
    return nlp


def _installed(name: str) -> bool:
    import spacy.util

    return Path(name).is_dir() or spacy.util.is_package(name)


@lru_cache(maxsize=4)
def _load(model: str | None) -> Pipeline:
    import spacy

    if model:
        if _installed(model):
            nlp = spacy.load(model)
            if "sentencizer" not in nlp.pipe_names and not nlp.has_pipe("parser"):
                nlp.add_pipe("sentencizer")
            trained = nlp.has_pipe("parser") or nlp.has_pipe("tagger")
            return Pipeline(nlp, model, trained)
        note = f"spaCy pipeline {model!r} is not installed; using the built-in blank pipeline"
        return Pipeline(_blank(), BLANK, False, note)
    return Pipeline(_blank(), BLANK, False)


def pipeline(model: str | None = None) -> Pipeline:
    """The process-wide pipeline for ``model`` (None: the blank English pipeline)."""
    with _lock:  # spaCy loading is not thread-safe; TUI workers may ask at once
        return _load(model)


@lru_cache(maxsize=1)
def _lemma_lookup() -> dict[str, str]:
    """The lookup lemmatizer's English table, read straight from spacy-lookups-data.

    It is the very table ``spacy.blank("en")``'s lookup lemmatizer uses; reading it
    directly lets suggestions skip importing spaCy, whose thinc imports torch when the
    embeddings extra is installed (seconds of start-up for nothing).
    """
    import gzip
    import json

    import spacy_lookups_data

    path = Path(str(spacy_lookups_data.en["lemma_lookup"]))
    if not path.exists():  # the package ships the tables gzipped
        path = path.with_name(path.name + ".gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        table: dict[str, str] = json.load(fh)
    return table


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The lookup lemma of a lower-case word (the word itself when the table lacks it)."""
    return _lemma_lookup().get(word, word)


@lru_cache(maxsize=1)
def english_stop_words() -> frozenset[str]:
    """spaCy's English stop words, loaded from their module file without importing
    the spaCy package (see :func:`_lemma_lookup` for why)."""
    import importlib.util

    spec = importlib.util.find_spec("spacy")
    roots = list(spec.submodule_search_locations or []) if spec else []
    for root in roots:
        path = Path(root) / "lang" / "en" / "stop_words.py"
        if path.is_file():
            namespace: dict[str, object] = {}
            exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)  # noqa: S102
            words = namespace.get("STOP_WORDS")
            if isinstance(words, set | frozenset):
                return frozenset(str(w) for w in words)
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def pipeline_name(model: str | None) -> tuple[str, str | None]:
    """(name, note) of the pipeline ``pipeline(model)`` would load, without loading it."""
    import importlib.util

    if not model:
        return BLANK, None
    if Path(model).is_dir() or importlib.util.find_spec(model) is not None:
        return model, None
    return BLANK, f"spaCy pipeline {model!r} is not installed; using the built-in blank pipeline"
