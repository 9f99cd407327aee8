"""Fixtures for the matrix, quotes and exports: studies with a known set of codings.

Expected numbers in these tests are computed from the sample's own CSV files and the
list of what was coded - never through the code under test.
"""

from __future__ import annotations

import csv
import re
import shutil
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from qualcode.services import codings, framework, importing, queries
from qualcode.services.demo import sample_root
from qualcode.services.study import Study, open_study
from qualcode.store.engine import sqlite_url

# (which sources, a pattern in the segment's text, the theme to code it with)
RULES = (
    ("q_supervision", r"supervis", "S1.1"),
    ("q_supervision", r"manager", "S1.3"),
    ("q_cease", r"\bpay\b|money|salary", "S5.1"),
    ("q_cease", r"stress|burn", "S9.1"),
    ("transcript", r"\bagency\b", "1.3"),
    ("transcript", r"vacanc", "1.1"),
    ("transcript", r"supervision", "2.3"),
    ("transcript", r"newly qualified|NQSW", "4.3"),
)


@dataclass(frozen=True)
class Coded:
    segment: str
    case: str
    theme: str


@dataclass
class CodedDemo:
    study: Study
    path: Path
    coded: list[Coded]


def sample_attributes() -> dict[str, dict[str, str]]:
    """Case attributes straight from the sample's CSV files (empty cells left out)."""
    root = sample_root() / "transcripts"
    out: dict[str, dict[str, str]] = {}
    with (root / "cases.csv").open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            out[row.pop("case")] = {k: v for k, v in row.items() if v}
    with (root / "survey.csv").open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            case = row.pop("respondent_id")
            out[case] = {k: v for k, v in row.items() if v and not k.startswith("q_")}
    return out


def plan_codings(study: Study) -> list[Coded]:
    plan: list[Coded] = []
    for seg in queries.list_segments(study):
        kind = "transcript" if seg.case.startswith("int") else seg.source.split("/")[1]
        for where, pattern, theme in RULES:
            if where == kind and re.search(pattern, seg.text, re.IGNORECASE):
                plan.append(Coded(seg.id, seg.case, theme))
    return plan


@pytest.fixture(scope="session")
def _coded_template(_demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("coded") / "coded.qualcode"
    shutil.copy2(_demo_template, path)
    study = open_study(sqlite_url(path), coder="alice")
    plan = plan_codings(study)
    table = path.parent / "codings.csv"
    with table.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["segment", "theme"])
        writer.writerows([c.segment, c.theme] for c in plan)
    codings.import_codings(study, table)
    study.close()
    return path


@pytest.fixture
def coded_demo(_coded_template: Path, tmp_path: Path) -> Iterator[CodedDemo]:
    """The sample study with every segment matching RULES coded (a private copy)."""
    path = tmp_path / "coded.qualcode"
    shutil.copy2(_coded_template, path)
    study = open_study(sqlite_url(path), coder="alice")
    yield CodedDemo(study, path, plan_codings(study))
    study.close()


# --- a small study on every database -----------------------------------------------

SMALL_CASES = """\
case,sector,authority_type,role
c1,CSD,London borough,Director
c2,CSD,county council,Assistant director
c3,CSD,unitary authority,Head of service
c4,DASS,London borough,Director
c5,DASS,,Senior manager
c6,PVI,,Director
"""

SMALL_FRAMEWORK = """\
title: Small
themes:
  - id: A
    label: Staffing
    keywords: [agency, vacancies]
    children:
      - id: A.1
        label: Agency staff
        keywords: [agency]
      - id: A.2
        label: Vacancies
  - id: B
    label: Supervision
"""


def _transcript(case: str) -> str:
    return textwrap.dedent(
        f"""\
        Interviewer: Tell me about staffing.

        Respondent: We rely on agency staff in {case}. Agency workers cost a great deal of
        money every year. The vacancies are mostly in the assessment teams.

        Interviewer: And supervision?

        Respondent: Supervision happens monthly. It is mostly case management, not reflection.
        """
    )


@dataclass
class Small:
    study: Study
    root: Path


@pytest.fixture
def small(study: Study, tmp_path: Path) -> Small:
    """Six interview cases with two respondent turns each, on each database."""
    folder = tmp_path / "small"
    folder.mkdir()
    files = []
    for case in ("c1", "c2", "c3", "c4", "c5", "c6"):
        path = folder / f"{case}.txt"
        path.write_text(_transcript(case), encoding="utf-8")
        files.append(path)
    importing.import_transcripts(study, files)
    (folder / "cases.csv").write_text(SMALL_CASES, encoding="utf-8")
    importing.import_cases(study, folder / "cases.csv", "case")
    (folder / "small.yaml").write_text(SMALL_FRAMEWORK, encoding="utf-8")
    framework.import_framework(study, folder / "small.yaml")
    return Small(study, folder)


def respondent_segments(study: Study, case: str) -> list[str]:
    return [s.id for s in queries.list_segments(study, case=case)]
