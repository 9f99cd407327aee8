"""Transcript layouts judged from the whole document: each common export, with invented
speakers; speakers, roles, words (no timestamp residue), times and offsets exact."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qualcode.domain.documents import INTERVIEWER, OTHER, RESPONDENT
from qualcode.domain.layouts import (
    BRACKETED,
    DIARISED,
    NAME_LINE,
    ONE_SIDE,
    SEPARATED,
    SPEAKER_LINE,
    UNLABELLED,
    parse_layout,
    parse_turns,
)
from qualcode.domain.segmentation import segment_turns
from qualcode.domain.speaker_roles import propose_interviewers

if TYPE_CHECKING:
    from tests.ingest.conftest import Spoken

SERVICE_EXPORT = """Team supervision interview
Tue, 3/4 10:02AM \u2022 41:17

SUMMARY KEYWORDS
supervision, caseloads,
agency staff

SPEAKERS
Alex Carter, Sam Byrne

Alex Carter  0:04
How often do you get supervision?

Sam Byrne  0:09
Monthly, in theory.
It slips when the duty rota is short.

Alex Carter  1:02:03
And who supervises you?

Sam Byrne  1:02:10
The team manager. She has 12:30 slots.
"""


def _who(layout_turns: tuple, text: str) -> list[tuple[str | None, str, str | None, str]]:
    return [(t.speaker, t.role, t.time, text[t.start : t.end]) for t in layout_turns]


def test_service_export_with_header_and_name_time_lines(spoken: Spoken) -> None:
    layout = parse_layout(SERVICE_EXPORT)
    assert layout.name == SPEAKER_LINE
    assert layout.attributes == {
        "title": "Team supervision interview",
        "keywords": "supervision, caseloads, agency staff",
        "speakers": "Alex Carter, Sam Byrne",
    }
    assert _who(layout.turns, SERVICE_EXPORT) == [
        ("Alex Carter", RESPONDENT, "0:04", "How often do you get supervision?"),
        (
            "Sam Byrne",
            RESPONDENT,
            "0:09",
            "Monthly, in theory.\nIt slips when the duty rota is short.",
        ),
        ("Alex Carter", RESPONDENT, "1:02:03", "And who supervises you?"),
        ("Sam Byrne", RESPONDENT, "1:02:10", "The team manager. She has 12:30 slots."),
    ]
    spoken(SERVICE_EXPORT, layout.turns)  # exact spans, no surrounding whitespace
    assert layout.warnings == ()
    # the header is no one's turn
    assert all(t.start > SERVICE_EXPORT.index("Alex Carter  0:04") for t in layout.turns)


def test_untitled_export_lead_and_footer_are_no_turns(spoken: Spoken) -> None:
    text = (
        "Rota interview\nMon, Mar 04, 2024 10:02AM \u2022 41:17\n\n"
        "Alex Carter  0:04\nHow is the rota run?\n\nSam Byrne  0:09\nWeekly.\n\n"
        "Alex Carter  0:15\nThanks.\n\nTranscribed by https://example.org\n"
    )
    layout = parse_layout(text)
    assert spoken(text, layout.turns) == ["How is the rota run?", "Weekly.", "Thanks."]
    assert layout.attributes == {
        "title": "Rota interview Mon, Mar 04, 2024 10:02AM \u2022 41:17",
        "footer": "Transcribed by https://example.org",
    }


def test_a_teams_closing_line_is_no_ones_words(spoken: Spoken) -> None:
    """ "Alex Carter stopped transcription" was quoted as the respondent's last words."""
    text = (
        "Alex Carter   0:03\nHow is the rota run?\n\nSam Byrne   0:09\nWeekly. No problem.\n\n"
        "Alex Carter stopped transcription\n"
    )
    layout = parse_layout(text)
    assert spoken(text, layout.turns) == ["How is the rota run?", "Weekly. No problem."]
    assert layout.attributes["footer"] == "Alex Carter stopped transcription"


def test_service_export_interviewer_is_proposed_from_questions_and_short_turns() -> None:
    other = SERVICE_EXPORT.replace("Sam Byrne", "Kim Doyle")
    docs = [(text, parse_layout(text).turns) for text in (SERVICE_EXPORT, other)]
    assert propose_interviewers(docs) == [("Alex Carter",), ("Alex Carter",)]


