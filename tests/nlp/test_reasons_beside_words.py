"""A learned suggestion that no word of the passage explains says what did: the prompt
before it, its place in the source or a case attribute."""

from __future__ import annotations

from qualcode.nlp.coldstart import ThemeProfile
from qualcode.nlp.passages import Passage
from qualcode.nlp.suggester import ThemeSuggester, build_corpus

THEMES = [ThemeProfile("A", "Parking"), ThemeProfile("B", "Pay")]
PROMPTS = {0: "3.a Tell us about the car park", 1: "5.b Tell us about salaries"}
# No word here is one the word block reads (function words only, each said differently);
# the word vectors do read them, so each reply goes with both themes.
REPLIES = ["It is what it is.", "So so.", "As it was.", "If so, then so."]


def _fitted(passages: list[Passage], themes: list[int], coded: int) -> ThemeSuggester:
    # One uncoded passage with words, so that the study has a vocabulary at all.
    passages = [*passages, Passage("Lovely weather again.", passages[0].context)]
    corpus = build_corpus(
        [f"s{j}" for j in range(len(passages))], [p.text for p in passages], passages=passages
    )
    examples = [(j, frozenset({k})) for j, k in enumerate(themes[:coded])]
    return ThemeSuggester().fit(corpus, THEMES, examples)


def test_a_suggestion_resting_on_the_prompt_says_so() -> None:
    passages, themes = [], []
    for i in range(60):
        k = i % 2
        reply = REPLIES[(i // 2) % len(REPLIES)]
        # both themes all through the source: the prompt is all that tells them apart
        place = 0.05 + 0.1 * ((i // 2) % 10)
        passages.append(Passage(reply, PROMPTS[k], position=place, case=f"c{i}"))
        themes.append(k)
    fitted = _fitted(passages, themes, coded=48)
    rows = list(range(48, 60))
    for row, scored in zip(rows, fitted.suggest(rows, top=1), strict=True):
        [best] = scored
        assert best.learned
        assert best.theme == themes[row]
        assert best.because == (f'after "{PROMPTS[themes[row]]}"',)


def test_a_suggestion_resting_on_its_place_says_so() -> None:
    passages, themes = [], []
    for i in range(60):
        k = i % 2
        # the same prompt all through: where the passage comes is what tells them apart
        passages.append(Passage(REPLIES[(i // 2) % 4], PROMPTS[0], position=0.1 + 0.8 * k))
        themes.append(k)
    fitted = _fitted(passages, themes, coded=48)
    rows = list(range(48, 60))
    for row, scored in zip(rows, fitted.suggest(rows, top=1), strict=True):
        assert scored[0].theme == themes[row]
        place = round(100 * (passages[row].position or 0))
        assert scored[0].because == (f"its place in the source ({place}% in)",)


def test_a_survey_answer_names_its_question_and_long_ones_are_cut() -> None:
    long_q = "Q2 " + "thinking about the last twelve months in your team " * 2
    questions = {0: "Q1 parking", 1: long_q}
    # each reply to both questions: the question is all that tells the themes apart
    passages = [Passage(REPLIES[(i // 2) % 4], questions[i % 2]) for i in range(60)]
    fitted = _fitted(passages, [i % 2 for i in range(60)], coded=48)
    because = {s[0].because for s in fitted.suggest(list(range(48, 60)), top=1)}
    assert ('answering "Q1 parking"',) in because
    cut = [b[0] for b in because if "Q2" in b[0]]
    assert cut
    assert all(b.endswith('…"') and len(b) <= len('answering ""') + 60 for b in cut)


def test_an_attribute_that_carries_a_theme_is_named() -> None:
    passages = [
        Passage(
            REPLIES[(i // 2) % 4],
            attributes=(("site", "north" if i % 2 else "south"),),
            case=f"c{i}",
        )
        for i in range(80)
    ]
    fitted = _fitted(passages, [i % 2 for i in range(80)], coded=64)
    because = {s[0].because for s in fitted.suggest(list(range(64, 80)), top=1)}
    assert because == {("site: north",), ("site: south",)}


def test_a_place_that_outweighs_the_words_is_named_before_them() -> None:
    """A plain "Okay." is said a little more often early in the interview, where theme A is
    coded, but where the passage sits is what tells the themes apart: a suggestion of A
    says so first rather than "because: Okay"."""
    passages, themes = [], []
    for i in range(96):
        k = i % 2
        okay = (i // 2) % 8 < (5 if k == 0 else 3)
        reply = "Okay." if okay else REPLIES[(i // 2) % len(REPLIES)]
        passages.append(Passage(reply, PROMPTS[0], position=0.1 + 0.8 * k))
        themes.append(k)
    fitted = _fitted(passages, themes, coded=80)
    rows = [r for r in range(80, 96) if passages[r].text == "Okay." and themes[r] == 0]
    assert rows
    for scored in fitted.suggest(rows, top=1):
        [best] = scored
        assert best.theme == 0
        assert best.because[0] == "its place in the source (10% in)"


def test_reasons_that_repeat_a_word_are_merged() -> None:
    merge = ThemeSuggester()._merge
    assert merge(["yeah, I think", "yeah"], []) == ("yeah, I think",)
    assert merge(["Oh", "Oh yeah", "side"], []) == ("Oh yeah", "side")
    assert merge(["pay rise"], ["pay", "rise", "staff"]) == ("pay rise", "staff")


def test_a_one_question_survey_does_not_name_its_question_as_a_reason() -> None:
    """nhs-fft imported with --text-column text: 636 suggestions said 'answering "text"',
    the column every answer is in."""
    passages = [Passage(REPLIES[i % 4], "text", case=f"r{i}") for i in range(60)]
    # one theme coded on most answers: its weight on the one question (the same in
    # every answer) is what lifts it where no word does
    fitted = _fitted(passages, [0 if i % 6 else 1 for i in range(60)], coded=48)
    because = [b for s in fitted.suggest(list(range(48, 60)), top=2) for x in s for b in x.because]
    assert not [b for b in because if b.startswith("answering")], because
