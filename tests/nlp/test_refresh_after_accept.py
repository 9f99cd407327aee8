"""After a few codings only the themes they touch are refitted; past a limit, all are.

The study is the invented one of test_calibrated (templated answers): it checks the
machinery. How fast a refresh is on a 60-interview study: benchmarks/suggest_refresh.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from qualcode.services import codings
from qualcode.services import suggest_model as sm
from qualcode.services.study import Study
from qualcode.services.suggest_model import clear_cache, fitted_model, study_corpus

from .test_calibrated import coded  # noqa: F401  (the fixture)


def model(study: Study) -> sm.FittedModel:
    return fitted_model(study, study_corpus(study, False))


@pytest.mark.slow_postgresql
def test_one_more_coding_refits_only_its_theme(
    coded: Study,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clear_cache()
    before = model(coded)
    col = {t: i for i, t in enumerate(before.themes)}
    codings.code_segment(coded, "R61/q:1", "A")
    after = model(coded)
    old, new = before.suggester.model_, after.suggester.model_
    assert after.suggester is not before.suggester
    # theme A learned from the new coding; B and C kept their models and the curve
    assert not np.allclose(old.coef_[col["A"]], new.coef_[col["A"]])
    for t in ("B", "C"):
        assert np.array_equal(old.coef_[col[t]], new.coef_[col[t]])
    assert new.curve_ == old.curve_
    assert new.positives_[col["A"]] == old.positives_[col["A"]] + 1
    # the refitted theme is what a full fit gives it (to the solver's tolerance)
    clear_cache()
    monkeypatch.setenv("QUALCODE_CACHE_DIR", "off")  # or the saved fit would be updated
    full = model(coded).suggester.model_
    assert np.allclose(full.coef_[col["A"]], new.coef_[col["A"]], atol=2e-3)
    assert np.allclose(full.intercept_[col["A"]], new.intercept_[col["A"]], atol=2e-3)


@pytest.mark.slow_postgresql
def test_many_changes_bring_a_full_fit(coded: Study, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    clear_cache()
    monkeypatch.setattr(sm, "MAX_UPDATES", 2)
    first = model(coded).suggester.model_
    col = {t: i for i, t in enumerate(model(coded).themes)}
    codings.code_segment(coded, "R61/q:1", "A")
    one = model(coded).suggester.model_
    assert np.array_equal(first.coef_[col["B"]], one.coef_[col["B"]])
    codings.code_segment(coded, "R62/q:1", "B")
    codings.code_segment(coded, "R63/q:1", "C")
    full = model(coded).suggester.model_
    # three changes since the full fit: everything refitted, A's unchanged data or not
    assert not np.array_equal(one.coef_[col["C"]], full.coef_[col["C"]])
    assert full.curve_ != first.curve_
