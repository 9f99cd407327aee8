"""The job-title rules table: a YAML file the researcher can copy and edit.

Read from the path given (the CLI's ``--rules``, or the settings' ``title_rules``:
``$QUALCODE_TITLE_RULES`` or ``title_rules`` under ``[anonymise]`` in the config file),
else the rules shipped here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from qualcode.domain.anonymise import TitleRule
from qualcode.errors import InputError

DEFAULT_RULES = Path(__file__).with_name("title_rules.yaml")


@dataclass(frozen=True)
class TitleRules:
    attributes: tuple[str, ...]  # the case attributes that hold job titles
    rules: tuple[TitleRule, ...]
    path: Path


def rules_path(path: Path | None = None) -> Path:
    return path if path is not None else DEFAULT_RULES


MAX_DEPTH = 50


def _refuse_expansion(raw: str, source: Path) -> None:
    """No aliases (a "billion laughs" file) and no deep nesting: a rules table needs
    neither, and both would hang or crash the loader."""
    depth = 0
    for event in yaml.parse(raw, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.AliasEvent):
            raise InputError("aliases (*name) are not allowed in title rules", source, line)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(f"nested deeper than {MAX_DEPTH} levels", source, line)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def load_rules(path: Path | None = None) -> TitleRules:
    source = rules_path(path)
    try:
        raw = source.read_text(encoding="utf-8-sig")
        _refuse_expansion(raw, source)
        data = yaml.safe_load(raw)
    except OSError as exc:
        raise InputError(f"cannot read the title rules ({exc.strerror or exc})", source) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError("not valid YAML", source, mark.line + 1 if mark else None) from exc
    if not isinstance(data, dict) or not isinstance(data.get("rules", []), list):
        raise InputError("title rules need `rules:` (a list of match/title pairs)", source)
    rules = []
    for n, item in enumerate(data.get("rules") or [], start=1):
        if not isinstance(item, dict) or not item.get("match") or not item.get("title"):
            raise InputError(f"rule {n} needs `match` and `title`", source)
        try:
            re.compile(str(item["match"]))
        except re.error as exc:
            raise InputError(f"rule {n}: bad regular expression ({exc})", source) from exc
        rules.append(TitleRule(str(item["match"]), str(item["title"])))
    names = data.get("attributes") or ["role"]
    if isinstance(names, str):
        names = [names]
    return TitleRules(tuple(str(a) for a in names), tuple(rules), source)
