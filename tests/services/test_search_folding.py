"""Search finds a word however a transcript wrote its accents and apostrophes:
"Sean" and "Seán", "Eireann" and "Éireann", "don't" and "don’t" (a tester searching
an Irish study found half the mentions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.services import importing
from qualcode.services.search import compile_query, search
from qualcode.services.study import Study


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("Sean", "Seán said so"),
        ("Seán", "Sean said so"),
        ("eireann", "Bord Éireann"),
        ("Zurich", "in ZÜRICH"),
        ("don't", "I don’t know"),
        ("don’t", "I don't know"),
        ("can’t", "we can't"),
        ("recruit*", "Récruitment"),
        ('"cafe society"', "café  society"),
    ],
)
def test_words_and_phrases_match_with_or_without_accents(query: str, text: str) -> None:
    assert compile_query(query).search(text)


def test_folding_does_not_blur_other_letters_or_regular_expressions() -> None:
    assert not compile_query("Sean").search("Sian")
    assert not compile_query("eta").search("été")  # t is not é
    assert compile_query("se.n", mode="regex").search("Sean")
    assert not compile_query("Se[a]n", mode="regex").search("Seán")  # as written


def test_search_finds_every_spelling_in_a_study(study: Study, tmp_path: Path) -> None:
    path = tmp_path / "int01.txt"
    path.write_text(
        "Interviewer: Who runs it?\n\nRespondent: Seán does, with Sean Murphy's team.\n\n"
        "Interviewer: And?\n\nRespondent: Nobody else. SEÁN signs off.\n",
        encoding="utf-8",
    )
    importing.import_transcripts(study, [path])
    hits = search(study, "sean")
    assert [h.match for h in hits] == ["Seán", "Sean", "SEÁN"]
