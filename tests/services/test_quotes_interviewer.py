"""Quotes give the participant's words only: a passage coded across a question and
its answer quoted the moderator under the participant's name (187 of serdif's 1,930
quotes began "MODERATOR:"). The interviewer's turns inside a passage are left out,
marked "..."; a passage that is the interviewer's alone says so in its attribution."""

from __future__ import annotations

from pathlib import Path

from qualcode.domain.quoting import respondent_words
from qualcode.services import codings, framework, importing, queries
from qualcode.services.quotes import quotes
from qualcode.services.study import Study

TRANSCRIPT = (
    "MODERATOR: Could you try the export button now?\n\n"
    "P1: Yes, it downloads a file but the columns have no names.\n\n"
    "MODERATOR: Apologies, that is a known glitch.\n\n"
    "P1: Fine, I would still use it for my reports.\n"
)
FRAMEWORK = (
    "title: T\nthemes:\n  - {id: exporting, label: Exporting}\n"
    "  - {id: assist, label: Moderator assist}\n"
)


def test_the_interviewers_turns_are_cut_out_of_a_quote() -> None:
    text = "Q: Why?\nA: Because.\nQ: And?\nA: That is all."
    assert respondent_words(text, [(0, 8), (20, 28)]) == "A: Because. ... A: That is all."
    assert respondent_words(text, []) == text
    assert respondent_words("Q: Why?", [(0, 7)]) == "Q: Why?"  # nothing else to quote


def test_quotes_leave_the_moderator_out(study: Study, tmp_path: Path) -> None:
    path = tmp_path / "P1.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    importing.import_transcripts(study, [path], interviewers=["MODERATOR"])
    (tmp_path / "f.yaml").write_text(FRAMEWORK, encoding="utf-8")
    framework.import_framework(study, tmp_path / "f.yaml")
    source = queries.list_sources(study)[0]
    codings.add_coding(study, source.id, 0, len(TRANSCRIPT.rstrip()), "exporting")
    asked = TRANSCRIPT.index("MODERATOR: Apologies")
    codings.add_coding(study, source.id, asked, TRANSCRIPT.index("\n\nP1: Fine"), "assist")
    found = {q.theme: q for q in quotes(study)}
    said = found["exporting"].text
    assert "MODERATOR" not in said
    assert "downloads a file" in said
    assert "still use it" in said
    assert " ... " in said
    assert found["assist"].attribution.endswith("(the interviewer's words)")
    assert not found["exporting"].attribution.endswith("(the interviewer's words)")
