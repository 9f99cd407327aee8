"""Exports as files: Word documents with the speaker and time in their own paragraph,
subtitles with and without voice tags; layouts, speakers, words and times exact."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import docx
from docx.enum.text import WD_BREAK

from qualcode.domain.documents import INTERVIEWER, RESPONDENT
from qualcode.domain.layouts import SPEAKER_LINE
from qualcode.domain.segmentation import segment_turns
from qualcode.ingest import read_transcript

if TYPE_CHECKING:
    from tests.ingest.conftest import Spoken


def test_word_export_speaker_and_time_paragraphs(tmp_path: Path, spoken: Spoken) -> None:
    document = docx.Document()
    document.add_paragraph("Interviewer  0:00:05")
    document.add_paragraph("How is the duty rota run?")
    document.add_paragraph("Robin Hale  0:00:11")
    first = document.add_paragraph("Weekly, by the team manager.")
    first.add_run().add_break(WD_BREAK.PAGE)  # the turn runs over a page
    document.add_paragraph("0:01:00")  # a time mark in the middle of the turn
    document.add_paragraph("And it works, mostly.")
    document.add_paragraph("Interviewer  0:01:30")
    document.add_paragraph("Thanks.")
    path = tmp_path / "int30.docx"
    document.save(str(path))

    parsed = read_transcript(path)
    assert parsed.layout == SPEAKER_LINE
    assert [(t.speaker, t.role, t.time) for t in parsed.turns] == [
        ("Interviewer", INTERVIEWER, "0:00:05"),
        ("Robin Hale", RESPONDENT, "0:00:11"),
        ("Interviewer", INTERVIEWER, "0:01:30"),
    ]
    segments = segment_turns(parsed.text, parsed.turns)
    assert spoken(parsed.text, segments) == [
        "How is the duty rota run?",
        "Weekly, by the team manager.",
        "And it works, mostly.",
        "Thanks.",
    ]
    assert [g.speaker for g in segments] == [
        "Interviewer",
        "Robin Hale",
        "Robin Hale",
        "Interviewer",
    ]


def test_word_export_time_then_name_paragraphs(tmp_path: Path, spoken: Spoken) -> None:
    document = docx.Document()
    for paragraph in (
        "00:00:05",
        "Speaker 1",
        "How is the duty rota run?",
        "00:00:11",
        "Speaker 2",
        "Weekly.",
        "00:00:20",
        "Speaker 1",
        "Thanks.",
    ):
        document.add_paragraph(paragraph)
    path = tmp_path / "int31.docx"
    document.save(str(path))
    parsed = read_transcript(path, ["Speaker 1"])
    assert spoken(parsed.text, parsed.turns) == ["How is the duty rota run?", "Weekly.", "Thanks."]
    assert [(t.speaker, t.role, t.time) for t in parsed.turns] == [
        ("Speaker 1", INTERVIEWER, "00:00:05"),
        ("Speaker 2", RESPONDENT, "00:00:11"),
        ("Speaker 1", INTERVIEWER, "00:00:20"),
    ]


VTT_VOICES = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Alex Carter>How is supervision organised?

00:00:04.500 --> 00:00:07.000
<v Sam Byrne>Monthly.

01:00:09.500 --> 01:00:11.000
<v Sam Byrne>In theory.
"""

VTT_BARE = """WEBVTT

00:00:01.000 --> 00:00:04.000
How is supervision organised?

00:00:04.500 --> 00:00:07.000
Monthly.
"""

SRT_NAMES = """1
00:00:01,000 --> 00:00:04,000
Alex Carter: How is supervision organised?

2
00:00:04,500 --> 00:00:07,000
Sam Byrne: Monthly.
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_vtt_voice_tags_keep_the_first_cue_time(tmp_path: Path, spoken: Spoken) -> None:
    parsed = read_transcript(_write(tmp_path, "a.vtt", VTT_VOICES), ["Alex Carter"])
    assert parsed.layout == "WebVTT with voice tags"
    assert spoken(parsed.text, parsed.turns) == [
        "How is supervision organised?",
        "Monthly. In theory.",
    ]
    assert [(t.speaker, t.role, t.time) for t in parsed.turns] == [
        ("Alex Carter", INTERVIEWER, "00:00:01"),
        ("Sam Byrne", RESPONDENT, "00:00:04"),
    ]
    assert parsed.warnings == ()


def test_vtt_without_voice_tags_warns(tmp_path: Path) -> None:
    parsed = read_transcript(_write(tmp_path, "b.vtt", VTT_BARE))
    assert parsed.layout == "WebVTT without speakers"
    assert [t.speaker for t in parsed.turns] == [None]
    assert parsed.warnings == ("no speaker structure found: the cues carry no speaker names",)


def test_srt_with_name_labels(tmp_path: Path, spoken: Spoken) -> None:
    parsed = read_transcript(_write(tmp_path, "c.srt", SRT_NAMES))
    assert parsed.layout == "SRT with Name: labels"
    assert spoken(parsed.text, parsed.turns) == ["How is supervision organised?", "Monthly."]
    assert [(t.speaker, t.time) for t in parsed.turns] == [
        ("Alex Carter", "00:00:01"),
        ("Sam Byrne", "00:00:04"),
    ]
