"""A YAML loader for files a researcher (or anyone) hands us: frameworks and settings.

- Scalars stay the text that was typed: ``id: 9.10`` is ``"9.10"`` (not 9.1), ``yes``
  is ``"yes"`` (not True), ``2.10`` is not ``2.1``. Only an empty value, ``~`` and
  ``null`` mean "nothing".
- Anchors and aliases (``&a`` / ``*a``) are refused: no framework needs them, and they
  are how a "billion laughs" file expands a few lines into gigabytes.
- Nesting deeper than :data:`MAX_DEPTH` is refused instead of exhausting the stack.
- Every mapping remembers its line (key :data:`LINE`) for error messages.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.resolver import BaseResolver

MAX_DEPTH = 100
LINE = "__line__"


class TextLoader(yaml.SafeLoader):
    """A safe loader whose plain scalars are strings (bar null), with no aliases and a
    depth limit."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 - PyYAML's class table

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise ComposerError(
                None, None, "aliases (*name) are not allowed in this file", event.start_mark
            )
        event = self.peek_event()
        if getattr(event, "anchor", None) is not None:
            raise ComposerError(
                None, None, "anchors (&name) are not allowed in this file", event.start_mark
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise ComposerError(
                    None, None, f"nested deeper than {MAX_DEPTH} levels", event.start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _mapping_with_line(loader: TextLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = {str(k): v for k, v in loader.construct_mapping(node, deep=True).items()}
    mapping[LINE] = node.start_mark.line + 1
    return mapping


TextLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
TextLoader.add_constructor(BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def load_text_yaml(raw: str) -> Any:
    """``raw`` parsed by :class:`TextLoader`; raises ``yaml.YAMLError`` on bad input."""
    return yaml.load(raw, Loader=TextLoader)  # noqa: S506 - a SafeConstructor loader


def error_line(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None)
    return None if mark is None else mark.line + 1
