"""Cold-start scores from the framework itself: a theme's label, definition, inclusion
notes and keywords, before (and alongside) any coding by the researcher.

Two signals: keyword and label phrases found in the passage (weighted by how specific
the phrase is: rarer words, longer phrases and phrases owned by fewer themes count
more), and TF-IDF cosine similarity between the passage and the theme's description.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from qualcode.nlp.features import TextFeatures
from qualcode.nlp.normalise import Analysed, analyse

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class ThemeProfile:
    """What the framework says about one theme, as text the suggesters can read."""

    id: str
    label: str
    definition: str = ""
    inclusion: str = ""
    keywords: tuple[str, ...] = ()
    parents: tuple[str, ...] = field(default_factory=tuple)  # ancestor labels, nearest first

    @property
    def description(self) -> str:
        parts = [self.label, self.label, *self.parents[:1], self.definition, self.inclusion]
        return ". ".join(p for p in (*parts, ", ".join(self.keywords)) if p)

    @property
    def anchor_text(self) -> str:
        """The theme in its own words, once each, as one passage to learn from."""
        parts = [self.label, self.definition, self.inclusion, ", ".join(self.keywords)]
        return ". ".join(p for p in parts if p)

    @property
    def anchor_texts(self) -> list[str]:
        """The theme in its own words as passages to learn from: its name with its
        keywords, and its name with its definition (one passage when it has neither),
        for word features. In one long passage the definition's many words dilute the
        name's few: on 161 real quotes, a third coded (seeds 0-9), serdif's top-3 0.555
        against 0.542 as one passage, top-1 0.309 against 0.312; nhs-fft's labels have
        no definition, and on the whole of serdif it is level (+0.002)."""
        named = [self.label, ", ".join(self.keywords)]
        defined = [self.label, self.definition, self.inclusion]
        return list(dict.fromkeys(". ".join(p for p in ps if p) for ps in (named, defined)))


Match = tuple[int, int, float]  # token index, phrase length, weight


class KeywordSuggester:
    """Scores passages against themes from the framework alone (no training data)."""

    def __init__(self, hit_scale: float = 1.5, sim_scale: float = 0.35, label_boost: float = 2.0):
        self.hit_scale = hit_scale
        self.sim_scale = sim_scale
        self.label_boost = label_boost

    def fit(self, themes: Sequence[ThemeProfile], features: TextFeatures) -> KeywordSuggester:

        owners: dict[tuple[str, ...], set[int]] = {}
        phrases: list[tuple[int, tuple[str, ...], float, int]] = []  # theme, tokens, boost, words
        for k, theme in enumerate(themes):
            seen: set[tuple[str, ...]] = set()
            entries = [(theme.label, self.label_boost)] + [(kw, 1.0) for kw in theme.keywords]
            for text, boost in entries:
                toks = analyse(text).tokens
                if not toks or toks in seen:
                    continue
                seen.add(toks)
                owners.setdefault(toks, set()).add(k)
                phrases.append((k, toks, boost, len(_WORD.findall(text))))
        top_idf = float(features.words_.idf_.max()) if features.n_word else 1.0
        self.index_: dict[str, list[tuple[int, tuple[str, ...], float]]] = {}
        for k, toks, boost, said in phrases:
            specificity = sum(features.idf(t) for t in toks) / len(toks) / top_idf
            weight = boost * specificity * (1 + 0.5 * (len(toks) - 1))
            if len(toks) == 1 and said > 1:
                # "out of hours" normalises to the one word "hour", which any "an hour"
                # matches: a phrase reduced to one word says that much less.
                weight /= said
            weight /= math.sqrt(len(owners[toks]))
            self.index_.setdefault(toks[0], []).append((k, toks, weight))
        docs = [analyse(t.description).joined for t in themes]
        self.theme_vectors_: Any = features.word_matrix(docs)
        self.n_themes_ = len(themes)
        return self

    def matches(self, doc: Analysed) -> dict[int, list[Match]]:
        """Theme index -> phrases of that theme found in the passage."""
        found: dict[int, list[Match]] = {}
        toks = doc.tokens
        seen: set[tuple[int, tuple[str, ...]]] = set()
        for i, tok in enumerate(toks):
            for k, phrase, weight in self.index_.get(tok, ()):
                n = len(phrase)
                if toks[i : i + n] == phrase and (k, phrase) not in seen:
                    seen.add((k, phrase))
                    found.setdefault(k, []).append((i, n, weight))
        return found

    def score(
        self, docs: Sequence[Analysed], words: Any, dense_sim: Any = None
    ) -> tuple[Any, list[dict[int, list[Match]]]]:
        """Scores in [0, 1] (documents x themes) and the phrase matches behind them.

        ``words`` is the word TF-IDF matrix of ``docs``; ``dense_sim`` optional
        embedding similarities (documents x themes, already in [0, 1]).
        """
        import numpy as np

        sim = np.asarray((words @ self.theme_vectors_.T).todense(), dtype=np.float32)
        sim_part = np.clip(sim / self.sim_scale, 0.0, 1.0) * 0.6
        hits = np.zeros_like(sim)
        all_matches = []
        for r, doc in enumerate(docs):
            found = self.matches(doc)
            for k, ms in found.items():
                hits[r, k] = sum(w for _, _, w in ms)
            all_matches.append(found)
        hit_part = 1.0 - np.exp(-hits * self.hit_scale)
        score = 1.0 - (1.0 - hit_part) * (1.0 - sim_part)
        if dense_sim is not None:
            score = 1.0 - (1.0 - score) * (1.0 - 0.6 * dense_sim)
        return score, all_matches
