"""``qualcode mapping export``: a real .xlsx written and read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from qualcode.cli import cli
from qualcode.errors import InputError
from qualcode.services import mapping, typology
from qualcode.services.mapping_export import export_mapping
from tests.analysis.conftest import CodedDemo


def test_the_workbook_has_the_three_sheets_with_the_service_s_numbers(
    coded_demo: CodedDemo, tmp_path: Path
) -> None:
    study = coded_demo.study
    typology.build(study, k=2)
    typology.name_type(study, 1, "=Mainstream")  # a formula-looking name stays text
    out = tmp_path / "mapping.xlsx"
    result = CliRunner().invoke(
        cli, ["--study", str(coded_demo.path), "mapping", "export", str(out), "--by", "sector",
              "--within", "1"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["Co-occurrence", "Associations", "Typology"]
    table = mapping.cooccurrence(study, within=1)
    co_rows = list(wb["Co-occurrence"].iter_rows(min_row=3, values_only=True))
    assert len(co_rows) == len(table.themes) * (len(table.themes) - 1) // 2
    for a, _, b, _, cases, cj, passages, pj in co_rows:
        p = table.pair(str(a), str(b))
        assert (cases, cj, passages, pj) == (p.cases, p.case_jaccard, p.passages, p.passage_jaccard)
    found = {x.subject: x for x in mapping.associations(study, "sector")}
    assoc_rows = list(wb["Associations"].iter_rows(min_row=3, values_only=True))
    assert len(assoc_rows) == sum(len(x.groups) for x in found.values())
    for theme, _, group, cases, total, *_rest, sentence, caveat in assoc_rows:
        share = next(g for g in found[str(theme)].groups if g.group == group)
        assert (cases, total) == (share.counts[0], share.total)
        assert sentence == found[str(theme)].sentence
        assert caveat
    types = list(wb["Typology"].iter_rows(min_row=3, values_only=True))
    current = typology.current(study)
    assert current is not None
    assert [(r[0], r[1], r[2]) for r in types] == [
        (t.number, t.name, len(t.members)) for t in current.types
    ]
    assert wb["Typology"]["B3"].data_type == "s"
    assert wb["Typology"]["B3"].value == "=Mainstream"
    assert "Jaccard" in str(wb["Typology"]["A1"].value)


def test_without_by_or_typology_the_sheets_say_so(coded_demo: CodedDemo, tmp_path: Path) -> None:
    out = export_mapping(coded_demo.study, tmp_path / "m.xlsx")
    wb = load_workbook(out)
    assert "--by" in str(wb["Associations"]["A1"].value)
    assert "typology build" in str(wb["Typology"]["A1"].value)
    with pytest.raises(InputError, match="cannot export the mapping as '.csv'"):
        export_mapping(coded_demo.study, tmp_path / "m.csv")
    assert not (tmp_path / "m.csv").exists()


def test_the_matrix_workbook_ends_with_the_mapping_sheets(
    coded_demo: CodedDemo, tmp_path: Path
) -> None:
    study = coded_demo.study
    typology.build(study, k=2)
    typology.name_type(study, 2, "Outliers")
    out = tmp_path / "matrix.xlsx"
    result = CliRunner().invoke(
        cli, ["--study", str(coded_demo.path), "matrix", "export", str(out), "--by", "sector"]
    )
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames[-5:] == ["Cases", "Counts", "Co-occurrence", "Associations", "Typology"]
    table = mapping.cooccurrence(study)  # the defaults: every coded theme, the same segment
    co_rows = list(wb["Co-occurrence"].iter_rows(min_row=3, values_only=True))
    assert len(co_rows) == len(table.themes) * (len(table.themes) - 1) // 2 > 0
    for a, _, b, _, cases, cj, passages, pj in co_rows:
        p = table.pair(str(a), str(b))
        assert (cases, cj, passages, pj) == (p.cases, p.case_jaccard, p.passages, p.passage_jaccard)
    assert wb["Co-occurrence"].freeze_panes == "A3"
    found = {x.subject: x for x in mapping.associations(study, "sector")}
    assert wb["Associations"]["A1"].value == "Each theme by sector; strongest first"
    assoc_rows = list(wb["Associations"].iter_rows(min_row=3, values_only=True))
    assert len(assoc_rows) == sum(len(x.groups) for x in found.values())
    for theme, _, group, cases, total, _pct, wording, _d, test, p_value, *_rest in assoc_rows:
        share = next(g for g in found[str(theme)].groups if g.group == group)
        assert (cases, total, wording) == (share.counts[0], share.total, share.wording)
        assert test == found[str(theme)].test
        assert p_value == pytest.approx(found[str(theme)].p_value, rel=1e-12)  # 16 digits
    current = typology.current(study)
    assert current is not None
    types = list(wb["Typology"].iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[1], r[2], r[3]) for r in types] == [
        (t.number, t.name, len(t.members), ", ".join(t.members)) for t in current.types
    ]


def test_the_matrix_workbook_without_by_or_with_no_mapping(
    coded_demo: CodedDemo, tmp_path: Path
) -> None:
    out = tmp_path / "plain.xlsx"
    run = ["--study", str(coded_demo.path), "matrix", "export", str(out)]
    assert CliRunner().invoke(cli, run).exit_code == 0
    wb = load_workbook(out)
    assert wb.sheetnames[-3:] == ["Co-occurrence", "Associations", "Typology"]
    assert "--by" in str(wb["Associations"]["A1"].value)
    assert wb["Associations"].max_row == 1
    assert "typology build" in str(wb["Typology"]["A1"].value)
    bare = tmp_path / "bare.xlsx"
    result = CliRunner().invoke(cli, [*run[:-1], str(bare), "--by", "sector", "--no-mapping"])
    assert result.exit_code == 0, result.output
    names = load_workbook(bare).sheetnames
    assert names[-2:] == ["Cases", "Counts"]
    assert not {"Co-occurrence", "Associations", "Typology"} & set(names)
    # other formats never carry them (and the flag is harmless there)
    md = tmp_path / "m.md"
    assert CliRunner().invoke(cli, [*run[:-1], str(md)]).exit_code == 0
    assert "Co-occurrence" not in md.read_text(encoding="utf-8")


def test_a_large_study_leaves_the_mapping_sheets_out_unless_asked(
    coded_demo: CodedDemo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qualcode.services import matrix_export

    monkeypatch.setattr(matrix_export, "MAPPING_CASES", 3)  # the sample study is "large"
    run = ["--study", str(coded_demo.path), "matrix", "export"]
    auto = tmp_path / "auto.xlsx"
    result = CliRunner().invoke(cli, [*run, str(auto), "--by", "sector"])
    assert result.exit_code == 0, result.output
    assert load_workbook(auto).sheetnames[-2:] == ["Cases", "Counts"]
    assert "left out the Co-occurrence, Associations and Typology sheets" in result.stderr
    assert "(over 3)" in result.stderr
    asked = tmp_path / "asked.xlsx"
    result = CliRunner().invoke(cli, [*run, str(asked), "--by", "sector", "--mapping"])
    assert result.exit_code == 0, result.output
    assert load_workbook(asked).sheetnames[-3:] == ["Co-occurrence", "Associations", "Typology"]
    assert "left out" not in result.stderr
    # other formats never say so
    md = tmp_path / "m.md"
    result = CliRunner().invoke(cli, [*run, str(md)])
    assert result.exit_code == 0, result.output
    assert "left out" not in result.stderr
