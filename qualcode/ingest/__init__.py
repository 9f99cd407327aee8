"""Readers that turn files into domain objects (no database code here)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from qualcode.domain.documents import ParsedTranscript
from qualcode.errors import InputError
from qualcode.ingest.docx_reader import read_docx_transcript
from qualcode.ingest.encoding import decode_bytes
from qualcode.ingest.subtitles import (
    read_plain_transcript,
    read_srt_transcript,
    read_vtt_transcript,
)
from qualcode.ingest.tables import read_table

__all__ = [
    "TRANSCRIPT_SUFFIXES",
    "decode_bytes",
    "find_transcripts",
    "not_read",
    "read_table",
    "read_transcript",
]

_READERS: dict[str, Callable[[Path, Collection[str]], ParsedTranscript]] = {
    ".txt": read_plain_transcript,
    ".md": read_plain_transcript,
    ".docx": read_docx_transcript,
    ".vtt": read_vtt_transcript,
    ".srt": read_srt_transcript,
}
TRANSCRIPT_SUFFIXES: tuple[str, ...] = tuple(_READERS)


def read_transcript(path: Path, interviewer_labels: Collection[str] = ()) -> ParsedTranscript:
    """Read one transcript file, choosing the reader by its suffix; the speakers named
    in ``interviewer_labels`` take the interviewer role."""
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        kinds = ", ".join(TRANSCRIPT_SUFFIXES)
        how = _CONVERT.get(path.suffix.lower(), "")
        raise InputError(f"unsupported transcript file type (use {kinds}){how}", path)
    return reader(path, interviewer_labels)


# what to do with the files researchers most often have instead
_CONVERT = {
    ".doc": ": open it in Word and save it as .docx",
    ".rtf": ": open it in Word and save it as .docx",
    ".odt": ": save it as .docx (File > Save As in LibreOffice)",
    ".pdf": ": a PDF holds no reliable text layout; export the transcript as .docx or .txt "
    "from where it was written",
}


def _is_transcript(path: Path) -> bool:
    # "~$name.docx" is Word's lock file for an open document, not a transcript
    hidden = path.name.startswith((".", "~$"))
    return not hidden and path.is_file() and path.suffix.lower() in _READERS


def not_read(paths: Sequence[Path]) -> list[str]:
    """What the folders among ``paths`` hold that an import does not read: subfolders
    (it is not recursive) and files of other kinds (a consent form as .pdf), one line a
    folder; hidden files and Word's lock files are not worth a word."""
    out = []
    for path in paths:
        if not path.is_dir():
            continue
        children = sorted(c for c in path.iterdir() if not c.name.startswith((".", "~$")))
        folders = [c.name for c in children if c.is_dir()]
        others = [c.name for c in children if c.is_file() and not _is_transcript(c)]
        others = [n for n in others if n.casefold() not in _SYSTEM_FILES]
        parts = []
        if folders:
            parts.append(f"subfolders {', '.join(folders[:5])}{' ...' if len(folders) > 5 else ''}")
        if others:
            parts.append(
                f"files of other kinds {', '.join(others[:5])}{' ...' if len(others) > 5 else ''}"
            )
        if parts:
            out.append(
                f"{path}: not read: {'; '.join(parts)} (an import reads "
                f"{', '.join(TRANSCRIPT_SUFFIXES)} files, and not inside subfolders)"
            )
    return out


_SYSTEM_FILES = frozenset({"desktop.ini", "thumbs.db"})


def find_transcripts(paths: Sequence[Path]) -> list[Path]:
    """Files as given; each folder expanded to its transcript files (not recursive)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(child for child in path.iterdir() if _is_transcript(child))
            if not inside:
                kinds = ", ".join(TRANSCRIPT_SUFFIXES)
                raise InputError(f"no transcript files ({kinds}) in this folder", path)
            found.extend(inside)
        elif path.exists():
            found.append(path)
        else:
            raise InputError("no such file or folder", path)
    unique: dict[Path, Path] = {}
    for path in found:  # the same file named twice is read once
        unique.setdefault(path.resolve(), path)
    return list(unique.values())
