"""Word transcripts: written with python-docx, read back; damaged files are InputErrors."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import docx
import pytest

from qualcode.domain.documents import INTERVIEWER, RESPONDENT
from qualcode.errors import InputError
from qualcode.ingest import read_transcript

if TYPE_CHECKING:
    from tests.ingest.conftest import Spoken


def _docx(path: Path, paragraphs: list[str]) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def test_docx_round_trip(tmp_path: Path, spoken: Spoken) -> None:
    path = _docx(
        tmp_path / "int03.docx",
        [
            "[00:00:04] Interviewer: Could you describe the duty system?",
            "",
            "Margaret: We run a rota.",
            "",
            "Note: the rota changed in 2021, it’s weekly now.",
            "",
            "I: Thank you.",
        ],
    )
    parsed = read_transcript(path)
    assert parsed.name == "int03.docx"
    assert parsed.text.split("\n")[1] == ""  # an empty paragraph is a blank line
    assert spoken(parsed.text, parsed.turns) == [
        "Could you describe the duty system?",
        "We run a rota.\n\nNote: the rota changed in 2021, it’s weekly now.",
        "Thank you.",
    ]
    assert [t.role for t in parsed.turns] == [INTERVIEWER, RESPONDENT, INTERVIEWER]


def test_docx_line_breaks_inside_a_paragraph(tmp_path: Path, spoken: Spoken) -> None:
    document = docx.Document()
    run = document.add_paragraph().add_run("R: First line.")
    run.add_break()
    run.add_text("Second line.")
    path = tmp_path / "breaks.docx"
    document.save(str(path))
    parsed = read_transcript(path)
    assert spoken(parsed.text, parsed.turns) == ["First line.\nSecond line."]


def test_docx_transcript_in_a_table(tmp_path: Path, spoken: Spoken) -> None:
    document = docx.Document()
    document.add_paragraph("Supervision study, interview 3")
    table = document.add_table(rows=0, cols=3)
    rows = [
        ("Speaker", "Time", "Text"),
        ("Interviewer:", "00:00:01", "What do you do?"),
        ("Jane Smith", "[00:00:04]", "I manage a team.\nTwelve social workers."),
        ("Interviewer", "00:00:09", "How big is the budget?"),
        ("Jane Smith", "00:00:12", "About two million."),
    ]
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    merged = table.add_row().cells
    merged[0].merge(merged[2]).text = "End of interview"
    document.add_paragraph("Transcribed in house.")
    path = tmp_path / "table.docx"
    document.save(str(path))
    parsed = read_transcript(path)
    turns = [t for t in parsed.turns if t.speaker]
    said = spoken(parsed.text, turns)
    assert said[:3] == [
        "What do you do?",
        "I manage a team. Twelve social workers.",
        "How big is the budget?",
    ]
    assert said[3].startswith("About two million.\n")  # lines with no label continue it
    assert [(t.speaker, t.role, t.time) for t in turns[:4]] == [
        ("Interviewer", INTERVIEWER, "00:00:01"),
        ("Jane Smith", RESPONDENT, "00:00:04"),
        ("Interviewer", INTERVIEWER, "00:00:09"),
        ("Jane Smith", RESPONDENT, "00:00:12"),
    ]
    # nothing of the table is lost, and the merged cell is read once
    assert parsed.text.count("End of interview") == 1
    assert parsed.text.index("Supervision study") < parsed.text.index("What do you do?")
    assert parsed.text.index("End of interview") < parsed.text.index("Transcribed in house.")


def test_a_meeting_tools_heading_row_is_no_turn(tmp_path: Path, spoken: Spoken) -> None:
    """walk48b: "Name | Timestamp | Comment" became a respondent turn of "Name"."""
    document = docx.Document()
    table = document.add_table(rows=0, cols=3)
    rows = [
        ("Name", "Timestamp", "Comment"),
        ("Smith, Jane", "00:00:03", "How does supervision work?"),
        ("Okafor, Margaret", "00:00:12", "Every four weeks."),
        ("Smith, Jane", "00:00:30", "Is it reflective?"),
        ("Okafor, Margaret", "00:00:34", "Very little."),
    ]
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    path = tmp_path / "meeting.docx"
    document.save(str(path))
    parsed = read_transcript(path)
    assert "Timestamp" not in parsed.text
    assert [t.speaker for t in parsed.turns] == ["Smith, Jane", "Okafor, Margaret"] * 2


def _tracked(paragraph: docx.text.paragraph.Paragraph, tag: str, text: str) -> None:
    """A tracked insertion (w:ins) or deletion (w:del) of ``text`` at the paragraph's end."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    change = OxmlElement(tag)
    change.set(qn("w:id"), str(len(paragraph._p)))
    change.set(qn("w:author"), "Typist")
    run = OxmlElement("w:r")
    words = OxmlElement("w:delText" if tag == "w:del" else "w:t")
    words.text = text
    words.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(words)
    change.append(run)
    paragraph._p.append(change)


