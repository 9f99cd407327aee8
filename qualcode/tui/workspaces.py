"""The one registration of every workspace: its mode name, screen, key, title and help
line. The app's modes and key bindings, the Help screen and the command palette are all
built from :data:`REGISTERED`, so adding a workspace is one entry here."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

from qualcode.tui.anonymise.screen import AnonymiseScreen
from qualcode.tui.cases.screen import CasesScreen
from qualcode.tui.compare.screen import CompareScreen
from qualcode.tui.discover.screen import DiscoverScreen
from qualcode.tui.framework.screen import FrameworkScreen
from qualcode.tui.help.screen import HelpScreen
from qualcode.tui.mapping.screen import MappingScreen
from qualcode.tui.matrix.screen import MatrixScreen
from qualcode.tui.read.screen import ReadScreen
from qualcode.tui.review.screen import ReviewScreen
from qualcode.tui.search.screen import SearchScreen
from qualcode.tui.shared.workspace import Workspace


@dataclass(frozen=True)
class Registration:
    """A workspace as the app, Help and the palette know it."""

    mode: str  # the Textual mode, also the binding id ``app.<mode>`` for the keymap
    screen: type[Workspace]
    keys: str  # Textual key names, comma-separated: "f2" or "f1,question_mark"
    title: str  # the footer's, the palette's and Help's name for it
    help: str  # one line on the Help screen
    in_footer: bool = True
    action: str = ""  # what the key does; default: switch to this workspace

    @property
    def help_title(self) -> str:
        return f"{self.title} ({self.keys.split(',')[0].upper()})"

    def binding(self) -> Binding:
        """The app-wide key, which the command palette offers as a command too."""
        action = self.action or f"workspace('{self.mode}')"
        return Binding(self.keys, action, self.title, id=f"app.{self.mode}", show=self.in_footer)


# in the order Help lists them
REGISTERED: tuple[Registration, ...] = (
    Registration(
        "cases",
        CasesScreen,
        "f2",
        "Cases",
        "Every case with its attributes and how much of it is coded.",
    ),
    Registration(
        "read",
        ReadScreen,
        "f3",
        "Read & code",
        "Read a transcript or a survey question's answers and code passages.",
    ),
    Registration(
        "framework",
        FrameworkScreen,
        "f4",
        "Framework",
        "The thematic framework: themes, sub-themes and their notes, with counts.",
    ),
    Registration(
        "search",
        SearchScreen,
        "f5",
        "Search",
        "Keyword-in-context search; code the hits' passages in one go.",
    ),
    Registration(
        "matrix",
        MatrixScreen,
        "f7",
        "Matrix",
        "The framework matrix: coverage per case and theme, summaries, drafts and quotes.",
    ),
    Registration(
        "mapping",
        MappingScreen,
        "f12",
        "Mapping",
        "Which themes go together, how themes differ between groups, and types of cases.",
        in_footer=False,
    ),
    Registration(
        "review",
        ReviewScreen,
        "f8",
        "Review suggestions",
        "Every pending suggestion, best first: accept, reject or pick another theme.",
    ),
    Registration(
        "discover",
        DiscoverScreen,
        "f9",
        "Discover",
        "Key phrases, distinctive terms and candidate themes; adopt a candidate as a theme.",
    ),
    Registration(
        "compare",
        CompareScreen,
        "f10",
        "Compare coders",
        "Agreement of two coders per theme; walk their disagreements and settle each.",
        in_footer=False,
    ),
    Registration(
        "anonymise",
        AnonymiseScreen,
        "f11",
        "Anonymise",
        "Review the names found and their placeholders for anonymised exports.",
        in_footer=False,
    ),
    Registration(
        "help",
        HelpScreen,
        "f1,question_mark",
        "Help",
        "This list.",
        action="show_help",  # a toggle: back to the workspace it was opened from
    ),
)


def _function_key(entry: Registration) -> int:
    first = entry.keys.split(",")[0]
    number = first.removeprefix("f")
    return int(number) if first.startswith("f") and number.isdigit() else 99


def workspace_bindings() -> list[Binding]:
    """One key per workspace, in function-key order (F1 Help first), as the footer shows."""
    return [entry.binding() for entry in sorted(REGISTERED, key=_function_key)]
