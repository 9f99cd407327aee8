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
