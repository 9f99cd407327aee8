"""The real SERDIF think-aloud transcripts (../shared/corpora/serdif): only the
moderator is labelled, numbered task prompts structure each session. Every coded span
of the researchers' codings.csv that lies in the participant's words must fall in
respondent segments, the moderator's in interviewer ones. Skipped where the corpus is
absent; nothing of it is copied into the project."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from qualcode.services import importing, queries
from qualcode.services.study import Study

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora" / "serdif"
# told apart here without the importer's code: a numbered task line, a moderator label
PROMPT = re.compile(r"\s*\d+(?:\.[a-z])?\s")
MODERATOR = "MODERATOR:"

pytestmark = pytest.mark.skipif(
    not (CORPUS / "codings.csv").is_file(),
    reason=f"the SERDIF corpus is not at {CORPUS} (see shared/corpora/README.md)",
)


def owners(text: str) -> list[str]:
    """Who said each character: participant, moderator, or prompt (the task sheet)."""
    out: list[str] = []
    for line in text.split("\n"):
        at = line.find(MODERATOR)
        first = "prompt" if PROMPT.match(line) else "participant"
        if at < 0:
            out.extend([first] * len(line))
        else:
            out.extend([first] * at + ["moderator"] * (len(line) - at))
        out.append("newline")
    return out


@pytest.mark.slow_postgresql
def test_coded_spans_fall_in_segments_of_the_speakers_role(study: Study) -> None:
    files = sorted((CORPUS / "transcripts").glob("*.txt"))
    report = importing.import_transcripts(study, files)
    assert report.sources_added == 17
    assert report.messages == ()  # the moderator is the interviewer without any flag
    assert all(f["layout"].startswith("one side labelled (MODERATOR:)") for f in report.files)
    by_name = {Path(f["file"]).name: f["source"] for f in report.files}
    texts = {name: queries.source_text(study, source) for name, source in by_name.items()}
    segments = queries.list_segments(study, include_interviewer=True)
    per_source: dict[str, list[tuple[int, int, str]]] = {}
    for g in segments:
        per_source.setdefault(g.source, []).append((g.start, g.end, g.role))
    who = {name: owners(text) for name, text in texts.items()}

    checked = {"participant": 0, "moderator": 0}
    wrong: list[str] = []
    with (CORPUS / "codings.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name, start, end = row["source"], int(row["start"]), int(row["end"])
            text = texts[name]
            kinds = {who[name][i] for i in range(start, end) if not text[i].isspace()}
            if len(kinds) != 1 or kinds & {"prompt", "newline"}:
                continue  # a span across speakers, or over the task sheet
            (kind,) = kinds
            want = "respondent" if kind == "participant" else "interviewer"
            roles = [
                role
                for a, b, role in per_source[by_name[name]]
                if a < end and start < b and text[max(a, start) : min(b, end)].strip()
            ]
            checked[kind] += 1
            if not roles or any(role != want for role in roles):
                wrong.append(f"{name}:{start}-{end} {kind} in {roles}: {text[start:end][:50]!r}")
    assert wrong == []
    assert checked["participant"] > 1500
    assert checked["moderator"] > 150
