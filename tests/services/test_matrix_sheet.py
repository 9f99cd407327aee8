"""Matrix sheets: columns, rows grouped by attributes, passages with line references."""

from __future__ import annotations

import pytest

from qualcode.domain.matrix import EMPTY, FINAL
from qualcode.services import codings, matrix, queries, summaries
from qualcode.services.matrix_data import AUTO
from tests.analysis.conftest import CodedDemo, Small, respondent_segments, sample_attributes


def natural(case: str) -> int:
    return int(case.lstrip("intR"))


def test_a_top_level_theme_is_a_sheet_of_its_sub_themes_by_interview(
    coded_demo: CodedDemo,
) -> None:
    attrs = sample_attributes()
    sheet = matrix.sheet(coded_demo.study, top="1", by=["sector", "authority_type"])
    assert sheet.title == "1 Agency background and staffing"
    assert [t.id for t in sheet.themes] == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    assert sheet.kinds == ("transcript",)
    interviews = sorted((c for c in attrs if c.startswith("int")), key=natural)
    assert sorted((r.case for r in sheet.rows), key=natural) == interviews
    # rows are grouped by sector, then authority type, and sorted within a group
    keys = [(g.key, [r.case for r in g.rows]) for g in sheet.groups]
    assert [k for k, _ in keys] == sorted(
        (k for k, _ in keys), key=lambda k: (k[0].lower(), k[1] is None, (k[1] or "").lower())
    )
    for key, cases in keys:
        assert cases == sorted(cases, key=natural)
        for case in cases:
            assert (attrs[case]["sector"], attrs[case].get("authority_type")) == key
    pvi = [g for g in sheet.groups if g.key[0] == "PVI"]
    assert pvi[0].label == "PVI / (not recorded)"


def test_cells_hold_the_passages_with_source_and_line(coded_demo: CodedDemo) -> None:
    study = coded_demo.study
    sheet = matrix.sheet(study, top="1")
    col = sheet.column("1.3")
    expected = {c.segment for c in coded_demo.coded if c.theme == "1.3"}
    segments = {s.id: s for s in queries.list_segments(study)}
    seen = set()
    for row in sheet.rows:
        cell = row.cells[col]
        for p in cell.passages:
            seg = segments[p.segment or ""]
            assert (p.case, p.source, p.start, p.end) == (row.case, seg.source, seg.start, seg.end)
            text = queries.source_text(study, p.source)
            assert p.text == text[p.start : p.end]
            assert p.line == text.count("\n", 0, p.start) + 1
            assert p.ref == f"{p.source} l.{p.line}"
            seen.add(seg.id)
        assert cell.coverage == len(cell.passages)
    assert seen == expected


def test_survey_sheets_list_respondents_and_refer_to_the_question(coded_demo: CodedDemo) -> None:
    sheet = matrix.sheet(coded_demo.study, top="S1", by=["sector"])
    assert sheet.kinds == ("survey",)
    assert all(r.case.startswith("R") for r in sheet.rows)
    refs = [p.ref for r in sheet.rows for c in r.cells for p in c.passages]
    assert refs
    assert all(ref.startswith("R") and " q_" in ref for ref in refs)
    # the sheet's counts are over its rows
    for count in sheet.counts:
        group = next(g for g in sheet.groups if g.key == (count.group,))
        assert count.total == len(group.rows)
        col = sheet.column(count.theme)
        assert count.cases == sum(1 for r in group.rows if r.cells[col].passages)


@pytest.mark.slow
def test_an_uncoded_sheet_lists_the_interviews_and_kind_all_lists_everyone(
    coded_demo: CodedDemo,
) -> None:
    assert matrix.sheet(coded_demo.study, top="7", kind=AUTO).kinds == ("transcript",)
    assert len(matrix.sheet(coded_demo.study, top="7").rows) == 16
    assert len(matrix.sheet(coded_demo.study, top="7", kind=None).rows) == 496
    assert len(matrix.sheet(coded_demo.study, top="1", kind="survey").rows) == 480


@pytest.mark.slow_postgresql
def test_direct_codings_of_a_top_level_theme_get_their_own_column(small: Small) -> None:
    study = small.study
    seg = respondent_segments(study, "c2")[0]
    codings.code_segment(study, seg, "A")
    sheet = matrix.sheet(study, top="A")
    assert [t.id for t in sheet.themes] == ["A", "A.1", "A.2"]
    cell = sheet.cell("c2", "A")
    assert [p.segment for p in cell.passages] == [seg]
    assert not sheet.cell("c2", "A.1").passages


@pytest.mark.slow_postgresql
def test_a_double_coded_span_is_one_passage_and_a_quote_mark_survives(small: Small) -> None:
    from qualcode.services import quotes

    study = small.study
    seg = respondent_segments(study, "c1")[0]
    mine = codings.code_segment(study, seg, "A.1")
    theirs = codings.code_segment(study, seg, "A.1", coder="bob")
    quotes.mark_quote(study, theirs.id)
    cell = matrix.cell(study, "c1", "A")
    assert len(cell.passages) == 1
    assert cell.passages[0].quote is True
    assert cell.passages[0].coding in (mine.id, theirs.id)


@pytest.mark.slow_postgresql
def test_summaries_and_syntheses_appear_in_the_sheet(small: Small) -> None:
    study = small.study
    codings.code_segment(study, respondent_segments(study, "c1")[0], "A.1")
    summaries.set_summary(study, "c1", "A.1", "Relies on agency staff.", FINAL)
    summaries.set_synthesis(study, "A.1", "sector", "CSD", "Agency use is common.")
    sheet = matrix.sheet(study, top="A", by=["sector"])
    cell = sheet.cell("c1", "A.1")
    assert (cell.summary.text, cell.summary.status, cell.summary.version) == (
        "Relies on agency staff.",
        FINAL,
        1,
    )
    assert sheet.cell("c2", "A.1").summary.status == EMPTY
    csd = next(g for g in sheet.groups if g.label == "CSD")
    assert [s.text for s in csd.syntheses] == ["Agency use is common.", ""]
    dass = next(g for g in sheet.groups if g.label == "DASS")
    assert [s.text for s in dass.syntheses] == ["", ""]


@pytest.mark.slow_postgresql
def test_chosen_themes_make_a_sheet_of_their_own(small: Small) -> None:
    study = small.study
    codings.code_segment(study, respondent_segments(study, "c5")[0], "A.2")
    sheet = matrix.sheet(study, themes=["B", "A"], by=["authority_type"])
    assert [t.id for t in sheet.themes] == ["B", "A"]
    assert [g.key for g in sheet.groups] == [
        ("county council",),
        ("London borough",),
        ("unitary authority",),
        (None,),
    ]
    assert sheet.cell("c5", "A").coverage == 1  # A gathers its sub-themes
    assert [c.cases for c in sheet.counts if c.theme == "A"] == [0, 0, 0, 1]
