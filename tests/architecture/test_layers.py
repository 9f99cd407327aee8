"""Layering rules from architecture.md, checked in fresh interpreters."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "qualcode"


def imported_in_fresh_interpreter(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {line.split(".")[0] for line in out.split()}


@pytest.mark.parametrize(
    "module",
    [
        "qualcode.cli",
        "qualcode.services.importing",
        "qualcode.services.codings",
        "qualcode.services.framework",
        "qualcode.store.models",
        "qualcode.ingest",
    ],
)
def test_headless_modules_do_not_load_the_ui_or_nlp(module: str) -> None:
    loaded = imported_in_fresh_interpreter(f"import {module}")
    assert not loaded & {"textual", "spacy", "sklearn", "torch", "matplotlib"}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_domain_uses_only_the_standard_library() -> None:
    for path in (PACKAGE / "domain").rglob("*.py"):
        third_party = imports_of(path) - set(sys.stdlib_module_names) - {"qualcode", "__future__"}
        assert not third_party, f"{path.name} imports {third_party}"


def test_textual_only_under_tui() -> None:
    for path in PACKAGE.rglob("*.py"):
        if "tui" in path.relative_to(PACKAGE).parts:
            continue
        assert "textual" not in imports_of(path), f"{path} imports textual"


def test_store_and_ingest_never_import_nlp() -> None:
    for folder in ("store", "ingest", "domain"):
        for path in (PACKAGE / folder).rglob("*.py"):
            assert not imports_of(path) & {"spacy", "sklearn", "torch"}, path


def calls_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            func = node.func
            names.add(func.id if isinstance(func, ast.Name) else getattr(func, "attr", ""))
    return names


def test_settings_are_read_only_at_the_edge() -> None:
    """The CLI and the TUI read the settings once and pass them down as parameters."""
    for path in PACKAGE.rglob("*.py"):
        edge = path.relative_to(PACKAGE).parts[0] in ("cli", "tui", "config.py")
        if not edge:
            assert not calls_of(path) & {"load_settings", "config_file"}, path


def env_names_of(path: Path) -> set[str]:
    """The ``QUALCODE_*`` variable names a module spells out (to read them, presumably)."""
    return {
        node.value
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.fullmatch(r"QUALCODE_[A-Z_]+", node.value)
    }


def test_qualcode_variables_are_read_only_by_config_and_the_edge() -> None:
    """``QUALCODE_*`` settings reach lower layers through ``config.Settings``, never
    ``os.environ`` (QUALCODE_BACKUP_DIR was read in services.archive)."""
    for path in PACKAGE.rglob("*.py"):
        if path.relative_to(PACKAGE).parts[0] in ("cli", "tui", "config.py"):
            continue
        assert not env_names_of(path), path


def test_the_backup_folder_is_a_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qualcode.config import backups_dir, load_settings

    config = tmp_path / "config.toml"
    config.write_text(f'backup_dir = "{tmp_path / "from-file"}"\n')
    monkeypatch.setenv("QUALCODE_CONFIG", str(config))
    assert load_settings({}).backup_dir == tmp_path / "from-file"
    chosen = load_settings({"QUALCODE_BACKUP_DIR": str(tmp_path / "from-env")})
    assert chosen.backup_dir == tmp_path / "from-env"  # the variable wins over the file
    monkeypatch.setenv("QUALCODE_CONFIG", str(tmp_path / "none.toml"))
    assert load_settings({}).backup_dir is None
    assert backups_dir().name == "backups"
