"""Exports are valid QDA-XML, keep their GUIDs, and carry what other tools need."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import select

from qualcode.services import codings, exchange, importing, queries
from qualcode.services.study import Study
from qualcode.store import models as m

NS = {"q": "urn:QDA-XML:project:1.0"}
GUID = re.compile(r"guid|GUID|creatingUser|targetGUID")


def _qde(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde")


def _guids(xml: bytes) -> dict[str, str]:
    """Every element's guid, keyed by tag and name or position, for comparisons."""
    root = ET.fromstring(xml)
    out = {}
    for n, el in enumerate(root.iter()):
        if "guid" in el.attrib:
            key = f"{el.tag}:{el.get('name') or el.get('startPosition') or n}"
            out[key] = el.get("guid", "")
    return out


@pytest.mark.slow
def test_export_validates_against_the_project_schema(
    annotated_demo: Study, project_schema: object, tmp_path: Path
) -> None:
    out = tmp_path / "study.qdpx"
    report = exchange.export_qdpx(annotated_demo, out)
    project_schema.validate(_qde(out).decode("utf-8"))  # type: ignore[attr-defined]
    assert report.codings == len(codings.list_codings(annotated_demo))
    assert report.summaries == 3
    assert report.memos == 6


def test_codebook_validates_against_the_codebook_schema(
    demo_study: Study, refi: Path, tmp_path: Path
) -> None:
    import xmlschema

    out = tmp_path / "framework.qdc"
    n = exchange.export_qdc(demo_study, out)
    xmlschema.XMLSchema(str(refi / "Codebook.xsd")).validate(out.read_text("utf-8"))
    root = ET.fromstring(out.read_bytes())
    codes = root.findall(".//{urn:QDA-XML:codebook:1.0}Code")
    assert n == len(codes) == len(queries_themes(demo_study))
    # the demo's two frameworks (interviews, survey) do not travel in a codebook
    (warned,) = exchange.qdc_warnings(demo_study)
    assert "the 2 frameworks (interviews, survey) and what each codes" in warned


def test_a_codebook_of_one_framework_for_everything_warns_of_nothing(
    study: Study, tmp_path: Path
) -> None:
    (tmp_path / "f.yaml").write_text("themes:\n  - id: a\n    label: A\n", encoding="utf-8")
    from qualcode.services import framework

    framework.import_framework(study, tmp_path / "f.yaml")
    assert exchange.qdc_warnings(study) == []


def queries_themes(study: Study) -> list[str]:
    with study.read() as s:
        return list(s.scalars(select(m.ThemeRow.id)))


@pytest.mark.slow
def test_guids_are_stored_and_stay_the_same_across_exports(
    annotated_demo: Study, tmp_path: Path
) -> None:
    exchange.export_qdpx(annotated_demo, tmp_path / "a.qdpx")
    with annotated_demo.read() as s:
        for model in (m.ThemeRow, m.CaseRow, m.SourceRow, m.CodingRow, m.MemoRow, m.CoderRow):
            assert all(s.scalars(select(model.guid))), model  # type: ignore[attr-defined]
    exchange.export_qdpx(annotated_demo, tmp_path / "b.qdpx")
    first, second = _guids(_qde(tmp_path / "a.qdpx")), _guids(_qde(tmp_path / "b.qdpx"))
    assert first == second
    assert len(set(first.values())) == len(first)  # and no two things share one


@pytest.mark.slow
def test_what_qualcoder_needs_is_there(annotated_demo: Study, tmp_path: Path) -> None:
    out = tmp_path / "study.qdpx"
    exchange.export_qdpx(annotated_demo, out)
    root = ET.fromstring(_qde(out))
    assert root.get("origin", "").startswith("qualcode")
    names = [c.get("name") for c in root.iter("{urn:QDA-XML:project:1.0}Code")]
    assert len(names) == len(set(names))
    with zipfile.ZipFile(out) as archive:
        files = set(archive.namelist())
        for source in root.iter("{urn:QDA-XML:project:1.0}TextSource"):
            if source.get("plainTextPath") is None:
                continue  # notes carry their text inline
            assert source.get("name")
            path = source.get("plainTextPath", "")
            assert path.startswith("internal://")
            entry = "sources/" + path.removeprefix("internal://")
            assert entry in files
            data = archive.read(entry)
            assert not data.startswith(b"\xef\xbb\xbf")
            assert b"\r" not in data
    for sel in root.iter("{urn:QDA-XML:project:1.0}PlainTextSelection"):
        for coding in sel.findall("q:Coding", NS):
            assert sel.get("creatingUser")
            assert coding[0].tag == "{urn:QDA-XML:project:1.0}CodeRef"


@pytest.mark.slow
def test_summaries_are_notes_linked_to_case_and_theme(
    annotated_demo: Study, tmp_path: Path
) -> None:
    out = tmp_path / "study.qdpx"
    report = exchange.export_qdpx(annotated_demo, out)
    assert any("no framework matrix" in w and "3 summaries" in w for w in report.warnings)
    root = ET.fromstring(_qde(out))
    notes = {n.get("guid"): n for n in root.iter("{urn:QDA-XML:project:1.0}Note")}
    summary = next(
        n for n in notes.values() if "(~35%)" in n.findtext("q:PlainTextContent", "", NS)
    )
    guid = summary.get("guid")
    code_refs = [
        c.get("name") for c in root.iter("{urn:QDA-XML:project:1.0}Code")
        if any(r.get("targetGUID") == guid for r in c.findall("q:NoteRef", NS))
    ]  # fmt: skip
    assert len(code_refs) == 1
    assert code_refs[0].startswith("1 ")
    cases = {c.get("guid"): c.get("name") for c in root.iter("{urn:QDA-XML:project:1.0}Case")}
    links = [k for k in root.iter("{urn:QDA-XML:project:1.0}Link") if k.get("originGUID") == guid]
    assert [cases[k.get("targetGUID")] for k in links] == ["int01"]


@pytest.mark.slow_postgresql
def test_offsets_count_code_points_with_an_exclusive_end(study: Study, tmp_path: Path) -> None:
    transcript = tmp_path / "int99.txt"
    transcript.write_text(
        "Interviewer: Ready?\n\nRespondent: Caf\u00e9 talk \U0001f600 then supervision "
        "matters most.\n",
        encoding="utf-8",
    )
    importing.import_transcripts(study, [transcript])
    from qualcode.services.framework import add_theme

    add_theme(study, "T1", "Supervision")
    text = queries.source_text(study, "int99")
    start = text.index("supervision")
    codings.add_coding(study, "int99", start, start + len("supervision"), "T1")
    out = tmp_path / "x.qdpx"
    exchange.export_qdpx(study, out)
    root = ET.fromstring(_qde(out))
    sel = next(root.iter("{urn:QDA-XML:project:1.0}PlainTextSelection"))
    path = next(root.iter("{urn:QDA-XML:project:1.0}TextSource")).get("plainTextPath", "")
    with zipfile.ZipFile(out) as archive:
        file_text = archive.read("sources/" + path.removeprefix("internal://")).decode("utf-8")
    a, b = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
    assert file_text[a:b] == "supervision"
    assert len(file_text.encode("utf-16-le")) // 2 > len(file_text)  # an astral character is in it
