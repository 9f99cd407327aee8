"""A trained spaCy pipeline's named entities, when one is installed (imported lazily).

Nothing is downloaded: a pipeline is used only if it is installed as a package (or
lies in a folder) and can find entities (an ``ner`` or ``entity_ruler`` component).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from qualcode.errors import OptionalDependencyError

KNOWN_PIPELINES = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm")
_ENTITY_PIPES = ("ner", "entity_ruler")
_NEEDED = ("tok2vec", "transformer", *_ENTITY_PIPES)


def trained_pipeline(
    model: str | None = None, preferred: str | None = None
) -> tuple[Any | None, str | None]:
    """``(nlp, name)`` of a pipeline that finds entities, or ``(None, None)``.

    ``model`` (a package name or a folder) must load when given; otherwise
    ``preferred`` (the settings' pipeline) and the installed English pipelines are
    tried, largest first.
    """
    if importlib.util.find_spec("spacy") is None:
        if model:
            raise OptionalDependencyError("spaCy is not installed (pip install spacy)")
        return None, None
    installed = [n for n in KNOWN_PIPELINES if _installed(n)]
    wanted = [preferred] if preferred and _installed(preferred) else []
    candidates = [model] if model else wanted + installed
    if not candidates:
        return None, None  # spaCy itself takes seconds to import: only when there is a pipeline
    import spacy

    for name in candidates:
        try:
            nlp = spacy.load(name)
        except (OSError, ImportError, ValueError) as exc:
            if model:
                raise OptionalDependencyError(
                    f"the spaCy pipeline {model!r} cannot be loaded ({exc}); install it or "
                    "leave --model out"
                ) from exc
            continue
        if not any(p in nlp.pipe_names for p in _ENTITY_PIPES):
            if model:
                raise OptionalDependencyError(f"the spaCy pipeline {model!r} finds no entities")
            continue
        nlp.select_pipes(enable=[p for p in nlp.pipe_names if p in _NEEDED])
        return nlp, str(name)
    return None, None


def _installed(name: str) -> bool:
    if Path(name).expanduser().is_dir():
        return True
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False
