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


def test_codes_with_leading_zeros_or_two_spellings_stay_text(study: Study, tmp_path: Path) -> None:
    """Site codes "01", "1" and "001" read 1 and merged into one matrix group; "NaN"
    went out in --json as a bare NaN, which no JSON parser takes."""
    from qualcode.store.attributes import infer_type

    sheet = tmp_path / "cases.csv"
    sheet.write_text(
        "case,site,ward,version,score,years,missing\n"
        "P1,01,0042,1.10,2.5,3,NaN\nP2,1,17,1.1,1,12,1\nP3,001,9,2.0,3.25,40,inf\n",
        encoding="utf-8",
    )
    importing.import_cases(study, sheet, "case")
    values = {c.id: c.attributes for c in queries.list_cases(study)}
    assert [values[c]["site"] for c in ("P1", "P2", "P3")] == ["01", "1", "001"]
    assert values["P1"]["ward"] == "0042"
    assert [values[c]["version"] for c in ("P1", "P2")] == ["1.10", "1.1"]
    assert values["P3"]["score"] == 3.25  # plain numbers stay numbers
    assert values["P3"]["years"] == 40
    assert values["P1"]["missing"] == "NaN"
    assert infer_type(["0", "10", "-3"]) == "integer"
    assert infer_type(["1e3", ".5"]) == "number"
    assert infer_type(["1,5"]) == "text"


def test_a_study_typed_by_the_old_rule_is_put_right_when_opened(tmp_path: Path) -> None:
    from sqlalchemy import text

    from qualcode.services.study import init_study, open_study
    from qualcode.store.engine import sqlite_url

    path = tmp_path / "old.qualcode"
    sheet = tmp_path / "cases.csv"
    sheet.write_text("case,site,years\nP1,01,3\nP2,1,12\n", encoding="utf-8")
    old = init_study(sqlite_url(path), "Old", coder="alice")
    importing.import_cases(old, sheet, "case")
    with old.engine.begin() as conn:  # as qualcode typed it before revision 0007
        conn.execute(text("UPDATE attributes SET type = 'integer' WHERE name = 'site'"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0006'"))
    old.close()
    study = open_study(sqlite_url(path), coder="alice")
    sites = sorted(str(c.attributes["site"]) for c in queries.list_cases(study))
    assert sites == ["01", "1"]
    assert {c.attributes["years"] for c in queries.list_cases(study)} == {3, 12}
    study.close()
