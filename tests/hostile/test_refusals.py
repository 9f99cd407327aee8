"""Hostile inputs end with exit 2 and one `error:` line: no traceback, no hang."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest

from qualcode.store.engine import sqlite_url
from tests.hostile.leaky import ok, refused, run


@pytest.fixture
def db(db_url: str) -> str:
    ok(db_url, "init")
    return db_url


def _billion_laughs() -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join([*lines, "themes: *a9", ""])


@pytest.mark.slow_postgresql
def test_yaml_bombs_and_depth(db: str, tmp_path: Path) -> None:
    bomb = tmp_path / "laughs.yaml"
    bomb.write_text(_billion_laughs(), "utf-8")
    refused(run(db, "framework", "import", str(bomb)), "laughs.yaml", "not allowed")
    flow = tmp_path / "flow.yaml"
    flow.write_text("themes: " + "[" * 5000 + "]" * 5000 + "\n", "utf-8")
    refused(run(db, "framework", "import", str(flow)), "flow.yaml", "nested deeper")
    block = tmp_path / "block.yaml"
    lines = ["themes:"]
    for depth in range(2000):
        pad = "  " * (2 * depth + 1)
        lines += [f"{pad}- id: t{depth}", f"{pad}  label: L", f"{pad}  children:"]
    block.write_text("\n".join(lines) + "\n", "utf-8")
    refused(run(db, "framework", "import", str(block)), "block.yaml", "nested deeper")
    assert json.loads(ok(db, "framework", "show", "--json").stdout) == []


@pytest.mark.slow_postgresql
def test_a_qdpx_with_20000_nested_codes(db: str, tmp_path: Path) -> None:
    n = 20_000
    codes = "".join(
        f'<Code guid="{uuid.UUID(int=i + 1)}" name="c{i}" isCodable="true">' for i in range(n)
    )
    xml = (
        '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" '
        f'name="deep"><CodeBook><Codes>{codes}{"</Code>" * n}</Codes></CodeBook></Project>'
    )
    path = tmp_path / "deep.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
    refused(run(db, "import", "qdpx", str(path)), "deep.qdpx", "deep")


@pytest.mark.slow_postgresql
def test_a_docx_zip_bomb_is_refused(db: str, tmp_path: Path) -> None:
    import docx

    path = tmp_path / "bomb.docx"
    document = docx.Document()
    document.add_paragraph("R: short")
    document.save(str(path))
    original = zipfile.ZipFile(path)
    parts = {name: original.read(name) for name in original.namelist()}
    original.close()
    para = b"<w:p><w:r><w:t>R: the same answer again and again</w:t></w:r></w:p>"
    body = parts["word/document.xml"]
    parts["word/document.xml"] = body.replace(b"<w:body>", b"<w:body>" + para * 120_000, 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    assert path.stat().st_size < 200_000
    refused(run(db, "import", "transcripts", str(path)), "bomb.docx", "archive bomb")
    assert json.loads(ok(db, "sources", "--json").stdout) == []


def _backups(db: str, folder: Path) -> tuple[Path, Path]:
    transcript = folder / "int01.txt"
    transcript.write_text("Interviewer: Supervision?\nR: Monthly, and it helps.\n", "utf-8")
    ok(db, "import", "transcripts", str(transcript))
    archive = folder / "backup.zip"
    ok(db, "backup", str(archive), "--format", "archive")
    return transcript, archive


def _rewrite(archive: Path, out: Path, table: str, change: object) -> Path:
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == f"tables/{table}.jsonl":
                data = change(data)  # type: ignore[operator]
            dst.writestr(name, data)
    return out


@pytest.mark.slow_postgresql
def test_restoring_damaged_archives(db: str, tmp_path: Path) -> None:
    _, archive = _backups(db, tmp_path)
    broken = _rewrite(archive, tmp_path / "broken.zip", "segments", lambda d: b"{oops\n" + d)
    first = json.loads(zipfile.ZipFile(archive).read("tables/segments.jsonl").splitlines()[0])

    def dangle(data: bytes) -> bytes:
        lines = data.splitlines()
        row = json.loads(lines[0])
        row["source_id"] = "no-such-source"
        return b"\n".join([json.dumps(row).encode(), *lines[1:]]) + b"\n"

    assert first["source_id"]
    dangling = _rewrite(archive, tmp_path / "dangling.zip", "segments", dangle)
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    for bad in (broken, dangling, truncated):
        target = tmp_path / f"{bad.stem}.qualcode"
        refused(run(sqlite_url(target), "restore", str(bad)), bad.name)
        assert not target.exists()


def test_restoring_damaged_sqlite_backups(tmp_path: Path) -> None:
    study = sqlite_url(tmp_path / "s.qualcode")
    ok(study, "init")
    _backups(study, tmp_path)
    backup = tmp_path / "backup.qualcode"
    ok(study, "backup", str(backup))
    data = backup.read_bytes()
    truncated = tmp_path / "truncated.qualcode"
    truncated.write_bytes(data[: len(data) // 3])
    corrupt = tmp_path / "corrupt.qualcode"
    corrupt.write_bytes(data[:4096] + bytes(range(256)) * ((len(data) - 4096) // 256))
    for bad in (truncated, corrupt):
        target = tmp_path / f"into-{bad.stem}.qualcode"
        refused(run(sqlite_url(target), "restore", str(bad)), bad.name, "damaged")
        assert not target.exists()


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("not a url", ("not a database URL",)),
        ("postgresql+psycopg://u@127.0.0.1:notaport/db", ("not a database URL",)),
        ("postgresql+psycopg://u@127.0.0.1:99999/db", ("cannot connect",)),
        ("oracle+oracledb://u@h/db", ("driver",)),
        ("mysql+nosuchdriver://u@h/db", ("cannot connect",)),
    ],
)
def test_bad_database_urls(url: str, words: tuple[str, ...]) -> None:
    refused(run(url, "info"), *words)


def test_a_folder_that_cannot_be_written_says_so_not_cannot_connect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """walk49d: on a read-only home `qualcode demo` and `init` said "cannot connect",
    which reads as a database server's fault. (The read-only file system is simulated:
    a test cannot mount one, and root writes through chmod.)"""
    import errno

    def read_only(self: Path, *args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "mkdir", read_only)
    target = tmp_path / "home" / "wave1.qualcode"
    refused(run(sqlite_url(target), "init"), "cannot write there", "give --study a file")
    assert not target.exists()


@pytest.mark.slow
def test_the_last_line_of_defence_in_a_real_process(tmp_path: Path) -> None:
    """The installed entry point, not only CliRunner: one line and exit 2."""
    bomb = tmp_path / "laughs.yaml"
    bomb.write_text(_billion_laughs(), "utf-8")
    study = tmp_path / "s.qualcode"
    code = "from qualcode.cli import main; main()"
    subprocess.run(
        [sys.executable, "-c", code, "init", "--study", str(study)], check=True, capture_output=True
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "framework", "import", str(bomb), "--study", str(study)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("error:")


def test_title_rules_bombs(db: str, tmp_path: Path) -> None:
    bomb = tmp_path / "rules.yaml"
    bomb.write_text(_billion_laughs().replace("themes:", "rules:"), "utf-8")
    refused(run(db, "anonymise", "titles", "--rules", str(bomb)), "rules.yaml", "aliases")
    deep = tmp_path / "deep.yaml"
    deep.write_text("rules: " + "[" * 5000 + "]" * 5000 + "\n", "utf-8")
    refused(run(db, "anonymise", "titles", "--rules", str(deep)), "deep.yaml", "nested")
