"""Normalisation: spellings, abbreviations, speaker labels and the lemma table."""

from __future__ import annotations

import socket

import pytest

from qualcode.nlp.language import BLANK, pipeline
from qualcode.nlp.normalise import analyse, find_phrase, phrase_tokens


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
