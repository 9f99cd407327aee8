"""The analysed corpus kept on disk: reused across processes, never when stale, and
never in the way of a run when the cache folder cannot be used."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import numpy as np
import pytest

from qualcode.nlp.passages import Passage
from qualcode.nlp.suggester import ThemeSuggester
from qualcode.services import codings, suggest_cache, suggest_model
from qualcode.services.study import Study
from qualcode.services.suggest import suggest
from qualcode.services.suggest_model import clear_cache, fitted_model, study_corpus
from qualcode.store.engine import sqlite_path

from .test_calibrated import coded  # noqa: F401  (the fixture)


@pytest.fixture
def cache(own_cache_dir: Path) -> Path:
    return own_cache_dir


def _no_build(*args: object, **kwargs: object) -> None:
    raise AssertionError("the corpus was built again")


def test_a_later_run_reads_the_corpus_from_disk(
    survey_study: Study, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = study_corpus(survey_study, False).corpus
    assert len(list(cache.glob("*.corpus"))) == 1
    clear_cache()  # as a new process would start
    monkeypatch.setattr(suggest_model, "build_corpus", _no_build)
    again = study_corpus(survey_study, False).corpus
    assert again.ids == first.ids
    assert again.texts == first.texts
    assert (again.X != first.X).nnz == 0
    assert [p.tokens() for p in again.passages] == [p.tokens() for p in first.passages]
    run = suggest(survey_study, top=3, use_embeddings=False)  # scores from the loaded one
    assert run.results
    assert all(r.suggestions for r in run.results[:2])


def test_any_change_to_what_a_passage_is_names_another_file() -> None:
    base = [Passage("pay is poor", "Q1", None, (("sector", "CSD"),), "S01")]
    key = suggest_cache.corpus_key(["s1"], ["pay is poor"], base, "lexical")
    assert key == suggest_cache.corpus_key(["s1"], ["pay is poor"], base, "lexical")
    changed = [
        [Passage("pay is poor", "Q2", None, (("sector", "CSD"),), "S01")],
        [Passage("pay is poor", "Q1", None, (("sector", "DASS"),), "S01")],
        [Passage("pay is poor", "Q1", 0.5, (("sector", "CSD"),), "S01")],
    ]
    for passages in changed:
        assert suggest_cache.corpus_key(["s1"], ["pay is poor"], passages, "lexical") != key
    assert suggest_cache.corpus_key(["s1"], ["pay is bad"], base, "lexical") != key
    assert suggest_cache.corpus_key(["s2"], ["pay is poor"], base, "lexical") != key
    assert suggest_cache.corpus_key(["s1"], ["pay is poor"], base, "minilm") != key


def test_a_change_to_the_word_vectors_or_their_code_names_another_file() -> None:
    files = suggest_cache.code_files()
    assert {"word_vectors.py", "word_vectors.npz", "passages.py", "tone.py"} <= {
        f.name for f in files
    }
    assert all(f.is_file() for f in files)


def test_a_damaged_file_is_built_again(survey_study: Study, cache: Path) -> None:
    study_corpus(survey_study, False)
    (saved,) = cache.glob("*.corpus")
    saved.write_bytes(saved.read_bytes()[:1000])  # cut short, as by a full disk
    clear_cache()
    corpus = study_corpus(survey_study, False).corpus
    assert len(corpus.ids) == 18
    assert saved.stat().st_size > 1000  # and written whole again


@pytest.mark.parametrize("setting", ["off", "file"])
def test_without_a_usable_cache_folder_suggest_still_runs(
    survey_study: Study, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    if setting == "file":
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("x")
        monkeypatch.setenv("QUALCODE_CACHE_DIR", str(blocker))
    else:
        monkeypatch.setenv("QUALCODE_CACHE_DIR", "off")
    run = suggest(survey_study, top=2, use_embeddings=False)
    assert len(run.results) == 18
    assert not (tmp_path / "not-a-folder").is_dir()


class _Planted:
    """Unpickling this would create a file: what a planted cache file could do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (Path.touch, (self.marker,))


