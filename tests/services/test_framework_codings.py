"""Framework files and coding services."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.errors import ConflictError, InputError
from qualcode.services import codings, framework, importing, queries
from qualcode.services.study import Study

YAML = """title: Test framework
themes:
  - id: "1"
    label: Staffing
    definition: Numbers of staff.
    children:
      - id: "1.1"
        label: Agency staff
        keywords: [agency, locum]
      - id: "1.2"
        label: Vacancies
  - id: "2"
    label: Supervision
    inclusion: Any supervision.
"""


def load(study: Study, tmp_path: Path, text: str = YAML) -> None:
    path = tmp_path / "fw.yaml"
    path.write_text(text)
    framework.import_framework(study, path)


def test_import_export_roundtrip(study: Study, tmp_path: Path) -> None:
    load(study, tmp_path)
    themes = framework.list_themes(study)
    assert [(t.id, t.parent) for t in themes] == [
        ("1", None),
        ("1.1", "1"),
        ("1.2", "1"),
        ("2", None),
    ]
    assert themes[1].keywords == ("agency", "locum")
    out = tmp_path / "out.yaml"
    framework.export_framework(study, out)
    _, again = framework.read_framework(out)
    assert again == themes


def test_reimport_updates_in_place(study: Study, tmp_path: Path) -> None:
    load(study, tmp_path)
    report = framework.import_framework(study, tmp_path / "fw.yaml")
    assert (report.themes_added, report.themes_updated) == (0, 0)
    load(study, tmp_path, YAML.replace("label: Vacancies", "label: Vacancy rates"))
    assert framework.framework_tree(study).themes["1.2"].label == "Vacancy rates"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            YAML.replace('id: "1.2"', 'id: "1.1"'),
            r"line 10: duplicate theme id '1.1' \(first at line 7",
        ),
        (
            "themes:\n  - id: a\n    label: A\n    parent: b\n"
            "  - id: b\n    label: B\n    parent: a\n",
            "cycle",
        ),
        ("themes:\n  - id: a\n", "line 2: theme 'a' has no `label`"),
        ("themes: [\n", "not valid YAML"),
        ("title: x\n", "top-level `themes:`"),
        ("themes:\n  - id: a\n    label: A\n    colour: red\n", "unknown key"),
    ],
)
def test_bad_framework_files(sqlite_study: Study, tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        framework.import_framework(sqlite_study, path)
    assert framework.list_themes(sqlite_study) == []


def test_a_framework_file_that_cannot_be_read_is_named_as_other_files_are(
    sqlite_study: Study, tmp_path: Path
) -> None:
    """No Python "[Errno 2]" in the message: the words every importer uses."""
    with pytest.raises(InputError, match=r"^nofile.yaml: file not found$"):
        framework.import_framework(sqlite_study, Path("nofile.yaml"))
    with pytest.raises(InputError, match="is a folder, not a file"):
        framework.import_framework(sqlite_study, tmp_path)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("themes:\n  - id: a\n    label: Caf\u00e9\n".encode("latin-1"))
    with pytest.raises(
        InputError, match="line 3 is not UTF-8 text: save the framework file as UTF-8"
    ):
        framework.import_framework(sqlite_study, latin)
    assert framework.list_themes(sqlite_study) == []


def transcript(study: Study, tmp_path: Path) -> None:
    path = tmp_path / "int01.txt"
    path.write_text(
        "I: Staffing?\n\nR: We rely on agency staff. It is costly.\n\nI: Supervision?\n\n"
        "R: Monthly supervision with my manager.\n"
    )
    importing.import_transcripts(study, [path])


@pytest.mark.slow_postgresql
def test_coding_lifecycle(study: Study, tmp_path: Path) -> None:
    load(study, tmp_path)
    transcript(study, tmp_path)
    seg = queries.list_segments(study)[0]
    c = codings.code_segment(study, seg.id, "1.1")
    assert (c.source, c.start, c.end, c.coder) == ("int01", seg.start, seg.end, "alice")
    assert codings.code_segment(study, seg.id, "1.1").id == c.id  # idempotent
    part = codings.add_coding(study, "int01", seg.start, seg.start + 26, "1", coder="bob")
    assert codings.coders(study) == ["alice", "bob"]
    assert codings.segment_themes(study) == {seg.id: {"1.1", "1"}}
    assert codings.segment_themes(study, coder="bob") == {seg.id: {"1"}}
    before, after = codings.change_theme(study, part.id, "2")
    assert (before.theme, after.theme) == ("1", "2")
    gone = codings.remove_coding(study, c.id)
    assert [x.theme for x in codings.list_codings(study)] == ["2"]
    codings.restore_coding(study, gone)
    assert sorted(x.theme for x in codings.list_codings(study)) == ["1.1", "2"]
    with pytest.raises(InputError, match="outside source"):
        codings.add_coding(study, "int01", 0, 10_000, "1")


@pytest.mark.slow_postgresql
def test_merge_moves_codings_and_children(study: Study, tmp_path: Path) -> None:
    load(study, tmp_path)
    transcript(study, tmp_path)
    first, second = queries.list_segments(study)
    codings.code_segment(study, first.id, "1.1")
    codings.code_segment(study, first.id, "1.2")
    codings.code_segment(study, second.id, "1.2")
    assert framework.merge_themes(study, "1.2", "1.1") == 1  # the duplicate is dropped
    assert sorted((c.theme, c.start) for c in codings.list_codings(study)) == [
        ("1.1", first.start),
        ("1.1", second.start),
    ]
    assert "1.2" not in framework.framework_tree(study).themes
    with pytest.raises(ConflictError):
        framework.merge_themes(study, "1", "1.1")
    framework.move_theme(study, "2", "1")
    assert framework.framework_tree(study).themes["2"].parent == "1"
    with pytest.raises(ConflictError):
        framework.move_theme(study, "1", "2")
    assert framework.theme_counts(study)["1"] == (2, 1)
    assert framework.delete_theme(study, "1") == 2
    assert framework.list_themes(study) == []
    assert codings.list_codings(study) == []


@pytest.mark.slow_postgresql
def test_codings_csv_both_layouts(study: Study, tmp_path: Path) -> None:
    load(study, tmp_path)
    transcript(study, tmp_path)
    first, second = queries.list_segments(study)
    (tmp_path / "a.csv").write_text(
        f"segment,theme,coder,start,end\n{first.id},1.1,bob,,\n{second.id},2,bob,0,7\n"
    )
    assert codings.import_codings(study, tmp_path / "a.csv").codings_added == 2
    (tmp_path / "b.csv").write_text(
        f"source,start,end,theme\nint01.txt,{first.start},{first.start + 5},1\n"
    )
    assert codings.import_codings(study, tmp_path / "b.csv").codings_added == 1
    out = tmp_path / "out.csv"
    assert codings.export_codings(study, out) == 3
    again = codings.import_codings(study, out)
    assert (again.codings_added, again.codings_unchanged) == (0, 3)
    assert again.warnings == ()  # the export's extra columns are known, not "unread"
    (tmp_path / "d.csv").write_text(
        f"segment,theme,coder,memo,Confidence\n{first.id},2,bob,check this,high\n"
    )
    said = codings.import_codings(study, tmp_path / "d.csv").warnings
    assert said == ("d.csv: not read (qualcode takes no such column): memo, Confidence",)
    texts = {(c.theme, c.coder): (c.start, c.end) for c in codings.list_codings(study)}
    assert texts[("2", "bob")] == (second.start, second.start + 7)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("segment,theme\nint01:2,9\n", "row 2: unknown theme '9'"),
        ("segment,theme\nint01:2,1\nnope:1,1\n", "row 3: unknown segment 'nope:1'"),
        ("source,start,end,theme\nint01,5,2,1\n", "row 2: start/end 5-2: the end must come after"),
        ("source,start,end,theme\nint01,5,5,1\n", "row 2: start/end 5-5: the end must come after"),
        ("source,start,end,theme\nint01,-1,2,1\n", "row 2: start/end -1-2 are outside"),
        ("source,start,end,theme\nint01,5,999999,1\n", "row 2: start/end 5-999999 are outside"),
        ("source,start,end,theme\nint01,x,2,1\n", "row 2: start 'x' is not a whole number"),
        ("theme,text\n1,hello\n", "row 1: a codings CSV needs"),
        # a second coder's file whose coder column is misnamed: every coding was yours
        ("segment,theme,coders\nint01:2,1,bob\n", "row 1: the column 'coders' is not read"),
        ("segment,theme,Coder Name\nint01:2,1,bob\n", "row 1: the column 'Coder Name' is not"),
    ],
)
def test_bad_codings_csv_writes_nothing(
    sqlite_study: Study, tmp_path: Path, body: str, message: str
) -> None:
    load(sqlite_study, tmp_path)
    transcript(sqlite_study, tmp_path)
    (tmp_path / "c.csv").write_text(body)
    with pytest.raises(InputError, match=message):
        codings.import_codings(sqlite_study, tmp_path / "c.csv")
    assert codings.list_codings(sqlite_study) == []


def test_a_second_framework_follows_the_first(sqlite_study: Study, tmp_path: Path) -> None:
    load(sqlite_study, tmp_path)
    (tmp_path / "second.yaml").write_text(
        'themes:\n  - id: "S1"\n    label: Survey one\n  - id: "S2"\n    label: Survey two\n'
    )
    framework.import_framework(sqlite_study, tmp_path / "second.yaml")
    framework.import_framework(sqlite_study, tmp_path / "fw.yaml")  # re-import keeps order
    top = [t.id for t in framework.framework_tree(sqlite_study).top_level()]
    assert top == ["1", "2", "S1", "S2"]


def test_themes_named_by_label_as_other_tools_write_them(study: Study, tmp_path: Path) -> None:
    from qualcode.services.demo import sample_root

    for name in ("interviews.yaml", "survey.yaml"):
        framework.import_framework(study, sample_root() / "frameworks" / name)
    transcript(study, tmp_path)
    (tmp_path / "survey.csv").write_text("id,q_help\nB1,Monthly supervision would help most.\n")
    importing.import_survey(study, tmp_path / "survey.csv", "id", ["q_help"])
    (tmp_path / "c.csv").write_text(
        "segment,theme\n"
        "int01:4,Supervision\n"  # 2.3 in the interview framework
        "B1/q_help:1,supervision\n"  # S1 in the survey framework
        "int01:2,1.3 Agency staff\n"
    )
    report = codings.import_codings(study, tmp_path / "c.csv")
    assert report.codings_added == 3
    assert report.messages == (
        "themes named by their label: 'Supervision' = 2.3, 'supervision' = S1, "
        "'1.3 Agency staff' = 1.3",
    )
    assert sorted((c.source, c.theme) for c in codings.list_codings(study)) == [
        ("B1/q_help", "S1"),
        ("int01", "1.3"),
        ("int01", "2.3"),
    ]
    # a label that still names two themes for the same source is refused, naming both
    path = tmp_path / "fw.yaml"
    path.write_text('title: Extra\nthemes:\n  - id: "X1"\n    label: Agency staff\n')
    framework.import_framework(study, path)
    (tmp_path / "d.csv").write_text("segment,theme\nint01:2,Agency staff\n")
    with pytest.raises(InputError, match=r"row 2: theme 'Agency staff' is the label of several"):
        codings.import_codings(study, tmp_path / "d.csv")
