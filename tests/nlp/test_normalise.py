"""Normalisation: spellings, abbreviations, speaker labels and the lemma table."""

from __future__ import annotations

import random
import socket

import pytest

from qualcode.nlp import lexicon, normalise
from qualcode.nlp.language import BLANK, pipeline
from qualcode.nlp.normalise import (
    WORD,
    Analysed,
    analyse,
    clean,
    find_phrase,
    phrase_tokens,
    stop_words,
    word_tokens,
)
from tests.nlp.conftest import real_texts


def test_sockets_are_blocked_in_these_tests() -> None:
    with pytest.raises(OSError, match="network access"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)


def test_british_and_american_spellings_meet() -> None:
    uk = analyse("The organisation analysed the behaviour of its programmes and cancelled.")
    us = analyse("The organization analyzed the behavior of its programs and canceled.")
    assert uk.tokens == us.tokens
    assert "organisation" in uk.tokens


def test_size_and_prize_keep_their_z() -> None:
    assert analyse("caseload size").tokens == ("caseload", "size")


def test_abbreviations_and_their_expansions_are_one_token() -> None:
    assert analyse("NQSWs").tokens == ("nqsw",)
    assert analyse("newly qualified social workers").tokens == ("nqsw",)
    assert analyse("the Integrated Children's System").tokens == analyse("ICS").tokens
    assert analyse("time off in lieu").tokens == analyse("TOIL").tokens
    # "IT" only as capitals: "it" stays a stop word
    assert analyse("IT is slow").tokens == ("it_systems", "slow")
    assert analyse("it is slow").tokens == ("slow",)


def test_shorthand_and_negation() -> None:
    assert analyse("my mgr doesn't care").tokens == ("manager", "not", "care")
    assert (
        find_phrase(
            analyse("I haven't had supervision since March").tokens,
            phrase_tokens("not had supervision"),
        )
        >= 0
    )


def test_speaker_labels_and_brackets_are_not_words() -> None:
    text = "R: Honestly? Better than most [laughs].\nInterviewer: And [neighbouring county]?"
    doc = analyse(text)
    assert "laugh" not in doc.tokens
    assert "interviewer" not in doc.tokens
    assert "county" not in doc.tokens
    assert doc.surface(text, 0, 1) == "Honestly"


def test_stage_directions_are_not_words_but_clarifications_are() -> None:
    """serdif's 158 "(The participant reads the task again)" notes led Discover's key
    phrases ("participant reads"); "(referring to the filename)" says what is meant."""
    text = "1, 2 ... (The participant counts the events) Okay (laughs). (referring to the filename)"
    doc = analyse(text)
    assert "participant" not in doc.tokens
    assert "count" not in doc.tokens
    assert "laugh" not in doc.tokens
    assert "filename" in doc.tokens
    assert clean(text).endswith("(referring to the filename)")
    assert len(clean(text)) == len(text)


def test_surface_gives_the_words_as_written() -> None:
    text = "We use Newly Qualified Social Workers a lot."
    doc = analyse(text)
    assert doc.tokens[1] == "nqsw"
    assert doc.surface(text, 1, 1) == "Newly Qualified Social Workers"


@pytest.mark.slow
def test_default_pipeline_is_blank_with_lookup_lemmas() -> None:
    pipe = pipeline(None)
    assert pipe.name == BLANK
    assert not pipe.trained
    doc = pipe.nlp("Caseloads were rising. Workers left.")
    assert [s.text for s in doc.sents] == ["Caseloads were rising.", "Workers left."]
    assert [t.lemma_ for t in doc][2] == "rise"


@pytest.mark.slow
def test_a_named_pipeline_that_is_not_installed_falls_back_without_downloading() -> None:
    pipe = pipeline("en_core_web_not_installed")
    assert pipe.name == BLANK
    assert pipe.note is not None
    assert "not installed" in pipe.note


