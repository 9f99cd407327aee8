"""Key phrases name topics, not the talk around them: a think-aloud's "let's see", "I
guess" and "maybe" run through every transcript but are not what it is about."""

from __future__ import annotations

from qualcode.nlp.normalise import analyse_all
from qualcode.nlp.phrases import key_phrases


def test_hedges_and_lets_are_not_key_phrases() -> None:
    docs = analyse_all(
        [
            "Let's see, I guess the heat map shows the rain.",
            "Maybe the heat map is clear. Let me check, I suppose.",
            "I guess the heat map needs a legend, maybe.",
            "Perhaps let's look at the heat map again.",
        ]
    )
    found = {" ".join(p.tokens) for p in key_phrases(docs, top=10)}
    assert "heat map" in found
    assert not found & {"let", "guess", "maybe", "perhaps", "suppose"}
