"""Named frameworks: import by name, what each applies to, export, edit, undo."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.domain.frameworks import DEFAULT_FRAMEWORK, AppliesTo
from qualcode.errors import InputError, NotFoundError
from qualcode.services import framework, frameworks, undo_log
from qualcode.services.study import Study

FILE = """\
title: Interviews
themes:
  - id: "1"
    label: Staffing
    children:
      - {id: "1.1", label: Vacancies}
  - id: "2"
    label: Practice
"""


def _file(tmp_path: Path, text: str = FILE, name: str = "f.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_applies_to_spellings() -> None:
    assert AppliesTo.parse("transcript") == AppliesTo("transcript")
    assert AppliesTo.parse("survey:q_help, q_change") == AppliesTo("survey", ("q_help", "q_change"))
    assert AppliesTo.parse("all") == AppliesTo()
    assert AppliesTo.parse("survey:q_help,q_change").spec == "survey:q_help,q_change"
    for bad in ("interviews", "transcript:q1", "survey:"):
        with pytest.raises(ValueError, match="."):
            AppliesTo.parse(bad)
    survey = AppliesTo.parse("survey:q_help")
    assert survey.covers("survey", "q_help")
    assert not survey.covers("survey", "q_other")
    assert not survey.covers("transcript")
    assert AppliesTo().covers("transcript")


def test_a_study_without_named_frameworks_has_the_default_one(study: Study, tmp_path: Path) -> None:
    framework.import_framework(study, _file(tmp_path))
    owned = frameworks.study_frameworks(study)
    assert list(owned.frameworks) == [DEFAULT_FRAMEWORK]
    assert owned.framework_of("1.1").applies_to == AppliesTo()
    assert owned.applies("1.1", "survey", "q_any")


def test_import_by_name_puts_every_theme_in_the_framework(study: Study, tmp_path: Path) -> None:
    framework.import_framework(study, _file(tmp_path), "interviews", "transcript")
    owned = frameworks.study_frameworks(study)
    assert list(owned.frameworks) == ["interviews"]
    assert sorted(owned.themes_of("interviews")) == ["1", "1.1", "2"]
    assert owned.applies("1.1", "transcript")
    assert not owned.applies("1.1", "survey")
    # a theme added under one of them follows its parent's framework
    framework.add_theme(study, "1.2", "Agency staff", parent="1")
    assert frameworks.study_frameworks(study).framework_of("1.2").name == "interviews"


def test_the_file_may_say_its_name_and_what_it_applies_to(study: Study, tmp_path: Path) -> None:
    text = "name: survey\napplies_to: survey:q_help\n" + FILE.replace('"1', '"S1').replace(
        '"2"', '"S2"'
    )
    framework.import_framework(study, _file(tmp_path, text))
    chosen = frameworks.get_framework(study, "survey")
    assert chosen.applies_to == AppliesTo("survey", ("q_help",))
    assert chosen.title == "Interviews"


def test_export_one_framework_round_trips(study: Study, tmp_path: Path) -> None:
    framework.import_framework(study, _file(tmp_path), "interviews", "transcript")
    other = FILE.replace('"1', '"S1').replace('"2"', '"S2"')
    framework.import_framework(study, _file(tmp_path, other, "s.yaml"), "survey", "survey")
    out = tmp_path / "out.yaml"
    assert framework.export_framework(study, out, name="survey") == 3
    data = yaml.safe_load(out.read_text("utf-8"))
    assert data["name"] == "survey"
    assert data["applies_to"] == "survey"
    assert [t["id"] for t in data["themes"]] == ["S1", "S2"]
    # every theme, as before, without a framework
    assert framework.export_framework(study, tmp_path / "all.yaml") == 6


def test_edit_rename_and_undo(study: Study, tmp_path: Path) -> None:
    framework.import_framework(study, _file(tmp_path), "interviews", "transcript")
    frameworks.edit_framework(study, "interviews", new_name="managers", applies_to="all")
    owned = frameworks.study_frameworks(study)
    assert list(owned.frameworks) == ["managers"]
    assert owned.framework_of("1.1").name == "managers"
    assert owned.applies("1.1", "survey")
    batch = undo_log.last_action(study, "alice")
    assert batch is not None
    undo_log.revert(study, batch)
    owned = frameworks.study_frameworks(study)
    assert list(owned.frameworks) == ["interviews"]
    assert owned.framework_of("1.1").applies_to == AppliesTo("transcript")


def test_undo_of_a_named_import_removes_it(study: Study, tmp_path: Path) -> None:
    framework.import_framework(study, _file(tmp_path), "interviews", "transcript")
    batch = undo_log.last_action(study, "alice")
    assert batch is not None
    undo_log.revert(study, batch)
    assert framework.list_themes(study) == []
    assert list(frameworks.study_frameworks(study).frameworks) == [DEFAULT_FRAMEWORK]


def test_moving_themes_between_frameworks(study: Study, tmp_path: Path) -> None:
    framework.import_framework(study, _file(tmp_path))
    framework.import_framework(study, _file(tmp_path, "title: S\nthemes: []\n", "s.yaml"),
                               "survey", "survey")  # fmt: skip
    assert frameworks.assign_themes(study, "survey", ["1"]) == ["1", "1.1"]
    owned = frameworks.study_frameworks(study)
    assert owned.framework_of("1.1").name == "survey"
    assert owned.framework_of("2").name == DEFAULT_FRAMEWORK
    with pytest.raises(InputError, match="sub-theme"):
        frameworks.assign_themes(study, "survey", ["1.1"])
    with pytest.raises(NotFoundError, match="did you mean 'survey'"):
        frameworks.get_framework(study, "survy")
    assert frameworks.delete_framework(study, "survey") == 2
    assert frameworks.study_frameworks(study).framework_of("1.1").name == DEFAULT_FRAMEWORK


def test_cli_framework_by_name(sqlite_study: Study, tmp_path: Path) -> None:
    url = str(sqlite_study.engine.url)
    sqlite_study.close()
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(cli, ["--db", url, "framework", *args])
        return result.exit_code, result.stdout, result.stderr

    path = _file(tmp_path)
    code, _, err = run("import", str(path), "--name", "interviews", "--applies-to", "transcript")
    assert code == 0
    assert "into framework 'interviews' (interview transcripts)" in err
    code, out, _ = run("list", "--json")
    assert '"applies_to": "transcript"' in out
    code, out, _ = run("show", "interviews")
    assert "1.1  Vacancies" in out
    code, _, err = run("import", str(path), "--name", "x", "--applies-to", "interviews")
    assert code == 2
    assert err.startswith("error:")
    assert err.count("\n") == 1
    assert "unknown source kind 'interviews'" in err
    code, _, err = run("edit", "interviews", "--applies-to", "survey:q1")
    assert code == 0
    code, _, err = run("show", "nope")
    assert code == 2
    assert "no framework 'nope'" in err


def test_a_file_without_a_themes_notes_keeps_them(study: Study, tmp_path: Path) -> None:
    """A file of ids and labels (to relabel a theme) wiped the definitions and keywords
    of the themes in it; a note the file gives, even empty, still replaces the study's."""
    full = tmp_path / "full.yaml"
    full.write_text(
        "themes:\n  - id: '2'\n    label: Sense-making\n    definition: How they read it.\n"
        "    children:\n      - id: '2.1'\n        label: Charts\n"
        "        definition: Charts judged useful.\n        keywords: [heat map, box plot]\n",
        encoding="utf-8",
    )
    framework.import_framework(study, full)
    bare = tmp_path / "bare.yaml"
    bare.write_text(
        "themes:\n  - id: '2'\n    label: Making sense\n    children:\n"
        "      - id: '2.1'\n        label: Charts\n        keywords: []\n",
        encoding="utf-8",
    )
    framework.import_framework(study, bare)
    themes = {t.id: t for t in framework.list_themes(study)}
    assert themes["2"].label == "Making sense"
    assert themes["2"].definition == "How they read it."  # not in the file: kept
    assert themes["2.1"].definition == "Charts judged useful."
    assert themes["2.1"].keywords == ()  # given, empty: cleared


def test_export_refuses_a_file_that_is_not_yaml(study: Study, tmp_path: Path) -> None:
    """`framework export notes.txt` wrote YAML over the notes."""
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes", encoding="utf-8")
    with pytest.raises(InputError, match="a framework file ends in .yaml or .yml"):
        framework.export_framework(study, notes)
    assert notes.read_text(encoding="utf-8") == "my notes"


def test_a_keyword_of_common_words_alone_is_warned_of(study: Study, tmp_path: Path) -> None:
    """ "I would" and "where is" analyse to nothing: they never matched, without a word."""
    path = tmp_path / "kw.yaml"
    path.write_text(
        'themes:\n  - id: "4"\n    label: Suggestions\n'
        "    keywords: [would be nice, I would, where is, suggest]\n",
        encoding="utf-8",
    )
    report = framework.import_framework(study, path)
    assert [w.split("keyword ")[1].split(" is only")[0] for w in report.warnings] == [
        "'I would'",
        "'where is'",
    ]
