"""What the review workspace's workers post back to it."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message

from qualcode.domain.framework import FrameworkTree
from qualcode.domain.frameworks import StudyFrameworks, everything
from qualcode.domain.model import Case
from qualcode.services.suggest_review import ReviewList, VectorCache
from qualcode.tui.shared.messages import NotSaved, Saved


@dataclass(frozen=True)
class Choices:
    """What the theme and case filters offer, and the embeddings cache."""

    tree: FrameworkTree
    cases: tuple[Case, ...]
    vectors: VectorCache
    frameworks: StudyFrameworks = field(default_factory=everything)


@dataclass
class ReviewListLoaded(Message):
    """The pending suggestions shown, from load number ``seq`` (only the latest counts)."""

    listed: ReviewList
    seq: int


@dataclass
class ChoicesLoaded(Message):
    """What the theme and case filters offer, and whether embeddings are ready."""

    choices: Choices


@dataclass
class SuggestionsRefreshed(Message):
    """A refresh of every suggestion finished; ``said`` tells how many were made."""

    said: str


@dataclass
class RefreshCancelled(Message):
    """The user cancelled a refresh: the suggestions are as they were."""


@dataclass
class RefreshFailed(Message):
    """A refresh failed (shown in the error dialog once the progress bar is hidden)."""

    error: BaseException


@dataclass
class Decided(Saved):
    """A suggestion's decision (accepted, rejected or coded otherwise) is stored."""

    suggestion: int


@dataclass
class DecisionNotSaved(NotSaved):
    """A decision failed: its row is shown again."""

    suggestion: int