def test_interviewer_flag_names_the_interviewer() -> None:
    turns = parse_turns(SERVICE_EXPORT, ["Alex Carter"])
    assert [t.role for t in turns] == [INTERVIEWER, RESPONDENT, INTERVIEWER, RESPONDENT]


def test_proposal_prefers_the_speaker_present_across_transcripts() -> None:
    # here the interviewer asks no questions, but is the one in every transcript
    docs = []
    for name in ("Kim", "Lee", "Ola"):
        text = f"Jo: Tell me more.\n{name}: We did it? Why? Who knows? It was long ago now.\n"
        docs.append((text, parse_turns(text)))
    assert propose_interviewers(docs) == [("Jo",), ("Jo",), ("Jo",)]


def test_co_interviewers_in_every_session_are_both_proposed() -> None:
    docs = []
    for name in ("Kim", "Lee", "Ola", "Pat"):
        text = f"Jo: Tell me more?\nSam: And why?\n{name}: It was long ago now, I think.\n"
        docs.append((text, parse_turns(text)))
    assert propose_interviewers(docs) == [("Jo", "Sam")] * 4


def test_generic_labels_in_every_session_are_not_all_interviewers() -> None:
    docs = []
    for _ in range(4):
        text = "Speaker 1: Why?\nSpeaker 2: Because it was long ago now, I think.\n"
        docs.append((text, parse_turns(text)))
    assert propose_interviewers(docs) == [("Speaker 1",)] * 4


@pytest.mark.parametrize(
    ("asks", "answers"), [("IR", "IE"), ("IV", "IE"), ("Int", "Part"), ("I", "P")]
)
def test_uk_transcribers_role_labels(asks: str, answers: str) -> None:
    """walk48b: "IE" was read as "i.e.", so each question, "IE:" and answer made one
    respondent turn of IR; "Part:" stayed at the start of the answers."""
    text = (
        f"{asks}: How many staff?\n{answers}: About forty.\n{asks}: Vacancies?\n{answers}: Seven.\n"
    )
    assert _who(parse_turns(text), text) == [
        (asks, INTERVIEWER, None, "How many staff?"),
        (answers, RESPONDENT, None, "About forty."),
        (asks, INTERVIEWER, None, "Vacancies?"),
        (answers, RESPONDENT, None, "Seven."),
    ]


def test_a_listed_point_is_not_a_speaker() -> None:
    """walk48b: "Firstly:", "Secondly:", "Finally:" in an answer became three speakers,
    and the words were cut from the quotes."""
    text = (
        "Interviewer: What were the issues?\nRespondent: Three things.\n"
        "Firstly: recording was late.\nSecondly: supervision.\nFinally: oversight.\n"
    )
    turns = parse_turns(text)
    assert [t.speaker for t in turns] == ["Interviewer", "Respondent"]
    assert text[turns[1].start : turns[1].end].endswith("Finally: oversight.")


def test_a_title_before_the_first_speaker_is_context_not_words() -> None:
    """walk48b: "Interview 4 - Director" and "Date: 12 May 2023" above the first
    speaker made a codable respondent segment, counted in the case's coded n of m."""
    text = (
        "Interview 4 \u2013 Director, County Council\nDate: 12 May 2023\n\n"
        "Interviewer: What are your challenges?\nRespondent: Rural location.\n"
        "Interviewer: And retention?\nRespondent: Better.\n"
    )
    layout = parse_layout(text)
    first = layout.turns[0]
    assert (first.speaker, first.role) == (None, OTHER)
    assert [t.role for t in layout.turns[1:]] == [INTERVIEWER, RESPONDENT] * 2
    assert any("10 words before the first speaker ('Interview 4" in w for w in layout.warnings)
    # a long stretch before the first label is someone's words, as before
    long = " ".join(["word"] * 60) + "\n" + text
    assert parse_layout(long).turns[0].role == RESPONDENT


