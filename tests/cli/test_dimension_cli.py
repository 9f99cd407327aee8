"""`qualcode dimension ...`, `qualcode key-issues ...` and `matrix --dimension` as scripts
use them: JSON shapes, "did you mean", one error line and exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import assert_input_error, ok, run


def test_sample_values_listed(demo_path: Path) -> None:
    s = str(demo_path)
    rows = json.loads(ok(run("dimension", "list", "--theme", "2.3", "--json", "--study", s)).stdout)
    assert len(rows) == 36  # stance and mention for 16 interviews, 4 standings
    assert {r["dimension"] for r in rows} == {"stance", "mention", "standing"}
    assert set(rows[0]) == {"case", "theme", "dimension", "value", "coder", "coding"}
    shown = ok(run("dimension", "show", "2.3", "--json", "--study", s)).stdout
    assert json.loads(shown) == [
        {"name": "stance", "values": ["very positive", "mixed", "negative"]},
        {"name": "mention", "values": ["spontaneous", "prompted"]},
        {"name": "standing", "values": ["typical", "exceptional"]},
    ]


def test_set_unset_and_errors(demo_path: Path) -> None:
    s = str(demo_path)
    ok(run("dimension", "set", "int01", "2.3", "stance", "negative", "--study", s))
    rows = json.loads(ok(run("dimension", "list", "--case", "int01", "--dimension", "stance",
                             "--json", "--study", s)).stdout)  # fmt: skip
    assert [r["value"] for r in rows] == ["negative"]
    assert_input_error(
        run("dimension", "set", "int01", "2.3", "stance", "mixd", "--study", s),
        "did you mean 'mixed'",
    )
    assert_input_error(
        run("dimension", "set", "int01", "2.3", "stanse", "mixed", "--study", s),
        "did you mean 'stance'",
    )
    assert_input_error(run("dimension", "set", "int01", "stance", "--study", s), "usage:")
    ok(run("dimension", "unset", "int01", "2.3", "stance", "--study", s))
    rows = json.loads(ok(run("dimension", "list", "--case", "int01", "--dimension", "stance",
                             "--json", "--study", s)).stdout)  # fmt: skip
    assert rows == []
    ok(run("dimension", "declare", "2.4", "pressure", "manageable", "heavy", "--study", s))
    ok(run("dimension", "set", "int02", "2.4", "pressure", "heavy", "--study", s))
    assert_input_error(run("dimension", "declare", "2.4", "nothing", "--study", s), "declares no")


def test_matrix_dimension_text_and_json(demo_path: Path) -> None:
    s = str(demo_path)
    text = ok(run("matrix", "--dimension", "stance", "--study", s)).stdout
    assert "Of the 16 interviewees with a recorded stance, half (8 of 16) were mixed" in text
    rows = json.loads(ok(run("matrix", "--dimension", "mention", "--json", "--study", s)).stdout)
    assert rows[0]["sentence"] == "All 16 interviewees with a recorded mention were prompted."
    assert_input_error(run("matrix", "--dimension", "stanse", "--study", s), "did you mean")


def test_key_issues_set_show(demo_path: Path, tmp_path: Path) -> None:
    s = str(demo_path)
    ok(run("key-issues", "set", "2.3", "Squeezed in a crisis.", "--study", s))
    shown = json.loads(ok(run("key-issues", "show", "2.3", "--json", "--study", s)).stdout)
    assert shown[0]["text"] == "Squeezed in a crisis."
    assert shown[0]["version"] == 1
    every = json.loads(ok(run("key-issues", "show", "--json", "--study", s)).stdout)
    assert [n["theme"] for n in every] == ["2.3"]
    assert_input_error(run("key-issues", "set", "9.9", "x", "--study", s), "no theme")
    assert_input_error(
        run("key-issues", "set", "2.3", "--file", str(tmp_path / "missing.txt"), "--study", s),
        "missing.txt",
    )


def test_import_values_names_the_bad_row(demo_path: Path, tmp_path: Path) -> None:
    s = str(demo_path)
    good = tmp_path / "v.csv"
    good.write_text("case,theme,dimension,value\nint01,2.3,standing,exceptional\n")
    assert "1 value set" in ok(run("dimension", "import", str(good), "--study", s)).stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("case,theme,dimension,value\nint02,2.3,stance,negative\nint03,2.3,x,y\n")
    assert_input_error(run("dimension", "import", str(bad), "--study", s), "bad.csv, row 3")
    rows = json.loads(ok(run("dimension", "list", "--case", "int02", "--dimension", "stance",
                             "--json", "--study", s)).stdout)  # fmt: skip
    assert [r["value"] for r in rows] == ["mixed"]  # the sample's value, untouched
