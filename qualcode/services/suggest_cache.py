"""A study's analysed and featurised corpus, and the model fitted on it, kept on disk
between runs.

Reading, normalising and featurising 30,000 survey answers takes several seconds, and
every ``qualcode suggest`` or new TUI session used to pay it again although the text
had not changed. The corpus is saved under a name made from everything it is built
from: each passage's id, text, context, place and case attributes, the embeddings'
model, the versions of qualcode and scikit-learn, and the source of the modules that
analyse and featurise text. So any change gives a new name; a stale file is never read.

The newest model fitted on a corpus is kept the same way, named by the corpus, the
framework's themes and the model's parameters, together with the codings and
rejections it learned from. A later run with the same codings uses it as it is; after
a few new codings it refits only the themes they touch, as a long TUI session does
(:mod:`qualcode.services.suggest_model`).

Where: beside a SQLite study file, in ``<file>-cache/``, because the files hold the
participants' words: they stay where the study is kept, and go when it goes. A study
on PostgreSQL keeps nothing on disk unless ``QUALCODE_CACHE_DIR`` names a folder.
Each file is signed with a key only this user can read, and a file whose signature
does not match is never unpickled, so a file planted in a shared folder runs no code.

Anything that goes wrong (a read-only folder, a file cut short, no key) only means the
corpus is built again: the cache never stops a run.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import hmac
import os
import pickle
import secrets
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from qualcode import __version__
from qualcode.config import cache_dir, data_dir
from qualcode.nlp import (
    char_grams,
    coldstart,
    features,
    language,
    learned,
    lexicon,
    mood,
    normalise,
    passages,
    suggester,
    tone,
    word_vectors,
)
from qualcode.nlp.passages import Passage
from qualcode.nlp.suggester import Corpus
from qualcode.services.study import Study
from qualcode.store.engine import sqlite_path

MAGIC = b"qualcode-cache 1\n"
KEEP_FILES = 4  # corpora kept on disk (about 75 MB each for 30,000 answers)
SUFFIX = ".corpus"
MODEL_SUFFIX = ".model"


def corpus_key(
    ids: Sequence[str], texts: Sequence[str], passages: Sequence[Passage], model: str
) -> str:
    """A name that changes whenever anything the corpus is built from changes."""
    import sklearn

    h = hashlib.sha256()
    h.update(repr((__version__, sklearn.__version__, _code(), model)).encode())
    for sid, text, p in zip(ids, texts, passages, strict=True):
        h.update(repr((sid, text, p.context, p.position, p.attributes, p.case)).encode())
    return h.hexdigest()[:32]


def code_files() -> list[Path]:
    """The files whose contents decide what a saved corpus or model holds: the code
    that builds them and the word vectors they are built with."""
    modules = (char_grams, coldstart, features, language, learned, lexicon, normalise, passages)
    code = [Path(m.__file__ or "") for m in (*modules, mood, suggester, tone, word_vectors)]
    return [*code, Path(word_vectors.__file__ or "").parent / "data" / word_vectors.TABLE]


@cache
def _code() -> str:
    """A hash of the code whose output is saved (once a process: the table is 10 MB)."""
    h = hashlib.sha256()
    for path in code_files():
        h.update(path.read_bytes())
    return h.hexdigest()


def folder_for(study: Study) -> Path | None:
    """The study's cache folder (None: keep nothing on disk)."""
    path = sqlite_path(study.engine.url) if study.is_sqlite else None
    return cache_dir(path.with_name(path.name + "-cache") if path is not None else None)


def load(folder: Path | None, key: str, passages: Sequence[Passage]) -> Corpus | None:
    """The corpus saved under ``key``, or None (none saved, or it cannot be read)."""
    saved = _read(folder, key + SUFFIX)
    if not isinstance(saved, dict) or saved.get("key") != key:
        return None
    docs = saved["docs"]
    if len(docs) != len(passages):
        return None
    return Corpus(
        saved["ids"],
        saved["texts"],
        docs,
        saved["features"],
        saved["words"],
        [
            Passage(p.text, p.context, p.position, p.attributes, p.case, d)
            for p, d in zip(passages, docs, strict=True)
        ],
        saved["passage_features"],
        saved["X"],
        saved["embeddings"],
    )