def test_no_proposal_when_an_interviewer_is_labelled_or_one_speaker() -> None:
    text = "Interviewer: Why?\nMargaret: Because.\n"
    alone = "Margaret: Just me talking here.\n"
    assert propose_interviewers([(text, parse_turns(text)), (alone, parse_turns(alone))]) == [
        (),
        (),
    ]


@pytest.mark.parametrize(
    ("text", "times"),
    [
        (
            "Speaker 1 (00:01:02): Hello there.\nSpeaker 2 (00:01:05): Hi.\n",
            ["00:01:02", "00:01:05"],
        ),
        (
            "[00:01:02] Speaker 1: Hello there.\n[00:01:05] Speaker 2: Hi.\n",
            ["00:01:02", "00:01:05"],
        ),
        ("00:01:02 Speaker 1: Hello there.\n00:01:05 Speaker 2: Hi.\n", ["00:01:02", "00:01:05"]),
    ],
)
def test_timestamped_labels_keep_the_time_as_metadata(
    text: str, times: list[str], spoken: Spoken
) -> None:
    layout = parse_layout(text)
    assert layout.name == "Name: words with timestamps"
    assert spoken(text, layout.turns) == ["Hello there.", "Hi."]
    assert [t.speaker for t in layout.turns] == ["Speaker 1", "Speaker 2"]
    assert [t.time for t in layout.turns] == times


def test_diarised_labels_with_colon(spoken: Spoken) -> None:
    text = "SPEAKER_00: What do you do?\nSPEAKER_01: I manage a team.\n"
    layout = parse_layout(text)
    assert layout.name == "diarised SPEAKER_n: words"
    assert spoken(text, layout.turns) == ["What do you do?", "I manage a team."]
    assert [t.speaker for t in layout.turns] == ["SPEAKER_00", "SPEAKER_01"]


def test_diarised_labels_in_brackets(spoken: Spoken) -> None:
    text = (
        "[SPEAKER_00] What do you do?\n[SPEAKER_01] I manage a team.\nAnd a budget.\n"
        "[SPEAKER_00]\nHow big?\n"
    )
    layout = parse_layout(text)
    assert layout.name == DIARISED
    assert spoken(text, layout.turns) == [
        "What do you do?",
        "I manage a team.\nAnd a budget.",
        "How big?",
    ]
    assert [t.speaker for t in layout.turns] == ["SPEAKER_00", "SPEAKER_01", "SPEAKER_00"]


@pytest.mark.parametrize(
    "text",
    [
        "Alex [00:00:04]\nWhat do you do?\n\nSam [00:00:09]\nI manage a team.\n\n"
        "Alex [00:00:15]\nHow big?\n",
        "Alex [00:00:04] What do you do?\nSam [00:00:09] I manage a team.\n"
        "Alex [00:00:15] How big?\n",
        "Alex (00:00:04)\nWhat do you do?\nSam (00:00:09)\nI manage a team.\n"
        "Alex (00:00:15)\nHow big?\n",
        "[00:00:04] Alex\nWhat do you do?\n[00:00:09] Sam\nI manage a team.\n"
        "[00:00:15] Alex\nHow big?\n",
        "00:00:04\nAlex\nWhat do you do?\n\n00:00:09\nSam\nI manage a team.\n\n"
        "00:00:15\nAlex\nHow big?\n",
        "Alex\n00:00:04\nWhat do you do?\nSam\n00:00:09\nI manage a team.\n"
        "Alex\n00:00:15\nHow big?\n",
    ],
)
def test_name_and_time_before_the_words(text: str, spoken: Spoken) -> None:
    layout = parse_layout(text)
    assert layout.name == SPEAKER_LINE
    assert spoken(text, layout.turns) == ["What do you do?", "I manage a team.", "How big?"]
    assert [(t.speaker, t.time) for t in layout.turns] == [
        ("Alex", "00:00:04"),
        ("Sam", "00:00:09"),
        ("Alex", "00:00:15"),
    ]
    assert layout.warnings == ()


