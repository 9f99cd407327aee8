"""A progress line for long runs in a worker (suggesting, discovery): what it is doing,
a bar, and the key that cancels it. Hidden when nothing runs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import ProgressBar, Static

from qualcode.domain.stage_wording import stage_words

NEEDS_EXTRA = 'Sentence embeddings need the extra: pip install "qualcode[embeddings]"'


class RunProgress(Message):
    """Posted by a worker between batches; a newer one replaces an unhandled older one."""

    def __init__(self, run: str, stage: str, done: int, total: int) -> None:
        super().__init__()
        self.run = run
        self.stage = stage
        self.done = done
        self.total = total

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RunProgress) and message.run == self.run


class RunBar(Horizontal):
    """``start`` shows it, ``step`` moves it, ``stop`` hides it."""

    DEFAULT_CSS = """
    RunBar { height: 1; padding: 0 1; display: none; }
    RunBar.running { display: block; }
    RunBar > .run-label { width: 1fr; color: $text-muted; }
    RunBar > ProgressBar { width: 16; }
    RunBar Bar { width: 11; }
    """

    def __init__(
        self,
        hint: str = "",
        steps: bool = False,
        id: str | None = None,  # noqa: A002 (Textual's name for it)
    ) -> None:
        super().__init__(id=id)
        self.hint = hint
        self.steps = steps  # progress counts steps of the run, not passages
        self.what = ""
        self.running = False
        self.cancellable = True
        self._said = ("", "")  # the whole line, and the stage alone for a narrow one

    def compose(self) -> ComposeResult:
        yield Static("", classes="run-label", markup=False)
        yield ProgressBar(total=None, show_eta=False)

    def start(self, what: str, cancellable: bool = True) -> None:
        self.what = what
        self.cancellable = cancellable
        self.running = True
        self.add_class("running")
        self.query_one(ProgressBar).update(total=None, progress=0)
        self._say(f"{what}…", f"{what}…")

    def step(self, stage: str, done: int, total: int) -> None:
        if not self.running:
            return
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)
        said = stage_words(stage)
        if self.steps:  # "step 2 of 4, finding key phrases"
            where = f"step {min(done + 1, total)} of {total}, {said}"
        elif total > 1:
            where = f"{said} {done:,}/{total:,}"
        else:
            where = said
        self._say(f"{self.what}: {where}", where)

    def stop(self) -> None:
        self.running = False
        self.remove_class("running")

    def on_resize(self) -> None:
        self._show()

    def _say(self, text: str, stage: str) -> None:
        self._said = (text, stage)
        self._show()

    def _show(self) -> None:
        """The whole line where it fits; else the stage alone, so that the count and
        the key that cancels stay in sight at 80 columns (a notice said what runs)."""
        text, stage = self._said
        hint = f" · {self.hint}" if self.hint and self.cancellable else ""
        label = self.query_one(".run-label", Static)
        room = label.size.width
        line = text + hint
        if room and len(line) > room:
            line = stage + hint
        label.update(line)
