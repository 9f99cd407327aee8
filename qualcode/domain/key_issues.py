"""A theme's key-issues note: what matters most, closing the theme's report section."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class KeyIssues:
    theme: str
    text: str
    coder: str
    version: int
    updated: datetime