def test_teams_style_cue_timing_then_name(spoken: Spoken) -> None:
    text = (
        "0:0:4.120 --> 0:0:8.20\nAlex van der Berg\nWhat do you do?\n\n"
        "0:0:9.0 --> 0:0:12.500\nSam Byrne\nI manage a team.\n\n"
        "0:1:15.0 --> 0:1:17.0\nAlex van der Berg\nHow big?\n"
    )
    layout = parse_layout(text)
    assert layout.name == SPEAKER_LINE
    assert spoken(text, layout.turns) == ["What do you do?", "I manage a team.", "How big?"]
    assert [(t.speaker, t.time) for t in layout.turns] == [
        ("Alex van der Berg", "0:0:4.120"),
        ("Sam Byrne", "0:0:9.0"),
        ("Alex van der Berg", "0:1:15.0"),
    ]


def test_name_particles_in_labels() -> None:
    text = "Maria de la Cruz: Hello.\nInterviewer: Hi.\n"
    assert [t.speaker for t in parse_turns(text)] == ["Maria de la Cruz", "Interviewer"]


@pytest.mark.parametrize(
    "text",
    [
        "[00:00:03] Bob Jones (Interviewer): What do you do?\n"
        "[00:00:10] Sarah Lee (Participant): I manage a team.\n"
        "[00:00:25] Bob Jones (Interviewer): How big?\n",
        "Bob Jones (Interviewer)  0:03\nWhat do you do?\n\n"
        "Sarah Lee (Participant)  0:10\nI manage a team.\n\n"
        "Bob Jones (Interviewer)  0:25\nHow big?\n",
    ],
)
def test_a_role_in_brackets_after_the_name(text: str, spoken: Spoken) -> None:
    layout = parse_layout(text)
    assert spoken(text, layout.turns) == ["What do you do?", "I manage a team.", "How big?"]
    assert [(t.speaker, t.role) for t in layout.turns] == [
        ("Bob Jones (Interviewer)", INTERVIEWER),
        ("Sarah Lee (Participant)", RESPONDENT),
        ("Bob Jones (Interviewer)", INTERVIEWER),
    ]


def test_speakers_told_apart_by_a_letter_above_their_words(spoken: Spoken) -> None:
    """AssemblyAI and Descript write "Speaker A  0:03": the first turn became the
    source's title and the third joined Speaker B's second."""
    text = (
        "Speaker A  0:03\nHello, what do you do?\n\nSpeaker B  0:09\nI am a nurse.\n\n"
        "Speaker A  0:15\nHow long?\n\nSpeaker B  0:20\nTen years.\n"
    )
    layout = parse_layout(text)
    assert spoken(text, layout.turns) == [
        "Hello, what do you do?",
        "I am a nurse.",
        "How long?",
        "Ten years.",
    ]
    assert [(t.speaker, t.time) for t in layout.turns] == [
        ("Speaker A", "0:03"),
        ("Speaker B", "0:09"),
        ("Speaker A", "0:15"),
        ("Speaker B", "0:20"),
    ]


def test_brackets_in_an_ordinary_line_make_no_speaker() -> None:
    text = (
        "Interviewer: Go on.\nRespondent: We had three.\n"
        "The results (see the appendix): mixed.\nNote (added later): unclear.\n"
    )
    assert [t.speaker for t in parse_turns(text)] == ["Interviewer", "Respondent"]


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_speaker_alone_on_a_line_above_the_words(gap: str, spoken: Spoken) -> None:
    text = gap.join(
        [
            "Interviewer",
            "What do you do?",
            "Jane Smith",
            "I manage a team.\nIt is a big one.",
            "Interviewer",
            "How big?",
            "Jane Smith",
            "Twelve people.",
        ]
    )
    layout = parse_layout(text)
    assert layout.name == NAME_LINE
    assert layout.warnings == (
        "speakers read from names alone on their lines, a layout guessed from the whole "
        "file: check the turns with `qualcode speakers`",
    )
    assert spoken(text, layout.turns) == [
        "What do you do?",
        "I manage a team.\nIt is a big one.",
        "How big?",
        "Twelve people.",
    ]
    assert [(t.speaker, t.role) for t in layout.turns] == [
        ("Interviewer", INTERVIEWER),
        ("Jane Smith", RESPONDENT),
        ("Interviewer", INTERVIEWER),
        ("Jane Smith", RESPONDENT),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # headings said once each are no speakers
        "Background\n\nWe met in March.\n\nStaffing\n\nVacancies were high.\n\n"
        "Supervision\n\nIt slipped.\n\nConclusion\n\nMixed.\n",
        # a short reply that recurs among many paragraphs of text
        "We started the project in March and it ran for a year.\n\nDefinitely\n\n"
        "The team grew from six to twelve over that time.\n\nThen it shrank again.\n\n"
        "Definitely\n\nNobody expected the budget cut, least of all the managers.\n\n"
        "It came in the autumn.\n\nWe coped.\n\nMostly by cutting overtime.\n",
        # fillers said on lines of their own, each twice, often enough to be a layout
        "How are you finding recruitment?\nHonestly\nIt is really hard, we lose people.\n"
        "Right\nAnd supervision?\nHonestly\nIt helps, when it happens.\nRight\nThanks.\n",
    ],
)
def test_lines_that_only_look_like_names_make_no_speakers(text: str) -> None:
    layout = parse_layout(text)
    assert layout.name == UNLABELLED
    assert all(t.speaker is None for t in layout.turns)


