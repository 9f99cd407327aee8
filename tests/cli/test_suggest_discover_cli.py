"""The `suggest` and `discover` commands, through the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.services.study import Study
from tests.nlp.conftest import _fresh_models, no_network, segment_of  # noqa: F401  (autouse here too)


def run(study: Study, *args: str) -> tuple[int, str, str]:
    url = study.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, [*args, "--db", url])
    return result.exit_code, result.stdout, result.stderr


def test_suggest_json_shape(survey_study: Study) -> None:
    code, out, err = run(survey_study, "suggest", "--top", "2", "--json", "--no-embeddings")
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, list)
    assert len(data) == 18
    for item in data:
        assert set(item) == {"segment", "suggestions"}
        assert isinstance(item["segment"], str)
        assert len(item["suggestions"]) <= 2
        scores = [s["score"] for s in item["suggestions"]]
        assert scores == sorted(scores, reverse=True)
        for s in item["suggestions"]:
            assert set(s) == {"theme", "score", "because", "calibrated"}
            assert s["calibrated"] is False  # nothing coded yet: keyword scores
            assert isinstance(s["theme"], str)
            assert isinstance(s["score"], float)
            assert 0.0 <= s["score"] <= 1.0
            assert isinstance(s["because"], list)
            assert all(isinstance(b, str) for b in s["because"])
    assert "lexical mode" in err
    assert "cold start" in err


def test_keyword_scores_are_marked_as_not_probabilities(survey_study: Study) -> None:
    code, out, err = run(survey_study, "suggest", "--top", "2", "--no-embeddings")
    assert code == 0, err
    scored = [line for line in out.splitlines() if "because:" in line]
    assert scored
    assert all("* because:" in line for line in scored)
    assert "not a probability" in err
    assert "not a probability" not in out  # stdout stays data


@pytest.mark.slow_postgresql
def test_decide_from_a_script(survey_study: Study) -> None:
    code, out, err = run(survey_study, "suggest", "--json", "--no-embeddings")
    assert code == 0, err
    pay = next(d for d in json.loads(out) if d["segment"] == segment_of(2))
    assert pay["suggestions"][0]["theme"] == "P1"
    code, _, err = run(survey_study, "suggest", "accept", segment_of(2), "P1")
    assert code == 0
    assert "coded" in err
    code, _, err = run(survey_study, "suggest", "reject", segment_of(3), "P2")
    assert code == 0
    assert "rejected P2" in err
    code, out, err = run(survey_study, "suggest", "--all", "--json", "--no-embeddings")
    data = {d["segment"]: [s["theme"] for s in d["suggestions"]] for d in json.loads(out)}
    assert "P2" not in data[segment_of(3)]
    assert "P1" not in data[segment_of(2)]
    code, out, _ = run(survey_study, "suggest", "pending", "--json", "--limit", "3")
    items = json.loads(out)
    assert len(items) == 3
    assert {"id", "method", "model", "created"} <= set(items[0])
    code, _, err = run(survey_study, "suggest", "accept", str(items[0]["id"]), "--theme", "W2")
    assert code == 0, err


def test_with_nothing_pending_the_commands_say_suggest_makes_them(survey_study: Study) -> None:
    """Before any `suggest`, an empty list or "0 pending" alone reads as "nothing is
    likely": both say what makes suggestions."""
    code, out, err = run(survey_study, "suggest", "pending")
    assert (code, out) == (0, "")
    assert "no suggestions are pending: `qualcode suggest` makes them" in err
    code, _, err = run(survey_study, "suggest", "pending", "--theme", "P1")
    assert "no suggestions are pending for theme P1" in err
    code, _, err = run(survey_study, "suggest", "accept", "--above", "0.5", "--yes")
    assert code == 0, err
    assert "`qualcode suggest` makes them" in err
    run(survey_study, "suggest", "--no-embeddings")
    code, out, err = run(survey_study, "suggest", "pending")
    assert out
    assert "no suggestions are pending" not in err


def test_errors_are_one_line(survey_study: Study) -> None:
    code, _, err = run(survey_study, "suggest", "--theme", "nope", "--no-embeddings")
    assert code == 2
    assert err.startswith("error:")
    assert "nope" in err
    code, _, err = run(survey_study, "suggest", "accept", "99999")
    assert code == 2
    assert err.startswith("error:")
    # an id from `suggest pending` given with a theme, as "ID|SEGMENT THEME" can read
    code, _, err = run(survey_study, "suggest", "accept", "643", "P1")
    assert code == 2
    assert err.startswith("error:")
    assert err.count("\n") == 1
    assert "643 looks like a suggestion id, which is given alone" in err
    assert "`643 --theme P1`" in err
    code, out, err = run(survey_study, "suggest", "pending", "--limit", "-5")
    assert (code, out) == (2, "")  # was taken as no limit at all
    assert err.startswith("error:")
    assert "--limit" in err
    code, _, err = run(survey_study, "suggest", "--top", "0")
    assert code == 2
    assert err.startswith("error:")
    code, _, err = run(survey_study, "discover", "--group", "CSD")
    assert code == 2
    assert "--by" in err


@pytest.mark.slow_postgresql
def test_asking_for_missing_embeddings_is_a_friendly_error(
    survey_study: Study, monkeypatch: object
) -> None:
    import importlib.util

    real = importlib.util.find_spec

    def absent(name: str, *args: object) -> object:
        return None if name == "sentence_transformers" else real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.util, "find_spec", absent)  # type: ignore[attr-defined]
    code, _, err = run(survey_study, "suggest", "--embeddings")
    assert code == 2
    assert "install qualcode[embeddings]" in err
    code, _, err = run(survey_study, "suggest", "--json")  # default: falls back and says so
    assert code == 0
    assert "lexical mode" in err


@pytest.mark.slow
def test_discover_json(survey_study: Study) -> None:
    code, out, err = run(
        survey_study,
        "discover",
        "--by",
        "sector",
        "--group",
        "CSD",
        "--json",
        "--no-embeddings",
        "--themes",
        "3",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["mode"] == "lexical"
    assert data["segments"] == 9
    assert {"phrase", "count", "segments", "cases", "examples"} <= set(data["phrases"][0])
    assert "log-odds" in data["distinctive"]["statistic"]
    assert data["distinctive"]["against"] == "sector other than CSD"
    assert data["themes"]
    assert {"label", "terms", "size", "passages"} <= set(data["themes"][0])


@pytest.mark.slow
def test_headless_imports_stay_light() -> None:
    """The CLI and the store start without spaCy, scikit-learn or torch."""
    code = (
        "import sys, qualcode.cli, qualcode.store.models, qualcode.services.suggest; "
        "print(sorted(m for m in ('spacy', 'sklearn', 'torch', 'sentence_transformers') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
