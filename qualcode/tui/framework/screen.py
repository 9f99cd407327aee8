"""Framework: the theme tree with coding and case counts; add, rename, move, merge,
delete and edit a theme's notes; frameworks by name. Every change can be undone."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, Static, Tree
from textual.widgets.tree import TreeNode

from qualcode.domain.framework import FrameworkTree, next_id
from qualcode.domain.frameworks import StudyFrameworks, everything
from qualcode.domain.model import Theme
from qualcode.domain.wording import counted
from qualcode.services import framework, frameworks, theme_edits, theme_removal
from qualcode.services.study import Study
from qualcode.tui.framework import by_name
from qualcode.tui.shared import changes, themes
from qualcode.tui.shared.changes import Outcome
from qualcode.tui.shared.dialogs import (
    ConfirmDialog,
    ErrorDialog,
    PromptDialog,
    ThemeNotes,
    ThemeNotesDialog,
    as_shown,
    notes_draft,
    notes_of,
)
from qualcode.tui.shared.journal import Draft
from qualcode.tui.shared.keyorder import InOrderKeys
from qualcode.tui.shared.messages import NotSaved, Saved
from qualcode.tui.shared.picker import Picker, PickItem
from qualcode.tui.shared.workspace import Workspace

TOP = "(top level)"
RELEASE_AFTER = 20.0  # seconds keys typed after a delete wait, at most, for its reload


@dataclass
class NotesNotSaved(NotSaved):
    """A theme's notes were refused (a colleague changed a field): kept, for `e`."""

    theme: str
    notes: ThemeNotes


@dataclass(frozen=True)
class FrameworkData:
    tree: FrameworkTree
    counts: Mapping[str, tuple[int, int]]
    frameworks: StudyFrameworks = field(default_factory=everything)


class DeleteNotSaved(NotSaved):
    """A theme's deletion failed: the keys held for after it go on."""


@dataclass
class FrameworkLoaded(Message):
    """The theme tree with each theme's counts."""

    data: FrameworkData


