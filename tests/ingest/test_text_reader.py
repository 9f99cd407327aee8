"""Plain-text transcripts: encodings, line endings, front matter, dispatch and folders."""

from __future__ import annotations

import codecs
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from qualcode.domain.documents import INTERVIEWER, RESPONDENT
from qualcode.errors import InputError
from qualcode.ingest import TRANSCRIPT_SUFFIXES, decode_bytes, find_transcripts, read_transcript
from qualcode.ingest.encoding import windows_1252_note

if TYPE_CHECKING:
    from tests.ingest.conftest import Spoken

DIALOGUE = "Interviewer: How is supervision organised?\n\nRespondent: Monthly, one to one.\n"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_plain_utf8_transcript(tmp_path: Path, spoken: Spoken) -> None:
    parsed = read_transcript(_write(tmp_path, "int01.txt", DIALOGUE.encode()))
    assert parsed.name == "int01.txt"
    assert parsed.text == DIALOGUE
    assert spoken(parsed.text, parsed.turns) == [
        "How is supervision organised?",
        "Monthly, one to one.",
    ]
    assert parsed.case is None
    assert dict(parsed.attributes) == {}


def test_crlf_cr_and_bom_are_normalised(tmp_path: Path, spoken: Spoken) -> None:
    data = codecs.BOM_UTF8 + b"I: First?\r\n\r\nR: Yes.\rStill yes.\r\n"
    parsed = read_transcript(_write(tmp_path, "int02.txt", data))
    assert parsed.text == "I: First?\n\nR: Yes.\nStill yes.\n"
    assert spoken(parsed.text, parsed.turns) == ["First?", "Yes.\nStill yes."]


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("cp1252", b""),
    ],
)
def test_encodings(tmp_path: Path, encoding: str, bom: bytes, spoken: Spoken) -> None:
    text = "Interviewer: What’s the budget?\r\nR: “About £2m”, they said – roughly.\r\n"
    parsed = read_transcript(_write(tmp_path, "enc.txt", bom + text.encode(encoding)))
    assert parsed.text == text.replace("\r\n", "\n")
    assert spoken(parsed.text, parsed.turns) == [
        "What’s the budget?",
        "“About £2m”, they said – roughly.",
    ]
    guessed = [w for w in parsed.warnings if "read as Windows-1252" in w]
    assert len(guessed) == (encoding == "cp1252")


def test_bytes_undefined_in_cp1252_are_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "odd.txt", b"R: caf\xe9 and \x81 and \x9d here\n")
    with pytest.raises(InputError, match=r"unknown text encoding \(not UTF-8, UTF-16") as info:
        read_transcript(path)
    assert info.value.path == str(path)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        bytes(range(256)) * 4,
        b"\x01\x02\x03\x04\x05\x06\x07\x08hello\x0e\x0f\x10\x11\x12\x13\x14\x15",
    ],
)
def test_binary_files_are_an_error(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(InputError, match="binary file, not text"):
        read_transcript(_write(tmp_path, "image.txt", data))


def test_random_bytes_are_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="binary file|unknown text encoding"):
        read_transcript(_write(tmp_path, "noise.txt", os.urandom(2000)))


