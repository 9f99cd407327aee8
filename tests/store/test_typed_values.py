"""Case attributes keep what the file said: a whole score among decimal ones reads "1",
not "1.0" (serdif's PSSUQ scores grouped as "1.0 (2)")."""

from __future__ import annotations

from pathlib import Path

from qualcode.services import importing, queries
from qualcode.services.study import Study
from qualcode.store.convert import typed_value


def test_whole_numbers_in_a_column_of_decimals_stay_whole(study: Study, tmp_path: Path) -> None:
    sheet = tmp_path / "cases.csv"
    sheet.write_text("case,score,team\nP1,2.16,A\nP2,1,B\nP3,3,A\n", encoding="utf-8")
    importing.import_cases(study, sheet, "case")
    scores = {c.id: c.attributes["score"] for c in queries.list_cases(study)}
    assert scores == {"P1": 2.16, "P2": 1, "P3": 3}
    assert [str(scores[c]) for c in ("P1", "P2", "P3")] == ["2.16", "1", "3"]
    assert typed_value("-4", "number") == -4
    assert typed_value("1e3", "number") == 1000.0
    assert typed_value("n/a", "number") == "n/a"
