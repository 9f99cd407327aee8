"""A mistyped case, source or coder is an error naming it (exit 2), not an empty
listing or an empty file with exit 0: in a Makefile a typo made empty tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.services.study import Study
from tests.team.conftest import db_args, ok, run


def test_an_unknown_case_or_source_is_refused_with_the_closest(team_study: Study) -> None:
    args = db_args(team_study)
    ok(run("segments", "--case", "int01", "--json", *args))
    bad = run("segments", "--case", "int1", "--json", *args)
    assert bad.exit_code == 2, bad.output
    assert bad.stdout == ""
    assert bad.stderr.startswith("error: no case 'int1'")
    assert "did you mean int01?" in bad.stderr
    bad = run("segments", "--source", "nosuch", *args)
    assert bad.exit_code == 2, bad.output
    assert "no source 'nosuch'" in bad.stderr


def test_an_unknown_coder_writes_no_empty_export(team_study: Study, tmp_path: Path) -> None:
    out = tmp_path / "c.csv"
    bad = run("codings", "export", str(out), "--only-coder", "leed", *db_args(team_study))
    assert bad.exit_code == 2, bad.output
    assert "no coder 'leed'" in bad.stderr
    assert "did you mean 'lead'" in bad.stderr
    assert not out.exists()


def test_a_row_naming_a_segment_and_another_span_is_refused(
    team_study: Study, tmp_path: Path
) -> None:
    """segment and source,start,end in one sheet: the span was coded and the segment
    the row named was read by nobody, so a row meant for one turn coded another."""
    from qualcode.services.codings import list_codings
    from qualcode.services.queries import list_segments

    first, second = list_segments(team_study, case="int01")[:2]
    sheet = tmp_path / "mixed.csv"
    sheet.write_text(
        "segment,source,start,end,theme\n"
        f"{first.id},{first.source},{first.start},{first.end},T2\n"
        f"{second.id},{first.source},{first.start},{first.end},T3\n",
        encoding="utf-8",
    )
    bad = run("codings", "import", str(sheet), *db_args(team_study))
    assert bad.exit_code == 2, bad.output
    assert bad.stderr.startswith(f"error: {sheet}")
    assert "row 3" in bad.stderr
    assert f"segment {second.id!r} does not hold" in bad.stderr
    assert list_codings(team_study) == []  # nothing half-written


def test_quotes_refuse_a_format_the_file_name_contradicts(
    team_study: Study, tmp_path: Path
) -> None:
    """--format csv --out q.docx wrote CSV text under a Word file's name, exit 0."""
    out = tmp_path / "q.docx"
    bad = run("quotes", "--format", "csv", "--out", str(out), *db_args(team_study))
    assert bad.exit_code == 2, bad.output
    assert "--format csv but the file's name says docx: name it q.csv" in bad.stderr
    assert not out.exists()


def test_study_options_work_between_a_group_and_its_command(
    team_study: Study, tmp_path: Path
) -> None:
    """interface.md: options go before or after the command; `framework --study S show`
    was refused ("No such option '--study'")."""
    args = db_args(team_study)
    shown = ok(run("framework", *args, "show", "--json"))
    assert '"T1"' in shown.stdout
    ok(run("codings", *args, "export", str(tmp_path / "c.csv")))
    ok(run("summary", *args, "--coder", "lead", "show", "int01", "T1"))


def test_a_refused_write_names_the_study(
    team_study: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read-only refusal began "The study file cannot be written" and named no file
    (the interface's error line names the file)."""
    from sqlalchemy.exc import OperationalError

    from qualcode.services import summaries
    from qualcode.store.failures import database_failure

    def refused(*args: object, **kwargs: object) -> None:
        error = OperationalError("INSERT", {}, Exception("attempt to write a readonly database"))
        failure = database_failure(error)
        assert failure is not None
        raise failure

    monkeypatch.setattr(summaries, "set_summary", refused)
    bad = run("summary", "set", "int01", "T1", "Text.", *db_args(team_study))
    assert bad.exit_code == 2, bad.output
    assert bad.stderr.startswith(f"error: {team_study.shown}: the study file cannot be written")


def test_an_excel_workbook_named_docx_says_so(tmp_path: Path, team_study: Study) -> None:
    """It said "(file '<_io.BytesIO object at 0x7f...>' is not a Word file, ...)"."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "Interviewer: hello"  # type: ignore[index]
    path = tmp_path / "int09.docx"
    book.save(path)
    bad = run("import", "transcripts", str(path), *db_args(team_study))
    assert bad.exit_code == 2, bad.output
    assert bad.stderr == f"error: {path}: an Excel workbook named .docx: rename it .xlsx\n"
    assert "BytesIO" not in bad.stderr


def test_more_listings_refuse_a_mistyped_name(team_study: Study) -> None:
    """log, dimension list and suggest pending printed nothing for a typo."""
    args = db_args(team_study)
    for command, needle in (
        (["log", "--coder", "leed"], "no coder 'leed'"),
        (["dimension", "list", "--case", "int1"], "no case 'int1'"),
        (["suggest", "pending", "--case", "int1"], "no case 'int1'"),
    ):
        bad = run(*command, *args)
        assert bad.exit_code == 2, (command, bad.output)
        assert needle in bad.stderr, command
    ok(run("log", "--coder", "lead", *args))
    ok(run("suggest", "pending", "--case", "int01", *args))
