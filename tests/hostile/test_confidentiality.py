"""After `anonymise --names FILE --accept`, no anonymised output holds an accepted name:
not in case ids, source and file names, line references, attribute values, group
labels, memos or summaries - in any format, inside zipped XML included."""

from __future__ import annotations

import re
import stat
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from qualcode.services import memos
from qualcode.services.study import open_study
from tests.hostile.leaky import build, ok, run, words_to_hide

MATRIX = ("csv", "md", "xlsx", "docx", "svg", "png")
QUOTES = ("md", "csv", "json", "docx")


def readable(path: Path) -> str:
    """Everything a reader could see in the file: zipped parts unpacked."""
    data = path.read_bytes()
    if data[:2] == b"PK":
        with zipfile.ZipFile(path) as archive:
            return "\n".join(
                archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
            ) + "\n".join(archive.namelist())
    return data.decode("utf-8", "replace")


def leaked(text: str) -> list[str]:
    return [
        w for w in words_to_hide() if re.search(rf"(?<![^\W\d_]){re.escape(w)}(?![^\W\d_])",
                                                text, re.IGNORECASE)
    ]  # fmt: skip


@pytest.fixture
def leaky(db_url: str, tmp_path: Path) -> str:
    ok(db_url, "init")
    study = open_study(db_url, "alice")
    try:  # memos have no command of their own: the workbench writes them
        memos.set_memo(study, "study", None, "Olwen Tregarth at Bramblecote Trust to check.")
    finally:
        study.close()
    build(db_url, tmp_path / "in")
    study = open_study(db_url, "alice")
    try:
        memos.set_memo(study, "case", "Mowbray", "Ask Jane Mowbray about Acme Holdings.")
    finally:
        study.close()
    return db_url


@pytest.mark.slow
def test_no_anonymised_output_holds_a_name(leaky: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    plain = out / "plain.csv"
    ok(leaky, "matrix", "export", str(plain), "--by", "interviewer")
    assert leaked(readable(plain)), "the study must hold names for this test to mean anything"
    plain_qdpx = out / "plain.qdpx"
    ok(leaky, "export", "qdpx", str(plain_qdpx))
    assert "Ask Jane Mowbray" in readable(plain_qdpx)  # the memos travel in a .qdpx
    plain_qdpx.unlink()
    ok(leaky, "typology", "build", "--k", "2")  # its members are case ids: anonymised too
    written: list[Path] = []
    for by in ("interviewer", "employer"):
        for fmt in MATRIX:
            path = out / f"matrix-{by}.{fmt}"
            ok(leaky, "matrix", "export", str(path), "--by", by, "--anonymised")
            written.append(path)
        for fmt in QUOTES:
            path = out / f"quotes-{by}.{fmt}"
            ok(leaky, "quotes", "--by", by, "--format", fmt, "--out", str(path), "--anonymised")
            written.append(path)
        shown = ok(leaky, "quotes", "--by", by, "--format", "json", "--anonymised").stdout
        assert "[Person" in shown
        assert not leaked(shown), (by, leaked(shown))
    for path in (out / "codings.csv", out / "study.qdpx"):
        cmd = ("codings", "export") if path.suffix == ".csv" else ("export", "qdpx")
        ok(leaky, *cmd, str(path), "--anonymised")
        written.append(path)
    for path in written:
        text = readable(path)
        assert not leaked(text), (path.name, leaked(text))
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    mapped = load_workbook(out / "matrix-interviewer.xlsx")
    assert mapped.sheetnames[-3:] == ["Co-occurrence", "Associations", "Typology"]
    groups = {r[2] for r in mapped["Associations"].iter_rows(min_row=3, values_only=True)}
    assert any(str(g).startswith("[Person") for g in groups)  # the interviewers, replaced
    members = [r[3] for r in mapped["Typology"].iter_rows(min_row=3, values_only=True)]
    assert members
    assert any("[" in str(m) for m in members)  # the case "Mowbray", replaced
    svg = readable(out / "matrix-interviewer.svg")
    assert "[Person 3]" in svg  # the interviewer's group label, replaced


@pytest.mark.slow_postgresql
def test_review_csv_is_private(leaky: str, tmp_path: Path) -> None:
    review = tmp_path / "review.csv"
    ok(leaky, "anonymise", "review", "--csv", str(review))
    assert "Mowbray" in review.read_text("utf-8")
    assert stat.S_IMODE(review.stat().st_mode) == 0o600


@pytest.mark.slow
def test_a_name_that_cannot_be_replaced_stops_the_export(leaky: str, tmp_path: Path) -> None:
    # A placeholder that spells a name (a review mistake) cannot anonymise anything.
    review = tmp_path / "review.csv"
    review.write_text("original,placeholder,status\nJane Mowbray,Mowbray,accepted\n", "utf-8")
    ok(leaky, "anonymise", "apply-review", str(review))
    for args in (
        ("matrix", "export", str(tmp_path / "m.csv")),
        ("quotes", "--format", "json"),
    ):
        result = run(leaky, *args, "--anonymised")
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("error:")
        assert result.stderr.count("\n") == 1
        assert "Mowbray" not in result.stderr
    assert not (tmp_path / "m.csv").exists()
