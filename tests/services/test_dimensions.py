"""Dimensions within themes and key issues, on SQLite and PostgreSQL: declared in the
framework file, set on cells and codings, checked, counted per group, undone, exported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.domain.dimensions import Dimension
from qualcode.errors import ConflictError, InputError, NotFoundError
from qualcode.services import (
    codings,
    dimension_import,
    dimensions,
    framework,
    importing,
    key_issues,
    queries,
    undo_log,
)
from qualcode.services.dimension_counts import dimension_counts
from qualcode.services.study import Study, open_study

YAML = """title: Test framework
themes:
  - id: "1"
    label: Practice
    children:
      - id: "1.1"
        label: Supervision
        dimensions:
          stance: [very positive, mixed, negative]
          mention: [spontaneous, prompted]
      - id: "1.2"
        label: Duty
"""

CASES = {  # case -> sector
    "c1": "CSD", "c2": "CSD", "c3": "CSD", "c4": "DASS", "c5": "DASS", "c6": "PVI",
}  # fmt: skip


def build(study: Study, tmp_path: Path) -> None:
    fw = tmp_path / "fw.yaml"
    fw.write_text(YAML)
    framework.import_framework(study, fw)
    folder = tmp_path / "t"
    folder.mkdir()
    for case in CASES:
        (folder / f"{case}.txt").write_text(
            f"Interviewer: What about supervision?\n\nRespondent: {case} speaking here.\n"
        )
    importing.import_transcripts(study, sorted(folder.glob("*.txt")))
    table = tmp_path / "cases.csv"
    table.write_text("case,sector\n" + "".join(f"{c},{s}\n" for c, s in CASES.items()))
    importing.import_cases(study, table, "case")


@pytest.mark.slow_postgresql
def test_framework_file_declares_dimensions_and_export_keeps_them(
    study: Study, tmp_path: Path
) -> None:
    build(study, tmp_path)
    assert dimensions.declarations(study) == {
        "1.1": (
            Dimension("stance", ("very positive", "mixed", "negative")),
            Dimension("mention", ("spontaneous", "prompted")),
        )
    }
    assert [d.name for d in dimensions.dimensions_of(study, "1.2")] == ["standing"]
    out = tmp_path / "out.yaml"
    framework.export_framework(study, out)
    data = yaml.safe_load(out.read_text())
    supervision = data["themes"][0]["children"][0]
    assert supervision["dimensions"] == {
        "stance": ["very positive", "mixed", "negative"],
        "mention": ["spontaneous", "prompted"],
    }
    assert "dimensions" not in data["themes"][0]["children"][1]


def test_a_bad_declaration_names_the_file_and_line(study: Study, tmp_path: Path) -> None:
    fw = tmp_path / "bad.yaml"
    fw.write_text(YAML.replace("mention: [spontaneous, prompted]", "mention: [spontaneous]"))
    with pytest.raises(InputError, match=r"bad\.yaml, line \d+: theme '1\.1'.*at least two"):
        framework.import_framework(study, fw)
    assert framework.list_themes(study) == []  # nothing half-imported


def test_set_list_unset_and_validation(study: Study, tmp_path: Path) -> None:
    build(study, tmp_path)
    done = dimensions.set_value(study, "c1", "1.1", "Stance", "Mixed")
    assert (done.dimension, done.value) == ("stance", "mixed")
    dimensions.set_value(study, "c1", "1.2", "standing", "exceptional")
    with pytest.raises(InputError, match="did you mean 'negative'"):
        dimensions.set_value(study, "c1", "1.1", "stance", "negatve")
    with pytest.raises(InputError, match="no dimension 'stance'"):
        dimensions.set_value(study, "c1", "1.2", "stance", "mixed")
    with pytest.raises(NotFoundError):
        dimensions.set_value(study, "nobody", "1.1", "stance", "mixed")
    with pytest.raises(NotFoundError):
        dimensions.set_value(study, "c1", "9", "stance", "mixed")
    listed = dimensions.list_values(study)
    assert [(v.case, v.theme, v.dimension, v.value) for v in listed] == [
        ("c1", "1.1", "stance", "mixed"),
        ("c1", "1.2", "standing", "exceptional"),
    ]
    assert dimensions.list_values(study, theme="1.2") == [listed[1]]
    assert dimensions.cell_values(study) == {
        ("c1", "1.1"): {"stance": "mixed"}, ("c1", "1.2"): {"standing": "exceptional"},
    }  # fmt: skip
    assert dimensions.unset_value(study, "c1", "1.1", "stance") is True
    assert dimensions.unset_value(study, "c1", "1.1", "stance") is False
    assert dimensions.list_values(study, theme="1.1") == []


def test_coding_values(study: Study, tmp_path: Path) -> None:
    build(study, tmp_path)
    seg = next(s for s in queries.list_segments(study) if s.case == "c2" and "c2" in s.text)
    coding = codings.code_segment(study, seg.id, "1.1")
    done = dimensions.set_coding_value(study, coding.id, "mention", "spontaneous")
    assert (done.case, done.theme, done.coding) == ("c2", "1.1", coding.id)
    with pytest.raises(InputError, match="did you mean 'prompted'"):
        dimensions.set_coding_value(study, coding.id, "mention", "promted")
    listed = dimensions.list_values(study, codings=True)
    assert [(v.case, v.coding, v.value) for v in listed] == [("c2", coding.id, "spontaneous")]
    assert dimensions.list_values(study) == []  # cells only by default
    codings.remove_coding(study, coding.id)  # the value goes with its coding
    assert dimensions.list_values(study, codings=True) == []


def test_undo_takes_a_value_back_and_refuses_over_a_newer_one(study: Study, tmp_path: Path) -> None:
    build(study, tmp_path)
    dimensions.set_value(study, "c1", "1.1", "stance", "mixed")
    first = undo_log.last_action(study, study.coder)
    dimensions.set_value(study, "c1", "1.1", "stance", "negative")
    second = undo_log.last_action(study, study.coder)
    assert first
    assert second
    undo_log.revert(study, second)
    assert dimensions.cell_values(study) == {("c1", "1.1"): {"stance": "mixed"}}
    undo_log.revert(study, first)
    assert dimensions.cell_values(study) == {}
    dimensions.set_value(study, "c2", "1.1", "stance", "mixed")
    batch = undo_log.last_action(study, study.coder)
    dimensions.set_value(study, "c2", "1.1", "stance", "negative")
    assert batch
    with pytest.raises(ConflictError, match="changed since"):
        undo_log.revert(study, batch)


@pytest.mark.slow_postgresql
def test_undoing_the_framework_import_removes_its_declarations(
    study: Study, tmp_path: Path
) -> None:
    fw = tmp_path / "fw.yaml"
    fw.write_text(YAML)
    framework.import_framework(study, fw)
    batch = undo_log.last_action(study, study.coder)
    assert batch
    undo_log.revert(study, batch)
    assert framework.list_themes(study) == []
    assert dimensions.declarations(study) == {}


@pytest.mark.slow_postgresql
def test_counts_per_group(study: Study, tmp_path: Path) -> None:
    build(study, tmp_path)
    for case, value in (("c1", "mixed"), ("c2", "mixed"), ("c3", "negative"),
                        ("c4", "very positive")):  # fmt: skip
        dimensions.set_value(study, case, "1.1", "stance", value)
    rows = dimension_counts(study, "stance", ("sector",))
    assert [(r.theme, r.group, r.total, r.rated) for r in rows] == [
        ("1.1", "CSD", 3, 3), ("1.1", "DASS", 2, 1), ("1.1", "PVI", 1, 0),
    ]  # fmt: skip
    csd = rows[0]
    assert [(v.value, v.cases) for v in csd.values] == [
        ("very positive", 0), ("mixed", 2), ("negative", 1),
    ]  # fmt: skip
    assert csd.sentence == (
        "Of the 3 CSD interviewees with a recorded stance, the majority (2 of 3) were mixed "
        "and only one (1 of 3) was negative; none were very positive."
    )
    assert rows[2].sentence == "No PVI interviewees have a recorded stance."
    everyone = dimension_counts(study, "stance")
    assert [(r.group, r.total, r.rated) for r in everyone] == [(None, 6, 4)]
    with pytest.raises(InputError, match="did you mean 'stance'"):
        dimension_counts(study, "stanse")
    with pytest.raises(InputError, match="theme '1.2' has no dimension 'stance'"):
        dimension_counts(study, "stance", themes=["1.2"])
    assert dimension_counts(study, "standing") == []  # nobody has one yet
    dimensions.set_value(study, "c6", "1.2", "standing", "exceptional")
    [standing] = dimension_counts(study, "standing", ("sector",))[2:3]
    assert (standing.theme, standing.group, standing.rated) == ("1.2", "PVI", 1)


def test_import_values_is_all_or_nothing(study: Study, tmp_path: Path) -> None:
    build(study, tmp_path)
    good = tmp_path / "values.csv"
    good.write_text("case,theme,dimension,value\nc1,1.1,stance,mixed\nc2,1.1,mention,prompted\n")
    assert dimension_import.import_values(study, good) == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("case,theme,dimension,value\nc3,1.1,stance,mixed\nc4,1.1,stance,mixd\n")
    with pytest.raises(InputError, match=r"bad\.csv, row 3: 'mixd' is not a value"):
        dimension_import.import_values(study, bad)
    assert len(dimensions.list_values(study)) == 2  # row 2 of the bad file was not kept
    (tmp_path / "cols.csv").write_text("case,theme\nc1,1.1\n")
    with pytest.raises(InputError, match="missing column"):
        dimension_import.import_values(study, tmp_path / "cols.csv")


def test_declare_replaces_and_removes(study: Study, tmp_path: Path) -> None:
    build(study, tmp_path)
    dimensions.declare(study, "1.2", [Dimension("cover", ("adequate", "stretched"))])
    assert dimensions.declarations(study)["1.2"] == (Dimension("cover", ("adequate", "stretched")),)
    dimensions.declare(study, "1.2", [])
    assert "1.2" not in dimensions.declarations(study)
    with pytest.raises(NotFoundError):
        dimensions.declare(study, "9", [])


def test_key_issues(study: Study, tmp_path: Path) -> None:
    build(study, tmp_path)
    assert key_issues.get_key_issues(study, "1.1") is None
    saved = key_issues.set_key_issues(study, "1.1", "  Supervision is squeezed.\n")
    assert saved is not None
    assert (saved.text, saved.version) == ("Supervision is squeezed.", 1)
    again = key_issues.set_key_issues(study, "1.1", "Squeezed in crises.", expected_version=1)
    assert again is not None
    assert again.version == 2
    with pytest.raises(ConflictError, match="changed by"):
        key_issues.set_key_issues(study, "1.1", "stale", expected_version=1)
    assert set(key_issues.key_issues(study)) == {"1.1"}
    batch = undo_log.last_action(study, study.coder)
    assert batch
    undo_log.revert(study, batch)
    note = key_issues.get_key_issues(study, "1.1")
    assert note is not None
    assert note.text == "Supervision is squeezed."
    assert key_issues.set_key_issues(study, "1.1", "   ") is None
    assert key_issues.key_issues(study) == {}
    with pytest.raises(NotFoundError):
        key_issues.set_key_issues(study, "9", "x")
    # a colleague's text is not replaced unread (the CLI took it without a word)
    key_issues.set_key_issues(study, "1.1", "Mine.")
    bob = open_study(study.url, coder="bob")
    with pytest.raises(ConflictError, match=r"last changed by .* \(version 1\); read them"):
        key_issues.set_key_issues(bob, "1.1", "Bob's view.")
    assert key_issues.set_key_issues(bob, "1.1", "Bob's view.", expected_version=1) is not None
    bob.close()


def _code(study: Study, case: str, theme: str, dimension: str, values: list[str]) -> None:
    """One coding per value on the case's respondent turn, each on its own span."""
    seg = next(s for s in queries.list_segments(study) if s.case == case and case in s.text)
    for n, value in enumerate(values):
        coding = codings.add_coding(study, seg.source, seg.start + n, seg.start + n + 2, theme)
        dimensions.set_coding_value(study, coding.id, dimension, value)