def test_names_in_square_brackets(spoken: Spoken) -> None:
    text = (
        "[Interviewer] Could you tell me about your role?\n"
        "[Jane Smith]: I run the duty team.\n[Laughs] It keeps me busy.\n"
        "[Interviewer] And supervision?\n[Jane Smith] Monthly.\n"
    )
    layout = parse_layout(text)
    assert layout.name == BRACKETED
    assert spoken(text, layout.turns) == [
        "Could you tell me about your role?",
        "I run the duty team.\n[Laughs] It keeps me busy.",
        "And supervision?",
        "Monthly.",
    ]
    assert [(t.speaker, t.role) for t in layout.turns] == [
        ("Interviewer", INTERVIEWER),
        ("Jane Smith", RESPONDENT),
        ("Interviewer", INTERVIEWER),
        ("Jane Smith", RESPONDENT),
    ]


def test_names_in_square_brackets_with_the_time_and_the_words_below(spoken: Spoken) -> None:
    text = (
        "[Jane Smith] 10:02:03\nHow is supervision organised?\n"
        "[Bob Jones] 10:02:10\nMonthly.\n[Jane Smith] 10:02:30\nAnd does it happen?\n"
        "[Bob Jones] 10:02:35\nMostly.\n"
    )
    layout = parse_layout(text)
    assert layout.name == BRACKETED
    assert spoken(text, layout.turns) == [
        "How is supervision organised?",
        "Monthly.",
        "And does it happen?",
        "Mostly.",
    ]
    assert [t.time for t in layout.turns] == ["10:02:03", "10:02:10", "10:02:30", "10:02:35"]


def test_bracketed_notes_at_the_start_of_lines_make_no_speakers() -> None:
    text = (
        "We started in March.\n[Laughs] It was chaos.\n[Pause] Then it settled.\n"
        "[Inaudible] and the budget.\n[Laughs] Anyway.\n[Pause] We coped.\n"
    )
    layout = parse_layout(text)
    assert layout.name == UNLABELLED


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        (
            "Interviewer \u2013 How is supervision organised?\nRespondent \u2013 Monthly.\n"
            "Interviewer \u2013 And does it happen?\nRespondent \u2013 Mostly.\n",
            ["Interviewer", "Respondent"] * 2,
        ),
        (
            "Q. How is supervision organised?\nA. Monthly.\nQ. And does it happen?\nA. Mostly.\n",
            ["Q", "A"] * 2,
        ),
        (
            "Alex\tHow is supervision organised?\nSam\tMonthly.\nAlex\tAnd does it happen?\n"
            "Sam\tMostly.\n",
            ["Alex", "Sam"] * 2,
        ),
    ],
)
def test_labels_set_off_by_a_dash_a_tab_or_a_dot(
    text: str, speakers: list[str], spoken: Spoken
) -> None:
    layout = parse_layout(text)
    assert layout.name == SEPARATED
    assert spoken(text, layout.turns) == [
        "How is supervision organised?",
        "Monthly.",
        "And does it happen?",
        "Mostly.",
    ]
    assert [t.speaker for t in layout.turns] == speakers
    if speakers[0] != "Alex":  # named speakers' roles are proposed for the whole import
        assert [t.role for t in layout.turns] == [INTERVIEWER, RESPONDENT] * 2


