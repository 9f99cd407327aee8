"""Hostile archives and XML are refused with `error:` and exit 2; nothing is written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.errors import InputError
from qualcode.exchange.refi.safety import Limits
from qualcode.services import exchange
from qualcode.services.study import Study, init_study, study_info
from qualcode.store.engine import sqlite_url
from tests.exchange.archives import HEAD, NS, codebook, project, qdpx

SOURCE = "2F24EA88-C6A7-482B-8F89-893EF66D7A21"


def _good_body() -> str:
    return codebook() + (
        f'<Sources><TextSource guid="{SOURCE}" name="a.txt" plainTextPath="internal://{SOURCE}.txt"/>'
        "</Sources>"
    )


def _refused(tmp_path: Path, archive: Path) -> str:
    """Run the CLI import; assert refusal and an untouched study; return stderr."""
    study_file = tmp_path / "s.qualcode"
    init_study(sqlite_url(study_file), "S", coder="alice").close()
    runner = CliRunner()
    result = runner.invoke(cli, ["import", "qdpx", str(archive), "--study", str(study_file)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error:")
    assert archive.name in lines[0]
    from qualcode.services.study import open_study

    study = open_study(sqlite_url(study_file))
    info = study_info(study)
    study.close()
    assert (info.themes, info.sources, info.cases, info.codings) == (0, 0, 0, 0)
    return lines[0]


@pytest.mark.parametrize(
    "entry",
    ["../evil.txt", "sources/../../evil.txt", "/tmp/evil.txt", "..\\evil.txt", "C:/evil.txt"],
)
def test_entries_escaping_the_folder_are_refused(tmp_path: Path, entry: str) -> None:
    archive = qdpx(tmp_path / "slip.qdpx", project(_good_body()), {entry: "pwned"})
    message = _refused(tmp_path, archive)
    assert "refused" in message
    assert entry in message
    assert not (tmp_path.parent / "evil.txt").exists()


def test_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    bomb = bytes(64 * 1024 * 1024)  # 64 MiB of zeros compress about a thousandfold
    archive = qdpx(tmp_path / "bomb.qdpx", project(_good_body()), {f"sources/{SOURCE}.txt": bomb})
    assert archive.stat().st_size < 1024 * 1024
    assert "archive bomb" in _refused(tmp_path, archive)


def test_size_limits_per_file_and_in_total(sqlite_study: Study, tmp_path: Path) -> None:
    text = "Respondent: fine.\n" * 50
    archive = qdpx(
        tmp_path / "big.qdpx", project(_good_body()), {f"sources/{SOURCE}.txt": text},
        compression=zipfile.ZIP_STORED,
    )  # fmt: skip
    with pytest.raises(InputError, match="unpacks to more than"):
        exchange.import_qdpx(sqlite_study, archive, Limits(max_file_bytes=512))
    with pytest.raises(InputError, match="would unpack to more than"):
        exchange.import_qdpx(sqlite_study, archive, Limits(max_total_bytes=900))
    assert study_info(sqlite_study).sources == 0
    exchange.import_qdpx(sqlite_study, archive)  # within the default limits it imports
    assert study_info(sqlite_study).sources == 1


def test_headers_that_lie_about_sizes_are_caught_while_reading(
    sqlite_study: Study, tmp_path: Path
) -> None:
    archive = qdpx(
        tmp_path / "liar.qdpx", project(_good_body()), {f"sources/{SOURCE}.txt": bytes(4096)}
    )
    data = bytearray(archive.read_bytes())
    # rewrite the declared uncompressed size (local header and central directory) to 10 bytes
    with zipfile.ZipFile(archive) as z:
        info = z.getinfo(f"sources/{SOURCE}.txt")
    local = info.header_offset
    data[local + 22 : local + 26] = (10).to_bytes(4, "little")
    central = data.rfind(b"PK\x01\x02" + data[local + 4 : local + 6])
    while central != -1:
        name_len = int.from_bytes(data[central + 28 : central + 30], "little")
        if data[central + 46 : central + 46 + name_len].decode() == info.filename:
            data[central + 24 : central + 28] = (10).to_bytes(4, "little")
            break
        central = data.rfind(b"PK\x01\x02", 0, central)
    archive.write_bytes(bytes(data))
    with pytest.raises(InputError, match="archive bomb|damaged"):
        exchange.import_qdpx(sqlite_study, archive, Limits(max_file_bytes=1000, ratio_floor=10**9))
    assert study_info(sqlite_study).sources == 0


def test_external_entities_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", "utf-8")
    qde = (
        f'{HEAD}<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        f'<Project {NS} name="&xxe;" origin="x">{codebook()}</Project>'
    )
    message = _refused(tmp_path, qdpx(tmp_path / "xxe.qdpx", qde))
    assert "refused" in message
    assert "TOP SECRET" not in message


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    qde = f'{HEAD}<!DOCTYPE Project [{entities}]><Project {NS} name="&lol9;" origin="x"/>'
    assert "refused" in _refused(tmp_path, qdpx(tmp_path / "lol.qdpx", qde))


def test_a_bare_qde_with_a_dtd_is_refused(tmp_path: Path) -> None:
    qde = tmp_path / "project.qde"
    qde.write_text(
        f'{HEAD}<!DOCTYPE Project SYSTEM "http://example.invalid/x.dtd"><Project {NS} name="x"/>'
    )
    assert "document type" in _refused(tmp_path, qde)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"not a zip and not xml", "not well-formed XML"),
        (None, "not a REFI-QDA project"),
    ],
)
def test_files_that_are_not_projects(tmp_path: Path, content: bytes | None, expected: str) -> None:
    path = tmp_path / "odd.qdpx"
    if content is None:
        qdpx(path, f"{HEAD}<Other {NS}/>")
    else:
        path.write_bytes(content)
    assert expected in _refused(tmp_path, path)


def test_a_codebook_given_as_a_project_points_to_import_qdc(tmp_path: Path) -> None:
    path = tmp_path / "cb.qdc"
    path.write_text(f'{HEAD}<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>')
    assert "<CodeBook>): a codebook, for `qualcode import qdc`" in _refused(tmp_path, path)


def test_a_qdpx_cut_short_is_said_to_be(tmp_path: Path) -> None:
    """walk48a: a truncated .qdpx read as "line 1: not well-formed XML"."""
    whole = qdpx(
        tmp_path / "whole.qdpx", project(_good_body()), {f"sources/{SOURCE}.txt": "One.\n"}
    )
    cut = tmp_path / "cut.qdpx"
    cut.write_bytes(whole.read_bytes()[:300])
    assert "not a complete .qdpx (ZIP) archive: truncated or damaged" in _refused(tmp_path, cut)


def test_a_broken_import_writes_nothing(sqlite_study: Study, tmp_path: Path) -> None:
    """A failure late in an import (a source clashing with the study's) rolls it all back,
    including the themes it had already added."""
    first = qdpx(tmp_path / "a.qdpx", project(_good_body()), {f"sources/{SOURCE}.txt": "One.\n"})
    exchange.import_qdpx(sqlite_study, first)
    before = study_info(sqlite_study)
    other_codes = _good_body().replace("0F8A1907", "1F8A1907").replace("85D17F60", "95D17F60")
    clash = qdpx(
        tmp_path / "b.qdpx",
        project(other_codes.replace('name="Workload"', 'name="Workload (v2)"')),
        {f"sources/{SOURCE}.txt": "A different text.\n"},
    )
    with pytest.raises(InputError, match="different text"):
        exchange.import_qdpx(sqlite_study, clash)
    assert study_info(sqlite_study) == before
