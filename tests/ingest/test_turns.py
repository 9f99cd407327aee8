"""parse_turns: speaker labels, timestamps, roles and the exact offsets of spoken words."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qualcode.domain.documents import INTERVIEWER, RESPONDENT
from qualcode.domain.layouts import parse_turns
from qualcode.domain.turns import match_label, speaker_role

if TYPE_CHECKING:
    from tests.ingest.conftest import Spoken


def test_interviewer_and_respondent_turns(spoken: Spoken) -> None:
    text = "Interviewer: How big is the team?\n\nRespondent: About forty staff.\n"
    turns = parse_turns(text)
    assert spoken(text, turns) == ["How big is the team?", "About forty staff."]
    assert [(t.speaker, t.role) for t in turns] == [
        ("Interviewer", INTERVIEWER),
        ("Respondent", RESPONDENT),
    ]


@pytest.mark.parametrize(
    "stamp",
    ["[00:03:12] ", "(00:03:12) ", "00:03:12 ", "[03:12] ", "00:03:12.500 ", "[0:03:12]", "  "],
)
def test_timestamps_before_labels_are_not_spoken(stamp: str, spoken: Spoken) -> None:
    text = f"{stamp}Interviewer: What changed?\n{stamp}R: Thresholds, mainly.\n"
    turns = parse_turns(text)
    assert spoken(text, turns) == ["What changed?", "Thresholds, mainly."]
    assert [t.role for t in turns] == [INTERVIEWER, RESPONDENT]


def test_timestamp_between_label_and_colon(spoken: Spoken) -> None:
    text = "Speaker 1 (00:05): Hello.\nSpeaker 2 [00:09]: Hi there.\n"
    turns = parse_turns(text)
    assert spoken(text, turns) == ["Hello.", "Hi there."]
    assert [t.speaker for t in turns] == ["Speaker 1", "Speaker 2"]


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("Interviewer", INTERVIEWER),
        ("INTERVIEWER", INTERVIEWER),
        ("I", INTERVIEWER),
        ("Q", INTERVIEWER),
        ("Int", INTERVIEWER),
        ("Researcher", INTERVIEWER),
        ("Facilitator", INTERVIEWER),
        ("Moderator", INTERVIEWER),
        ("Interviewer 2", INTERVIEWER),
        ("Respondent", RESPONDENT),
        ("R", RESPONDENT),
        ("A", RESPONDENT),
        ("Resp", RESPONDENT),
        ("Interviewee", RESPONDENT),
        ("Margaret", RESPONDENT),
        ("Dr Jane Smith", RESPONDENT),
        ("Speaker 1", RESPONDENT),
        ("Mary O'Neill-Jones", RESPONDENT),
        # a letter telling speakers apart, as focus groups and diarisation write them:
        # "A" was taken for the article, and Parent A's words joined the turn before
        ("Parent A", RESPONDENT),
        ("Speaker A", RESPONDENT),
        ("Participant A", RESPONDENT),
        # a directory's "Last, First", as Teams writes names in a .docx or .txt
        ("Carter, Alex", RESPONDENT),
        ("O'Neill, Mary", RESPONDENT),
    ],
)
def test_labels_and_roles(label: str, role: str, spoken: Spoken) -> None:
    text = f"{label}: Words here.\n"
    (turn,) = parse_turns(text)
    assert (turn.speaker, turn.role) == (label, role)
    assert spoken(text, [turn]) == ["Words here."]


def test_extra_interviewer_labels() -> None:
    text = "Jane: So, supervision?\nMargaret: Monthly, in theory.\n"
    turns = parse_turns(text, interviewer_labels=["jane"])
    assert [t.role for t in turns] == [INTERVIEWER, RESPONDENT]
    assert speaker_role("Jane", ["Jane"]) == INTERVIEWER
    assert speaker_role(None) == RESPONDENT


@pytest.mark.parametrize(
    "line",
    [
        "Note: the council restructured in 2019.",
        "NB: this was said off the record.",
        "However, I think: maybe not.",
        "the council: they were fine",
        "Section 2: Supervision",
        "What I said was this: no.",
        "One Two Three Four Five: too many words",
        "A Very Long Name That Goes On And On Far Too: x",
        "A key point: funding",
        "Well, Sarah: it depends",
        "Yes, and then: nothing",
        "Carter, Alex, Jones: three names",
        "10:30 is when the team meets",
        "1: a numbered point",
        "http://example.org",
    ],
)
def test_ordinary_lines_are_not_labels(line: str) -> None:
    assert match_label(line) is None


def test_note_line_continues_the_turn(spoken: Spoken) -> None:
    text = "Interviewer: Anything else?\nRespondent: Yes.\nNote: the council merged later.\n"
    turns = parse_turns(text)
    assert spoken(text, turns) == ["Anything else?", "Yes.\nNote: the council merged later."]


def test_multi_paragraph_turn_ends_at_last_non_blank_line(spoken: Spoken) -> None:
    text = (
        "I: Tell me about caseloads.\n\n"
        "R: They are high.\n\nReally high, in the duty team.  \n\n\n"
        "And agency staff cover the rest.   \n  \n"
        "I: Thanks.\n"
    )
    turns = parse_turns(text)
    assert spoken(text, turns) == [
        "Tell me about caseloads.",
        "They are high.\n\nReally high, in the duty team.  \n\n\nAnd agency staff cover the rest.",
        "Thanks.",
    ]


def test_words_on_the_line_after_a_bare_label(spoken: Spoken) -> None:
    text = "Interviewer:\n  Who supervises the seniors?\nR:\nThe team manager.\n"
    assert spoken(text, parse_turns(text)) == ["Who supervises the seniors?", "The team manager."]


def test_label_with_nothing_said_is_dropped(spoken: Spoken) -> None:
    text = "Interviewer: Hello?\nR:\nInterviewer: Can you hear me?\n"
    turns = parse_turns(text)
    assert spoken(text, turns) == ["Hello?", "Can you hear me?"]


def test_text_before_the_first_label_is_its_own_turn(spoken: Spoken) -> None:
    text = "Interview 3, recorded by phone.\n\nSecond line of notes.\n\nI: Shall we start?\n"
    turns = parse_turns(text)
    assert spoken(text, turns) == [
        "Interview 3, recorded by phone.\n\nSecond line of notes.",
        "Shall we start?",
    ]
    assert turns[0].speaker is None
    assert turns[0].role == RESPONDENT


def test_unlabelled_text_gives_one_turn_per_paragraph(spoken: Spoken) -> None:
    text = "\n  First comment,\nstill first.\n\n \t\nSecond comment.\n\n"
    turns = parse_turns(text)
    assert spoken(text, turns) == ["First comment,\nstill first.", "Second comment."]
    assert all(t.speaker is None and t.role == RESPONDENT for t in turns)


def test_note_only_text_is_paragraphs(spoken: Spoken) -> None:
    text = "Note: something about the council.\n\nAnother paragraph."
    turns = parse_turns(text)
    assert spoken(text, turns) == ["Note: something about the council.", "Another paragraph."]
    assert [t.speaker for t in turns] == [None, None]


@pytest.mark.parametrize("text", ["", "   ", "\n\n \t \n"])
def test_blank_text_has_no_turns(text: str) -> None:
    assert parse_turns(text) == ()


def test_markdown_bold_labels(spoken: Spoken) -> None:
    text = "**Interviewer:** First question?\n\n**Margaret**: An answer.\n"
    turns = parse_turns(text)
    assert spoken(text, turns) == ["First question?", "An answer."]
    assert [t.speaker for t in turns] == ["Interviewer", "Margaret"]


def test_lowercase_role_labels_and_spaces_before_colon(spoken: Spoken) -> None:
    text = "interviewer : Ready?\nr: Yes.\n"
    turns = parse_turns(text)
    assert spoken(text, turns) == ["Ready?", "Yes."]
    assert [t.role for t in turns] == [INTERVIEWER, RESPONDENT]


def test_unicode_offsets_are_code_points(spoken: Spoken) -> None:
    text = "Zoë: Café culture — “we” had none 😀.\nI: Right.\n"
    turns = parse_turns(text)
    assert spoken(text, turns) == ["Café culture — “we” had none 😀.", "Right."]
    assert turns[0].speaker == "Zoë"
