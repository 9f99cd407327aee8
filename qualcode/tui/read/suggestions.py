"""Read & code's suggestions panel: up to three themes for the turn at the cursor, each
with its score and the words that drove it.

:class:`SuggestionsPanel` is a widget that works them out in its own background worker
(the newest cursor position wins; cancelled between batches when the cursor moves on)
without storing them, and draws them; its worker's results are messages to the panel
itself. The screen tells it where the cursor is (:meth:`SuggestionsPanel.follow`) and
asks it what is shown when a key decides one (:mod:`.suggestion_keys`). The panel says
which mode made them: lexical (TF-IDF and keywords) unless sentence vectors are already
cached, because the embeddings extra takes minutes on its first run over a study.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import work
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from qualcode.domain.reason_wording import brief_list
from qualcode.domain.score_wording import shown_score
from qualcode.errors import QualcodeError
from qualcode.services.study import Study
from qualcode.services.suggest import COLD_START, Cancelled, Suggestion, suggest
from qualcode.tui.read.data import Catalogue
from qualcode.tui.read.document import Document
from qualcode.tui.read.suggest_changes import Shown
from qualcode.tui.shared import themes

if TYPE_CHECKING:
    from qualcode.tui.app import QualcodeApp

TOP = 3
WIDTH = 33  # the side column's text (36 less its border and padding)


@dataclass(frozen=True)
class Suggested:
    """What the worker found for one segment at one data version."""

    segment: str
    version: int
    mode: str
    suggestions: tuple[Suggestion, ...] = ()
    problem: str | None = None  # why there are none (no themes yet, ...)


@dataclass(frozen=True)
class Progress:
    segment: str
    stage: str
    done: int
    total: int


@dataclass
class SuggestionsFound(Message):
    """The panel's worker to the panel: what it found (or why nothing)."""

    bubble: ClassVar[bool] = False
    suggested: Suggested


@dataclass
class SuggestProgress(Message):
    """The panel's worker to the panel: how far it is."""

    bubble: ClassVar[bool] = False
    progress: Progress


def use_embeddings(study: Study) -> bool:
    """Embeddings only when every vector is cached already (seconds, not minutes)."""
    from qualcode.services.suggest_review import cached_vectors

    return cached_vectors(study).ready


class SuggestionsState:
    """What the suggestions panel shows and is working on, and how it is drawn. The
    panel's worker and the screen's keys change it (through :class:`SuggestionsPanel`);
    ``version`` is the app's data version, so that suggestions made before a change
    count as stale."""

    def __init__(self) -> None:
        self.on = True
        self.found: Suggested | None = None  # the latest result taken
        self.segment: str | None = None  # the respondent turn at the cursor
        self.choice = 0  # which of the found suggestions y and r act on
        self.progress: Progress | None = None
        self.embeddings: bool | None = None  # decided on the first run
        self.running: tuple[str, int] | None = None  # (segment, version) being worked out
        self.drawn = ""  # the text on screen, to skip redrawing the same

    def move_to(self, segment: str | None) -> None:
        if segment != self.segment:
            self.segment, self.choice = segment, 0

    def current(self, version: int) -> bool:
        """Shows the suggestions for the turn at the cursor, as of ``version``."""
        found = self.found
        return found is not None and found.segment == self.segment and found.version == version

    def busy(self, version: int) -> bool:
        return self.on and self.segment is not None and not self.current(version)

    def take(self, data: Suggested, version: int) -> None:
        if data.version != version:
            return  # made before a change: a newer run is on its way
        if (data.segment, data.version) == self.running:
            self.running = None
        if self.found is None or (self.found.segment, self.found.version) != (
            data.segment,
            data.version,
        ):
            # a new list (another turn, or this one's after a decision): the marker goes
            # to its best, not to the row the last choice was on
            self.choice = 0
        self.found = data
        if data.segment == self.segment:
            self.progress = None
        self.choice = min(self.choice, max(0, len(data.suggestions) - 1))

    def take_progress(self, step: Progress) -> None:
        if step.segment == self.segment:
            self.progress = step

    def next_choice(self) -> bool:
        found = self.found
        if found is None or not found.suggestions:
            return False
        self.choice = (self.choice + 1) % len(found.suggestions)
        return True

    def text(self, catalogue: Catalogue | None, version: int, width: int = WIDTH) -> Text:
        """``width``: the column's text width (narrower on an 80-column terminal)."""
        out = Text(no_wrap=True, overflow="ellipsis")
        mode = self.found.mode if self.found else None
        out.append("Suggestions", style="bold underline")
        if mode:
            out.append(f" · {mode}", style="dim")
        out.append("\n")
        if not self.on:
            out.append("  off (S turns them on)\n", style="dim")
            return out
        if self.segment is None:
            out.append("  for respondent turns only\n", style="dim")
            return out
        fresh = self.found
        if fresh is None or not self.current(version):
            step = self.progress
            if step is not None and step.total:
                share = f"{100 * step.done // step.total}%"
                out.append(f"  {step.stage}… {share}\n", style="dim")
            else:
                out.append("  working…\n", style="dim")
            return out
        if fresh.problem:
            out.append(f"  {fresh.problem}\n", style="dim")
            return out
        if not fresh.suggestions:
            out.append("  (none)\n", style="dim")
            return out
        labels = {t.id: t.label for t in catalogue.themes} if catalogue else {}
        colours = catalogue.colours if catalogue else {}
        for n, item in enumerate(fresh.suggestions):
            chosen = n == self.choice
            colour = colours.get(item.theme, ("", "white"))[1]
            out.append("▸ " if chosen else "  ", style="bold")
            # the score first: a line too wide for the column (a scrollbar, a long slug
            # id) loses the end of the theme's name, never the score
            mark = " " if item.calibrated else "*"
            out.append(f"{shown_score(item.score)}{mark} ", style="bold" if chosen else "dim")
            room = width - 2 - 6  # the marker, the score, its mark and a space
            shown, label = themes.fitted(item.theme, labels.get(item.theme, ""), room)
            out.append(shown, style=f"bold {colour}")
            out.append(f" {label}\n" if label else "\n")
            because = brief_list(item.because[:3]) or "the theme's words"
            if len(because) > width - 4:
                because = because[: width - 5] + "…"
            out.append(f"    {because}\n", style="italic dim")
        if any(item.method == COLD_START for item in fresh.suggestions):
            out.append("* keyword match, uncalibrated\n", style="dim")
        elif not all(item.calibrated for item in fresh.suggestions):
            out.append("* first guess: too few codings to check\n", style="dim")
        out.append("y accept · r reject · p other", style="dim")
        return out


