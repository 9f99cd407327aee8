"""The undo history on its own: order, limits, and putting entries back on failure."""

from __future__ import annotations

import pytest

from qualcode.tui.shared.undo import History


def test_undo_and_redo_walk_back_and_forth() -> None:
    h: History[str] = History()
    for entry in "abc":
        h.record(entry)
    taken = h.take_undo()
    assert taken == "c"
    h.undone(taken)
    assert h.take_undo() == "b"
    h.undone("b")
    assert h.take_redo() == "b"
    h.redone("b")
    assert h.peek_undo() == "b"
    assert h.peek_redo() == "c"  # redoing b keeps c redoable


def test_a_new_change_clears_the_redo_stack() -> None:
    h: History[str] = History()
    h.record("a")
    h.undone(h.take_undo() or "")
    assert h.can_redo
    h.record("b")
    assert not h.can_redo
    assert h.take_redo() is None


def test_keeps_at_least_the_last_hundred_and_drops_the_oldest() -> None:
    h: History[int] = History(limit=100)
    for n in range(250):
        h.record(n)
    assert len(h) == 100
    undone = []
    while (entry := h.take_undo()) is not None:
        undone.append(entry)
    assert undone == list(range(249, 149, -1))


def test_a_failed_undo_or_redo_puts_the_entry_back() -> None:
    h: History[str] = History()
    h.record("a")
    entry = h.take_undo()
    assert entry == "a"
    assert not h.can_undo
    h.undo_failed(entry)
    assert h.peek_undo() == "a"
    h.undone(h.take_undo() or "")
    entry = h.take_redo()
    assert entry == "a"
    h.redo_failed(entry)
    assert h.peek_redo() == "a"


def test_empty_history_and_bad_limit() -> None:
    h: History[str] = History()
    assert h.take_undo() is None
    assert h.take_redo() is None
    assert not h.can_undo
    assert not h.can_redo
    h.record("x")
    h.clear()
    assert not h.can_undo
    with pytest.raises(ValueError, match="at least 1"):
        History(limit=0)
