"""The sample study that `qualcode demo` builds is what the README promises."""

from __future__ import annotations

import csv
from pathlib import Path

from qualcode.ingest import read_transcript
from qualcode.services import framework, queries
from qualcode.services.study import Study


def test_sixteen_long_interviews(sample: Path) -> None:
    files = sorted((sample / "transcripts").glob("int*.txt"))
    assert len(files) >= 16
    for path in files:
        doc = read_transcript(path)
        assert len(doc.text.split()) >= 2500, path.name
        roles = {t.role for t in doc.turns}
        assert roles == {"interviewer", "respondent"}, path.name


def test_cases_cover_the_sectors_and_authority_types(sample: Path) -> None:
    with (sample / "transcripts" / "cases.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert {r["sector"] for r in rows} == {"CSD", "DASS", "Joint", "PVI"}
    assert {"London borough", "metropolitan borough", "unitary authority", "county council"} <= {
        r["authority_type"] for r in rows
    }


def test_survey_has_400_respondents_and_four_questions(sample: Path) -> None:
    with (sample / "transcripts" / "survey.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 400
    for question in ("q_supervision", "q_help", "q_cease", "q_other"):
        assert sum(bool(r[question].strip()) for r in rows) > 200


def test_demo_study_contents(demo_study: Study) -> None:
    cases = queries.list_cases(demo_study)
    assert len([c for c in cases if c.id.startswith("int")]) == 16
    assert len(cases) >= 416
    themes = framework.framework_tree(demo_study)
    assert {"1", "2.3", "S1"} <= set(themes.themes)
    assert all(themes.themes[t].definition for t in themes.themes)
    segs = queries.list_segments(demo_study, case="int05")
    assert len(segs) > 20
    assert all(g.role == "respondent" for g in segs)