class SuggestionsPanel(Static):
    """The panel: follows the turn at the cursor, finds suggestions for it in a worker
    and draws them. Its state is ``self.state`` (a :class:`SuggestionsState`)."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__("", id=id, markup=False)
        self.state = SuggestionsState()
        self.catalogue: Catalogue | None = None  # theme labels and colours, once loaded
        self.doc: Document | None = None  # the document the cursor is in

    @property
    def qapp(self) -> QualcodeApp:
        return cast("QualcodeApp", self.app)

    @property
    def on(self) -> bool:
        return self.state.on

    @property
    def found(self) -> Suggested | None:
        return self.state.found

    @property
    def current(self) -> bool:
        """It shows the suggestions for the turn at the cursor, as of now."""
        return self.state.current(self.qapp.data_version)

    @property
    def busy(self) -> bool:
        return self.state.busy(self.qapp.data_version)

    # --- following the cursor ---------------------------------------------------------

    def follow(self, doc: Document | None, cursor: int) -> None:
        """Show (or start working out) the suggestions for the turn at ``cursor``."""
        self.doc = doc
        unit = doc.turn_at(cursor) if doc is not None else None
        segment = unit.segment if unit is not None and unit.role == "respondent" else None
        state = self.state
        state.move_to(segment)
        wanted = (segment, self.qapp.data_version) if segment is not None else None
        if wanted is not None and self.busy and state.running != wanted:
            state.running = wanted
            state.progress = Progress(wanted[0], "starting", 0, 0)
            self._suggest(*wanted)
        self.draw()

    def toggle(self) -> bool:
        """Turn suggestions off (stopping the worker) or on again; says which."""
        state = self.state
        state.on = not state.on
        if not state.on:
            self.workers.cancel_group(self, "read-suggest")
            state.running = None
        return state.on

    def next_choice(self) -> None:
        if self.state.next_choice():
            self.draw()

    # --- working them out -------------------------------------------------------------

    @work(thread=True, exit_on_error=False, exclusive=True, group="read-suggest")
    def _suggest(self, segment: str, version: int) -> None:
        worker = get_current_worker()
        state, study = self.state, self.qapp.study
        if state.embeddings is None:
            state.embeddings = use_embeddings(study)
        shown = [-1]

        def progress(stage: str, done: int, total: int) -> None:
            step = int(20 * done / total) if total else 0
            if step != shown[0]:  # a message per 5%, not per batch
                shown[0] = step
                self.post_message(SuggestProgress(Progress(segment, stage, done, total)))

        mode = "embeddings" if state.embeddings else "lexical"
        try:
            run = suggest(
                study,
                TOP,
                all_segments=True,
                segment_ids=[segment],
                use_embeddings=state.embeddings,
                store=False,
                progress=progress,
                cancel=lambda: worker.is_cancelled,
                nlp_model=self.qapp.settings.nlp_model,
            )
        except Cancelled:  # a newer position or version took over, or the panel is off
            return
        except QualcodeError as exc:  # no themes yet, a segment gone: said in the panel
            self.post_message(SuggestionsFound(Suggested(segment, version, mode, (), str(exc))))
            return
        found = run.results[0].suggestions if run.results else ()
        self.post_message(SuggestionsFound(Suggested(segment, version, run.mode, found)))

    def on_suggest_progress(self, event: SuggestProgress) -> None:
        self.state.take_progress(event.progress)
        self.draw()

    def on_suggestions_found(self, event: SuggestionsFound) -> None:
        self.state.take(event.suggested, self.qapp.data_version)
        self.draw()

    # --- drawing and what is shown ----------------------------------------------------

    def text(self) -> Text:
        width = self.content_region.width or WIDTH
        return self.state.text(self.catalogue, self.qapp.data_version, width)

    def on_resize(self) -> None:
        self.state.drawn = ""  # the column's width changed: draw it again to fit
        self.draw()

    def draw(self) -> None:
        text = self.text()
        if text.plain != self.state.drawn:
            self.state.drawn = text.plain
            self.update(text)

    def shown(self) -> Shown | None:
        """The suggestion a key would decide: the chosen one of the turn at the cursor,
        found as of now; None (and a note saying so) when there is none yet."""
        fresh, doc = self.found, self.doc
        ready = self.current and fresh is not None and fresh.suggestions
        if not ready or fresh is None or doc is None:
            self.notify("No suggestion shown here yet", timeout=2)
            return None
        unit = next((u for u in doc.units if u.segment == fresh.segment), None)
        if unit is None:
            return None
        item = fresh.suggestions[min(self.state.choice, len(fresh.suggestions) - 1)]
        span = doc.to_source(unit.start, unit.end)
        return Shown(fresh.segment, item.theme, span, fresh.mode == "embeddings")
