"""A survey answer's question is a feature even when the export names it only "Q1"."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from qualcode.nlp.passages import Passage, PassageFeatures
from qualcode.services import codings, framework, importing, queries
from qualcode.services.study import Study
from qualcode.services.suggest import suggest

THEMES = """\
title: Causes and effects
themes:
  - id: "SC"
    label: Staffing as a cause
  - id: "SE"
    label: Staffing as an effect
  - id: "FC"
    label: Funding as a cause
  - id: "FE"
    label: Funding as an effect
"""
WORDS = {
    "S": ["staff", "vacancies", "agency workers", "turnover", "sickness"],
    "F": ["budget", "funding", "grant", "cuts", "money"],
}


def test_two_questions_named_only_by_their_columns_are_told_apart() -> None:
    passages = [
        Passage("staff cuts", "Q1"),
        Passage("staff cuts", "Q2"),
        Passage("funding gap", "Q1"),
    ]
    f = PassageFeatures().fit(passages)
    assert f.question_index_ == {"Q1": 0, "Q2": 1}
    X = f.transform(passages).toarray()
    assert (X[0] != X[1]).any()  # the same words, another question
    # One question, or an interview's turns, add no such block.
    assert PassageFeatures().fit(passages[::2] * 2).question_index_ == {}
    # Nor do questions that their words tell apart; the same words once, they do.
    named = [
        Passage(p.text, {"Q1": "What was good?", "Q2": "How could we improve?"}[p.context])
        for p in passages
    ]
    assert PassageFeatures().fit(named).question_index_ == {}
    both = [Passage(p.text, f"Cause {p.context[1]}") for p in passages]
    assert PassageFeatures().fit(both).question_index_ == {"Cause 1": 0, "Cause 2": 1}
    # Only the question its words leave nameless gets a feature of its own.
    other = [Passage(p.text, {"Q1": "What was good?", "Q2": "Q2"}[p.context]) for p in passages]
    assert PassageFeatures().fit(other).question_index_ == {"Q2": 0}
    turns = [Passage(p.text, p.context, position=i / 3) for i, p in enumerate(passages)]
    assert PassageFeatures().fit(turns).question_index_ == {}


def test_the_same_words_get_the_theme_of_the_question_they_answer(
    study: Study, tmp_path: Path
) -> None:
    """Q1 asks for causes and Q2 for effects, and the export says neither: answers with
    the same words are coded a cause under Q1 and an effect under Q2."""
    rng = random.Random(3)
    rows, themes = [], {}
    for i in range(80):
        topic = "SF"[i % 2]
        texts = [" and ".join(rng.sample(WORDS[topic], 2)) for _ in range(2)]
        rows.append([f"R{i:02d}", *texts])
        themes[f"R{i:02d}"] = (f"{topic}C", f"{topic}E")
    path = tmp_path / "wide.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "Q1", "Q2"])
        w.writerows(rows)
    importing.import_survey(study, path, "id", ["Q1", "Q2"])
    fw = tmp_path / "fw.yaml"
    fw.write_text(THEMES, encoding="utf-8")
    framework.import_framework(study, fw)
    for case, (cause, effect) in list(themes.items())[:50]:
        codings.code_segment(study, f"{case}/Q1:1", cause)
        codings.code_segment(study, f"{case}/Q2:1", effect)
    uncoded = [g.id for g in queries.list_segments(study) if int(g.case[1:]) >= 50]
    run = suggest(study, top=2, all_segments=True, segment_ids=uncoded, use_embeddings=False)
    first = {r.segment: r.suggestions[0].theme for r in run.results}
    assert len(first) == 60
    for segment, theme in first.items():
        cause, effect = themes[segment.split("/")[0]]
        assert theme == (cause if "/Q1:" in segment else effect), segment


def test_numbered_items_are_grouped_by_the_question_they_belong_to() -> None:
    def families(*columns: str) -> dict[str, int]:
        return PassageFeatures().fit([Passage("staff cuts", c) for c in columns]).family_index_

    assert families("Q5_1", "Q5_2", "Q6_1", "Q6_2", "Q7") == {
        "Q5_1": 0,
        "Q5_2": 0,
        "Q6_1": 1,
        "Q6_2": 1,
    }
    assert families("Q5a", "Q5b", "Q6a", "Q6b") == {"Q5a": 0, "Q5b": 0, "Q6a": 1, "Q6b": 1}
    assert families("C1", "C2", "E1", "E2")["E2"] == 1
    assert families("Q1", "Q2", "Q3") == {}  # one family of them all says nothing
    assert families("Q5_1", "Q5_2", "Q6") == {}  # one family of two or more
    assert families("cause 1", "cause 2", "effect 1", "effect 2") == {}  # their words do


def test_numbered_items_of_one_question_learn_from_each_other(study: Study, tmp_path: Path) -> None:
    """A survey tool exports five listed causes as Q5_1 ... and five effects as Q6_1 ...;
    the researcher has coded answers to the first two items of each. The later items,
    never coded, still get a cause under Q5 and an effect under Q6."""
    rng = random.Random(5)
    columns = [f"Q{q}_{i}" for q in (5, 6) for i in (1, 2, 3, 4)]
    rows, topics = [], {}
    for i in range(60):
        topic = "SF"[i % 2]
        rows.append([f"R{i:02d}", *(" and ".join(rng.sample(WORDS[topic], 2)) for _ in columns)])
        topics[f"R{i:02d}"] = topic
    path = tmp_path / "items.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", *columns])
        w.writerows(rows)
    importing.import_survey(study, path, "id", columns)
    fw = tmp_path / "fw.yaml"
    fw.write_text(THEMES, encoding="utf-8")
    framework.import_framework(study, fw)
    for case, topic in list(topics.items())[:40]:
        for item in (1, 2):
            codings.code_segment(study, f"{case}/Q5_{item}:1", f"{topic}C")
            codings.code_segment(study, f"{case}/Q6_{item}:1", f"{topic}E")
    later = [
        g.id
        for g in queries.list_segments(study)
        if int(g.case[1:]) >= 40 and g.id.split("/")[1][:4] in {"Q5_3", "Q5_4", "Q6_3", "Q6_4"}
    ]
    run = suggest(study, top=2, all_segments=True, segment_ids=later, use_embeddings=False)
    first = {r.segment: r.suggestions[0].theme for r in run.results}
    assert len(first) == 80
    wrong = [
        s
        for s, theme in first.items()
        if theme != topics[s.split("/")[0]] + ("C" if "/Q5_" in s else "E")
    ]
    assert not wrong
