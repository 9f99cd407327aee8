"""What the discover workspace's workers post back to it, and the analysis run that
its worker thread makes (each run ends in one message, numbered ``seq``: a run that a
newer one replaced is ignored)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message

from qualcode.services.discover import Discovery, discover
from qualcode.services.study import Study
from qualcode.services.suggest import Cancelled
from qualcode.services.suggest_review import cached_vectors
from qualcode.tui.discover.view import Scope, Setting
from qualcode.tui.shared.messages import ReadRequest


@dataclass
class SettingLoaded(Message):
    """The cases, framework and cached vectors that the scope and candidates use."""

    setting: Setting


@dataclass
class Discovered(Message):
    """Run number ``seq`` found these phrases, terms and candidates."""

    seq: int
    found: Discovery


@dataclass
class DiscoveryCancelled(Message):
    seq: int


@dataclass
class DiscoveryFailed(Message):
    seq: int
    error: BaseException


@dataclass
class PassageFound(Message):
    """Where a phrase's passage is, to open in Read & code."""

    request: ReadRequest


def run_discovery(
    study: Study,
    seq: int,
    scope: Scope,
    use: bool | None,
    cancel: Callable[[], bool],
    progress: Callable[[str, int, int], None],
    nlp_model: str | None = None,
) -> Discovered | DiscoveryCancelled | DiscoveryFailed:
    """Discover in ``scope`` (in the calling worker thread); how the run ended."""
    try:
        if use is None:  # the first run: lexical unless the vectors are cached already
            use = cached_vectors(study).ready
        found = discover(
            study,
            case=scope.case,
            by=scope.by,
            group=scope.group,
            against=scope.against,
            kind=scope.kind,
            use_embeddings=use,
            progress=progress,
            cancel=cancel,
            nlp_model=nlp_model,  # the settings' spaCy pipeline, read once by the app
        )
    except Cancelled:
        return DiscoveryCancelled(seq)
    except Exception as exc:  # the one error dialog, once the bar is hidden
        return DiscoveryFailed(seq, exc)
    return Discovered(seq, found)
