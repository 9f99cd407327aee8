"""Export files: private temporary files, links written through, stdout and FIFOs written
directly, leftovers of killed exports removed, formula-leading CSV fields neutralised,
full disks and read-only folders reported in one line."""

from __future__ import annotations

import csv
import json
import os
import shutil
import stat
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from qualcode.domain.csv_safety import neutralise, restore
from qualcode.store.engine import sqlite_url
from tests.hostile.leaky import ok, refused, run

HOSTILE = (
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|x",
    "-2+3",
)


@pytest.fixture
def db(db_url: str, tmp_path: Path) -> str:
    """A survey whose answers start like spreadsheet formulas, every answer coded."""
    ok(db_url, "init")
    survey = tmp_path / "survey.csv"
    with survey.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["respondent_id", "q_help"])
        for i, answer in enumerate(HOSTILE):
            writer.writerow([f"r{i}", answer])
    ok(
        db_url,
        "import",
        "survey",
        str(survey),
        "--id-column",
        "respondent_id",
        "--text-column",
        "q_help",
    )
    framework = tmp_path / "f.yaml"
    framework.write_text('themes:\n  - id: "1"\n    label: Help\n', "utf-8")
    ok(db_url, "framework", "import", str(framework))
    segments = json.loads(ok(db_url, "segments", "--json").stdout)
    codings = tmp_path / "codings.csv"
    codings.write_text("segment,theme\n" + "".join(f"{s['id']},1\n" for s in segments), "utf-8")
    ok(db_url, "codings", "import", str(codings))
    ok(db_url, "summary", "set", "r0", "1", "=1+1 is what they wrote")
    return db_url


def _cells(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as fh:
        return [cell for row in csv.reader(fh) for cell in row]


@pytest.mark.slow_postgresql
def test_csv_outputs_neutralise_formulas(db: str, tmp_path: Path) -> None:
    outputs = {
        "codings.csv": ("codings", "export"),
        "matrix.csv": ("matrix", "export"),
        "quotes.csv": ("quotes", "--format", "csv", "--out"),
    }
    for name, cmd in outputs.items():
        path = tmp_path / name
        ok(db, *cmd, str(path))
        cells = _cells(path)
        dangerous = [c for c in cells if c[:1] in ("=", "+", "@") or (c[:1] == "-" and c != "-2+3")]
        assert not dangerous, (name, dangerous)
        assert any(c.startswith("'=") or c.startswith("'+") for c in cells), name
    codings = tmp_path / "codings.csv"
    texts = [row["text"] for row in csv.DictReader(codings.open(encoding="utf-8"))]
    assert sorted(restore(t) for t in texts) == sorted(HOSTILE)
    ok(db, "codings", "import", str(codings))  # still re-importable


def test_neutralising_is_reversible() -> None:
    for value in (*HOSTILE, "'=x", "''@y", "plain", "-3", "+2.5", "\tx", "'"):
        assert restore(neutralise(value)) == value


@pytest.mark.slow_postgresql
def test_a_planted_link_and_a_killed_export_leave_nothing_behind(db: str, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", "utf-8")
    out = tmp_path / "m.csv"
    (tmp_path / ".m.csv.partial").symlink_to(victim)  # the old fixed temporary name
    leftover = tmp_path / ".m.csv.999999999.x1.partial"  # a killed export's, pid long gone
    leftover.write_text("half", "utf-8")
    alive = tmp_path / f".m.csv.{os.getpid()}.x2.partial"  # a running export's
    alive.write_text("busy", "utf-8")
    ok(db, "matrix", "export", str(out))
    assert victim.read_text("utf-8") == "keep me"
    assert not leftover.exists()
    assert not (tmp_path / ".m.csv.partial").is_symlink()
    assert alive.exists()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.glob(".*partial")) == [alive.name]


@pytest.mark.slow_postgresql
def test_an_existing_link_is_written_through(db: str, tmp_path: Path) -> None:
    real = tmp_path / "real" / "codings.csv"
    real.parent.mkdir()
    real.write_text("old", "utf-8")
    link = tmp_path / "exported.csv"
    link.symlink_to(real)
    ok(db, "codings", "export", str(link))
    assert link.is_symlink()
    assert real.read_text("utf-8").startswith("source,start")


@pytest.mark.slow_postgresql
def test_stdout_and_fifos_are_written_directly(db: str, tmp_path: Path) -> None:
    shown = ok(db, "codings", "export", "-")
    assert shown.stdout.startswith("source,start,end")
    assert "written to stdout" in shown.stderr  # not "to -"
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    ok(db, "codings", "export", str(fifo))
    reader.join(timeout=30)
    assert got
    assert got[0].startswith(b"source,start,end")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert not list(tmp_path.glob(".*partial"))


@pytest.mark.slow_postgresql
def test_dev_full_is_one_error_line(db: str) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    refused(run(db, "codings", "export", "/dev/full"), "/dev/full", "disk is full")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MiB tmpfs (root only): the real ENOSPC, not a simulation."""
    folder = tmp_path / "small"
    folder.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small disk needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace')}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(folder: Path, leave: int) -> None:
    free = shutil.disk_usage(folder).free
    with (folder / "filler").open("wb") as fh:
        fh.write(b"\0" * max(free - leave, 0))


@pytest.mark.slow
def test_a_full_disk(db: str, small_disk: Path) -> None:
    _fill(small_disk, 0)
    for name in ("m.xlsx", "m.docx", "m.csv", "m.png"):
        refused(run(db, "matrix", "export", str(small_disk / name)), name, "disk is full")
    refused(run(db, "quotes", "--out", str(small_disk / "q.docx")), "disk is full")
    refused(run(db, "backup", str(small_disk / "b.zip"), "--format", "archive"), "disk is full")
    refused(run(db, "codings", "export", str(small_disk / "c.csv")), "disk is full")
    refused(run(db, "framework", "export", str(small_disk / "f.yaml")), "disk is full")
    refused(run(db, "export", "qdpx", str(small_disk / "x.qdpx")), "disk is full")
    refused(run(sqlite_url(small_disk / "new.qualcode"), "init"), "new.qualcode")
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


def test_a_study_on_a_full_disk(small_disk: Path, tmp_path: Path) -> None:
    study = sqlite_url(small_disk / "s.qualcode")
    ok(study, "init")
    transcripts = tmp_path / "t"
    transcripts.mkdir()
    for i in range(40):
        (transcripts / f"int{i:02}.txt").write_text(
            "Interviewer: Supervision?\n"
            + "".join(f"R: Answer {j} " * 40 + "\n\n" for j in range(20)),
            "utf-8",
        )
    _fill(small_disk, 300 * 1024)
    refused(run(study, "import", "transcripts", str(transcripts)), "disk")
    (small_disk / "filler").unlink()
    assert json.loads(ok(study, "sources", "--json").stdout) == []


def test_a_read_only_study_folder_says_so(small_disk: Path) -> None:
    study = sqlite_url(small_disk / "s.qualcode")
    ok(study, "init")
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    refused(run(study, "info"), "read-only")
    refused(run(study, "matrix", "export", str(small_disk / "m.csv")), "read-only")
