"""A suggestion's reasons in full and in brief: the narrow Review column must not be
filled by a prompt while the words after it are hidden."""

import pytest

from qualcode.domain import reason_wording as w


@pytest.mark.parametrize(
    ("reason", "short"),
    [
        (
            w.after_prompt("1.a Was the information presented enough for you to get an idea?"),
            "prompt 1.a",
        ),
        (w.after_prompt("2 Login with the credentials"), "prompt 2"),
        (w.after_prompt("Q3) How did the merger go?"), "prompt Q3)"),
        (w.after_prompt("Can you tell me about your role?"), "prompt"),
        (w.answering("What was good about the service?"), "question"),
        (w.answering("Q7 What could we do better?"), "question Q7"),
        (w.place(0.02), "place 2%"),
        (w.place(0.5), "place 50%"),
        (w.close_word("carers"), "near carers"),
        (w.CLOSE_TO_CODED, "meaning"),
        (w.tone(True), "positive tone"),
        (w.tone(False), "negative tone"),
        (w.mood(True), "a question"),
        (w.mood(False), "a wish"),
        (w.attribute("sector", "NHS"), "sector: NHS"),
        ("pay rise", "pay rise"),
        ("after all", "after all"),  # a passage's own words that merely begin alike
    ],
)
def test_each_reason_has_a_brief_form(reason: str, short: str) -> None:
    assert w.brief(reason) == short


def test_a_long_prompt_is_cut_in_full_and_named_in_brief() -> None:
    prompt = "1.a " + "word " * 30
    full = w.after_prompt(prompt)
    assert full.endswith('…"')
    assert len(full) <= len('after ""') + w.PROMPT_CUT
    assert w.brief_list([full, "Okay"]) == "prompt 1.a, Okay"