def test_counts_take_coding_values_too(study: Study, db_url: str, tmp_path: Path) -> None:
    build(study, tmp_path)
    dimensions.set_value(study, "c1", "1.1", "stance", "mixed")
    _code(study, "c1", "1.1", "stance", ["mixed"])  # agrees with its cell: counted once
    _code(study, "c2", "1.1", "stance", ["negative", "negative"])  # codings only, twice
    dimensions.set_value(study, "c3", "1.1", "stance", "mixed")
    _code(study, "c3", "1.1", "stance", ["very positive"])  # disagrees with its cell
    _code(study, "c4", "1.2", "standing", ["typical"])  # another theme: not counted
    held = dimensions.held_values(study)
    assert held[("c3", "1.1")] == {"stance": ("mixed", "very positive")}
    assert held[("c2", "1.1")] == {"stance": ("negative",)}
    rows = dimension_counts(study, "stance", ("sector",))
    csd = rows[0]
    assert (csd.group, csd.total, csd.rated, csd.conflicting) == ("CSD", 3, 3, 1)
    assert [(v.value, v.cases) for v in csd.values] == [
        ("very positive", 1), ("mixed", 2), ("negative", 1),
    ]  # fmt: skip
    assert csd.sentence == (
        "Of the 3 CSD interviewees with a recorded stance, the majority (2 of 3) were mixed, "
        "only one (1 of 3) was very positive and only one (1 of 3) was negative "
        "(1 interviewee with conflicting values is counted under each)."
    )
    assert (rows[1].rated, rows[1].conflicting) == (0, 0)  # DASS: c4's value is on 1.2
    [standing] = [r for r in dimension_counts(study, "standing", ("sector",)) if r.rated]
    assert (standing.theme, standing.group, standing.values[0].cases) == ("1.2", "DASS", 1)
    # the JSON of `matrix --dimension` carries the same numbers
    result = CliRunner().invoke(
        cli, ["--db", db_url, "matrix", "--by", "sector", "--dimension", "stance", "--json"]
    )
    assert result.exit_code == 0, result.output
    first = json.loads(result.output)[0]
    assert (first["rated"], first["conflicting"]) == (3, 1)
    assert {v["value"]: v["cases"] for v in first["values"]} == {
        "very positive": 1, "mixed": 2, "negative": 1,
    }  # fmt: skip