class FrameworkScreen(InOrderKeys, Workspace):
    AUTO_FOCUS = "#framework-tree"
    BINDINGS = [
        Binding("a", "add(False)", "Add sub-theme", id="framework.add"),
        Binding("A", "add(True)", "Add top-level theme", id="framework.add_top"),
        Binding("r", "rename", "Rename", id="framework.rename"),
        Binding("e", "edit", "Edit notes", id="framework.edit"),
        Binding("v", "move", "Move", id="framework.move"),
        Binding("m", "merge", "Merge into…", id="framework.merge"),
        Binding("d,delete", "delete", "Delete", id="framework.delete"),
        Binding("k", "shortcut", "Shortcut key", id="framework.shortcut"),
        Binding("I", "by_name('import')", "Import file…", id="framework.import"),
        Binding("X", "by_name('export')", "Export…", id="framework.export"),
        Binding("F", "by_name('edit')", "Framework name…", id="framework.edit_framework"),
        Binding("D", "by_name('delete')", "Delete framework…", id="framework.delete_framework"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: FrameworkData | None = None
        self.adding: set[str] = set()  # ids sent to be added, perhaps not in ``data`` yet
        self.select_after: str | None = None
        # notes whose save was refused (a colleague changed a field): kept, and `e`
        # opens on them again
        self.notes_drafts: dict[str, ThemeNotes] = {}
        self.recovered_notes: set[str] = set()  # of those, brought back from a draft
        # keys typed while the delete question is on its way ("d y" in a burst): they
        # are the answer, so they wait for the question
        self.delete_coming = False
        self._typed: list[events.Key] = []
        self.deleting: str | None = None  # a theme whose deletion is being stored

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="framework-body"):
            tree: Tree[str] = Tree("Framework", id="framework-tree")
            tree.show_root = False
            yield tree
            with VerticalScroll(id="framework-side"):
                yield Static("", id="framework-details")
        yield Footer()

    @property
    def theme_tree(self) -> Tree[str]:
        return self.query_one("#framework-tree", Tree)

    def on_mount(self) -> None:
        self.theme_tree.focus()

    def reload(self) -> None:
        super().reload()
        self._load()

    @work(thread=True, exit_on_error=False, exclusive=True, group="framework-load")
    def _load(self) -> None:
        study = self.study
        tree, counts = framework.framework_tree(study), framework.theme_counts(study)
        data = FrameworkData(tree, counts, frameworks.study_frameworks(study))
        self.post_message(FrameworkLoaded(data))

    def on_framework_loaded(self, event: FrameworkLoaded) -> None:
        self.data = event.data
        self.adding.clear()
        self._fill()
        self._show_orphaned_notes()
        if self.deleting is not None and self.deleting not in event.data.tree.themes:
            self._release_keys()  # the tree shows the deletion: the keys held apply to it

    def _show_orphaned_notes(self) -> None:
        """Notes typed for a theme deleted since (in another window, by a colleague)
        can be saved nowhere: shown whole, to copy, rather than kept where no editor
        reaches them (ctrl+q asked about them for ever)."""
        assert self.data is not None
        gone = [t for t in self.notes_drafts if t not in self.data.tree.themes]
        if not gone:
            return
        texts = []
        for theme in gone:
            notes = self.notes_drafts.pop(theme)
            fields = [
                f"{name}: {value}"
                for name, value in (
                    ("label", notes.label),
                    ("definition", notes.definition),
                    ("inclusion", notes.inclusion),
                    ("exclusion", notes.exclusion),
                    ("keywords", ", ".join(notes.keywords)),
                )
                if value
            ]
            texts.append(f"theme {theme}:\n" + "\n".join(fields))
        which = ", ".join(gone)
        self.app.push_screen(
            ErrorDialog(
                "Notes for a deleted theme",
                f"Theme {which} was deleted since (in another window, or by a colleague), "
                "so the notes typed for it cannot be saved. Here they are, to copy into "
                "another theme's notes (e) or a memo. `qualcode log` says who deleted it; "
                "undoing that brings the theme back.",
                "\n\n".join(texts),
            )
        )

    def _fill(self) -> None:
        assert self.data is not None
        tree_data = self.data.tree
        keep = self.select_after or self.selected_id()
        self.select_after = None
        colours = themes.colours(tree_data)
        widget = self.theme_tree
        widget.clear()
        nodes: dict[str, TreeNode[str]] = {}

        def add(parent: TreeNode[str], tid: str) -> None:
            theme = tree_data.themes[tid]
            codings, cases = self.data.counts.get(tid, (0, 0)) if self.data else (0, 0)
            label = Text()
            label.append(tid, style=f"bold {colours[tid][1]}")
            label.append(f"  {theme.label}  ")
            label.append(f"{counted(codings, 'coding')} · {counted(cases, 'case')}", style="dim")
            kids = tree_data.children.get(tid, ())
            node = parent.add(label, data=tid, expand=True, allow_expand=bool(kids))
            nodes[tid] = node
            for kid in kids:
                add(node, kid)

        for top in themes.top_level(tree_data):
            add(widget.root, top)
        _ = widget.last_line  # lays out the lines, so that nodes know where they are
        target = nodes.get(keep) if keep else None
        if target is not None:
            widget.move_cursor(target)
        elif nodes:
            widget.move_cursor(next(iter(nodes.values())))
        self._show_details()

    def selected_id(self) -> str | None:
        node = self.theme_tree.cursor_node
        return node.data if node is not None else None

    def selected(self) -> Theme | None:
        tid = self.selected_id()
        if tid is None or self.data is None:
            return None
        return self.data.tree.themes.get(tid)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        self._show_details()

    def _show_details(self) -> None:
        theme = self.selected()
        out = Text()
        if theme is not None and self.data is not None:
            codings, cases = self.data.counts.get(theme.id, (0, 0))
            out.append(f"{theme.id}  {theme.label}\n", style="bold")
            held = f"{counted(codings, 'coding')} in {counted(cases, 'case')}"
            out.append(f"{held} (with sub-themes)\n", style="dim")
            owner = self.data.frameworks.framework_of(theme.id)  # what it may code
            out.append(f"framework {owner.name}: codes {owner.applies_to.describe()}\n\n")
            for name, value in (
                ("Definition", theme.definition),
                ("Include", theme.inclusion),
                ("Exclude", theme.exclusion),
            ):
                out.append(f"{name}\n", style="bold underline")
                out.append(f"{value or '-'}\n\n")
            out.append("Keywords\n", style="bold underline")
            out.append(", ".join(theme.keywords) or "-")
            if theme.id in self.qapp.shortcuts:
                out.append(
                    f"\n\nShortcut key {self.qapp.shortcuts.index(theme.id) + 1}", style="italic"
                )
        self.query_one("#framework-details", Static).update(out)

    def after_saved(self, event: Saved) -> None:
        theme = event.outcome.data.get("theme")
        if theme:
            self.select_after = theme

    # --- actions --------------------------------------------------------------------

    def _theme_items(self, exclude: set[str], top: bool = False) -> list[PickItem]:
        assert self.data is not None
        colours = themes.colours(self.data.tree)
        items = [PickItem("", TOP)] if top else []
        items += [
            PickItem(t.id, t.label, indent=depth, colour=colours[t.id][1])
            for t, depth in themes.walk(self.data.tree)
            if t.id not in exclude
        ]
        return items

    def _with_theme(self, then: Callable[[Theme], None]) -> None:
        theme = self.selected()
        if theme is None:
            self.notify("Choose a theme first", timeout=2)
        else:
            then(theme)

    def action_add(self, top: bool) -> None:
        if self.data is None:
            return
        parent = None if top else self.selected_id()
        suggested = next_id(self.data.tree, parent)
        while suggested and suggested in self.adding:  # added a moment ago, not shown yet
            suggested = _bumped(suggested)
        self._ask_add(parent, f"{suggested} " if suggested else "")

    def _ask_add(self, parent: str | None, value: str) -> None:
        where = "top level" if parent is None else f"under {parent}"

        def done(value: str | None) -> None:
            if not value or not value.strip() or self.data is None:
                return
            theme_id, _, label = value.strip().partition(" ")
            if theme_id in self.data.tree.themes or theme_id in self.adding:
                # asked again with what was typed: a clash must not cost the label
                self.notify(f"Theme id {theme_id} is already used: choose another", timeout=4)
                self._ask_add(parent, value)
                return
            self.adding.add(theme_id)

            def run(study: Study) -> Outcome:
                theme = theme_edits.add_theme(study, theme_id, label, parent)
                return Outcome(
                    f"Added theme {theme_id}",
                    changes.logged(study, f"add theme {theme.id}"),
                    {"theme": theme_id},
                )

            self.submit(run)

        self.app.push_screen(
            PromptDialog(
                f"New theme ({where}): id, a space, then its label",
                value,
                hint="e.g. 1.5 Caseload weighting",
            ),
            done,
        )

    def action_by_name(self, what: str) -> None:
        """Import, export, edit or delete a framework (see ``by_name``)."""
        by_name.ask(self, what, self.data, by_name.here(self.data, self.selected_id()))

    def action_rename(self) -> None:
        def ask(theme: Theme) -> None:
            def done(value: str | None) -> None:
                if value is not None and value.strip() and value.strip() != theme.label:
                    self._update(theme, label=value.strip())

            self.app.push_screen(PromptDialog(f"Rename {theme.id}", theme.label), done)

        self._with_theme(ask)

    def _update(
        self,
        theme: Theme,
        expected: Theme | None = None,
        typed: ThemeNotes | None = None,
        **fields: object,
    ) -> None:
        """``typed``: the notes as typed, kept if the save is refused."""

        def run(study: Study) -> Outcome:
            theme_edits.update_theme(study, theme.id, expected, **fields)
            return Outcome(
                f"Saved theme {theme.id}",
                changes.logged(study, f"edit theme {theme.id}"),
                {"theme": theme.id},
            )

        self.submit(run, not_saved=NotesNotSaved(theme.id, typed) if typed else None)

    @on(NotesNotSaved)
    def _notes_refused(self, event: NotesNotSaved) -> None:
        self.notes_drafts[event.theme] = event.notes
        self.recovered_notes.discard(event.theme)

    def unsaved_work(self) -> list[str]:
        return super().unsaved_work() + [f"theme {t}'s notes" for t in self.notes_drafts]

    def draft_items(self) -> list[Draft]:
        return super().draft_items() + [
            notes_draft("", theme, notes) for theme, notes in self.notes_drafts.items()
        ]

    def restore_draft(self, draft: Draft) -> bool:
        if draft.key[0] == "notes" and len(draft.key) == 2:
            self.notes_drafts[str(draft.key[1])] = notes_of(draft)
            self.recovered_notes.add(str(draft.key[1]))
            return True
        return super().restore_draft(draft)

    def action_edit(self) -> None:
        def ask(theme: Theme) -> None:
            notes = ThemeNotes(
                theme.label, theme.definition, theme.inclusion, theme.exclusion, theme.keywords
            )
            kept = self.notes_drafts.pop(theme.id, None)
            recovered = theme.id in self.recovered_notes
            self.recovered_notes.discard(theme.id)

            def done(value: ThemeNotes | None) -> None:
                if value is None:
                    if kept is not None and not dialog.dropped:  # closed unsaved: kept
                        self.notes_drafts[theme.id] = kept
                        if recovered:
                            self.recovered_notes.add(theme.id)
                    return
                # only the fields typed in: the others may have been changed by a
                # colleague meanwhile, and writing them back as shown undid that
                shown = as_shown(notes)
                typed = {
                    name: getattr(value, name)
                    for name in ("label", "definition", "inclusion", "exclusion", "keywords")
                    if getattr(value, name) != getattr(shown, name)
                }
                if typed.get("label", True) == "":
                    del typed["label"]
                if typed:
                    self._update(theme, theme, value, **typed)

            hint = ""
            if kept is not None:
                hint = (
                    "Your text from a session that ended before it was saved"
                    if recovered
                    else "Your text, kept after the refused save"
                ) + (
                    "; the fields you did not change show what is stored now "
                    "(ctrl+s saves it, escape then y drops it)"
                )
            dialog = ThemeNotesDialog(theme.id, kept or notes, stored=notes, hint=hint)
            self.app.push_screen(dialog, done)

        self._with_theme(ask)

    def action_move(self) -> None:
        def ask(theme: Theme) -> None:
            assert self.data is not None
            exclude = set(self.data.tree.with_descendants(theme.id))

            def done(parent: str | None) -> None:
                if parent is None:
                    return
                new_parent = parent or None
                if new_parent == theme.parent:
                    return

                def run(study: Study) -> Outcome:
                    theme_edits.move_theme(study, theme.id, new_parent)
                    return Outcome(
                        f"Moved {theme.id} to {new_parent or 'the top level'}",
                        changes.logged(study, f"move {theme.id}"),
                        {"theme": theme.id},
                    )

                self.submit(run)

            self.app.push_screen(
                Picker(f"Move {theme.id} under", self._theme_items(exclude, top=True)), done
            )

        self._with_theme(ask)

    def action_merge(self) -> None:
        def ask(theme: Theme) -> None:
            assert self.data is not None
            exclude = set(self.data.tree.with_descendants(theme.id))

            def chosen(target: str | None) -> None:
                if not target:
                    return
                codings = self.data.counts.get(theme.id, (0, 0))[0] if self.data else 0

                def confirmed(yes: bool | None) -> None:
                    if yes:
                        self._merge(theme.id, target)

                self.app.push_screen(
                    ConfirmDialog(
                        "Merge themes",
                        f"Merge {theme.id} {theme.label!r} into {target}? Its codings "
                        f"({codings} with sub-themes) and sub-themes move to {target}, and "
                        f"{theme.id} is removed. ctrl+z undoes it.",
                        "Merge",
                    ),
                    confirmed,
                )

            self.app.push_screen(
                Picker(f"Merge {theme.id} into", self._theme_items(exclude)), chosen
            )

        self._with_theme(ask)

    def _merge(self, source: str, target: str) -> None:
        def run(study: Study) -> Outcome:
            moved, entry = changes.merge(study, source, target)
            return Outcome(
                f"Merged {source} into {target} ({counted(moved, 'coding')} moved)",
                entry,
                {"theme": target},
            )

        self.submit(run)

    async def take_key(self, event: events.Key) -> bool:
        if self.delete_coming:
            self._typed.append(event)
            return True
        return False

    def action_delete(self) -> None:
        def ask(theme: Theme) -> None:
            self.delete_coming = True
            self._ask_delete(theme)

        self._with_theme(ask)

    @work(thread=True, exit_on_error=False, group="framework-delete")
    def _ask_delete(self, theme: Theme) -> None:
        """Ask before deleting, naming the researcher's words that go with the theme
        (read here, off the UI thread: on a slow PostgreSQL link it takes a moment)."""
        assert self.data is not None
        codings = self.data.counts.get(theme.id, (0, 0))[0]
        subs = len(self.data.tree.descendants(theme.id))
        try:
            written = theme_removal.written_on(self.study, theme.id)
        except Exception:
            self.app.call_from_thread(self._delete_not_asked)
            raise
        what = [counted(subs, "sub-theme"), counted(codings, "coding"), *written]
        self.app.call_from_thread(self._confirm_delete, theme, what)

    def _delete_not_asked(self) -> None:
        self.delete_coming = False
        if self._typed:
            self._typed.clear()
            self.notify("The keys typed after d were not used", timeout=3)

    def _confirm_delete(self, theme: Theme, what: list[str]) -> None:
        def confirmed(yes: bool | None) -> None:
            if not yes:
                self._release_keys()
                return

            def run(study: Study) -> Outcome:
                gone, entry = changes.delete(study, theme.id)
                # the written work named in the question went too: said again
                said = ", ".join([counted(gone, "coding"), *what[2:]])
                return Outcome(f"Deleted {theme.id} and {said}", entry)

            # keys typed after the answer wait for the tree without the theme: a second
            # "d y" in the burst asked about the theme being deleted (walk48c)
            self.deleting = theme.id
            self.select_after = self._neighbour(theme)
            self.submit(run, not_saved=DeleteNotSaved())
            # never hold keys for good, should the reload not come
            self.set_timer(RELEASE_AFTER, lambda: self._release_if(theme.id))

        self.app.push_screen(
            ConfirmDialog(
                "Delete theme",
                f"Delete {theme.id} {theme.label!r}, its {', '.join(what[:-1])} and "
                f"{what[-1]}? ctrl+z undoes it.",
                "Delete",
            ),
            confirmed,
        )
        if self._typed:  # the first key typed after "d" answers the question
            answer = self._typed.pop(0)
            self.app.call_after_refresh(
                self.app.post_message, events.Key(answer.key, answer.character)
            )

    def _neighbour(self, theme: Theme) -> str | None:
        """Where the highlight goes once ``theme`` is deleted: its next sibling, else the
        one before, else its parent. It went to the parent, so a "d y" typed on in the
        burst would have deleted the parent and every theme under it."""
        assert self.data is not None
        tree = self.data.tree
        siblings = list(
            tree.children.get(theme.parent, ()) if theme.parent else themes.top_level(tree)
        )
        if theme.id not in siblings:
            return theme.parent
        at = siblings.index(theme.id)
        if at + 1 < len(siblings):
            return siblings[at + 1]
        return siblings[at - 1] if at > 0 else theme.parent

    @on(NotSaved)
    def _delete_failed(self, event: NotSaved) -> None:
        if isinstance(event, DeleteNotSaved):
            self._release_keys()

    def _release_if(self, theme_id: str) -> None:
        if self.deleting == theme_id:
            self._release_keys()

    def _release_keys(self) -> None:
        """Stop holding keys, and send on those typed meanwhile, as typed."""
        self.delete_coming = False
        self.deleting = None
        typed, self._typed = self._typed, []
        for event in typed:
            self.app.post_message(events.Key(event.key, event.character))

    def action_shortcut(self) -> None:
        def ask(theme: Theme) -> None:
            def done(value: str | None) -> None:
                if value is None or not value.strip():
                    return
                if value.strip() not in list("123456789"):
                    self.notify("A shortcut key is a digit from 1 to 9", severity="warning")
                    return
                n = int(value.strip())
                keys = [k if k != theme.id else "" for k in self.qapp.shortcuts]
                keys += [""] * (n - len(keys))
                keys[n - 1] = theme.id
                self.qapp.set_shortcuts(keys[:9])
                self.notify(f"Key {n} now codes {theme.id}", timeout=3)
                self._show_details()

            self.app.push_screen(PromptDialog(f"Shortcut key (1-9) for {theme.id}"), done)

        self._with_theme(ask)


def _bumped(theme_id: str) -> str:
    """The id after ``theme_id`` by its last number: "1.6" -> "1.7", "D2" -> "D3"."""
    digits = len(theme_id) - len(theme_id.rstrip("0123456789"))
    if not digits:
        return theme_id + "2"
    return theme_id[:-digits] + str(int(theme_id[-digits:]) + 1)