def save(folder: Path | None, key: str, corpus: Corpus) -> None:
    """Write the corpus under ``key`` (atomically), keeping the newest few."""
    saved: dict[str, Any] = {
        "key": key,
        "ids": corpus.ids,
        "texts": corpus.texts,
        "docs": corpus.docs,
        "features": corpus.features,
        "words": corpus.words,
        "passage_features": corpus.passage_features,
        "X": corpus.X,
        "embeddings": corpus.embeddings,
    }
    _write(folder, key + SUFFIX, saved)


def model_key(corpus: str, parts: object) -> str:
    """The name of the model fitted on ``corpus`` (a :func:`corpus_key`) with these
    themes and parameters (``parts``: plain values with a stable ``repr``)."""
    return hashlib.sha256(repr((corpus, _code(), parts)).encode()).hexdigest()[:32]


def load_fit(folder: Path | None, key: str, corpus: Corpus) -> Any:
    """The fit saved under ``key`` with its suggester joined to ``corpus``, or None."""
    saved = _read(folder, key + MODEL_SUFFIX)
    if not isinstance(saved, dict) or saved.get("key") != key:
        return None
    fit = saved["fit"]
    fit.suggester.corpus_ = corpus
    return fit


def save_fit(folder: Path | None, key: str, fit: Any) -> None:
    """Save a fit (anything with a ``suggester``) without the corpus it was fitted on,
    which is saved on its own."""
    detached = copy.copy(fit.suggester)
    detached.corpus_ = None
    _write(folder, key + MODEL_SUFFIX, {"key": key, "fit": replace(fit, suggester=detached)})


def _read(folder: Path | None, name: str) -> Any:
    secret = _secret()
    if folder is None or secret is None:
        return None
    path = folder / name
    try:
        blob = path.read_bytes()
        head, signature = blob[: len(MAGIC)], blob[len(MAGIC) : len(MAGIC) + 32]
        payload = memoryview(blob)[len(MAGIC) + 32 :]
        if head != MAGIC or not hmac.compare_digest(signature, _sign(secret, payload)):
            return None  # not ours, or damaged: never unpickled
        saved = pickle.loads(payload)
    except Exception:  # noqa: BLE001 - missing, unreadable or from another version
        return None
    with contextlib.suppress(OSError):  # a read-only folder: the file is still good
        os.utime(path)  # recently used: kept when older ones are cleared
    return saved


def _write(folder: Path | None, name: str, saved: object) -> None:
    """Write atomically (a reader never sees half a file), keeping the newest few."""
    secret = _secret()
    if folder is None or secret is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        payload = pickle.dumps(saved, protocol=5)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part")  # readable by the owner only
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(MAGIC)
                fh.write(_sign(secret, payload))
                fh.write(payload)
            os.replace(tmp, folder / name)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        _prune(folder, Path(name).suffix)
    except OSError:
        return  # a full disk or a read-only folder: the next run builds it again


def _sign(secret: bytes, payload: bytes | memoryview) -> bytes:
    return hmac.new(secret, payload, hashlib.sha256).digest()


@cache
def _secret() -> bytes | None:
    """This user's signing key, made on first use (None: it cannot be kept)."""
    path = data_dir() / "cache.key"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(32))
        return path.read_bytes()
    except FileExistsError:  # another process made it first
        return path.read_bytes()
    except OSError:
        return None


def _prune(folder: Path, suffix: str = SUFFIX) -> None:
    files = sorted(folder.glob("*" + suffix), key=lambda f: f.stat().st_mtime, reverse=True)
    for old in files[KEEP_FILES:]:
        old.unlink(missing_ok=True)
