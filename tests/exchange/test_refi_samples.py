"""Every real export in ../shared/refi-qda/samples imports."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.services import codings, exchange, memos, queries
from qualcode.services.framework import framework_tree, list_themes
from qualcode.services.study import Study, init_study, study_info
from qualcode.store.engine import sqlite_url
from tests.exchange.conftest import SAMPLES, need_refi

SAMPLE_FILES = [
    "qc-demo.qdpx",
    "nvivo15-mac.qdpx",
    "atlas23-codebook-only.qdpx",
    "atlas84-sources-empty.qdpx",
    "atlas84/Project.qde",
]


def _count(path: Path, tag: str) -> int:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            name = next(n for n in archive.namelist() if n.lower().endswith(".qde"))
            data = archive.read(name)
    else:
        data = path.read_bytes()
    return sum(1 for el in ET.fromstring(data).iter() if el.tag.endswith("}" + tag))


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_every_sample_imports_through_the_cli(name: str, tmp_path: Path) -> None:
    need_refi()
    study_file = tmp_path / "s.qualcode"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", "--study", str(study_file)]).exit_code == 0
    result = runner.invoke(cli, ["import", "qdpx", str(SAMPLES / name), "--study", str(study_file)])
    assert result.exit_code == 0, result.output
    assert "no framework matrix" in result.output  # the data-loss note, on stderr
    again = runner.invoke(cli, ["import", "qdpx", str(SAMPLES / name), "--study", str(study_file)])
    assert again.exit_code == 0
    assert "0 sources added" in again.output


@pytest.mark.slow_postgresql
def test_qc_demo_codings_land_on_the_lines_they_name(study: Study) -> None:
    need_refi()
    path = SAMPLES / "qc-demo.qdpx"
    result = exchange.import_qdpx(study, path)
    assert result.themes == _count(path, "Code") == len(list_themes(study))
    assert result.report.codings_added == _count(path, "Coding")
    assert {s.name for s in queries.list_sources(study)} == {"board_2017.txt", "admin-1.txt"}
    with zipfile.ZipFile(path) as archive:
        board = archive.read("sources/board_2017.txt").decode("utf-8")
    root = ET.fromstring(zipfile.ZipFile(path).read("project.qde"))
    first = next(el for el in root.iter() if el.tag.endswith("PlainTextSelection"))
    start, end = int(first.get("startPosition", "")), int(first.get("endPosition", ""))
    found = codings.list_codings(study, source="board_2017")
    assert any(c.start == start and c.end == end for c in found)
    assert queries.source_text(study, "board_2017")[start:end] == board[start:end]
    assert queries.list_segments(study, source="admin-1")  # speaker turns became segments


@pytest.mark.slow_postgresql
def test_nvivo_users_codebook_and_empty_sources(study: Study) -> None:
    need_refi()
    path = SAMPLES / "nvivo15-mac.qdpx"
    result = exchange.import_qdpx(study, path)
    assert result.themes == _count(path, "Code")
    tree = framework_tree(study)
    labels = [tree.themes[t].label for t in tree.children[None]]
    assert "rq1_definition" in labels
    # NVivo repeats names under different parents ("programming"): each is its own theme
    assert sum(t.label == "programming" for t in tree.themes.values()) == 2
    assert len(queries.list_sources(study)) == 2
    with study.read() as s:
        from sqlalchemy import select

        from qualcode.store import models as m

        assert {"chrisp", "cp"} <= set(s.scalars(select(m.CoderRow.name)))


def test_atlas_codebook_only(study: Study) -> None:
    need_refi()
    result = exchange.import_qdpx(study, SAMPLES / "atlas23-codebook-only.qdpx")
    tree = framework_tree(study)
    assert result.themes == 3
    (top,) = tree.children[None]
    assert tree.themes[top].label == "Commits"
    assert len(tree.children[top]) == 2


@pytest.mark.parametrize("name", ["atlas84/Project.qde", "atlas84-sources-empty.qdpx"])
def test_atlas_84_with_its_sources_missing(name: str, study: Study) -> None:
    need_refi()
    result = exchange.import_qdpx(study, SAMPLES / name)
    missing = [w for w in result.warnings if "is missing" in w]
    assert len(missing) == 6
    # the codings on them go too, and the warnings count them: 7 on the text sources
    # and 9 on the pictures and other kinds, all 16 of the file
    lost = sum(int(w.rsplit("with ", 1)[1].split()[0]) for w in missing if "coding" in w)
    assert lost == 7
    skipped = [w for w in result.warnings if "element(s) skipped" in w]
    assert any("PictureSource" in w for w in skipped)
    assert sum(int(w.split("with ")[1].split()[0]) for w in skipped if "with " in w) == 9
    # no matrix notes in it: the note on another tool's framework matrix says so
    assert any("read back as summaries (none new)" in w for w in result.warnings)
    tree = framework_tree(study)
    coke = next(t for t in tree.themes.values() if t.label == "Coke")
    kids = {tree.themes[k].label for k in tree.children.get(coke.id, ())}
    assert kids == {"full-fat Coke", "diet Coke"}  # "Coke::diet Coke" nested under Coke
    feelings = next(t for t in tree.themes.values() if t.label == "Feelings")
    assert feelings.definition == "thoughts about breakfast foods"
    notes = memos.list_memos(study, kind="study")
    assert any("dynamic team" in n.text for n in notes)
    assert queries.list_sources(study) == []
    # its document and code groups (Sets) are not frameworks: named, not read
    (sets,) = [w for w in result.warnings if "(code or document groups) not read" in w]
    assert sets.startswith("16 sets")
    assert "'Mabel'" in sets


def test_a_sample_imports_next_to_existing_work(tmp_path: Path) -> None:
    """Importing into a study that holds other material adds, and keeps what is there."""
    need_refi()
    study = init_study(sqlite_url(tmp_path / "x.qualcode"), "X", coder="alice")
    exchange.import_qdpx(study, SAMPLES / "atlas23-codebook-only.qdpx")
    exchange.import_qdpx(study, SAMPLES / "qc-demo.qdpx")
    labels = {t.label for t in list_themes(study)}
    assert {"Commits", "rq1_definition"} <= labels
    study.close()


def test_an_untitled_empty_study_takes_the_projects_name(tmp_path: Path) -> None:
    """NVivo's project, imported into a study just made with `init`, is no longer
    "Untitled study"; a study with a title of its own, or texts already, keeps it."""
    need_refi()
    path = SAMPLES / "nvivo15-mac.qdpx"
    fresh = init_study(sqlite_url(tmp_path / "fresh.qualcode"), coder="alice")
    result = exchange.import_qdpx(fresh, path)
    assert study_info(fresh).title == "qc project"
    assert 'the study is titled "qc project", after the project' in result.warnings
    titled = init_study(sqlite_url(tmp_path / "titled.qualcode"), "Workforce", coder="alice")
    exchange.import_qdpx(titled, path)
    assert study_info(titled).title == "Workforce"
    exchange.import_qdpx(fresh, SAMPLES / "atlas23-codebook-only.qdpx")
    assert study_info(fresh).title == "qc project"  # it holds texts now: kept
