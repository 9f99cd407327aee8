"""WebVTT and SRT files: cues to turns, speakers, tags, merging and timing errors."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from qualcode.domain.documents import INTERVIEWER, RESPONDENT, Turn
from qualcode.errors import InputError
from qualcode.ingest import read_transcript
from qualcode.ingest.subtitles import UNLABELLED_TURN_CHARS

if TYPE_CHECKING:
    from tests.ingest.conftest import Spoken

VTT = """WEBVTT
Kind: captions

NOTE recorded on Teams,
speakers tagged

STYLE
::cue { color: white }

1
00:00:01.000 --> 00:00:04.000 align:start
<v Interviewer>How is <i>supervision</i> organised?</v>

2
00:00:04.500 --> 00:00:07.000
<v.loud Margaret Jones>Monthly, <c.yellow>in theory</c>,

00:00:07.000 --> 00:00:09.250
<v.loud Margaret Jones>but it <00:00:08.000>slips &amp; slides.</v>

3
01:00:09.500 --> 01:00:11.000
<v Interviewer>Right.
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _speakers(turns: tuple[Turn, ...]) -> list[tuple[str | None, str]]:
    return [(t.speaker, t.role) for t in turns]


def test_vtt_voice_tags(tmp_path: Path, spoken: Spoken) -> None:
    parsed = read_transcript(_write(tmp_path, "int20.vtt", VTT))
    assert parsed.name == "int20.vtt"
    assert parsed.text == (
        "Interviewer: How is supervision organised?\n\n"
        "Margaret Jones: Monthly, in theory, but it slips & slides.\n\n"
        "Interviewer: Right.\n"
    )
    assert spoken(parsed.text, parsed.turns) == [
        "How is supervision organised?",
        "Monthly, in theory, but it slips & slides.",
        "Right.",
    ]
    assert _speakers(parsed.turns) == [
        ("Interviewer", INTERVIEWER),
        ("Margaret Jones", RESPONDENT),
        ("Interviewer", INTERVIEWER),
    ]


SRT = """1
00:00:01,000 --> 00:00:03,000
Interviewer: Do you use agency staff?

2
00:00:03,500 --> 00:00:06,000
Margaret: We do, mostly
in the duty team.

3
00:00:06,000 --> 00:00:08,000
<i>It costs a fortune.</i>

4
00:00:08,000 --> 00:00:10,000
{\\an8}Margaret: Truly.

5
00:00:10,000 --> 00:00:12,000
I: Thanks.
"""


def test_srt_name_labels_merge_consecutive_cues(tmp_path: Path, spoken: Spoken) -> None:
    parsed = read_transcript(_write(tmp_path, "int21.srt", SRT.replace("\n", "\r\n")))
    assert spoken(parsed.text, parsed.turns) == [
        "Do you use agency staff?",
        "We do, mostly in the duty team. It costs a fortune. Truly.",
        "Thanks.",
    ]
    assert _speakers(parsed.turns) == [
        ("Interviewer", INTERVIEWER),
        ("Margaret", RESPONDENT),
        ("I", INTERVIEWER),
    ]
    assert parsed.text.startswith("Interviewer: Do you use agency staff?\n\nMargaret: We do,")


def test_srt_saved_in_windows_1252_is_read_and_said_so(tmp_path: Path, spoken: Spoken) -> None:
    path = tmp_path / "int22.srt"
    path.write_bytes(SRT.replace("Thanks.", "Thanks, caf\u00e9 \u201cnow\u201d.").encode("cp1252"))
    parsed = read_transcript(path)
    assert spoken(parsed.text, parsed.turns)[-1] == "Thanks, caf\u00e9 \u201cnow\u201d."
    assert [w for w in parsed.warnings if "read as Windows-1252" in w]
    assert not [w for w in read_transcript(_write(tmp_path, "u.srt", SRT)).warnings if "1252" in w]


def test_srt_without_speakers(tmp_path: Path, spoken: Spoken) -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\nHello there.\n\n2\n00:00:02,000 --> 00:00:03,000\n"
    text += "Note: this is <inaudible>.\n"
    parsed = read_transcript(_write(tmp_path, "plain.srt", text))
    assert parsed.text == "Hello there. Note: this is <inaudible>.\n"
    assert spoken(parsed.text, parsed.turns) == ["Hello there. Note: this is <inaudible>."]
    assert _speakers(parsed.turns) == [(None, RESPONDENT)]


def test_long_unlabelled_runs_become_several_turns(tmp_path: Path, spoken: Spoken) -> None:
    sentence = "This is one caption of ordinary length about caseloads."
    cues = [
        f"{n}\n00:00:{n % 60:02d},000 --> 00:00:{n % 60:02d},500\n{sentence}\n" for n in range(60)
    ]
    parsed = read_transcript(_write(tmp_path, "long.srt", "\n".join(cues)))
    words = spoken(parsed.text, parsed.turns)
    assert len(words) > 1
    assert all(len(w) < UNLABELLED_TURN_CHARS + len(sentence) + 1 for w in words)
    assert " ".join(words) == " ".join([sentence] * 60)


