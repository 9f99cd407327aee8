"""Fixtures for the NLP tests: no network at all, and a survey_study survey study."""

from __future__ import annotations

import csv
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from qualcode.nlp.coldstart import ThemeProfile
from qualcode.nlp.passages import BlockWeights, Passage, PassageFeatures
from qualcode.nlp.suggester import ThemeSuggester, build_corpus
from qualcode.services import framework, importing, suggest_cache
from qualcode.services.study import Study
from qualcode.services.suggest_model import clear_cache


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every NLP test runs with outgoing connections refused, so nothing can download."""

    def refuse(self: socket.socket, address: Any, *args: Any) -> Any:
        family = getattr(self, "family", None)
        if family == socket.AF_UNIX:
            return real_connect(self, address, *args)
        if isinstance(address, tuple) and tuple(address[:2]) in allowed:
            return real_connect(self, address, *args)
        raise OSError(f"network access in a test: {address!r}")

    real_connect = socket.socket.connect
    allowed = _database_server()
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)


def _database_server() -> set[tuple[str, int]]:
    """The PostgreSQL test server on this machine: the one address a test may reach."""
    url = os.environ.get("QUALCODE_TEST_DATABASE_URL")
    if not url:
        return set()
    parsed = make_url(url)
    port = parsed.port or 5432
    if parsed.host in ("127.0.0.1", "localhost"):
        return {("127.0.0.1", port), ("localhost", port), ("::1", port)}
    return set()


@pytest.fixture(autouse=True)
def _fresh_models() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


def forget_fits(study: Study) -> None:
    """Nothing fitted in memory or on disk, as in a new process on a new study."""
    clear_cache()
    folder = suggest_cache.folder_for(study)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


FRAMEWORK = """\
title: Small survey framework
themes:
  - id: "P"
    label: Pay and conditions
    children:
      - id: "P1"
        label: Pay and grading
        definition: Views on salary levels and grading.
        keywords: [pay, salary, grading, pay rise]
      - id: "P2"
        label: Working hours
        definition: Unpaid overtime, TOIL and flexible working.
        keywords: [TOIL, flexi, overtime, working late]
  - id: "W"
    label: Workplace
    children:
      - id: "W1"
        label: Supervision
        definition: How often supervision happens and what it covers.
        keywords: [supervision, reflective supervision, supervisor]
      - id: "W2"
        label: Office accommodation
        definition: Desks, rooms and buildings.
        keywords: [accommodation]
"""

ANSWERS = [
    "My salary has not kept up with inflation and the grading is unfair.",
    "A pay rise would help more than anything.",
    "I never get to take my TOIL and I am working late most evenings.",
    "Flexi time that you can actually use would be nice.",
    "Supervision is monthly but rarely reflective.",
    "My supervisor cancels supervision whenever there is a crisis.",
    "There is nowhere to park near the building and the car park is always full.",
    "Parking is impossible, I drive round for twenty minutes every morning.",
    "We lost our car park spaces when the council sold the site.",
    "The car park closes at six so I cannot stay late.",
    "Parking permits cost a fortune and there are never enough spaces.",
    "I waste so much time hunting for a parking space near the office.",
    "Staff parking is the worst thing about this job.",
    "The organization never listens to us about parking.",
    "NQSWs get no protected caseload and no reflective supervision.",
    "I have been qualified twenty years and the pay is still poor.",
    "Finding a parking space takes me half an hour every day.",
    "Parking is a daily battle for all of us.",
]


@pytest.fixture
def small_survey(tmp_path: Path) -> Path:
    path = tmp_path / "small_survey.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "sector", "q_comment"])
        for i, answer in enumerate(ANSWERS, 1):
            writer.writerow([f"S{i:02d}", "CSD" if i % 2 else "DASS", answer])
    return path


@pytest.fixture
def survey_study(study: Study, small_survey: Path, tmp_path: Path) -> Study:
    """A study (SQLite and PostgreSQL) with 18 survey answers and four leaf themes."""
    importing.import_survey(study, small_survey, "id", ["q_comment"])
    fw = tmp_path / "framework.yaml"
    fw.write_text(FRAMEWORK, encoding="utf-8")
    framework.import_framework(study, fw)
    return study


def segment_of(answer_number: int) -> str:
    """The segment id of the n-th answer (1-based)."""
    return f"S{answer_number:02d}/q_comment:1"


CORPORA = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora"


def real_texts(whole_transcripts: bool = False) -> list[str]:
    """Comments of nhs-fft and lines of the SERDIF transcripts (../shared/corpora),
    with each transcript whole too when asked; skips the test where they are absent."""
    survey = CORPORA / "nhs-fft" / "survey.csv"
    transcripts = sorted((CORPORA / "serdif" / "transcripts").glob("*.txt"))
    if not survey.is_file() or not transcripts:
        pytest.skip(f"the real corpora are not at {CORPORA} (see shared/corpora/README.md)")
    with survey.open(encoding="utf-8") as fh:
        texts = [r["text"] for r in csv.DictReader(fh) if r["text"]]
    for path in transcripts:
        whole = path.read_text(encoding="utf-8")
        lines = [line for line in whole.split("\n") if line.strip()]
        texts += [whole, *whole.split("\n")] if whole_transcripts else lines
    return texts


def first_suggestions(
    themes: list[ThemeProfile],
    coded: list[tuple[str, str]],
    new: list[str],
    weights: BlockWeights,
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each new passage's first suggestion (theme id) and its reasons, from a model
    fitted on the ``coded`` (text, theme id) pairs with the passage features weighted by
    ``weights``: how one block of features is shown to teach what the words cannot."""
    init = PassageFeatures.__init__

    def weighted(self: PassageFeatures, _: BlockWeights | None = None) -> None:
        init(self, weights)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PassageFeatures, "__init__", weighted)
        texts = [t for t, _ in coded] + new
        corpus = build_corpus(
            [f"s{j}" for j in range(len(texts))], texts, passages=[Passage(t) for t in texts]
        )
    col = {t.id: k for k, t in enumerate(themes)}
    fitted = ThemeSuggester().fit(
        corpus, themes, [(j, frozenset({col[k]})) for j, (_, k) in enumerate(coded)]
    )
    rows = list(range(len(coded), len(texts)))
    return {
        texts[row]: (themes[best.theme].id, best.because)
        for row, [best] in zip(rows, fitted.suggest(rows, top=1), strict=True)
    }
