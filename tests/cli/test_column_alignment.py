"""Plain-text listings keep their columns in line with the real corpora's long ids:
slug theme ids ("query-inputs-and-elements-useful") and survey segment ids
("NEAS S&C 6126 - Q2/text:1")."""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli.test_codings_import_frameworks import ok, run

FRAMEWORK = """themes:
  - id: querying
    label: Querying
    children:
      - id: query-inputs-and-elements-useful
        label: Query inputs and elements useful
        keywords: [filter, search]
      - id: staff
        label: Staff attitude
        keywords: [staff, rude]
"""

SURVEY = (
    "id,text\n"
    "NEAS S&C 6126 - Q2,The search filter was easy and the staff were kind.\n"
    "R1,Staff were rude.\n"
    "R22,I could not find the search box.\n"
)


def study(tmp_path: Path) -> str:
    s = str(tmp_path / "s.qualcode")
    ok(run("init", "--study", s, "--title", "Long ids"))
    (tmp_path / "survey.csv").write_text(SURVEY, encoding="utf-8")
    ok(run("--study", s, "import", "survey", str(tmp_path / "survey.csv"), "--id-column", "id",
           "--text-column", "text"))  # fmt: skip
    (tmp_path / "f.yaml").write_text(FRAMEWORK, encoding="utf-8")
    ok(run("--study", s, "framework", "import", str(tmp_path / "f.yaml")))
    return s


def test_framework_show_lines_up_its_counts_and_names_a_slug_once(tmp_path: Path) -> None:
    s = study(tmp_path)
    lines = ok(run("--study", s, "framework", "show")).stdout.splitlines()
    assert [line.split()[0] for line in lines] == [
        "querying",
        "query-inputs-and-elements-useful",
        "staff",
    ]
    assert "query-inputs-and-elements-useful  Query inputs" not in "\n".join(lines)
    assert lines[2].split()[:3] == ["staff", "Staff", "attitude"]  # not a slug of it
    starts = {re.search(r"\d+ codings?", line).start() for line in lines}  # type: ignore[union-attr]
    assert len(starts) == 1


def test_suggest_pending_lines_up_its_scores(tmp_path: Path) -> None:
    s = study(tmp_path)
    ok(run("--study", s, "suggest", "--no-embeddings"))
    lines = ok(run("--study", s, "suggest", "pending")).stdout.splitlines()
    assert len(lines) >= 2
    assert any("NEAS S&C 6126 - Q2" in line for line in lines)
    starts = {re.search(r" 0\.\d\d\*? ", line).start() for line in lines}  # type: ignore[union-attr]
    assert len(starts) == 1


def test_agreement_lines_up_its_figures_and_names_a_slug_once(tmp_path: Path) -> None:
    import json

    s = study(tmp_path)
    segments = [x["id"] for x in json.loads(ok(run("--study", s, "segments", "--json")).stdout)]
    rows = ["segment,theme,coder"]
    for n, seg in enumerate(segments):
        rows.append(f"{seg},query-inputs-and-elements-useful,alice")
        rows.append(f"{seg},{'staff' if n else 'query-inputs-and-elements-useful'},bob")
        rows.append(f"{seg},staff,alice")
    (tmp_path / "two.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    ok(run("--study", s, "codings", "import", str(tmp_path / "two.csv")))
    said, *lines = ok(run("--study", s, "agreement", "alice", "bob")).stdout.splitlines()
    assert "segments compared" in said
    assert lines[0].split()[:2] == ["theme", "kappa"]
    assert lines[-1].startswith("all themes, pooled")  # lined up as the themes are
    assert [line.split()[0] for line in lines[1:-1]] == [
        "query-inputs-and-elements-useful",
        "staff",
    ]
    assert "Query inputs" not in lines[1]  # the slug is its label
    assert lines[2].split()[:3] == ["staff", "Staff", "attitude"]
    # each kappa figure ends under the header's "kappa"
    end = lines[0].index("kappa") + len("kappa")
    assert all(line[end - 1] != " " and line[end] == " " for line in lines[1:]), lines


def test_report_headings_name_a_slug_theme_once(tmp_path: Path) -> None:
    from docx import Document

    s = study(tmp_path)
    out = tmp_path / "report.docx"
    ok(run("--study", s, "matrix", "export", str(out)))
    headings = [p.text for p in Document(str(out)).paragraphs if p.style.name.startswith("Head")]
    assert "Query inputs and elements useful" in headings
    assert "staff Staff attitude" in headings  # an id that is not its label stays
    assert not [h for h in headings if h.startswith("query-inputs-and-elements-useful")]


def test_matrix_counts_line_up_with_slug_ids(tmp_path: Path) -> None:
    s = study(tmp_path)
    lines = ok(run("--study", s, "matrix")).stdout.splitlines()
    assert lines[0].split() == ["theme", "cases", "wording"]
    names = [line.split()[0] for line in lines[1:]]
    assert "query-inputs-and-elements-useful" in names
    assert not [line for line in lines if "useful Query inputs" in line]  # the slug once
    end = lines[0].index("cases") + len("cases")
    assert all(line[end - 1].isdigit() and line[end] == " " for line in lines[1:]), lines