def test_stray_blank_line_inside_a_cue_keeps_the_words(tmp_path: Path, spoken: Spoken) -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\nR: First part\n\nsecond part.\n"
    parsed = read_transcript(_write(tmp_path, "stray.srt", text))
    assert spoken(parsed.text, parsed.turns) == ["First part second part."]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n00:00:03 --> 00:00:04,000\nYo\n", 6, "timing"),
        ("1\n00:00:01,000 -> 00:00:02,000\nHi\n", 2, "expected a timing line"),
        ("1\n00:00:01,000 --> 00:61:02,000\nHi\n", 2, "malformed cue timing"),
        ("Hello\n00:00:01,000\n", 1, "expected a cue number or a timing line"),
    ],
)
def test_malformed_srt_names_the_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        read_transcript(_write(tmp_path, "bad.srt", text))
    assert info.value.line == line
    assert f"bad.srt, line {line}: " in str(info.value)


def test_vtt_needs_its_header(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a WebVTT file") as info:
        read_transcript(_write(tmp_path, "bad.vtt", "00:00.000 --> 00:01.000\nHi\n"))
    assert info.value.line == 1


def test_vtt_cue_right_after_header_and_zoom_labels(tmp_path: Path, spoken: Spoken) -> None:
    text = "WEBVTT\n00:00.000 --> 00:01.000\nJane Smith: Hello.\n\n2\n00:01.000 --> 00:02.000\n"
    text += "Bob Lee: Hi Jane.\n"
    parsed = read_transcript(_write(tmp_path, "zoom.vtt", text))
    assert spoken(parsed.text, parsed.turns) == ["Hello.", "Hi Jane."]
    assert [t.speaker for t in parsed.turns] == ["Jane Smith", "Bob Lee"]


@pytest.mark.parametrize("name", ["empty.vtt", "empty.srt"])
def test_subtitles_without_words(tmp_path: Path, name: str) -> None:
    text = "WEBVTT\n\n1\n00:00.000 --> 00:01.000\n<i></i>\n"
    if name.endswith(".srt"):
        text = "1\n00:00:00,000 --> 00:00:01,000\n<i> </i>\n"
    with pytest.raises(InputError, match="no subtitle cues"):
        read_transcript(_write(tmp_path, name, text))


def test_dialogue_dashes_in_a_cue_open_a_turn_each(tmp_path: Path, spoken: Spoken) -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:04,000\n"
        "- How long have you\nbeen in post?\n- About six years.\n\n"
        "2\n00:00:04,000 --> 00:00:06,000\nBefore that I was in Leeds.\n\n"
        "3\n00:00:06,000 --> 00:00:08,000\n\u2013 And your team?\n\u2013 Twelve of us.\n\n"
        "4\n00:00:08,000 --> 00:00:09,000\n- 5 degrees outside, mind.\n"
    )
    parsed = read_transcript(_write(tmp_path, "dash.srt", text))
    assert spoken(parsed.text, parsed.turns) == [
        "How long have you been in post?",
        "About six years. Before that I was in Leeds.",
        "And your team?",
        # one dashed line alone is not a dialogue: its dash is kept
        "Twelve of us. - 5 degrees outside, mind.",
    ]
    assert [t.time for t in parsed.turns] == ["00:00:01", "00:00:01", "00:00:06", "00:00:06"]


def test_dialogue_dashes_keep_the_names_they_give(tmp_path: Path, spoken: Spoken) -> None:
    text = "1\n00:00:01,000 --> 00:00:03,000\n- Interviewer: Any agency staff?\n- Jo: Two.\n"
    parsed = read_transcript(_write(tmp_path, "named.srt", text))
    assert spoken(parsed.text, parsed.turns) == ["Any agency staff?", "Two."]
    assert _speakers(parsed.turns) == [("Interviewer", INTERVIEWER), ("Jo", RESPONDENT)]


def test_whisper_time_ranges_in_a_text_file_are_times_not_words(tmp_path: Path) -> None:
    """walk48b: "[00:00.000 --> 00:04.000]  Okay, ..." lines, as Whisper writes them,
    kept every range inside one respondent's words."""
    path = tmp_path / "whisper.txt"
    path.write_text(
        "[00:00.000 --> 00:04.000]  Okay, we're recording. Can you tell me about it?\n"
        "[00:04.000 --> 00:09.000]  Caseloads are high.\n"
        "[01:09.500 --> 01:12.000]  Interviewer: How are cases allocated?\n"
        "[01:12.000 --> 01:15.000]  Respondent: Weekly allocation meeting.\n",
        encoding="utf-8",
    )
    parsed = read_transcript(path)
    assert "-->" not in parsed.text
    assert parsed.layout == "[start --> end] time ranges"
    said = [(t.speaker, t.time, parsed.text[t.start : t.end]) for t in parsed.turns]
    assert said[-2:] == [
        ("Interviewer", "01:09", "How are cases allocated?"),
        ("Respondent", "01:12", "Weekly allocation meeting."),
    ]
    assert said[0][1] == "00:00"
    assert said[0][2].startswith("Okay, we're recording.")
