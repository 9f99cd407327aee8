"""An anonymised report grouped by an attribute whose values are names (the region,
the institution) keeps its quotes: each quote's group was anonymised twice, read
"[Place 1] (2)" against the sheet's "[Place 1]", and the report lost every quote,
with "(2)" after every group heading."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from qualcode.services import anonymise, codings, framework, importing, matrix_export, queries
from qualcode.services.quotes import quotes
from qualcode.services.study import init_study
from qualcode.store.engine import sqlite_url

FRAMEWORK = "title: T\nthemes:\n  - id: T1\n    label: Staffing\n"


def test_quotes_keep_their_group_when_its_values_are_names(tmp_path: Path) -> None:
    study = init_study(sqlite_url(tmp_path / "s.qualcode"), "S", coder="alice")
    files = []
    for case in ("int01", "int02", "int03"):
        path = tmp_path / f"{case}.txt"
        path.write_text(
            f"Interviewer: How is staffing in {case}?\n\n"
            f"Respondent: Staffing is hard, we rely on agency workers in {case}.\n",
            encoding="utf-8",
        )
        files.append(path)
    importing.import_transcripts(study, files)
    (tmp_path / "cases.csv").write_text(
        "case,region\nint01,Kildare\nint02,Kildare\nint03,Wexford\n", encoding="utf-8"
    )
    importing.import_cases(study, tmp_path / "cases.csv", "case")
    (tmp_path / "f.yaml").write_text(FRAMEWORK, encoding="utf-8")
    framework.import_framework(study, tmp_path / "f.yaml")
    for case in ("int01", "int02", "int03"):
        seg = next(g for g in queries.list_segments(study, case=case) if g.role != "interviewer")
        codings.code_segment(study, seg.id, "T1")
    (tmp_path / "names.txt").write_text("place: Kildare\nplace: Wexford\n", encoding="utf-8")
    anonymise.find_names(study, tmp_path / "names.txt", use_spacy=False)  # listed: accepted

    shown = quotes(study, by=["region"], anonymised=True)
    assert sorted({q.group for q in shown}) == ["[Place 1]", "[Place 2]"]
    out = tmp_path / "report.docx"
    matrix_export.export_matrix(study, out, by=["region"], anonymised=True)
    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    said = "\n".join(paragraphs)
    assert "Kildare" not in said
    assert "Wexford" not in said
    assert "(2)" not in said
    assert sum("Staffing is hard" in p for p in paragraphs) >= 2  # the quotes are there
    study.close()