def reference(text: str) -> Analysed:
    """``analyse`` as first written: one list of every canonical token, then one pass
    folding expansions and dropping stop words. The fast version must equal it."""
    raw = [
        (tok, m.start(), m.end()) for m in WORD.finditer(clean(text)) for tok in word_tokens(m[0])
    ]
    expansions = normalise._expansions()
    tokens: list[str] = []
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(raw):
        tok, a, b = raw[i]
        for phrase, abbrev in expansions.get(tok, ()):
            k = len(phrase)
            if i + k <= len(raw) and all(raw[i + j][0] == phrase[j] for j in range(1, k)):
                tokens.append(abbrev)
                spans.append((a, raw[i + k - 1][2]))
                i += k
                break
        else:
            if tok not in stop_words() and (len(tok) > 1 or tok == "£"):
                tokens.append(tok)
                spans.append((a, b))
            i += 1
    return Analysed(tuple(tokens), tuple(spans))


TRICKY = [
    "",
    " ",
    "  leading and trailing  ",
    "R: Honestly? Better than most [laughs].\nInterviewer: And [neighbouring county]?",
    "Q:  time off in lieu\tI:TOIL",
    "newly qualified social workers, newly qualified SWs and newly qualified sw",
    "newly, qualified (social) workers",  # punctuation does not stop an expansion
    "children in needn't apply",  # an expansion ending inside a word: cin, not
    "time off in",  # an expansion cut short by the end
    "full time equivalent full-time equivalents looked after children's",
    "Children\u2019s Services Department's ICS and the Integrated Children's System",
    "£10 an hour, £abc£ and it's £\u00a0£",
    "don't can't won't shan't n't 't 'tis rock'n'roll workers' 'quoted'",
    "e.g. i.e. a/b x-y café naïve MGRs TMs mgr\u2003tm\u3000sw\x0bsws",
    "best interests assessor, best interests, better",
    "a" * 150 + " " + "time" * 40,  # pieces too long to keep
    "(The participant reads) (laughs) (the moderator points) (Laughter) (referring to it)",
]


def test_analyse_equals_the_reference_on_tricky_text() -> None:
    for text in TRICKY:
        assert analyse(text) == reference(text), text
    assert analyse(TRICKY[7]).tokens == ("cin", "not", "apply")


def test_analyse_equals_the_reference_on_random_text() -> None:
    rng = random.Random(3)
    words = [w for phrase in lexicon.EXPANSIONS for w in phrase.split()]
    words += [*lexicon.ABBREVIATIONS, *lexicon.SHORTHAND, "n't", "'s", "£", "R:", "[x]", "IT"]
    glue = [" ", " ", " ", "", "  ", "\n", ", ", "'", "-", "\u00a0", ": ", "\t"]
    for _ in range(5000):
        parts = [rng.choice(words) for _ in range(rng.randint(1, 12))]
        text = "".join(p + rng.choice(glue) for p in parts)
        assert analyse(text) == reference(text), text


def test_analyse_equals_the_reference_when_its_tables_overflow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(normalise, "_TABLE_LIMIT", 5)
    monkeypatch.setattr(normalise, "_PIECE_MAX", 3)
    for text in TRICKY * 2:
        assert analyse(text) == reference(text), text


def test_analyse_equals_the_reference_on_real_text() -> None:
    texts = real_texts(whole_transcripts=True)
    for text in texts + [t.upper() for t in texts[::7]]:
        assert analyse(text) == reference(text), text


def test_accented_and_other_letters_are_words_whole() -> None:
    """Only A-Z counted as letters: "Zürich" read "rich", "Seán" "se", "élite" "lite",
    and a keyword Zürich matched any passage about the rich."""
    assert analyse("Zürich data").tokens == ("zürich", "data")
    assert analyse("Seán said").tokens[0] == "seán"
    assert "élite" in analyse("the élite services").tokens
    assert "rich" not in analyse("Zürich").tokens
    assert analyse("El Niño").tokens[-1] == "niño"
