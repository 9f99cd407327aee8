"""Text that XML 1.0 can carry: .docx and .qdpx files are XML inside.

A summary, memo or imported transcript can hold control characters (pasted from
another tool, or typed through a terminal); the XML writers refuse them outright, so
every writer cleans its text here rather than failing half-way through a report.
"""

from __future__ import annotations

import re
from typing import Any

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    """Text without the control characters XML 1.0 cannot carry."""
    return text if text.isprintable() else _XML_ILLEGAL.sub("", text)


def heading(doc: Any, text: str, level: int) -> Any:
    return doc.add_heading(clean(text), level=level)


def paragraph(doc: Any, text: str = "", style: str | None = None) -> Any:
    return doc.add_paragraph(clean(text), style=style)


def run(para: Any, text: str) -> Any:
    return para.add_run(clean(text))