def test_docx_tracked_changes_read_as_accepted(tmp_path: Path, spoken: Spoken) -> None:
    document = docx.Document()
    document.add_paragraph("Interviewer: What do you do?")
    answer = document.add_paragraph("Respondent: I manage ")
    _tracked(answer, "w:ins", "a team of twelve")
    _tracked(answer, "w:del", " ten people")
    answer.add_run(" in the county.")
    path = tmp_path / "tracked.docx"
    document.save(str(path))
    parsed = read_transcript(path)
    assert spoken(parsed.text, parsed.turns) == [
        "What do you do?",
        "I manage a team of twelve in the county.",
    ]
    assert parsed.warnings == (
        "tracked changes read as accepted: inserted words kept, deleted words left out",
    )


@pytest.mark.parametrize("above", [[], [""], ["Interview 7"], ["", "Interview 7", ""]])
def test_docx_details_table_heading_the_transcript_is_its_front_matter(
    tmp_path: Path, spoken: Spoken, above: list[str]
) -> None:
    """Under a title or a blank line the table used to be turns: "Participant" a
    speaker, the interviewer a respondent, "---" a segment."""
    document = docx.Document()
    for line in above:
        document.add_paragraph(line)
    table = document.add_table(rows=0, cols=2)
    for label, value in [("Participant", "P07"), ("Date:", "3 March 2024"), ("Interviewer", "Jo")]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    for line in ["Jo: What do you do?", "P07: I manage a team.", "Jo: How big?", "P07: Twelve."]:
        document.add_paragraph(line)
    path = tmp_path / "details.docx"
    document.save(str(path))
    parsed = read_transcript(path)
    title = {"title": "Interview 7"} if any(above) else {}
    assert dict(parsed.attributes) == {
        **title,
        "participant": "P07",
        "date": "3 March 2024",
        "interviewer": "Jo",
    }
    assert spoken(parsed.text, parsed.turns)[0] == "What do you do?"
    assert [t.role for t in parsed.turns] == [INTERVIEWER, RESPONDENT] * 2
    said = "the table of details under 'Interview 7' read as the case's attributes"
    assert (said in parsed.warnings) == bool(title)


def test_a_table_of_details_below_someones_words_is_not_front_matter(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Jo: Before we start, the details.")
    table = document.add_table(rows=0, cols=2)
    for label, value in [("Participant", "P07"), ("Date", "3 March 2024")]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    document.add_paragraph("P07: Fine.")
    path = tmp_path / "late.docx"
    document.save(str(path))
    assert dict(read_transcript(path).attributes) == {}


def test_docx_front_matter(tmp_path: Path) -> None:
    path = _docx(tmp_path / "fm.docx", ["---", "case: int09", "Sector: CSD", "---", "R: Hi."])
    parsed = read_transcript(path)
    assert parsed.case == "int09"
    assert dict(parsed.attributes) == {"sector": "CSD"}
    assert parsed.text == "R: Hi."


def _truncated_zip(tmp_path: Path) -> bytes:
    data = _docx(tmp_path / "whole.docx", ["R: hello"]).read_bytes()
    return data[: len(data) // 2]


def _zip_without_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["random", "truncated", "plain zip", "text"])
def test_damaged_docx_is_an_input_error(tmp_path: Path, kind: str) -> None:
    data = {
        "random": lambda: os.urandom(3000),
        "truncated": lambda: _truncated_zip(tmp_path),
        "plain zip": _zip_without_document,
        "text": lambda: b"Interviewer: this is a text file renamed to .docx\n",
    }[kind]()
    path = tmp_path / "broken.docx"
    path.write_bytes(data)
    with pytest.raises(InputError, match=r"broken\.docx: not a readable \.docx file \(.+\)"):
        read_transcript(path)


def test_empty_docx_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no text"):
        read_transcript(_docx(tmp_path / "blank.docx", ["", "   "]))
    (tmp_path / "zero.docx").write_bytes(b"")
    with pytest.raises(InputError, match="empty file"):
        read_transcript(tmp_path / "zero.docx")


def test_an_old_doc_renamed_docx_is_told_to_be_saved_as_docx(tmp_path: Path) -> None:
    """Word 97-2003's compound file under a .docx name read "not a ZIP archive"."""
    path = tmp_path / "renamed.docx"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + os.urandom(2000))
    with pytest.raises(
        InputError, match=r"an old Word \.doc file with a \.docx name: open it and save it as"
    ):
        read_transcript(path)