def test_dashes_and_full_stops_in_prose_make_no_speakers() -> None:
    text = (
        "Supervision - it happens monthly.\nMostly. But not always.\n"
        "Caseloads - they are high.\nYes. We cope.\nBudgets - tight.\n"
    )
    assert parse_layout(text).name == UNLABELLED


def test_one_speaker_in_other_capitals_is_one_speaker() -> None:
    text = (
        "Interviewer: Hi?\nJane Smith: One.\nINTERVIEWER: And?\nJANE SMITH: Two.\n"
        "Interviewer : More?\nJane  Smith: Three.\n"
    )
    assert [t.speaker for t in parse_turns(text)] == ["Interviewer", "Jane Smith"] * 3


def test_a_stray_time_before_an_ordinary_line_makes_no_speaker(spoken: Spoken) -> None:
    text = "Interviewer: Go on.\n[00:05:00]\nYeah\nRespondent: So we did.\n"
    layout = parse_layout(text)
    assert [t.speaker for t in layout.turns] == ["Interviewer", "Respondent"]


def test_a_time_line_inside_a_turn_keeps_the_turn_but_is_no_segment_text(spoken: Spoken) -> None:
    text = "Alex  0:04\nWhat do you do?\nSam  0:09\nI manage a team.\n[00:05:00]\nAnd a budget.\n"
    layout = parse_layout(text)
    assert [t.speaker for t in layout.turns] == ["Alex", "Sam"]
    segments = segment_turns(text, layout.turns)
    assert spoken(text, segments) == ["What do you do?", "I manage a team.", "And a budget."]
    assert [(g.speaker, g.time) for g in segments] == [
        ("Alex", "0:04"),
        ("Sam", "0:09"),
        ("Sam", "0:09"),
    ]


def test_q_and_a(spoken: Spoken) -> None:
    text = "Q: What do you do?\nA: I manage a team.\n"
    layout = parse_layout(text)
    assert layout.name == "Q: / A:"
    assert spoken(text, layout.turns) == ["What do you do?", "I manage a team."]
    assert [t.role for t in layout.turns] == [INTERVIEWER, RESPONDENT]


def test_markdown_bold_names(spoken: Spoken) -> None:
    text = "**Interviewer:** What?\n\n**Sam Byrne:** This.\n\n**Interviewer**: And?\n"
    layout = parse_layout(text)
    assert layout.name == "**Name:** words (Markdown bold)"
    assert spoken(text, layout.turns) == ["What?", "This.", "And?"]
    assert [t.role for t in layout.turns] == [INTERVIEWER, RESPONDENT, INTERVIEWER]


ONE_SIDED = """MODERATOR: Please start with task one.
I am reading the home page now.
It looks clear enough: mostly.
MODERATOR: Can you find the export button?
Yes, it is at the top. (The participant clicks) MODERATOR: Good.
Polar plot: I do not get it.
"""


def test_only_the_interviewer_labelled(spoken: Spoken) -> None:
    layout = parse_layout(ONE_SIDED)
    assert layout.name == f"{ONE_SIDE} (MODERATOR:)"
    assert spoken(ONE_SIDED, layout.turns) == [
        "Please start with task one.",
        "I am reading the home page now.",
        "It looks clear enough: mostly.",
        "Can you find the export button?",
        "Yes, it is at the top. (The participant clicks)",
        "Good.",
        "Polar plot: I do not get it.",
    ]
    assert [(t.speaker, t.role) for t in layout.turns] == [
        ("MODERATOR", INTERVIEWER),
        (None, RESPONDENT),
        (None, RESPONDENT),
        ("MODERATOR", INTERVIEWER),
        (None, RESPONDENT),
        ("MODERATOR", INTERVIEWER),
        (None, RESPONDENT),
    ]


