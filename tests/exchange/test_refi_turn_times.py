"""Turn times travel in a .qdpx: a Note per timed transcript, referenced by its source,
valid QDA-XML, read back onto the segments (and not made a memo)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import select

from qualcode.exchange.refi import conventions as cv
from qualcode.services import exchange, memos, queries
from qualcode.services.study import Study
from qualcode.store import models as m

NS = {"q": "urn:QDA-XML:project:1.0"}


def _times(study: Study) -> set[tuple[str, int, int, str | None, str | None]]:
    with study.read() as s:
        return {
            (r.source_id, r.start, r.end, r.speaker, r.time)
            for r in s.scalars(select(m.SegmentRow))
        }


def _root(path: Path) -> ET.Element:
    with zipfile.ZipFile(path) as archive:
        return ET.fromstring(archive.read("project.qde"))


@pytest.mark.slow
def test_turn_times_round_trip(
    annotated_demo: Study, study: Study, project_schema: object, tmp_path: Path
) -> None:
    every = queries.list_segments(annotated_demo, include_interviewer=True)
    timed = [g for g in every if g.time and g.source == "int13"]
    sources = sorted({g.source for g in every if g.time})  # the sample's service exports
    assert "int13" in sources
    out = tmp_path / "demo.qdpx"
    exchange.export_qdpx(annotated_demo, out)
    with zipfile.ZipFile(out) as archive:
        project_schema.validate(archive.read("project.qde").decode())  # type: ignore[attr-defined]

    root = _root(out)
    notes = [
        n
        for n in root.iterfind(".//q:Note", NS)
        if n.findtext("q:Description", "", NS) == cv.TURN_TIMES
    ]
    assert [n.get("name") for n in notes] == [f"Turn times: {x}" for x in sources]
    note = notes[0]
    source = next(x for x in root.iterfind(".//q:TextSource", NS) if x.get("name") == "int13")
    refs = [ref.get("targetGUID") for ref in source.iterfind("q:NoteRef", NS)]
    assert note.get("guid") in refs
    text = note.findtext("q:PlainTextContent", "", NS)
    first = timed[0]
    assert f"{first.time} · {first.start}-" in text
    turns = cv.parse_turn_times(text)
    assert {t.time for t in turns} == {g.time for g in timed}
    assert len(turns) == len({(g.speaker, g.time) for g in timed})
    whole = queries.source_text(annotated_demo, "int13")
    for turn in turns:  # every turn's characters hold its words, not its timestamp
        assert turn.time not in whole[turn.start : turn.end]

    before_memos = len(memos.list_memos(annotated_demo))
    exchange.import_qdpx(study, out)
    assert _times(study) == _times(annotated_demo)
    assert len(memos.list_memos(study)) == before_memos  # the note is no memo
    # importing it again changes nothing
    exchange.import_qdpx(study, out)
    assert _times(study) == _times(annotated_demo)


@pytest.mark.slow_postgresql
def test_turn_times_note_overrides_what_the_text_suggests(
    annotated_demo: Study, study: Study, tmp_path: Path
) -> None:
    """The note, not a re-reading of the text, gives the times: a time edited in the
    note (as another tool might keep it) is the one the segments get."""
    out = tmp_path / "demo.qdpx"
    exchange.export_qdpx(annotated_demo, out)
    edited = tmp_path / "edited.qdpx"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(edited, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "project.qde":
                data = data.replace(b"00:00:04 \xc2\xb7 ", b"00:00:05 \xc2\xb7 ", 1)
            dst.writestr(item, data)
    exchange.import_qdpx(study, edited)
    first = queries.list_segments(study, source="int13", include_interviewer=True)[0]
    assert first.time == "00:00:05"
