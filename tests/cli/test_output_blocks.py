"""Long outputs go to stdout in blocks, not a write a token: where stdout is unbuffered
(PYTHONUNBUFFERED, common in containers) each write is a system call, and
`qualcode log --json` of 235,000 changes took 36 s so (14.8 s in blocks)."""

from __future__ import annotations

import io
import json

import pytest

from qualcode.cli import common


class CountingOut(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, s: str) -> int:
        self.writes += 1
        return super().write(s)


@pytest.fixture
def out(monkeypatch: pytest.MonkeyPatch) -> CountingOut:
    monkeypatch.setattr(common, "BLOCK", 1000)
    return CountingOut()


def test_json_is_written_as_json_dumps_would_in_a_few_blocks(out: CountingOut) -> None:
    data = [{"id": i, "before": {"theme": "Pay é", "start": i}, "after": None} for i in range(500)]
    common.emit_json(data, out)
    text = out.getvalue()
    assert text == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    assert out.writes <= len(text) // 1000 + 2  # json.dump would write some 8,000 times


def test_lines_are_printed_each_on_its_own_line_in_a_few_blocks(out: CountingOut) -> None:
    lines = [f"2026-12-07 05:22:09  root  add coding {i}" for i in range(2000)]
    common.echo_lines(iter(lines), out)
    assert out.getvalue() == "".join(line + "\n" for line in lines)
    assert out.writes <= len(out.getvalue()) // 1000 + 2


def test_nothing_to_print_prints_nothing(out: CountingOut) -> None:
    common.echo_lines([], out)
    assert out.getvalue() == ""
    common.emit_json([], out)
    assert out.getvalue() == "[]\n"


def test_the_log_lists_every_change_through_the_blocks(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    """`qualcode log` as a user sees it, with blocks of 1,000 characters."""
    from click.testing import CliRunner

    from qualcode.cli import cli

    monkeypatch.setattr(common, "BLOCK", 1000)
    runner = CliRunner()
    study = f"{tmp_path}/s.qualcode"
    assert runner.invoke(cli, ["init", study]).exit_code == 0
    fw = f"{tmp_path}/fw.yaml"
    themes = "".join(f"  - id: T{i}\n    label: Theme {i}\n" for i in range(60))
    with open(fw, "w", encoding="utf-8") as fh:
        fh.write("title: t\nthemes:\n" + themes)
    assert runner.invoke(cli, ["--study", study, "framework", "import", fw]).exit_code == 0
    listed = runner.invoke(cli, ["--study", study, "log"])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert "create study" in lines[0]
    assert [line.split()[5] for line in lines[1:]] == [f"T{i}" for i in range(60)]
    as_json = json.loads(runner.invoke(cli, ["--study", study, "log", "--json"]).output)
    assert [c["entity_id"] for c in as_json[1:]] == [f"T{i}" for i in range(60)]