def test_only_the_interviewer_labelled_in_paragraphs(spoken: Spoken) -> None:
    text = (
        "Interviewer: How did it start?\n\nWe had no manager.\nFor a year.\n\n"
        "Interviewer: And then?\nA new one came.\n\nIt got better.\n"
    )
    layout = parse_layout(text)
    assert spoken(text, layout.turns) == [
        "How did it start?",
        "We had no manager.\nFor a year.",
        "And then?\nA new one came.",
        "It got better.",
    ]
    assert [t.role for t in layout.turns] == [INTERVIEWER, RESPONDENT, INTERVIEWER, RESPONDENT]


TASKS = """1 Read the home tab.
 Okay, reading it now.
  1.a Was it clear?
   Yes, mostly clear.
2 Log in.
 Done, 1, 2, 3 steps.
 MODERATOR: Thanks.
 Right, next one.
3 Submit a query. MODERATOR: Take your time.
 Submitting.
"""


def test_numbered_prompts_are_context_not_respondent_words(spoken: Spoken) -> None:
    layout = parse_layout(TASKS)
    assert layout.name == f"{ONE_SIDE} (MODERATOR:) with numbered prompts"
    assert _who(layout.turns, TASKS) == [
        (None, OTHER, None, "1 Read the home tab."),
        (None, RESPONDENT, None, "Okay, reading it now."),
        (None, OTHER, None, "1.a Was it clear?"),
        (None, RESPONDENT, None, "Yes, mostly clear."),
        (None, OTHER, None, "2 Log in."),
        (None, RESPONDENT, None, "Done, 1, 2, 3 steps."),
        ("MODERATOR", INTERVIEWER, None, "Thanks."),
        (None, RESPONDENT, None, "Right, next one."),
        (None, OTHER, None, "3 Submit a query."),
        ("MODERATOR", INTERVIEWER, None, "Take your time."),
        (None, RESPONDENT, None, "Submitting."),
    ]
    spoken(TASKS, layout.turns)


def test_numbered_prompts_without_any_label() -> None:
    text = (
        "1 Describe your team.\nWe are six.\n2 Describe your manager.\nShe is new.\n"
        "3 Anything else?\nNo.\n"
    )
    layout = parse_layout(text)
    assert layout.name == f"{UNLABELLED} with numbered prompts"
    assert [t.role for t in layout.turns] == [OTHER, RESPONDENT] * 3


def test_items_of_a_lettered_prompt_are_prompts_too() -> None:
    """serdif's "4.c Click the following buttons:" lists "c.i Data Provenance" ... under
    it: 93 such items came in as the participants' own words."""
    text = (
        "1 Describe your team.\nWe are six.\n2 Open the tabs.\nOkay.\n"
        "  2.c Click the following buttons:\n      c.i Data Provenance\n"
        "       So this is the provenance, i.e. where it came from.\n"
        "      c.iii Full Metadata Exploration\n       Lots here.\n"
        "      a.i Which event uses the most data sets between Q1 and Q2?\n       The first.\n"
        "      c.ii Data Lineage I do not see any difference with data provenance.\n"
    )
    layout = parse_layout(text)
    said = [(t.role, text[t.start : t.end]) for t in layout.turns]
    assert (OTHER, "c.i Data Provenance") in said
    assert (OTHER, "c.iii Full Metadata Exploration") in said
    assert (RESPONDENT, "So this is the provenance, i.e. where it came from.") in said
    assert (RESPONDENT, "Lots here.") in said
    assert (OTHER, "a.i Which event uses the most data sets between Q1 and Q2?") in said
    # the participant's words run on after an item: theirs, not the task sheet's
    line = "c.ii Data Lineage I do not see any difference with data provenance."
    assert [role for role, said_ in said if line in said_] == [RESPONDENT]


def test_no_speaker_structure_is_reported() -> None:
    layout = parse_layout("Just some notes.\n\nAnother paragraph.\n")
    assert layout.name == UNLABELLED
    assert len(layout.turns) == 2
    assert len(layout.warnings) == 1
    assert layout.warnings[0].startswith("no speaker structure")


