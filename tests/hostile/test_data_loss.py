"""An import takes every row it was given or refuses naming the row: never fewer
rows silently, never a guessed value."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.hostile.leaky import ok, refused, run


@pytest.fixture
def db(db_url: str) -> str:
    ok(db_url, "init")
    return db_url


def _respondents(db: str) -> int:
    return len(json.loads(ok(db, "cases", "--json").stdout))


def _survey_book(rows: int) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["respondent_id", "q_help"])
    for i in range(rows):
        sheet.append([f"r{i:02}", f"Answer {i}: supervision helped me stay in the job."])
    return book


def _understate_dimension(path: Path) -> None:
    """Rewrite the sheet's stored dimension as A1:B3, as some writers leave it."""
    data = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(data) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name in src.namelist():
            part = src.read(name)
            if name == "xl/worksheets/sheet1.xml":
                part, n = re.subn(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:B3"', part)
                assert n == 1
            out.writestr(name, part)


def test_an_understated_xlsx_dimension_loses_no_respondent(db: str, tmp_path: Path) -> None:
    path = tmp_path / "survey.xlsx"
    _survey_book(10).save(path)
    _understate_dimension(path)
    assert openpyxl.load_workbook(path, read_only=True).active.max_row == 3  # the trap is set
    ok(db, "import", "survey", str(path), "--id-column", "respondent_id", "--text-column", "q_help")
    assert _respondents(db) == 10


@pytest.mark.slow_postgresql
def test_a_formula_without_a_saved_value_is_refused_naming_the_cell(
    db: str, tmp_path: Path
) -> None:
    book = _survey_book(3)
    book.active["B3"] = '=CONCAT("no ", "cached value")'
    path = tmp_path / "formula.xlsx"
    book.save(path)
    result = run(db, "import", "survey", str(path), "--id-column", "respondent_id")
    refused(result, "formula.xlsx", "row 3", "B3")
    assert _respondents(db) == 0


@pytest.mark.slow_postgresql
def test_an_unterminated_csv_quote_is_refused_naming_the_row(db: str, tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(
        'respondent_id,q_help\nr1,"Supervision helps\nr2,It does not\nr3,Sometimes\n', "utf-8"
    )
    result = run(db, "import", "survey", str(path), "--id-column", "respondent_id")
    refused(result, "survey.csv", "row 2", "never closed")
    assert _respondents(db) == 0


@pytest.mark.slow_postgresql
def test_framework_ids_and_labels_stay_as_typed(db: str, tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(
        "title: 2024\nthemes:\n  - id: 9.10\n    label: yes\n    children:\n"
        "      - id: 9.20\n        label: 1e3\n      - id: 9.2\n        label: No\n",
        "utf-8",
    )
    ok(db, "framework", "import", str(path))
    themes = {
        t["id"]: t["label"] for t in _flat(json.loads(ok(db, "framework", "show", "--json").stdout))
    }
    assert themes == {"9.10": "yes", "9.20": "1e3", "9.2": "No"}


def _flat(nodes: list[dict]) -> list[dict]:
    out = []
    for node in nodes:
        out.append(node)
        out.extend(_flat(node.get("children", [])))
    return out


@pytest.mark.slow_postgresql
def test_a_mapping_given_as_a_label_is_refused_with_its_line(db: str, tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text('themes:\n  - id: "1"\n    label: Fine\n  - id: "2"\n    label: {a: b}\n')
    refused(run(db, "framework", "import", str(path)), "f.yaml", "line 4", "`label`")
    assert json.loads(ok(db, "framework", "show", "--json").stdout) == []


@pytest.mark.slow_postgresql
def test_a_docx_hiding_an_entity_is_refused(db: str, tmp_path: Path) -> None:
    import docx

    path = tmp_path / "entity.docx"
    document = docx.Document()
    document.add_paragraph("Interviewer: How is supervision?")
    document.add_paragraph("R: PLACEHOLDER and the rest of the answer that must not vanish.")
    document.save(str(path))
    data = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(data) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name in src.namelist():
            part = src.read(name)
            if name == "word/document.xml":
                part = part.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY hidden "words">]>', 1)
                part = part.replace(b"PLACEHOLDER", b"&hidden;")
            out.writestr(name, part)
    refused(run(db, "import", "transcripts", str(path)), "entity.docx", "entit")
    assert _respondents(db) == 0
