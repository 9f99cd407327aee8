"""The framework as YAML (``qualcode framework export``), the shape ``framework import``
reads back."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from qualcode.exchange.files import replacing


def write_framework(framework: Mapping[str, Any], path: Path) -> None:
    """``framework``: ``{"title": ..., "themes": [{"id", "label", ..., "children"}]}``.
    Not private: a framework holds no participant's words."""
    text = yaml.safe_dump(dict(framework), sort_keys=False, allow_unicode=True, width=88)
    with replacing(path, private=False) as tmp:
        tmp.write_text(text, "utf-8")
