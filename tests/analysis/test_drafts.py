"""Draft summaries: extractive, with line references, saved only as "drafted"."""

from __future__ import annotations

import re

import pytest

from qualcode.analysis.drafting import draft, shorten
from qualcode.domain.matrix import DRAFTED, EMPTY, FINAL, Passage
from qualcode.services import codings, drafts, matrix, queries, summaries
from tests.analysis.conftest import CodedDemo, Small, respondent_segments

REF = re.compile(r"\((\S+) l\.(\d+)\)")


def passage(text: str, line: int = 10, source: str = "int03") -> Passage:
    return Passage(
        coding=1,
        case=source,
        source=source,
        theme="1.3",
        start=0,
        end=len(text),
        line=line,
        text=text,
        quote=False,
        coder="alice",
    )


def test_a_draft_picks_representative_sentences_with_their_own_lines() -> None:
    text = (
        "Agency staff are about a quarter of our social workers.\n"
        "It's the weather.\n"
        "The agency staff cost us four and a half million a year, and agency managers more.\n"
        "We want fewer agency staff next year."
    )
    out = draft([passage(text, line=40)], ["Agency staff", "agency", "locums"])
    refs = REF.findall(out)
    assert refs
    assert all(src == "int03" for src, _ in refs)
    lines = [int(n) for _, n in refs]
    assert lines == sorted(lines)
    assert set(lines) <= {40, 42, 43}
    assert "weather" not in out
    assert len(refs) <= 3


def test_a_sentence_that_is_only_fillers_is_never_cited() -> None:
    """serdif's P6 draft read "... FAIR data export. (P6 l.160)  (P6 l.165)": l.165 is
    "Okay", which shortening leaves empty; P12's began ". (P12 l.4)"."""
    out = draft(
        [
            passage("Here I can download the FAIR data export and it works for me.", 160),
            passage("Okay.", 165),
            passage("Yeah, okay.", 166),
        ],
        ["export"],
    )
    assert REF.findall(out) == [("int03", "160")]
    assert not out.startswith(".")
    for filler in ("Okay then.", "Oh nice.", "Mmmm ...", "Yes, sure."):  # "Then.", "Nice."
        assert draft([passage(filler, 91)]) == "", filler


def test_a_draft_leaves_out_the_interviewers_words() -> None:
    """34 of serdif's 347 drafts cited the moderator ("MODERATOR: Maybe you could use the
    arrows ..."), which became the case's summary once saved."""
    text = (
        "I can't find the risk in the table at all.\n"
        "MODERATOR: Maybe you could use the arrows in the search box to find it.\n"
        "I am struggling now with the search, it does not find anything."
    )
    asked = text.index("Maybe")
    theirs = (
        text.index("MODERATOR"),
        asked + len("Maybe you could use the arrows in the search box to find it."),
    )
    from dataclasses import replace

    out = draft([replace(passage(text, 68), asked_spans=(theirs,))], ["search"])
    assert "MODERATOR" not in out
    assert "arrows" not in out
    assert "struggling" in out


def test_shortening_drops_fillers_and_long_tails() -> None:
    assert shorten("Well, I mean, you know, we [laughs] use agency staff.") == (
        "We use agency staff."
    )
    long = " ".join(f"word{i}" for i in range(40))
    assert shorten(long, 10).endswith("...")
    assert len(shorten(long, 10).split()) == 11


def test_a_draft_refers_to_the_lines_the_sentences_are_on(coded_demo: CodedDemo) -> None:
    study = coded_demo.study
    case = next(c.case for c in coded_demo.coded if c.theme == "1.3")
    proposal = drafts.draft_cell(study, case, "1.3")
    assert proposal.version == 0
    assert proposal.text
    text = queries.source_text(study, case)
    for src, line in REF.findall(proposal.text):
        assert src == case
        assert 1 <= int(line) <= text.count("\n") + 1
    # nothing is saved by a proposal
    assert summaries.get_summary(study, case, "1.3").status == EMPTY


@pytest.mark.slow_postgresql
def test_drafting_a_sheet_saves_drafts_but_never_touches_final_cells(small: Small) -> None:
    study = small.study
    for case in ("c1", "c2", "c3"):
        codings.code_segment(study, respondent_segments(study, case)[0], "A.1")
    summaries.set_summary(study, "c2", "A.1", "Written by hand.", FINAL)
    report = drafts.draft_sheet(study, top="A")
    assert report.saved == 2
    assert report.skipped == 0
    assert {d.case for d in report.drafts} == {"c1", "c3"}
    for case in ("c1", "c3"):
        saved = summaries.get_summary(study, case, "A.1")
        assert saved.status == DRAFTED
        assert "(" + case + " l." in saved.text
    assert summaries.get_summary(study, "c2", "A.1").text == "Written by hand."
    # a second run finds nothing new to draft; --redraft proposes again but skips finals
    assert drafts.draft_sheet(study, top="A").saved == 0
    again = drafts.draft_sheet(study, top="A", redraft=True, save=False)
    assert {d.case for d in again.drafts} <= {"c1", "c3"}


def test_a_draft_made_before_someone_edited_the_cell_is_not_saved(small: Small) -> None:
    study = small.study
    codings.code_segment(study, respondent_segments(study, "c4")[0], "A.1")
    sheet = matrix.sheet(study, top="A")
    proposals = drafts.propose(sheet)
    summaries.set_summary(study, "c4", "A.1", "Bob got there first.", coder="bob")
    saved, skipped = summaries.store_drafts(
        study, {(d.case, d.theme): (d.text, d.version) for d in proposals}
    )
    assert (saved, skipped) == (0, 1)
    assert summaries.get_summary(study, "c4", "A.1").text == "Bob got there first."
