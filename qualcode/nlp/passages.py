"""What a passage is to the suggester: its words and what surrounds it.

In a semi-structured interview the question just asked and the place in the topic
guide say a great deal about what a passage is about; a survey answer's question is
known outright; and case attributes (the trust, the service, the score a patient gave)
go with the themes a researcher codes. So a passage carries its text, the text of the
question or prompt before it, its place in the source and its case's categorical
attributes, and :class:`PassageFeatures` turns each into its own block of features,
weighted so the words still lead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from qualcode.nlp.char_grams import CharWordGrams
from qualcode.nlp.features import TOKEN_PATTERN
from qualcode.nlp.normalise import Analysed, analyse
from qualcode.nlp.surface import Surface, read_surface
from qualcode.nlp.word_vectors import PassageMeaning

POSITION_BINS = 20
# An attribute is a useful feature when it groups cases: few distinct values, most of
# them shared. Names, ids and dates are not.
MAX_ATTRIBUTE_VALUES = 60
CHAR_SAMPLE = 8000
CHAR_NGRAMS = (3, 4)
# The item that ends a question's column name: "Q5_1", "C 3", "Q5a" (a letter after a digit).
_NUMBERED = re.compile(r"(?:[\s_.\-]*\d+|(?<=\d)[A-Za-z])$")


@dataclass(frozen=True)
class Passage:
    text: str
    context: str = ""  # the question or prompt before it (interview) / the survey question
    position: float | None = None  # start / length of its source (None: a survey answer)
    attributes: tuple[tuple[str, str], ...] = ()  # the case's (name, value) pairs
    case: str | None = None
    analysed: Analysed | None = field(default=None, compare=False, repr=False)

    def tokens(self) -> Analysed:
        return self.analysed if self.analysed is not None else analyse(self.text)

    @property
    def case_key(self) -> object:
        """Whose passage it is: its case, or, for one without, its attributes."""
        return self.case if self.case is not None else self.attributes


@dataclass(frozen=True)
class BlockWeights:
    """How much each block counts beside the words (weight 1)."""

    chars: float = 1.0
    context: float = 0.3
    position: float = 0.3
    attributes: float = 0.6
    question: float = 0.6
    # On 161 real quotes, seeds 0-9, top-3 +0.016 (serdif) and 0.000 (nhs-fft) a third
    # coded, +0.022 and +0.006 at 10%; the whole corpora, seeds 0-2, 0.000 and -0.002.
    tone: float = 0.6
    # Questions asked, wishes and suggestions made. On 161 real quotes, seeds 0-9, top-3
    # +0.023 (serdif) and -0.001 (nhs-fft) a third coded, +0.007 and +0.001 at 10%; the
    # whole corpora, seeds 0-2, +0.005 and -0.001 (weights 0.3 and 0.6 tried).
    mood: float = 0.6
    # The mean of a passage's word vectors (qualcode.nlp.word_vectors). A third coded,
    # top-1 / top-3: the whole corpora, seeds 0-2, nhs-fft +0.007 / +0.010, serdif
    # +0.008 / -0.001; 161 real quotes, seeds 0-9, nhs-fft +0.005 / +0.006, serdif
    # +0.022 / +0.009 (weights 0.3, 0.4, 0.5, 0.7 and 1.0 tried; each theme's prototype
    # added on them, as on sentence embeddings, cost calibration and gained nothing).
    meaning: float = 0.5
    embeddings: float = 0.7


class PassageFeatures:
    """``fit`` on every passage of a study, ``transform`` any passages to one matrix.

    Blocks, in column order: normalised words (1-2 grams; first, so coefficients map
    back to readable words), character 3-4 grams of the text as written, the context's
    words, position (soft bins over the source), case attributes (one-hot), the survey
    question (one-hot), the family of numbered questions it belongs to (one-hot: "Q5_1"
    to "Q5_5"), tone (how positive, how negative: :mod:`qualcode.nlp.tone`), mood (how
    much it asks, how much it wishes or suggests: :mod:`qualcode.nlp.mood`), meaning
    (the mean of its words' vectors: :mod:`qualcode.nlp.word_vectors`), sentence
    embeddings (optional).
    """

    def __init__(self, weights: BlockWeights | None = None) -> None:
        self.weights = weights or BlockWeights()

    def fit(
        self, passages: Sequence[Passage], words: Any = None, surface: Surface | None = None
    ) -> PassageFeatures:
        """``words``: a word vectorizer already fitted on these passages, to share;
        ``surface``: what their texts as written say, already read."""
        joined = [p.tokens().joined for p in passages]
        self.words_ = words if words is not None else _tfidf((1, 2)).fit(joined)
        # The character vocabulary and its weights settle long before 8,000 passages.
        lowered = _surface(passages)
        sample = lowered[:: max(1, len(lowered) // CHAR_SAMPLE)]
        # 3-4 grams rank themes as well as 2-5 grams on both real corpora (three seeds
        # each) with 40% fewer non-zero features, so each theme's model fits faster.
        self.chars_ = CharWordGrams(
            CHAR_NGRAMS, min_df=2, max_features=60_000, allow_empty=True
        ).fit(sample)
        contexts = _contexts(passages)
        self.has_context_ = any(contexts)
        self.context_: Any = _tfidf((1, 2)).fit(contexts) if self.has_context_ else None
        self.has_position_ = any(p.position is not None for p in passages)
        self.attribute_index_ = _attribute_index(passages)
        self.question_index_ = _question_index(passages)
        self.family_index_ = _family_index(self.question_index_)
        self.word_names_: list[str] = list(self.words_.get_feature_names_out())
        self.meaning_: PassageMeaning = (
            surface.meaning
            if surface is not None
            else PassageMeaning().fit([p.text for p in passages])
        )
        return self

    @property
    def n_word(self) -> int:
        return len(self.word_names_)

    def blocks(self) -> dict[str, tuple[int, int]]:
        """Each block's columns in ``transform``'s matrix, (first, end), in order; the
        sentence embeddings, when given, take the columns after the last of these."""
        widths = {
            "words": self.n_word,
            "chars": len(self.chars_.vocabulary_),
            "context": len(self.context_.vocabulary_) if self.context_ is not None else 0,
            "position": POSITION_BINS if self.has_position_ else 0,
            "attributes": len(self.attribute_index_),
            "question": len(self.question_index_),
            "family": len(set(self.family_index_.values())),
            "tone": 2,
            "mood": 2,
            "meaning": self.meaning_.mean_.shape[0],
        }
        out, first = {}, 0
        for name, width in widths.items():
            if width:
                out[name] = (first, first + width)
            first += width
        return out

    def attribute_columns(self) -> dict[tuple[str, str], int]:
        """Each (name, value) attribute pair's column in ``transform``'s matrix."""
        first, _ = self.blocks().get("attributes", (0, 0))
        return {pair: first + j for pair, j in self.attribute_index_.items()}

    def transform(
        self,
        passages: Sequence[Passage],
        embeddings: Any = None,
        words: Any = None,
        surface: Surface | None = None,
    ) -> Any:
        """``words``: the passages' word block if already computed; ``surface``: what
        their texts as written say, if already read (:meth:`fit`'s)."""
        from scipy import sparse

        w = self.weights
        if surface is None:
            surface = read_surface([p.text for p in passages], self.meaning_)
        elif len(surface) != len(passages):
            raise ValueError("the surface read is of other passages")
        joined = [p.tokens().joined for p in passages]
        if words is None:
            words = self.words_.transform(joined)
        blocks = [words, self.chars_.transform(_surface(passages)) * w.chars]
        if self.context_ is not None:
            # Many passages share a context (a survey question, the question before
            # several turns): each distinct one is read and vectorised once.
            distinct = list(dict.fromkeys(p.context for p in passages))
            at = {c: i for i, c in enumerate(distinct)}
            ctx = self.context_.transform(_contexts([Passage("", c) for c in distinct]))
            blocks.append(ctx[[at[p.context] for p in passages]] * w.context)
        if self.has_position_:
            blocks.append(_positions(passages) * w.position)
        if self.attribute_index_:
            blocks.append(self._attributes(passages) * w.attributes)
        if self.question_index_:
            blocks.append(self._questions(passages) * w.question)
        if self.family_index_:
            blocks.append(self._questions(passages, self.family_index_) * w.question)
        blocks.append(sparse.csr_matrix(surface.tone) * w.tone)
        blocks.append(sparse.csr_matrix(surface.mood) * w.mood)
        blocks.append(_dense(surface.vectors * w.meaning))
        if embeddings is not None:
            blocks.append(_dense(embeddings * w.embeddings))
        return sparse.hstack(blocks, format="csr", dtype=_float32())

    def _questions(self, passages: Sequence[Passage], index: dict[str, int] | None = None) -> Any:
        """One-hot of the survey question answered, whatever its wording says; with
        ``index``, of the family of questions it belongs to."""
        import numpy as np
        from scipy import sparse

        index = self.question_index_ if index is None else index
        at = [index.get(p.context) if p.position is None else None for p in passages]
        rows = [i for i, j in enumerate(at) if j is not None]
        cols = [j for j in at if j is not None]
        return sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)),
            shape=(len(passages), len(set(index.values()))),
        )

    def _attributes(self, passages: Sequence[Passage]) -> Any:
        import numpy as np
        from scipy import sparse

        rows, cols = [], []
        for i, p in enumerate(passages):
            for pair in p.attributes:
                j = self.attribute_index_.get(pair)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
        m = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)),
            shape=(len(passages), len(self.attribute_index_)),
        )
        norms = np.sqrt(np.asarray(m.sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.diags(1.0 / norms) @ m


def _dense(matrix: Any) -> Any:
    """A dense block as CSR, every entry kept: ten times faster than scipy's
    conversion, which looks for zeros (0.15 s for 30,000 x 96)."""
    import numpy as np
    from scipy import sparse

    rows, cols = matrix.shape
    data = np.ascontiguousarray(matrix, dtype=np.float32).ravel()
    indices = np.tile(np.arange(cols, dtype=np.int32), rows)
    indptr = np.arange(0, rows * cols + 1, cols, dtype=np.int64)
    return sparse.csr_matrix((data, indices, indptr), shape=(rows, cols))


def _surface(passages: Sequence[Passage]) -> list[str]:
    """The passage as written, lower-cased, for the character block. The word block's
    normalised tokens drop function words and fold forms; the words people actually use
    ("nothing", "could be better", "we were not told") carry a theme too."""
    return [p.text.lower() for p in passages]


def _tfidf(ngrams: tuple[int, int]) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer="word",
        token_pattern=TOKEN_PATTERN,
        lowercase=False,
        ngram_range=ngrams,
        sublinear_tf=True,
        dtype=_float32(),
    )


def _contexts(passages: Sequence[Passage]) -> list[str]:
    """Each passage's context as tokens, analysing each distinct context once."""
    seen: dict[str, str] = {}
    out = []
    for p in passages:
        if p.context not in seen:
            seen[p.context] = _context_tokens(p.context)
        out.append(seen[p.context])
    return out


def _context_tokens(text: str) -> str:
    # Numbered prompts ("1.a Was the ...") keep their number: the task is the signal.
    return analyse(text).joined if text else ""


def _positions(passages: Sequence[Passage]) -> Any:
    """Soft one-hot of the place in the source, so neighbouring bins share evidence."""
    import numpy as np
    from scipy import sparse

    centres = (np.arange(POSITION_BINS) + 0.5) / POSITION_BINS
    out = np.zeros((len(passages), POSITION_BINS), dtype=np.float32)
    for i, p in enumerate(passages):
        if p.position is not None:
            row = np.exp(-0.5 * ((centres - p.position) * POSITION_BINS) ** 2)
            out[i] = row / np.linalg.norm(row)
    return sparse.csr_matrix(out)


def _question_index(passages: Sequence[Passage]) -> dict[str, int]:
    """The survey questions whose words do not tell them apart, as features by
    themselves: an export often names a question only by its column ("Q7", "C1",
    "cause_2"), whose words say nothing or the same as another's. A question its words
    do tell apart is left to the context block (a second copy cost the sample study's
    smoke test 0.006 at top-3). One question alone needs telling apart from nothing."""
    asked = sorted({p.context for p in passages if p.position is None and p.context})
    if len(asked) < 2:
        return {}
    words = [_context_tokens(q) for q in asked]
    ambiguous = [q for q, w in zip(asked, words, strict=True) if not w or words.count(w) > 1]
    return {q: i for i, q in enumerate(ambiguous)}


def _family_index(questions: dict[str, int]) -> dict[str, int]:
    """Question -> family column, for questions named only by a column that differs
    from others by its last number (or a letter after a number): a survey tool exports
    the five causes a respondent listed as "Q5_1" ... "Q5_5" (or "Q5a" ...) and the
    five effects as "Q6_1" ... "Q6_5". What a researcher learns of causes from the
    answers to Q5_1 holds for Q5_4 too, which has fewer answers to learn from (later
    items are often left blank) and may have no coding yet. Only families of two or
    more questions, and only where there are two or more families (one family of them
    all says nothing)."""
    stems: dict[str, list[str]] = {}
    for q in questions:
        if _context_tokens(q):
            continue  # its words ("cause 2") already tie it to its family
        name = q.strip()
        stem = _NUMBERED.sub("", name)
        if stem and stem != name:
            stems.setdefault(stem, []).append(q)
    families = sorted(stem for stem, qs in stems.items() if len(qs) > 1)
    if len(families) < 2:
        return {}
    return {q: j for j, stem in enumerate(families) for q in stems[stem]}


def _attribute_index(passages: Sequence[Passage]) -> dict[tuple[str, str], int]:
    """The (name, value) pairs worth a feature: attributes whose values group cases
    (counted once per case), not ones that name each case (ids, dates, scores of 17
    participants), which would only teach the model who said what."""
    values: dict[str, dict[str, int]] = {}
    seen: set[object] = set()
    for p in passages:
        case = p.case_key
        if case in seen:
            continue
        seen.add(case)
        for name, value in p.attributes:
            if value:
                counts = values.setdefault(name, {})
                counts[value] = counts.get(value, 0) + 1
    cases = len(seen)
    index: dict[tuple[str, str], int] = {}
    for name in sorted(values):
        counts = values[name]
        shared = sum(c for c in counts.values() if c > 1)
        if not 2 <= len(counts) <= min(MAX_ATTRIBUTE_VALUES, cases // 3):
            continue
        if shared < 0.8 * sum(counts.values()):
            continue  # mostly one-off values: an id or a free-text field
        for value in sorted(counts):
            index[(name, value)] = len(index)
    return index


def _float32() -> Any:
    import numpy as np

    return np.float32
