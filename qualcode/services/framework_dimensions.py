"""The ``dimensions:`` of a framework file's themes: read on import, written on export.

Kept beside ``framework`` (which reads the themes themselves) so that the declarations
are one addition to the file format: a theme may carry

    dimensions:
      stance: [very positive, mixed, negative]
      mention: [spontaneous, prompted]
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from qualcode.domain.dimensions import Dimension, DimensionProblem, parse_declaration
from qualcode.errors import InputError
from qualcode.ingest.safe_yaml import LINE, load_text_yaml
from qualcode.services.dimensions import declare_in


def read_declarations(path: Path) -> dict[str, tuple[Dimension, ...]]:
    """Theme id -> the dimensions it declares, for the themes of the file that do.

    The file has already been read and checked as a framework; this walks it again for
    the one key the theme reader leaves alone.
    """
    try:
        data = load_text_yaml(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read the framework file ({exc})", path) from None
    out: dict[str, tuple[Dimension, ...]] = {}

    def visit(nodes: Any) -> None:
        if not isinstance(nodes, list):
            return
        for node in nodes:
            if not isinstance(node, dict):
                continue
            raw = node.get("dimensions")
            if raw is not None:
                tid = str(node.get("id")).strip()
                line = raw.get(LINE) if isinstance(raw, dict) else node.get(LINE)
                if isinstance(raw, dict):
                    raw = {k: v for k, v in raw.items() if k != LINE}
                try:
                    out[tid] = parse_declaration(raw)
                except DimensionProblem as exc:
                    raise InputError(f"theme {tid!r}: {exc}", path, line) from None
            visit(node.get("children"))

    visit(data.get("themes") if isinstance(data, dict) else None)
    return out


def store_declarations(
    s: Session, coder: str, declared: Mapping[str, tuple[Dimension, ...]]
) -> int:
    """Declare each theme's dimensions (inside the import's session); the number of
    themes whose declarations changed. Themes the file gives none keep theirs."""
    return sum(declare_in(s, coder, tid, dims) for tid, dims in declared.items())


def export_node(dims: tuple[Dimension, ...]) -> dict[str, list[str]]:
    """A theme's declarations as the file writes them."""
    return {d.name: list(d.values) for d in dims}
