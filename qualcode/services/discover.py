"""Familiarisation: key phrases, distinctive terms and candidate themes.

Works on respondent segments (interview answers and survey comments) of the whole
study, one case, or a group of cases sharing an attribute value; compares one group
with another (or with every other case); and turns a candidate theme into a theme of
the framework with :func:`adopt_candidate`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from qualcode.domain.model import Segment, Theme
from qualcode.errors import InputError, NotFoundError
from qualcode.nlp import embeddings
from qualcode.nlp.language import pipeline
from qualcode.nlp.normalise import Analysed, analyse, word_tokens
from qualcode.nlp.phrases import TermContrast, distinctive_terms, key_phrases
from qualcode.nlp.suggester import Cancel, Cancelled, Progress
from qualcode.nlp.topics import embedding_clusters, nmf_clusters
from qualcode.services import framework, queries, theme_edits
from qualcode.services.study import Study

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Passage:
    segment: str
    case: str
    text: str


@dataclass(frozen=True)
class KeyPhrase:
    phrase: str  # as most often written
    count: int
    segments: int
    cases: int
    examples: tuple[Passage, ...]


@dataclass(frozen=True)
class CandidateTheme:
    label: str
    terms: tuple[str, ...]
    size: int
    passages: tuple[Passage, ...]


@dataclass(frozen=True)
class Discovery:
    mode: str  # "lexical" or "embeddings"
    scope: str  # what was read, in words
    segments: int
    cases: int
    phrases: tuple[KeyPhrase, ...]
    distinctive: tuple[TermContrast, ...] | None
    against: str | None
    themes: tuple[CandidateTheme, ...]


def _scope(
    study: Study, case: str | None, by: str | None, group: str | None, kind: str | None
) -> tuple[list[Segment], dict[str, str], str]:
    if group is not None and by is None:
        raise InputError("--group needs --by ATTR")
    cases = {c.id: c for c in queries.list_cases(study)}
    if case is not None and case not in cases:
        raise NotFoundError(f"no case {case!r}")
    if by is not None and by not in queries.attribute_names(study):
        raise NotFoundError(f"no case attribute {by!r}")
    values = {cid: str(c.attributes.get(by, "")) for cid, c in cases.items()} if by else {}
    segs = queries.list_segments(study, case)
    if kind is not None:
        kinds = {s.id: s.kind for s in queries.list_sources(study)}
        segs = [g for g in segs if kinds.get(g.source) == kind]
    where = f"case {case}" if case else "the study"
    if group is not None:
        segs = [g for g in segs if values.get(g.case) == group]
        where = f"{by} = {group}" + (f" in case {case}" if case else "")
        if not segs:
            raise NotFoundError(f"no segments where {by} = {group!r}")
    return segs, values, where + (f" ({kind} sources)" if kind else "")


def discover(
    study: Study,
    case: str | None = None,
    by: str | None = None,
    group: str | None = None,
    against: str | None = None,
    kind: str | None = None,
    top: int = 15,
    k: int | None = None,
    use_embeddings: bool | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    nlp_model: str | None = None,
) -> Discovery:
    """Key phrases and candidate themes of the scope; distinctive terms of ``group``
    against ``against`` (another value of ``by``; default: every other case).

    ``progress`` gets (stage, done, total) as each step starts; ``cancel`` is checked
    between steps and raises :class:`Cancelled`.
    """
    if against is not None and group is None:
        raise InputError("--against needs --by ATTR and --group VALUE")
    use = embeddings.resolve(use_embeddings)
    compare = by is not None and group is not None
    steps = ["reading", "key phrases"] + (["distinctive terms"] if compare else []) + ["themes"]

    def step(name: str) -> None:
        if cancel is not None and cancel():
            raise Cancelled("discovery was cancelled")
        if progress is not None:
            progress(name, steps.index(name), len(steps))

    step("reading")
    segs, values, where = _scope(study, case, by, group, kind)
    docs = [analyse(g.text) for g in segs]
    step("key phrases")
    phrases = _phrases(segs, docs, top, nlp_model)
    contrast = None
    other_name = None
    if by is not None and group is not None:
        step("distinctive terms")
        everything, _, _ = _scope(study, case, None, None, kind)
        if against is not None:
            other = [g for g in everything if values.get(g.case) == against]
            if not other:
                raise NotFoundError(f"no segments where {by} = {against!r}")
            other_name = f"{by} = {against}"
        else:
            other = [g for g in everything if values.get(g.case) != group]
            other_name = f"{by} other than {group}"
        other_docs = [analyse(g.text) for g in other]
        contrast = tuple(
            replace(t, term=_shown(t.term, docs + other_docs, segs + other))
            for t in distinctive_terms(docs, other_docs, docs + other_docs, top)
        )
    step("themes")
    themes = _candidates(study, segs, docs, k, use, progress, cancel)
    if progress is not None:
        progress("themes", len(steps), len(steps))
    return Discovery(
        "embeddings" if use else "lexical",
        where,
        len(segs),
        len({g.case for g in segs}),
        tuple(phrases),
        contrast,
        other_name,
        tuple(themes),
    )


def _phrases(
    segs: list[Segment], docs: list[Analysed], top: int, nlp_model: str | None
) -> list[KeyPhrase]:
    pipe = pipeline(nlp_model)  # the settings' spaCy pipeline (None: the blank one)
    nouns = None
    if pipe.trained:  # a tagger is installed: only phrases that end in a noun
        nouns = frozenset(
            tok
            for doc in pipe.nlp.pipe(g.text for g in segs)
            for t in doc
            if t.pos_ in ("NOUN", "PROPN")
            for tok in word_tokens(t.text)
        )
    out = []
    for pc in key_phrases(docs, top, nouns=nouns):
        surfaces: Counter[str] = Counter(
            docs[d].surface(segs[d].text, i, n) for d, i, n in pc.spans
        )
        examples: list[Passage] = []
        for d, i, n in pc.spans:
            if len(examples) >= 3 or any(e.segment == segs[d].id for e in examples):
                continue
            a, b = docs[d].spans[i][0], docs[d].spans[i + n - 1][1]
            examples.append(Passage(segs[d].id, segs[d].case, _sentence(segs[d].text, a, b)))
        out.append(
            KeyPhrase(
                _written(surfaces),
                pc.count,
                len(pc.documents),
                len({segs[d].case for d in pc.documents}),
                tuple(examples),
            )
        )
    return out


def _sentence(text: str, a: int, b: int, width: int = 240) -> str:
    """The sentence around text[a:b], trimmed to ``width`` characters."""
    starts = [0] + [m.end() for m in SENTENCE_END.finditer(text)]
    begin = max(s for s in starts if s <= a)
    ends = [m.start() for m in SENTENCE_END.finditer(text) if m.start() >= b]
    end = ends[0] if ends else len(text)
    sentence = " ".join(text[begin:end].split())
    return sentence if len(sentence) <= width else sentence[: width - 3].rstrip() + "..."


def _opening(text: str, width: int = 300) -> str:
    """The start of a passage, on one line, trimmed to ``width`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3].rstrip() + "..."


def _candidates(
    study: Study,
    segs: list[Segment],
    docs: list[Analysed],
    k: int | None,
    use: bool,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> list[CandidateTheme]:
    joined = [d.joined for d in docs]
    if use:
        from qualcode.services.embedding_cache import segment_vectors

        # a first run encodes every passage: minutes on a big survey, so it is counted
        vectors = segment_vectors(study, [(g.id, g.text) for g in segs], progress, cancel)
        clusters = embedding_clusters(joined, vectors, k)
    else:
        clusters = nmf_clusters(joined, k)
    out = []
    for c in clusters:
        terms = tuple(_shown(t, docs, segs) for t in c.terms)
        passages = tuple(
            Passage(segs[i].id, segs[i].case, _opening(segs[i].text)) for i in c.documents
        )
        out.append(CandidateTheme(_label(terms), terms, c.size, passages))
    return out


def _shown(term: str, docs: list[Analysed], segs: list[Segment]) -> str:
    """A canonical term as it is most often written in the passages."""
    toks = tuple(term.split())
    seen: Counter[str] = Counter()
    for d, doc in enumerate(docs):
        for i in range(len(doc.tokens) - len(toks) + 1):
            if doc.tokens[i : i + len(toks)] == toks:
                form = doc.surface(segs[d].text, i, len(toks))
                if len(form.split()) <= 2 * len(toks) + 1:  # not words far apart
                    seen[form] += 1
        if sum(seen.values()) >= 20:
            break
    return _written(seen) if seen else term


def _written(seen: Counter[str]) -> str:
    """The most common spelling, in lower case unless it is always capitalised (ICS)."""
    lower: Counter[str] = Counter()
    for form, n in seen.items():
        lower[form.lower()] += n
    best = lower.most_common(1)[0][0]
    forms = {f for f in seen if f.lower() == best}
    return (
        best
        if best in forms or any(not f.isupper() for f in forms)
        else max(forms, key=lambda f: seen[f])
    )


def _label(terms: tuple[str, ...]) -> str:
    """A short suggested label: the lead term, then two that are not part of it."""
    lead = terms[0]
    longer = [t for t in terms[1:] if lead in t.split()]
    if longer:  # "social workers" says more than "workers"
        lead = longer[0]
    words = set(lead.split())
    rest = [t for t in terms if t != lead and not set(t.split()) <= words][:2]
    label = lead[:1].upper() + lead[1:]
    return f"{label} ({', '.join(rest)})" if rest else label


def adopt_candidate(
    study: Study,
    candidate: CandidateTheme,
    parent: str | None = None,
    theme_id: str | None = None,
    label: str | None = None,
) -> Theme:
    """Add a candidate theme to the framework, its top terms as keywords."""
    tree = framework.framework_tree(study)
    if theme_id is None:
        n = 1
        while f"D{n}" in tree.themes:
            n += 1
        theme_id = f"D{n}"
    definition = "Candidate theme from discovery; passages about " + ", ".join(candidate.terms)
    return theme_edits.add_theme(
        study,
        theme_id,
        label or candidate.label.split(" (", 1)[0],  # its terms are the keywords
        parent,
        definition=definition,
        keywords=adopted_keywords(candidate.terms),
    )


def adopted_keywords(terms: Sequence[str]) -> tuple[str, ...]:
    """A candidate's terms as keywords, without function words: a cluster's terms may
    include "too" or "also", and as a keyword "too" made an adopted theme the first
    suggestion wherever it was said (walk49c)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return tuple(t for t in terms if not all(w.lower() in STOP_WORDS for w in t.split()))
