"""Suggestions for any passage a researcher selects, not only whole segments.

Nothing is stored: a selection in Read & code is not a segment, and a script scoring
spans (as the real-corpus benchmark does) wants the ranking, not pending rows. The
fitted model is the one ``suggest`` uses, so the scores mean the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qualcode.errors import InputError, NotFoundError
from qualcode.nlp import embeddings
from qualcode.nlp.passages import Passage
from qualcode.services.frameworks import study_frameworks
from qualcode.services.study import Study
from qualcode.services.suggest import PARAMS, framework_mask
from qualcode.services.suggest_model import fitted_model, study_corpus
from qualcode.store.queries import sources as sources_q

Span = tuple[str, int, int]  # source id, start, end (code points, end exclusive)


@dataclass(frozen=True)
class PassageSuggestion:
    theme: str
    score: float  # the probability that the theme is coded on this passage


def suggest_passages(
    study: Study, spans: Sequence[Span], top: int = 3, use_embeddings: bool | None = False
) -> list[list[PassageSuggestion]]:
    """Up to ``top`` themes for each span, best first, leaving out themes already
    coded on exactly that span (or on the segment it is)."""
    if top < 1:
        raise InputError("--top must be at least 1")
    use = embeddings.resolve(use_embeddings)
    sc = study_corpus(study, use)
    fm = fitted_model(study, sc, **PARAMS)
    if not fm.themes:
        return [[] for _ in spans]
    import numpy as np

    texts = _texts(study, {src for src, _, _ in spans})
    passages: list[Passage] = []
    loose: list[int] = []  # spans that are not whole segments: featurised here
    for j, (src, a, b) in enumerate(spans):
        if src not in texts:
            raise NotFoundError(f"no source {src!r}")
        if not 0 <= a < b <= len(texts[src]):
            raise InputError(f"{src}: span {a}-{b} lies outside the source")
        if (src, a, b) not in sc.spans:
            loose.append(j)
            passages.append(sc.passage(src, a, b, texts[src][a:b]))
    # A whole segment is a corpus row, already featurised (and embedded): scoring the
    # row gives what featurising it again would, without reading or encoding it twice.
    scores = np.zeros((len(spans), len(fm.themes)), dtype=np.float64)
    is_loose = set(loose)
    whole = [j for j in range(len(spans)) if j not in is_loose]
    for at in range(0, len(whole), 2000):
        chunk = whole[at : at + 2000]
        scores[chunk] = fm.suggester.score_rows([sc.spans[spans[j]] for j in chunk])[0]
    if loose:
        scores[loose] = fm.suggester.score_passages(passages)
    where = [
        (ctx.kind, ctx.question) if ctx is not None else ("", None)
        for ctx in (sc.context.sources.get(src) for src, _, _ in spans)
    ]
    offered = framework_mask(study_frameworks(study), fm.themes, where)
    col = {t: i for i, t in enumerate(fm.themes)}
    out = []
    for j, span in enumerate(spans):
        s = np.where(offered[j], scores[j], -1.0)
        row = sc.spans.get(span)
        done = fm.spans.get(span, set()) | (
            fm.coded.get(sc.corpus.ids[row], set()) if row is not None else set()
        )
        for t in done:
            if t in col:
                s[col[t]] = -1.0
        best = sorted(range(len(s)), key=lambda k: (-s[k], k))[:top]
        out.append(
            [PassageSuggestion(fm.themes[k], round(float(s[k]), 4)) for k in best if s[k] >= 0]
        )
    return out


def _texts(study: Study, sources: set[str]) -> dict[str, str]:
    with study.read() as s:
        return sources_q.source_texts(s, ids=sorted(sources))