@pytest.mark.parametrize("data", [b"", b"  \n\r\n\t ", codecs.BOM_UTF8, codecs.BOM_UTF16_LE])
def test_empty_files_are_an_error(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(InputError, match="empty file"):
        read_transcript(_write(tmp_path, "empty.txt", data))


def test_a_file_of_timestamps_alone_is_an_error(tmp_path: Path) -> None:
    """walk48b: a failed export (times, no words) came in as a source with 0 segments."""
    with pytest.raises(InputError, match="only_times.txt: no words in the file"):
        read_transcript(_write(tmp_path, "only_times.txt", b"00:00:01\n00:00:05\n[00:09]\n"))


def test_decode_bytes_keeps_line_endings() -> None:
    assert decode_bytes(b"a\r\nb", "x.csv") == "a\r\nb"
    assert decode_bytes(codecs.BOM_UTF16_LE + "£".encode("utf-16-le"), "x.csv") == "£"


def test_front_matter(tmp_path: Path, spoken: Spoken) -> None:
    body = "\nJane Smith: Shall we begin?\nMargaret: Yes.\n"
    data = (
        "---\n"
        "case: int07\n"
        'Authority Type: "London borough"\n'
        "# a comment\n"
        "\n"
        "role: 'Assistant director'\n"
        "interviewer: Jane Smith\n"
        "---\n" + body
    )
    parsed = read_transcript(_write(tmp_path, "int07.md", data.encode()))
    assert parsed.case == "int07"
    assert dict(parsed.attributes) == {
        "authority_type": "London borough",
        "role": "Assistant director",
        "interviewer": "Jane Smith",
    }
    assert parsed.text == body
    assert spoken(parsed.text, parsed.turns) == ["Shall we begin?", "Yes."]
    assert [t.role for t in parsed.turns] == [INTERVIEWER, RESPONDENT]


def test_lone_rule_at_the_top_is_text(tmp_path: Path) -> None:
    data = b"---\nR: Nothing closes the rule.\n"
    parsed = read_transcript(_write(tmp_path, "rule.txt", data))
    assert parsed.text == data.decode()
    assert parsed.attributes == {}


def test_bad_front_matter_line_names_the_line(tmp_path: Path) -> None:
    data = b"---\ncase: int01\nthis is not a key value line\n---\nR: Hi.\n"
    with pytest.raises(InputError, match=r"bad\.txt, line 3: front matter line") as info:
        read_transcript(_write(tmp_path, "bad.txt", data))
    assert info.value.line == 3


def test_front_matter_without_body_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no transcript text"):
        read_transcript(_write(tmp_path, "fm.txt", b"---\ncase: int01\n---\n\n"))


def test_markdown_bold_labels(tmp_path: Path, spoken: Spoken) -> None:
    data = b"# Interview 4\n\n**Interviewer:** Ready?\n\n**Respondent:** Go on.\n"
    parsed = read_transcript(_write(tmp_path, "int04.md", data))
    assert spoken(parsed.text, parsed.turns) == ["# Interview 4", "Ready?", "Go on."]
    assert [t.speaker for t in parsed.turns] == [None, "Interviewer", "Respondent"]


def test_unsupported_suffix_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unsupported transcript file type"):
        read_transcript(_write(tmp_path, "notes.txt.bak", b"R: hi"))
    with pytest.raises(InputError, match=r"\.srt\): open it in Word and save it as \.docx"):
        read_transcript(_write(tmp_path, "old.doc", b"R: hi"))
    with pytest.raises(InputError, match="file not found"):
        read_transcript(tmp_path / "missing.txt")
    assert set(TRANSCRIPT_SUFFIXES) == {".txt", ".md", ".docx", ".vtt", ".srt"}


def test_find_transcripts(tmp_path: Path) -> None:
    folder = tmp_path / "study"
    folder.mkdir()
    for name in ["b.txt", "a.MD", "c.vtt", ".hidden.txt", "~$lock.docx", "cases.csv"]:
        _write(folder, name, b"R: hi\n")
    (folder / "sub").mkdir()
    single = _write(tmp_path, "single.srt", b"1\n")
    found = find_transcripts([single, folder, folder / "b.txt"])
    assert found == [single, folder / "a.MD", folder / "b.txt", folder / "c.vtt"]


def test_find_transcripts_errors(tmp_path: Path) -> None:
    _write(tmp_path, "cases.csv", b"id\n1\n")
    with pytest.raises(InputError, match="no transcript files"):
        find_transcripts([tmp_path])
    with pytest.raises(InputError, match="no such file or folder"):
        find_transcripts([tmp_path / "nope"])


@pytest.mark.parametrize("gap", ["\t", "  ", ". "])
def test_line_numbers_printed_for_reference_are_removed(
    tmp_path: Path, spoken: Spoken, gap: str
) -> None:
    lines = [
        "Interviewer: Could you tell me about your role?",
        "Respondent: I am the head of service.",
        "We have forty social workers.",
        "Interviewer: And supervision?",
        "Respondent: Monthly, but it slips.",
    ]
    data = "\n".join(f"{n}{gap}{line}" for n, line in enumerate(lines, start=1)) + "\n"
    parsed = read_transcript(_write(tmp_path, "numbered.txt", data.encode()))
    assert parsed.layout == "Name: words, line numbers removed"
    assert spoken(parsed.text, parsed.turns) == [
        "Could you tell me about your role?",
        "I am the head of service.\nWe have forty social workers.",
        "And supervision?",
        "Monthly, but it slips.",
    ]
    assert [t.role for t in parsed.turns] == [INTERVIEWER, RESPONDENT] * 2


def test_numbered_prompts_among_answers_are_no_line_numbers(tmp_path: Path) -> None:
    data = (
        "MODERATOR: Please start.\n1 Read the 'Home' tab.\nOkay, it says home.\n"
        "2 Find the data page.\nHere, I think.\n3 Download a file.\nDone that.\n"
    )
    parsed = read_transcript(_write(tmp_path, "guide.txt", data.encode()))
    assert "line numbers" not in parsed.layout
    assert parsed.text == data


def test_a_utf8_file_with_one_pasted_windows_1252_line(tmp_path: Path) -> None:
    """walk48b: one pasted Windows-1252 passage made the whole UTF-8 file read as
    Windows-1252, every accent turned to two letters ("cafÃ©", "Theyâ€™re")."""
    data = (
        "Interviewer: Tell me about the café meetings with Zoë.\n"
        "Respondent: They’re good – weekly.\n"
    ).encode() + "Interviewer: And François?\nRespondent: He’s fine.\n".encode("cp1252")
    parsed = read_transcript(_write(tmp_path, "mixed.txt", data))
    assert "café meetings with Zoë" in parsed.text
    assert "They’re good – weekly." in parsed.text
    assert "And François?" in parsed.text
    assert "He’s fine." in parsed.text
    assert windows_1252_note(data) == (
        "UTF-8 but for 2 lines (line 3, 4), read as Windows-1252 (pasted from an older "
        "document?); check their accented letters and quotation marks"
    )


def test_decomposed_accents_are_read_composed(tmp_path: Path) -> None:
    """walk48a: "Zoë Brontë:" written with combining marks (as a Mac may) was no
    speaker, and the label stayed in the respondent's words."""
    import unicodedata

    text = "Interviewer: How is it?\nZoë Brontë: Monthly, and the café helps.\n"
    parsed = read_transcript(
        _write(tmp_path, "nfd.txt", unicodedata.normalize("NFD", text).encode("utf-8"))
    )
    assert parsed.text == text
    assert [t.speaker for t in parsed.turns] == ["Interviewer", "Zoë Brontë"]