def test_stray_timestamps_are_reported() -> None:
    text = "Interviewer: Why?\n00:00:10\nRespondent: Because.\n[00:00:20]\nInterviewer: Ok.\n"
    layout = parse_layout(text)
    assert any("bare timestamps (2 lines)" in w for w in layout.warnings)


def test_one_speaker_with_nearly_all_words_is_reported() -> None:
    text = "Interviewer: Why?\nRespondent: " + "word " * 100 + "\n"
    layout = parse_layout(text)
    assert layout.warnings == (
        "Respondent holds 99% of the words: check that turns were split by speaker",
    )


def test_a_respondent_with_long_answers_is_not_reported() -> None:
    # an ordinary interview: short questions, long answers over many turns (96% theirs)
    answer = "word " * 60
    text = "".join(f"Interviewer: Why {n}?\nRespondent: {answer}\n" for n in range(8))
    layout = parse_layout(text)
    assert layout.warnings == ()


def test_an_interviewer_with_nearly_all_words_is_reported() -> None:
    # the respondent's labels were missed: their words went to the interviewer
    answer = "word " * 60
    text = "".join(f"Interviewer: {answer}\nRespondent: Yes.\n" for n in range(8))
    layout = parse_layout(text)
    assert layout.warnings == (
        "Interviewer holds 98% of the words: check that turns were split by speaker",
    )


def test_the_only_speaker_found_is_reported() -> None:
    text = "".join(f"Jo: part {n} of what was said.\n" for n in range(8))
    layout = parse_layout(text)
    assert layout.warnings == (
        "Jo holds 100% of the words: check that turns were split by speaker",
    )


def test_a_speaker_turn_holding_most_of_the_words_is_reported() -> None:
    # many turns, but one of them swallowed the rest of the interview
    text = "".join(f"Interviewer: Why {n}?\nRespondent: Because.\n" for n in range(5))
    text += "Interviewer: And?\nRespondent: " + "word " * 200 + "\n"
    layout = parse_layout(text)
    assert len(layout.warnings) == 1
    assert layout.warnings[0].startswith("Respondent holds 9")


def test_issue_regression_no_label_cut_at_the_timestamp_colon() -> None:
    # the old line-by-line reading gave speakers "Alex Carter  0" and turns "04\n..."
    turns = parse_turns(SERVICE_EXPORT)
    assert {t.speaker for t in turns} == {"Alex Carter", "Sam Byrne"}
    for turn in turns:
        words = SERVICE_EXPORT[turn.start : turn.end]
        assert not words[:1].isdigit()


def test_no_segment_starts_with_a_timestamp(spoken: Spoken) -> None:
    text = (
        "[00:00:04] First thing said.\n\n(00:00:09) Second thing.\n\n"
        "00:01:02 - third\n\n10:30 is when we meet.\n"
    )
    segments = segment_turns(text, parse_turns(text))
    assert spoken(text, segments) == [
        "First thing said.",
        "Second thing.",
        "third",
        "10:30 is when we meet.",
    ]


def test_a_pseudonymised_id_in_lower_case_is_a_speaker() -> None:
    """walk48a: QualCoder's sample labels its participant "admin-1:"; not read as a
    speaker, 55 answers joined the interviewer's one 5,412-word turn."""
    text = (
        "Max Bigman:   How did you join?\n\nadmin-1:   At the start.\n\n"
        "Max Bigman:   Background?\n\nadmin-1:   Languages.\n"
    )
    assert [t.speaker for t in parse_turns(text)] == ["Max Bigman", "admin-1"] * 2


def test_a_lower_case_id_said_once_inside_an_answer_stays_its_words() -> None:
    """walk48c: once "admin-1:" was a speaker, "covid-19:" and "year-2:" opening lines
    of an answer became speakers too, and were cut from the answer."""
    text = (
        "Interviewer: What changed?\nRespondent: Two big things happened to us.\n"
        "covid-19: everything went online overnight.\nyear-2: the restructure.\n"
        "Interviewer: And now?\nRespondent: Still recovering.\n"
    )
    turns = parse_turns(text)
    assert [t.speaker for t in turns] == ["Interviewer", "Respondent"] * 2
    assert text[turns[1].start : turns[1].end].endswith("year-2: the restructure.")
