"""Unsaved drafts kept on disk while the workbench runs, so that a dropped SSH link or a
killed process loses none of them.

Summaries, memos, key issues and theme notes typed but not saved live in the screens
("kept for this session"); ctrl+q asks before losing them, but a hang-up never asks.
Every few seconds the app writes what is unsaved to one file per study and coder in the
user's state folder (readable by the user alone: it holds participants' words), and
removes it once nothing is unsaved. The next session on that study and coder finds
the file and puts each draft back where it was typed, unsaved.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import socket
import tempfile
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qualcode.config import state_dir

Key = tuple[str | None, ...]  # ("memo", kind, target), ("summary", case, theme), ...


@dataclass(frozen=True)
class Draft:
    """One unsaved text: in which workspace (mode), of what (key), said how (label)."""

    mode: str
    key: Key
    label: str
    text: str
    extra: Mapping[str, Any] = field(default_factory=dict)  # what restoring it needs


def journal_path(study_id: str, coder: str) -> Path | None:
    """This session's file for the study and coder (None: QUALCODE_STATE_DIR=off). The
    name is a digest (a database URL may hold a password, a file name a participant's),
    the machine and the process: two windows on one study each keep their own."""
    folder = state_dir()
    if folder is None:
        return None
    name = f"{_digest(study_id, coder)}-{_host()}-{os.getpid()}-{uuid.uuid4().hex[:8]}.json"
    return folder / "drafts" / name


def left_behind(study_id: str, coder: str) -> list[Path]:
    """The files of sessions on this study and coder that ended on this machine without
    removing theirs (a dropped connection): not those of sessions still running."""
    folder = state_dir()
    if folder is None or not (folder / "drafts").is_dir():
        return []
    out = []
    for path in sorted((folder / "drafts").glob(f"{_digest(study_id, coder)}-*.json")):
        parts = path.stem.split("-")  # digest, machine, process, session
        if len(parts) != 4 or parts[1] != _host() or not parts[2].isdigit():
            continue
        if not _alive(int(parts[2])):
            out.append(path)
    return out


def _digest(study_id: str, coder: str) -> str:
    return hashlib.sha256(f"{study_id}\0{coder}".encode()).hexdigest()[:24]


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:40] or "host"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: running
        return True
    return True


def save(path: Path, drafts: Sequence[Draft]) -> None:
    """Write ``drafts`` in place of the file's, at once (or remove it when none)."""
    if not drafts:
        clear(path)
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    body = {
        "saved_at": datetime.now(UTC).isoformat(),
        "drafts": [
            {"mode": d.mode, "key": list(d.key), "label": d.label, "text": d.text,
             "extra": dict(d.extra)}
            for d in drafts
        ],
    }  # fmt: skip
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=".drafts-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:  # mkstemp: the user's alone
            json.dump(body, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise


def load(path: Path) -> tuple[datetime | None, list[Draft]]:
    """When the file was last written, and its drafts ([] when there is none, or it
    cannot be read: a draft file is never a reason not to open the study)."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        saved = datetime.fromisoformat(body["saved_at"])
        drafts = [
            Draft(str(d["mode"]), tuple(d["key"]), str(d["label"]), str(d["text"]),
                  dict(d.get("extra") or {}))
            for d in body["drafts"]
        ]  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError):
        return None, []
    return saved, drafts


def clear(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