def test_a_file_not_signed_with_the_users_key_is_never_unpickled(
    survey_study: Study, cache: Path, tmp_path: Path
) -> None:
    study_corpus(survey_study, False)
    (saved,) = cache.glob("*.corpus")
    marker = tmp_path / "code-ran"
    blob = pickle.dumps(_Planted(marker))
    saved.write_bytes(suggest_cache.MAGIC + b"\0" * 32 + blob)  # a forged signature
    clear_cache()
    corpus = study_corpus(survey_study, False).corpus
    assert not marker.exists()
    assert len(corpus.ids) == 18
    pickle.loads(blob)  # the file would have run code had it been unpickled
    assert marker.exists()


def test_a_sqlite_study_keeps_its_cache_beside_it_and_postgresql_none(
    study: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QUALCODE_CACHE_DIR")
    folder = suggest_cache.folder_for(study)
    if study.is_sqlite:
        path = sqlite_path(study.engine.url)
        assert path is not None
        assert folder == path.parent / f"{path.name}-cache"
    else:
        assert folder is None
    monkeypatch.setenv("QUALCODE_CACHE_DIR", "off")
    assert suggest_cache.folder_for(study) is None


def test_only_the_newest_few_are_kept(cache: Path) -> None:
    folder = cache
    folder.mkdir(parents=True)
    for i in range(suggest_cache.KEEP_FILES + 3):
        f = folder / f"{i:02d}.corpus"
        f.write_bytes(b"x")
        t = 1_700_000_000 + i
        os.utime(f, (t, t))
    suggest_cache._prune(folder)
    left = sorted(f.name for f in folder.glob("*.corpus"))
    assert left == [f"{i:02d}.corpus" for i in range(3, suggest_cache.KEEP_FILES + 3)]


def _no_fit(*args: object, **kwargs: object) -> None:
    raise AssertionError("the model was fitted again from scratch")


@pytest.mark.slow_postgresql
def test_a_later_run_with_the_same_codings_uses_the_saved_model(
    coded: Study,  # noqa: F811
    cache: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = suggest(coded, top=3, all_segments=True, use_embeddings=False)
    assert len(list(cache.glob("*.model"))) == 1
    clear_cache()  # a new process
    monkeypatch.setattr(ThemeSuggester, "fit", _no_fit)
    monkeypatch.setattr(ThemeSuggester, "update", _no_fit)
    again = suggest(coded, top=3, all_segments=True, use_embeddings=False)
    scores = lambda run: [[(s.theme, s.score) for s in r.suggestions] for r in run.results]  # noqa: E731
    assert scores(again) == scores(first)


@pytest.mark.slow_postgresql
def test_a_later_run_after_one_coding_refits_only_its_theme(
    coded: Study,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = fitted_model(coded, study_corpus(coded, False))
    col = {t: i for i, t in enumerate(before.themes)}
    codings.code_segment(coded, "R61/q:1", "A")
    clear_cache()  # the coding was made, and suggestions asked for, in a new process
    monkeypatch.setattr(ThemeSuggester, "fit", _no_fit)
    after = fitted_model(coded, study_corpus(coded, False))
    old, new = before.suggester.model_, after.suggester.model_
    assert new.positives_[col["A"]] == old.positives_[col["A"]] + 1
    assert not np.allclose(old.coef_[col["A"]], new.coef_[col["A"]])
    assert np.array_equal(old.coef_[col["B"]], new.coef_[col["B"]])
    assert new.curve_ == old.curve_


def test_a_read_only_cache_folder_is_still_read(
    survey_study: Study, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study_corpus(survey_study, False)
    clear_cache()

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(suggest_cache.os, "utime", refuse)
    monkeypatch.setattr(suggest_model, "build_corpus", _no_build)
    assert len(study_corpus(survey_study, False).corpus.ids) == 18
