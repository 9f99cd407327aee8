"""Frameworks by name in the Framework workspace: import a framework file into a named
framework, export one framework to a file, rename one or change what it applies to,
delete one (its themes stay, in the default framework).

The same services as ``qualcode framework import|export|edit|delete``; each step asks
one line (Escape cancels the lot), and a change is one undoable action.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from qualcode.domain.frameworks import StudyFrameworks, everything
from qualcode.domain.wording import counted
from qualcode.errors import QualcodeError
from qualcode.services import framework_files, frameworks
from qualcode.services.study import Study
from qualcode.tui.shared import changes
from qualcode.tui.shared.changes import Outcome
from qualcode.tui.shared.dialogs import ConfirmDialog, PromptDialog
from qualcode.tui.shared.workspace import Workspace


class Loaded(Protocol):
    @property
    def frameworks(self) -> StudyFrameworks: ...


APPLIES_HINT = (
    "transcript · survey · survey:q_help,q_change (those questions) · all · "
    "empty: keep what it applies to now"
)


def here(data: Loaded | None, theme_id: str | None) -> str:
    """The name of the selected theme's framework (else the first one's)."""
    owned = data.frameworks if data is not None else everything()
    return owned.of_theme.get(theme_id or "", next(iter(owned.frameworks), ""))


def _ask(
    screen: Workspace, title: str, value: str, then: Callable[[str], None], hint: str = ""
) -> None:
    def done(answer: str | None) -> None:
        if answer is not None:
            then(answer.strip())

    screen.app.push_screen(PromptDialog(title, value, hint=hint), done)


def ask(screen: Workspace, what: str, data: Loaded | None, current: str) -> None:
    """``what``: import, export, edit or delete; ``current`` is the selected theme's
    framework, offered first."""
    if what == "import":
        ask_import(screen)
    elif what == "export":
        ask_export(screen, current)
    elif what == "edit":
        ask_edit(screen, data, current)
    else:
        ask_delete(screen, current)


def ask_import(screen: Workspace) -> None:
    """File, then the framework's name, then what it applies to."""

    def got_file(text: str) -> None:
        if not text:
            return
        path = Path(text).expanduser()
        if not path.is_file():
            screen.notify(f"error: {path}: no such file", severity="error")
            return
        try:
            header = frameworks.read_header(path)
        except QualcodeError as exc:
            screen.notify(str(exc), severity="error")
            return
        name = header.name or path.stem
        applies = header.applies_to.spec if header.applies_to else ""
        _ask(
            screen,
            f"Import {path.name} into framework (name)",
            name,
            lambda chosen: _ask(
                screen,
                f"Framework {chosen or name!r} applies to",
                applies,
                lambda spec: _import(screen, path, chosen or name, spec or None),
                APPLIES_HINT,
            ),
        )

    _ask(
        screen,
        "Import a framework file (YAML)",
        "",
        got_file,
        "a path, e.g. frameworks/survey.yaml",
    )


def _import(screen: Workspace, path: Path, name: str, applies_to: str | None) -> None:
    def run(study: Study) -> Outcome:
        with study.action():
            report = framework_files.import_framework(study, path, name, applies_to)
            chosen = frameworks.get_framework(study, name)
            return Outcome(
                f"{counted(report.themes_added, 'theme')} added, {report.themes_updated} updated "
                f"into framework {chosen.name!r} ({chosen.applies_to.describe()})",
                changes.logged(study, f"import framework {name}"),
            )

    screen.submit(run)


def ask_export(screen: Workspace, current: str) -> None:
    """The framework's name (the selected theme's by default), then the file."""

    def got_name(name: str) -> None:
        if not name:
            return
        _ask(
            screen,
            f"Export framework {name!r} to file",
            f"{name}.yaml",
            lambda file: _export(screen, name, Path(file).expanduser()) if file else None,
        )

    _ask(screen, "Export which framework (name)", current, got_name)


def _export(screen: Workspace, name: str, path: Path) -> None:
    if path.exists():  # as the Matrix's export asks: a file sent round, or not a framework

        def replace_it(yes: bool | None) -> None:
            if yes:
                _write(screen, name, path)

        screen.app.push_screen(
            ConfirmDialog("Replace the file?", f"{path.resolve()} exists.", "Replace"),
            replace_it,
        )
        return
    _write(screen, name, path)


def _write(screen: Workspace, name: str, path: Path) -> None:
    def run(study: Study) -> Outcome:
        n = framework_files.export_framework(study, path, name=name)
        return Outcome(f"{counted(n, 'theme')} of {name!r} written to {path}")

    screen.submit(run)


def ask_edit(screen: Workspace, data: Loaded | None, current: str) -> None:
    """Which framework (the selected theme's by default), its new name, then what it
    applies to."""
    owned = data.frameworks if data is not None else everything()

    def got_which(name: str) -> None:
        if not name:
            return
        found = owned.frameworks.get(name)
        applies = found.applies_to.spec if found else ""
        _ask(
            screen,
            f"Rename framework {name!r}",
            name,
            lambda new_name: _ask(
                screen,
                f"Framework {new_name or name!r} applies to",
                applies,
                lambda spec: _edit(screen, name, new_name or name, spec or None),
                APPLIES_HINT,
            ),
        )

    _ask(screen, "Edit which framework (name)", current, got_which)


def _edit(screen: Workspace, name: str, new_name: str, applies_to: str | None) -> None:
    def run(study: Study) -> Outcome:
        with study.action():
            done = frameworks.edit_framework(
                study, name, new_name=new_name if new_name != name else None, applies_to=applies_to
            )
            said = f"Framework {done.name!r} applies to {done.applies_to.describe()}"
            warning = frameworks.outside_warning(study, done.name)
            return Outcome(
                f"{said}. {warning}" if warning else said,
                changes.logged(study, f"edit framework {name}"),
            )

    screen.submit(run)


def ask_delete(screen: Workspace, current: str) -> None:
    """Which framework (the selected theme's by default); nothing else is asked, as
    nothing is lost: its themes and their codings stay, in the default framework."""

    def got_name(name: str) -> None:
        if name:
            _delete(screen, name)

    _ask(
        screen,
        "Delete which framework (its themes stay, in the default framework)",
        current,
        got_name,
        "ctrl+z undoes it",
    )


def _delete(screen: Workspace, name: str) -> None:
    def run(study: Study) -> Outcome:
        with study.action():
            n = frameworks.delete_framework(study, name)
            return Outcome(
                f"Framework {name!r} deleted; {counted(n, 'theme')} now in the default "
                "framework. ctrl+z undoes it.",
                changes.logged(study, f"delete framework {name}"),
            )

    screen.submit(run)
