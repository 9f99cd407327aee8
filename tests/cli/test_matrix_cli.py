"""The matrix and summary commands end to end, as a researcher scripts them."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner, Result

from qualcode.cli import cli
from tests.analysis.conftest import CodedDemo


def run(demo: CodedDemo, *args: str, coder: str = "alice") -> Result:
    return CliRunner().invoke(cli, ["--study", str(demo.path), "--coder", coder, *args])


@pytest.mark.slow
def test_sheet_json_has_cells_with_passages_and_versions(coded_demo: CodedDemo) -> None:
    result = run(coded_demo, "matrix", "sheet", "1", "--by", "sector", "--json")
    assert result.exit_code == 0, result.output
    sheet = json.loads(result.stdout)
    assert [t["id"] for t in sheet["themes"]] == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    assert [g["group"] for g in sheet["groups"]] == ["CSD", "DASS", "Joint", "PVI"]
    cells = [c for g in sheet["groups"] for r in g["rows"] for c in r["cells"]]
    coded = {(c.case, c.theme) for c in coded_demo.coded if c.theme.startswith("1.")}
    found = {
        (r["case"], c["theme"])
        for g in sheet["groups"]
        for r in g["rows"]
        for c in r["cells"]
        if c["passages"]
    }
    assert found == coded
    assert all(c["version"] == 0 and c["status"] == "empty" for c in cells)
    passage = next(p for c in cells for p in c["passages"])
    assert passage["ref"] == f"{passage['source']} l.{passage['line']}"


@pytest.mark.slow
def test_draft_then_edit_then_accept_from_the_command_line(coded_demo: CodedDemo) -> None:
    case = next(c.case for c in coded_demo.coded if c.theme == "1.3")
    dry = run(coded_demo, "matrix", "draft", "--theme", "1", "--dry-run")
    assert dry.exit_code == 0
    assert f"{case} / 1.3: " in dry.stdout
    assert "not saved" in dry.stderr
    assert (
        json.loads(run(coded_demo, "summary", "show", case, "1.3", "--json").stdout)["status"]
        == "empty"
    )
    saved = run(coded_demo, "matrix", "draft", "--theme", "1")
    assert saved.exit_code == 0
    assert "saved as 'drafted'" in saved.stderr
    shown = json.loads(run(coded_demo, "summary", "show", case, "1.3", "--json").stdout)
    assert shown["status"] == "drafted"
    assert shown["version"] == 1
    assert f"({case} l." in shown["text"]
    # bob edits without saying which version he read: refused, naming alice
    refused = run(coded_demo, "summary", "set", case, "1.3", "Bob's words.", coder="bob")
    assert refused.exit_code == 2
    assert refused.stderr.startswith("error: ")
    assert "last changed by alice" in refused.stderr
    ok = run(
        coded_demo, "summary", "set", case, "1.3", "Bob's words.", "--version", "1", coder="bob"
    )
    assert ok.exit_code == 0, ok.output
    # alice, still on version 1, is refused and told who changed it
    stale = run(coded_demo, "summary", "set", case, "1.3", "Alice's words.", "--version", "1")
    assert stale.exit_code == 2
    assert "bob changed it at" in stale.stderr
    accepted = run(coded_demo, "summary", "accept", case, "1.3", "--version", "2")
    assert accepted.exit_code == 0, accepted.output
    history = json.loads(
        run(coded_demo, "summary", "show", case, "1.3", "--history", "--json").stdout
    )
    assert history["status"] == "final"
    assert history["text"] == "Bob's words."
    assert [(v["version"], v["status"], v["coder"]) for v in history["history"]] == [
        (1, "drafted", "alice"),
        (2, "written", "bob"),
        (3, "final", "alice"),
    ]


@pytest.mark.slow
def test_one_undo_takes_back_every_draft_of_a_run(coded_demo: CodedDemo) -> None:
    """Each cell was an action of its own: one undo took back one draft of them all."""
    saved = run(coded_demo, "matrix", "draft", "--theme", "1")
    drafted = int(saved.stderr.split(" draft")[0].split()[-1])
    assert drafted > 1
    undone = run(coded_demo, "undo")
    assert undone.exit_code == 0, undone.output
    assert f"Undid {drafted} changes" in undone.stderr
    sheet = json.loads(run(coded_demo, "matrix", "sheet", "1", "--json").stdout)
    cells = [c for g in sheet["groups"] for r in g["rows"] for c in r["cells"]]
    assert {c["status"] for c in cells} == {"empty"}


def test_summary_set_reads_a_file_and_sets_status(coded_demo: CodedDemo, tmp_path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Did not raise agency staff at all.\n", encoding="utf-8")
    result = run(
        coded_demo,
        "summary",
        "set",
        "int02",
        "1.4",
        "--file",
        str(note),
        "--status",
        "not discussed",
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(run(coded_demo, "summary", "show", "int02", "1.4", "--json").stdout)
    assert (shown["status"], shown["text"]) == (
        "not discussed",
        "Did not raise agency staff at all.",
    )
    missing = run(coded_demo, "summary", "set", "int02", "1.3", "--file", str(tmp_path / "no"))
    assert missing.exit_code == 2
    assert str(tmp_path / "no") in missing.stderr
    final_empty = run(coded_demo, "summary", "set", "int03", "1.3", "", "--final")
    assert final_empty.exit_code == 2
    assert "needs some text" in final_empty.stderr
    coded = run(coded_demo, "summary", "set", "int03", "1.3", "--status", "not discussed")
    assert coded.exit_code == 2
    assert coded.stderr.startswith("error: int03 / 1.3: the cell holds ")
    assert "coded passage" in coded.stderr
    shown = json.loads(run(coded_demo, "summary", "show", "int03", "1.3", "--json").stdout)
    assert shown["status"] == "empty"


def test_synthesis_from_the_command_line(coded_demo: CodedDemo) -> None:
    result = run(
        coded_demo,
        "summary",
        "synthesis",
        "1.3",
        "--by",
        "sector",
        "--group",
        "CSD",
        "Agency use is widespread.",
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(
        run(
            coded_demo, "summary", "synthesis", "1.3", "--by", "sector", "--group", "CSD", "--json"
        ).stdout
    )
    assert shown["text"] == "Agency use is widespread."
    assert shown["version"] == 1


def test_rank_json(coded_demo: CodedDemo) -> None:
    result = run(coded_demo, "matrix", "rank", "--question", "q_supervision", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0]["theme"] == "S1"
    assert rows[0]["label"] == "Supervision"
    answered = {c.case for c in coded_demo.coded if "q_supervision" in c.segment}
    assert rows[0]["cases"] == len(answered)


@pytest.mark.slow
def test_the_counts_table_has_a_header_and_cuts_only_very_long_labels(
    coded_demo: CodedDemo,
) -> None:
    plain = run(coded_demo, "matrix").stdout.splitlines()
    assert plain[0].split() == ["theme", "cases", "wording"]
    whole = next(line for line in plain if line.startswith("2.4 "))
    assert "2.4 Workload management and case allocation " in whole  # room for it now
    from qualcode.cli.common import theme_names

    names, width = theme_names([("2.4", "Workload management and case allocation " * 2)])
    assert names["2.4"].endswith("…")
    assert width == len(names["2.4"]) == 48
    assert json.loads(run(coded_demo, "matrix", "--theme", "2.4", "--json").stdout)[0]["theme"]
    grouped = run(coded_demo, "matrix", "--by", "sector", "--theme", "1").stdout.splitlines()
    assert grouped[0].split() == ["theme", "sector", "cases", "wording"]
    assert [line.split()[0] for line in grouped[1:]] == ["1"] * (len(grouped) - 1)
    # the numbers sit under their heading: "cases" ends where each count ends
    end = grouped[0].index("cases") + len("cases")
    assert all(line[end - 1].isdigit() and line[end] == " " for line in grouped[1:])


@pytest.mark.slow
def test_summary_draft_save_keeps_a_written_summary_unless_told(coded_demo: CodedDemo) -> None:
    """`summary draft --save` replaced a written summary with the machine's draft."""
    case, theme = next((c.case, c.theme) for c in coded_demo.coded)
    ok = run(coded_demo, "summary", "set", case, theme, "My own words.")
    assert ok.exit_code == 0, ok.output
    refused = run(coded_demo, "summary", "draft", case, theme, "--save")
    assert refused.exit_code == 2
    assert "holds a written summary (version 1, alice): not replaced" in refused.stderr
    shown = json.loads(run(coded_demo, "summary", "show", case, theme, "--json").stdout)
    assert shown["text"] == "My own words."
    replaced = run(coded_demo, "summary", "draft", case, theme, "--save", "--replace")
    assert replaced.exit_code == 0, replaced.output
    shown = json.loads(run(coded_demo, "summary", "show", case, theme, "--json").stdout)
    assert shown["status"] == "drafted"


@pytest.mark.slow
def test_sheet_text_shows_where_each_cells_passages_are(coded_demo: CodedDemo) -> None:
    """The help promises each cell's passages; the text showed only "7 passages"."""
    text = run(coded_demo, "matrix", "sheet", "1").stdout
    sheet = json.loads(run(coded_demo, "matrix", "sheet", "1", "--json").stdout)
    cell = next(c for g in sheet["groups"] for r in g["rows"] for c in r["cells"] if c["passages"])
    first = cell["passages"][0]
    assert f"{first['source']} l.{first['line']}" in text
