"""Sentences, attribution templates and elision (pure functions)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from qualcode.domain.quoting import (
    cut_words,
    elide,
    render,
    sentence_spans,
    sentences,
    spread,
    template_fields,
    unknown_fields,
    word_count,
)

DIRECTOR_LB = {"role": "Director", "authority_type": "London borough", "region": "London"}
PVI_DIRECTOR = {"role": "Director", "sector": "PVI"}


def test_sentences_split_at_full_stops_but_not_at_pauses_or_abbreviations() -> None:
    text = (
        "It is. It's... I mean, in some ways it's clarifying. We use e.g. agency staff! "
        "Why?\n\nBecause we must"
    )
    assert sentences(text) == [
        "It is.",
        "It's... I mean, in some ways it's clarifying.",
        "We use e.g. agency staff!",
        "Why?",
        "Because we must",
    ]
    for start, end in sentence_spans(text):
        assert text[start:end] == text[start:end].strip()


@pytest.mark.parametrize(
    ("template", "values", "expected"),
    [
        ("[{role}, {authority_type}]", DIRECTOR_LB, "[Director, London borough]"),
        ("[{role}, {authority_type}]", PVI_DIRECTOR, "[Director]"),
        ("[{role}, {authority_type}]", {"authority_type": "county council"}, "[county council]"),
        ("[{role}, {authority_type}]", {}, ""),
        ("[{role}, {authority_type}]", {"role": "", "authority_type": " "}, ""),
        ("[{sector} {job}]", {"sector": "CSD", "job": "social worker"}, "[CSD social worker]"),
        ("[{sector} {job}]", {"job": "manager"}, "[manager]"),
        ("{role}, {authority_type}", PVI_DIRECTOR, "Director"),
        ("({case}) {role}", {"role": "Director"}, "Director"),
        ("({case}) {role}", {"case": "int03"}, "(int03)"),
        ("[{Role} - {Authority type}]", DIRECTOR_LB, "[Director - London borough]"),
        (
            "[{role}; {authority_type}; {size}]",
            {"role": "Director", "size": "small"},
            "[Director; small]",
        ),
        ("[{years_experience:d} years]", {"years_experience": 12}, "[12 years]"),
        ("Interviewee", {}, "Interviewee"),
        # an anonymised value inside the template's brackets gives up its own
        ("[{case}, {sector}]", {"case": "[Case 1]", "sector": "DASS"}, "[Case 1, DASS]"),
        ("[{sector}, {lead}]", {"sector": "DASS", "lead": "[Person 3]"}, "[DASS, Person 3]"),
        ("{case} ({sector})", {"case": "[Case 1]", "sector": "DASS"}, "[Case 1] (DASS)"),
        ("[{note}]", {"note": "[a] and [b]"}, "[[a] and [b]]"),
    ],
)
def test_attribution_templates_leave_no_empty_separators(
    template: str, values: dict[str, object], expected: str
) -> None:
    assert render(template, values) == expected


def test_template_fields_are_checked() -> None:
    assert template_fields("[{Role}, {authority type}]") == ["role", "authority_type"]
    assert unknown_fields("[{role}, {autority_type}]", ["role", "authority_type"]) == [
        "autority_type"
    ]
    with pytest.raises(ValueError, match="template"):
        template_fields("[{role]")
    with pytest.raises(ValueError, match="empty"):
        template_fields("[{}]")


TEXT = (
    "We have got around three hundred and forty qualified social worker posts. "
    "The vacancy rate in permanent posts is about twenty-two per cent. "
    "In Selsmouth it is over thirty. "
    "The north of the county is easier, people can commute, but then they can also "
    "commute into London where they will earn four or five thousand more. "
    "So we lose people."
)


def test_a_short_quote_is_left_whole_on_one_line() -> None:
    assert elide("One line.\nTwo  lines.", 10) == "One line. Two lines."
    assert elide(TEXT, None) == TEXT


def test_elision_drops_whole_sentences_and_marks_them() -> None:
    out = elide(TEXT, 33)
    assert out == (
        "We have got around three hundred and forty qualified social worker posts. "
        "The vacancy rate in permanent posts is about twenty-two per cent. "
        "In Selsmouth it is over thirty. ... So we lose people."
    )
    assert word_count(out.replace("...", "")) == 33


def test_elision_marks_dropped_sentences_at_the_end() -> None:
    out = elide(TEXT, 12)
    assert out == ("We have got around three hundred and forty qualified social worker posts. ...")


def test_a_first_sentence_longer_than_the_limit_is_cut_at_a_word_boundary() -> None:
    out = elide(TEXT, 5)
    assert out == "We have got around three ..."
    assert cut_words("The north of the county is easier, people can commute", 8) == (
        "The north of the county is easier ..."
    )


def test_every_elided_quote_respects_the_limit() -> None:
    for limit in range(1, 60):
        out = elide(TEXT, limit)
        assert word_count(out.replace("...", "")) <= limit
        assert out.replace(" ...", "").replace("... ", "")


def test_max_words_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        elide(TEXT, 0)


@dataclass(frozen=True)
class Q:
    case: str
    text: str
    marked: bool = False
    asked: float = 0.0


FULL = "We rely on agency staff for most of the duty rota these days."


def test_quotes_are_picked_one_case_at_a_time_fragments_last_marked_first() -> None:
    reading_order = [
        Q("P1", "Heat map"),
        Q("P1", FULL + " one"),
        Q("P1", FULL + " two"),
        Q("P2", FULL + " three"),
        Q("P3", "Where is it?"),
        Q("P4", FULL + " four", marked=True),
        Q("P4", FULL + " five"),
    ]
    picked = spread(reading_order)
    assert picked[0] == Q("P4", FULL + " four", marked=True)  # the researcher's choice
    # then a full passage from each case not yet quoted (in an order not by id)
    assert sorted(q.case for q in picked[1:3]) == ["P1", "P2"]
    assert next(q for q in picked if q.case == "P1").text.endswith("one")
    # P4, quoted already, comes in the second round; fragments after every full one
    assert sorted(q.case for q in picked[3:5]) == ["P1", "P4"]
    assert {q.text for q in picked[-2:]} == {"Where is it?", "Heat map"}
    assert sorted(picked, key=reading_order.index) == reading_order  # nothing lost


def test_quotes_do_not_follow_the_ids() -> None:
    """nhs-fft's ids start with the service ("NEAS 111 ...", "NEAS PTS ..."): in id order
    every group's three quotes came from one service."""
    answers = [Q(f"NEAS 111 {n}", FULL) for n in range(30)]
    answers += [Q(f"NEAS PTS {n}", FULL) for n in range(30)]
    first = {q.case.rsplit(" ", 1)[0] for q in spread(answers)[:6]}
    assert first == {"NEAS 111", "NEAS PTS"}
    assert spread(answers) == spread(list(answers))  # the same every time


def test_the_interviewers_words_and_transcribers_notes_are_picked_last() -> None:
    """A report attributed the moderator's words to the participant: "MODERATOR: The
    buttons in task 4.c not in the dashboard, apologies." [Data analyst]."""
    theirs = Q("P1", "The buttons in task 4.c are not in the dashboard, apologies.", asked=1.0)
    mixed = Q("P2", FULL + " MODERATOR: Could you scroll down? " + FULL, asked=0.3)
    note = Q("P3", "(The participant reads the rest of the data table column headings)")
    plain = Q("P4", FULL)
    picked = spread([theirs, mixed, note, plain])
    assert picked[0] == plain
    assert set(picked[1:]) == {mixed, note}  # after every passage of the case's own words
    assert theirs not in picked  # the interviewer's words alone are not the case's quote
    assert spread([replace(theirs, marked=True)]) == [replace(theirs, marked=True)]
