"""Word (.docx) transcripts: the body's paragraphs, one line each."""

from __future__ import annotations

import io
from collections.abc import Collection
from pathlib import Path

from qualcode.domain.documents import ParsedTranscript
from qualcode.errors import InputError
from qualcode.ingest.encoding import failure_reason, read_bytes
from qualcode.ingest.limits import check_office_file
from qualcode.ingest.text import transcript_from_text


def docx_text(data: bytes, path: Path) -> str:
    """The paragraphs' text joined by newlines (an empty paragraph is a blank line)."""
    import docx  # only when a .docx is read: python-docx and lxml are slow to import

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx fails with many types (zip, XML, KeyError...)
        reason = failure_reason(exc)
        raise InputError(f"not a readable .docx file ({reason})", path) from None
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def read_docx_transcript(path: Path, interviewer_labels: Collection[str] = ()) -> ParsedTranscript:
    """A .docx transcript; front matter typed at the top of the document works too."""
    data = read_bytes(path)
    if not data:
        raise InputError("empty file", path)
    check_office_file(data, path, ".docx")  # archive bombs, hidden entities
    text = docx_text(data, path)
    if not text.strip():
        raise InputError("the document has no text", path)
    return transcript_from_text(text, path, interviewer_labels)
