"""A study exported to .qdpx and imported into an empty study comes back whole."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from qualcode.services import codings, exchange, frameworks, queries
from qualcode.services.framework import list_themes
from qualcode.services.study import Study
from qualcode.store import models as m


def _codings(study: Study) -> set[tuple[Any, ...]]:
    return {(c.source, c.start, c.end, c.theme, c.coder) for c in codings.list_codings(study)}


def _snapshot(study: Study) -> dict[str, Any]:
    with study.read() as s:
        keys = {
            str(c.id): (c.source_id, c.start, c.end, c.theme_id, c.coder)
            for c in s.scalars(select(m.CodingRow))
        }  # coding ids differ between studies: a coding memo is compared by its coding
        memos = {
            (r.kind, keys.get(r.target or "", r.target), r.coder, r.text)
            for r in s.scalars(select(m.MemoRow))
        }
        sums = {(r.case_id, r.theme_id, r.text, r.status) for r in s.scalars(select(m.SummaryRow))}
        sources = {
            (r.id, r.case_id, r.name, r.kind, r.question, r.checksum)
            for r in s.scalars(select(m.SourceRow))
        }
        segments = {(r.source_id, r.start, r.end) for r in s.scalars(select(m.SegmentRow))}
        types = {r.name: r.type for r in s.scalars(select(m.AttributeRow))}
    return {
        "codings": _codings(study),
        # framework order, not the stored position numbers (renumbered 0, 1, 2... on import)
        "themes": [replace(t, position=0) for t in list_themes(study)],
        "cases": queries.list_cases(study),
        "types": types,
        "sources": sources,
        "segments": segments,
        "memos": memos,
        "summaries": sums,
        # each framework with what it codes, and the framework of every theme
        "frameworks": frameworks.list_frameworks(study),
        "framework_of": dict(frameworks.study_frameworks(study).of_theme),
    }


@pytest.mark.slow
def test_round_trip_is_lossless(annotated_demo: Study, study: Study, tmp_path: Path) -> None:
    out = tmp_path / "demo.qdpx"
    exchange.export_qdpx(annotated_demo, out)
    result = exchange.import_qdpx(study, out)
    before, after = _snapshot(annotated_demo), _snapshot(study)
    for key in before:
        assert after[key] == before[key], key
    assert result.summaries == 3
    assert result.memos == 6
    # every coding covers the same characters
    for c in codings.list_codings(study):
        original = queries.source_text(annotated_demo, c.source)[c.start : c.end]
        assert queries.source_text(study, c.source)[c.start : c.end] == original


@pytest.mark.slow
def test_importing_the_same_file_again_changes_nothing(
    annotated_demo: Study, study: Study, tmp_path: Path
) -> None:
    out = tmp_path / "demo.qdpx"
    exchange.export_qdpx(annotated_demo, out)
    exchange.import_qdpx(study, out)
    before = _snapshot(study)
    again = exchange.import_qdpx(study, out)
    assert again.report.sources_added == again.report.codings_added == 0
    assert again.memos == again.summaries == 0
    assert _snapshot(study) == before


@pytest.mark.slow
def test_guids_survive_the_round_trip(annotated_demo: Study, study: Study, tmp_path: Path) -> None:
    exchange.export_qdpx(annotated_demo, tmp_path / "a.qdpx")
    exchange.import_qdpx(study, tmp_path / "a.qdpx")
    exchange.export_qdpx(study, tmp_path / "b.qdpx")

    def guids(path: Path) -> set[str]:
        from xml.etree import ElementTree as ET

        with zipfile.ZipFile(path) as archive:
            root = ET.fromstring(archive.read("project.qde"))
        keep = {"Code", "Case", "TextSource", "Coding", "Note", "User", "Variable"}
        return {el.get("guid", "") for el in root.iter() if el.tag.rsplit("}", 1)[-1] in keep}

    assert guids(tmp_path / "a.qdpx") == guids(tmp_path / "b.qdpx")


@pytest.mark.slow
def test_a_colleagues_export_merges_by_theme_id(
    annotated_demo: Study, demo_path: Path, tmp_path: Path
) -> None:
    """Two researchers who imported the same framework separately have different GUIDs
    for the same themes: codings still land on the theme with the same id."""
    from qualcode.services.demo import build_demo
    from qualcode.store.engine import sqlite_url

    other = build_demo(sqlite_url(tmp_path / "colleague.qualcode"), coder="carol")
    seg = queries.list_segments(other, case="int03")[0]
    codings.code_segment(other, seg.id, "2.1")
    exchange.export_qdpx(other, tmp_path / "carol.qdpx")
    other.close()
    themes_before = len(list_themes(annotated_demo))
    result = exchange.import_qdpx(annotated_demo, tmp_path / "carol.qdpx")
    assert result.themes == 0
    assert len(list_themes(annotated_demo)) == themes_before
    assert (seg.source, seg.start, seg.end, "2.1", "carol") in _codings(annotated_demo)


@pytest.mark.slow_postgresql
def test_dimension_declarations_survive_the_round_trip(
    annotated_demo: Study, study: Study, tmp_path: Path
) -> None:
    from qualcode.services import dimensions

    declared = dimensions.declarations(annotated_demo)
    assert declared["2.3"][0].name == "stance"  # the sample framework declares them
    out = tmp_path / "demo.qdpx"
    exchange.export_qdpx(annotated_demo, out)
    exchange.import_qdpx(study, out)
    assert dimensions.declarations(study) == declared


@pytest.mark.slow
def test_the_export_names_what_a_round_trip_loses(annotated_demo: Study, tmp_path: Path) -> None:
    """Frameworks and their scopes, dimension values, key issues and summary versions
    came back lost or changed (the matrix counts with them) with no warning."""
    from qualcode.services import key_issues

    key_issues.set_key_issues(annotated_demo, "1.3", "Agency cost drives the budget.")
    warned = " ".join(exchange.export_qdpx(annotated_demo, tmp_path / "a.qdpx").warnings)
    assert "frameworks and what each codes" not in warned  # they travel now, as sets
    assert "dimension values of the matrix cells" in warned
    assert "the key issues of 1 theme" in warned
    assert "the summaries' earlier versions" in warned


def test_a_whole_number_in_a_number_column_comes_back_whole(
    study: Study, tmp_path: Path, sample: Path
) -> None:
    """walk49b: `2` beside `1.5` went out as FloatValue 2.0 and came back `2.0`, so
    `matrix --by` groups were renamed (serdif's 1, 2, 3 became 1.0, 2.0, 3.0)."""
    from qualcode.services import importing
    from qualcode.services.study import init_study
    from qualcode.store.engine import sqlite_url

    first = init_study(sqlite_url(tmp_path / "first.qualcode"), "First", "alice")
    transcripts = [sample / "transcripts" / f"int0{n}.txt" for n in (1, 2)]
    importing.import_transcripts(first, transcripts)
    sheet = tmp_path / "cases.csv"
    sheet.write_text("case,score\nint01,2\nint02,1.5\n", encoding="utf-8")
    importing.import_cases(first, sheet, "case")
    out = tmp_path / "first.qdpx"
    exchange.export_qdpx(first, out)
    with zipfile.ZipFile(out) as z:
        xml = z.read("project.qde").decode("utf-8")
    assert "<FloatValue>2</FloatValue>" in xml
    exchange.import_qdpx(study, out)
    scores = {c.id: c.attributes["score"] for c in queries.list_cases(study)}
    assert scores == {c.id: c.attributes["score"] for c in queries.list_cases(first)}
    assert {str(v) for v in scores.values()} == {"2", "1.5"}
    first.close()
