"""A bounded undo/redo history, independent of Textual and of the database.

Entries are taken off a stack while their undo (or redo) runs in a worker and are put
where they belong when it finishes: :meth:`History.undone` on success, or back with
:meth:`History.undo_failed` on failure, so a failed undo loses nothing.
"""

from __future__ import annotations

from collections import deque
from typing import Generic, TypeVar

T = TypeVar("T")

DEFAULT_LIMIT = 200


class History(Generic[T]):
    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self._undo: deque[T] = deque(maxlen=limit)
        self._redo: deque[T] = deque(maxlen=limit)

    def __len__(self) -> int:
        return len(self._undo)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def record(self, entry: T) -> None:
        """A new change was made: it can be undone, and nothing can be redone any more."""
        self._undo.append(entry)
        self._redo.clear()

    def take_undo(self) -> T | None:
        return self._undo.pop() if self._undo else None

    def take_redo(self) -> T | None:
        return self._redo.pop() if self._redo else None

    def undone(self, entry: T) -> None:
        self._redo.append(entry)

    def redone(self, entry: T) -> None:
        self._undo.append(entry)  # unlike record(), keeps the rest of the redo stack

    def undo_failed(self, entry: T) -> None:
        self._undo.append(entry)

    def redo_failed(self, entry: T) -> None:
        self._redo.append(entry)

    def peek_undo(self) -> T | None:
        return self._undo[-1] if self._undo else None

    def peek_redo(self) -> T | None:
        return self._redo[-1] if self._redo else None

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()
