"""Cell summaries: versions, conflicts that name who and when, history, statuses."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qualcode.domain.matrix import DRAFTED, EMPTY, FINAL, NOT_DISCUSSED, WRITTEN
from qualcode.errors import ConflictError, InputError, NotFoundError
from qualcode.services import summaries
from qualcode.store import models as m
from tests.analysis.conftest import Small


def test_a_new_summary_is_version_one_and_written(small: Small) -> None:
    study = small.study
    assert summaries.get_summary(study, "c1", "A.1").version == 0
    saved = summaries.set_summary(study, "c1", "A.1", "  Uses agency staff.  ", expected_version=0)
    assert (saved.text, saved.status, saved.version, saved.coder) == (
        "Uses agency staff.",
        WRITTEN,
        1,
        "alice",
    )
    assert summaries.get_summary(study, "c1", "A.1") == saved


@pytest.mark.slow_postgresql
def test_an_edit_from_an_old_version_is_refused_naming_who_and_when(small: Small) -> None:
    study = small.study
    first = summaries.set_summary(study, "c1", "A.1", "First.", expected_version=0)
    summaries.set_summary(study, "c1", "A.1", "Bob's.", expected_version=1, coder="bob")
    with pytest.raises(ConflictError) as info:
        summaries.set_summary(study, "c1", "A.1", "Alice's.", expected_version=first.version)
    message = str(info.value)
    assert "bob changed it at" in message
    assert "now version 2" in message
    assert "version 1" in message
    assert summaries.get_summary(study, "c1", "A.1").text == "Bob's."
    # a version given for a cell never written: not "it has been deleted"
    with pytest.raises(ConflictError, match="it has no text now .never written, or removed"):
        summaries.set_summary(study, "c2", "A.1", "Text.", expected_version=1)


@pytest.mark.slow_postgresql
def test_without_a_version_only_your_own_or_an_empty_cell_may_change(small: Small) -> None:
    study = small.study
    summaries.set_summary(study, "c1", "A.1", "Mine.")
    summaries.set_summary(study, "c1", "A.1", "Mine again.")  # my own: allowed
    with pytest.raises(ConflictError, match="last changed by alice"):
        summaries.set_summary(study, "c1", "A.1", "Bob's.", coder="bob")
    assert summaries.get_summary(study, "c1", "A.1").text == "Mine again."


def test_two_people_creating_the_same_cell_do_not_both_win(small: Small) -> None:
    study = small.study
    summaries.set_summary(study, "c2", "B", "Alice's.", expected_version=0)
    with pytest.raises(ConflictError, match="alice changed it"):
        summaries.set_summary(study, "c2", "B", "Bob's.", expected_version=0, coder="bob")


def test_every_version_is_kept_in_the_history_and_the_audit_log(small: Small) -> None:
    study = small.study
    summaries.set_summary(study, "c3", "A", "One.", expected_version=0)
    summaries.set_summary(study, "c3", "A", "Two.", expected_version=1, coder="bob")
    summaries.set_summary(study, "c3", "A", None, FINAL, expected_version=2)
    history = summaries.summary_history(study, "c3", "A")
    assert [(v.version, v.text, v.status, v.coder) for v in history] == [
        (1, "One.", WRITTEN, "alice"),
        (2, "Two.", WRITTEN, "bob"),
        (3, "Two.", FINAL, "alice"),
    ]
    with study.read() as s:
        changes = s.scalars(
            select(m.ChangeRow).where(m.ChangeRow.entity == "summary").order_by(m.ChangeRow.id)
        ).all()
    assert [(c.action, c.coder, c.entity_id) for c in changes] == [
        ("add", "alice", "c3/A"),
        ("update", "bob", "c3/A"),
        ("update", "alice", "c3/A"),
    ]
    assert changes[1].before["text"] == "One."
    assert changes[1].after["text"] == "Two."


@pytest.mark.slow_postgresql
def test_saving_the_same_text_again_makes_no_new_version(small: Small) -> None:
    study = small.study
    summaries.set_summary(study, "c1", "B", "Same.", expected_version=0)
    again = summaries.set_summary(study, "c1", "B", "Same.", expected_version=1)
    assert again.version == 1
    assert len(summaries.summary_history(study, "c1", "B")) == 1


@pytest.mark.slow_postgresql
def test_statuses(small: Small) -> None:
    study = small.study
    nd = summaries.set_summary(study, "c4", "B", status=NOT_DISCUSSED, expected_version=0)
    assert (nd.status, nd.text) == (NOT_DISCUSSED, "")
    written = summaries.set_summary(study, "c4", "B", "Actually mentioned.", expected_version=1)
    assert written.status == WRITTEN
    final = summaries.set_summary(study, "c4", "B", None, FINAL, expected_version=2)
    assert final.status == FINAL
    edited = summaries.set_summary(study, "c4", "B", "Edited final.", expected_version=3)
    assert edited.status == FINAL  # editing a final summary keeps it final
    cleared = summaries.set_summary(study, "c4", "B", "", expected_version=4)
    assert cleared.status == EMPTY
    with pytest.raises(InputError, match="final summary needs some text"):
        summaries.set_summary(study, "c4", "B", "", FINAL, expected_version=5)
    with pytest.raises(InputError, match="empty cell has no text"):
        summaries.set_summary(study, "c4", "B", "Text", EMPTY, expected_version=5)
    with pytest.raises(InputError, match="unknown status"):
        summaries.set_summary(study, "c4", "B", "Text", "done", expected_version=5)


@pytest.mark.slow_postgresql
def test_accepting_a_draft_makes_it_final_and_nothing_else_can_be_accepted(small: Small) -> None:
    study = small.study
    with pytest.raises(InputError, match="no drafted summary"):
        summaries.accept_summary(study, "c5", "A")
    summaries.set_summary(study, "c5", "A", "A draft.", DRAFTED, expected_version=0)
    accepted = summaries.accept_summary(study, "c5", "A", expected_version=1)
    assert (accepted.status, accepted.version, accepted.text) == (FINAL, 2, "A draft.")
    with pytest.raises(ConflictError):
        summaries.set_summary(study, "c5", "A", "stale", expected_version=1)


def test_unknown_cells_are_not_found(small: Small) -> None:
    with pytest.raises(NotFoundError, match="no case 'zz'"):
        summaries.set_summary(small.study, "zz", "A", "x")
    with pytest.raises(NotFoundError, match="no theme 'Q'"):
        summaries.get_summary(small.study, "c1", "Q")


def test_syntheses_have_versions_too(small: Small) -> None:
    study = small.study
    one = summaries.set_synthesis(study, "B", "sector", "CSD", "Most use agency staff.", 0)
    assert one.version == 1
    summaries.set_synthesis(study, "B", "sector", "CSD", "Bob's view.", 1, coder="bob")
    with pytest.raises(ConflictError, match="bob changed it"):
        summaries.set_synthesis(study, "B", "sector", "CSD", "Mine.", 1)
    assert summaries.get_synthesis(study, "B", "sector", "CSD").text == "Bob's view."
    with pytest.raises(InputError, match="unknown case attribute 'sectr'"):
        summaries.set_synthesis(study, "B", "sectr", "CSD", "x")


def test_a_synthesis_no_sheet_would_show_is_refused(small: Small) -> None:
    """A misspelt group, or a theme whose sub-themes are the columns, was saved and
    then shown nowhere (not in the matrix, not in any export)."""
    study = small.study
    with pytest.raises(
        InputError, match=r"no case is in the group 'CDS' of sector \(did you mean 'CSD'"
    ):
        summaries.set_synthesis(study, "B", "sector", "CDS", "x")
    with pytest.raises(InputError, match=r"theme 'A' has sub-themes \(A.1, A.2\)"):
        summaries.set_synthesis(study, "A", "sector", "CSD", "x")
    assert summaries.set_synthesis(study, "A.1", "sector", "CSD", "Shown.").version == 1


def test_simultaneous_edits_from_the_same_version_let_exactly_one_through(small: Small) -> None:
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    study = small.study
    summaries.set_summary(study, "c6", "A", "Start.", expected_version=0)
    for version in (0, 1):  # a new cell (c6 / B) and an existing one (c6 / A)
        theme = "B" if version == 0 else "A"
        barrier = Barrier(4)

        def edit(n: int, theme: str = theme, version: int = version, barrier: Barrier = barrier):
            barrier.wait()
            try:
                summaries.set_summary(
                    study, "c6", theme, f"Edit {n}.", expected_version=version, coder=f"c{n}"
                )
                return "saved"
            except ConflictError:
                return "refused"

        with ThreadPoolExecutor(4) as pool:
            outcomes = list(pool.map(edit, range(4)))
        assert sorted(outcomes) == ["refused", "refused", "refused", "saved"], theme
        saved = summaries.get_summary(study, "c6", theme)
        assert saved.version == version + 1
        assert saved.text == f"Edit {saved.coder[1:]}."


def test_typed_text_is_written_and_a_machine_draft_stays_drafted(small: Small) -> None:
    study = small.study
    draft = summaries.set_summary(study, "c5", "B", "Machine words.", DRAFTED, expected_version=0)
    assert draft.status == DRAFTED
    typed = summaries.set_summary(study, "c5", "B", "My words.", expected_version=1)
    assert typed.status == WRITTEN  # typed over a draft: now the researcher's
    assert summaries.accept_summary(study, "c5", "B").status == FINAL


def test_a_draft_run_never_overwrites_a_written_summary(small: Small) -> None:
    study = small.study
    typed = summaries.set_summary(study, "c5", "A", "My words.", expected_version=0)
    saved, skipped = summaries.store_drafts(study, {("c5", "A"): ("Machine.", typed.version)})
    assert (saved, skipped) == (0, 1)
    assert summaries.get_summary(study, "c5", "A").text == "My words."
