"""`qualcode memos`: the familiarisation notes written while reading, listed in one place."""

from __future__ import annotations

import json

from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.services import memos, queries
from tests.analysis.conftest import CodedDemo


def run(demo: CodedDemo, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["--study", str(demo.path), *args])


def test_memos_lists_every_memo_with_where_it_is(coded_demo: CodedDemo) -> None:
    study = coded_demo.study
    empty = run(coded_demo, "memos")
    assert empty.exit_code == 0, empty.output
    assert "no memos yet" in empty.stderr
    turn = queries.list_segments(study, case="int03")[2]
    memos.set_memo(study, "segment", turn.id, "Says agency staff cost twice as much.")
    memos.set_memo(study, "case", "int01", "Director, new in post.\nCheck the dates.")
    memos.set_memo(study, "study", None, "Agency use comes up everywhere.")
    listed = run(coded_demo, "memos")
    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.splitlines()
    assert lines[0].startswith("[study] ")
    assert lines[2].startswith("[case int01] ")
    assert lines[3:5] == ["    Director, new in post.", "    Check the dates."]
    assert f"[segment {turn.id} (int03, line {turn.line})]" in listed.stdout
    assert "3 memos" in listed.stderr
    data = json.loads(run(coded_demo, "memos", "--kind", "segment", "--json").stdout)
    assert [(x["target"], x["case"], x["line"], x["text"]) for x in data] == [
        (turn.id, "int03", turn.line, "Says agency staff cost twice as much.")
    ]
    # a coder of the study without memos has none; a name nobody has is a mistake
    coder = json.loads(run(coded_demo, "coders", "--json").stdout)[0]["coder"]
    codes_only = run(coded_demo, "memos", "--only-coder", coder, "--kind", "theme", "--json")
    assert json.loads(codes_only.stdout) == []
    nobody = run(coded_demo, "memos", "--only-coder", "nobody", "--json")
    assert nobody.exit_code == 2
    assert nobody.stderr.startswith("error: no coder 'nobody' in this study")
    cases = json.loads(run(coded_demo, "memos", "--kind", "case", "--json").stdout)
    assert [(x["target"], x["case"]) for x in cases] == [("int01", "int01")]  # was null