def test_deleting_a_theme_and_undoing_it_restores_its_mapping(study: Study, tmp_path: Path) -> None:
    from qualcode.services import theme_removal

    build(study, tmp_path)
    dimensions.set_value(study, "c1", "1.1", "stance", "mixed")
    dimensions.set_value(study, "c4", "1.2", "standing", "exceptional")
    _code(study, "c2", "1.1", "stance", ["negative"])  # a coding's value
    key_issues.set_key_issues(study, "1.1", "Supervision is patchy.")
    key_issues.set_key_issues(study, "1", "Practice varies.")
    declared = dimensions.declarations(study)["1.1"]
    held = dimensions.held_values(study)
    assert len(held) == 3
    assert theme_removal.delete_theme(study, "1") == 1  # "1" with 1.1 and 1.2
    assert framework.list_themes(study) == []
    assert dimensions.held_values(study) == {}
    assert key_issues.key_issues(study) == {}
    batch = undo_log.last_action(study, study.coder)
    assert batch
    undo_log.revert(study, batch)
    assert dimensions.declarations(study)["1.1"] == declared
    assert dimensions.held_values(study) == held
    notes = key_issues.key_issues(study)
    assert {t: k.text for t, k in notes.items()} == {
        "1.1": "Supervision is patchy.", "1": "Practice varies.",
    }  # fmt: skip
    [count] = dimension_counts(study, "stance")
    assert (count.rated, [v.cases for v in count.values]) == (2, [0, 1, 1])
