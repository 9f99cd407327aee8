"""How the audit trail records the state of each kind of row (its ``before`` and
``after``): one definition per entity, shared by the services that write changes and
by the undo that reads them back (:mod:`qualcode.services.inverses`)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from qualcode.domain.model import Coding
from qualcode.store import convert
from qualcode.store import models as m

State = dict[str, Any]
_CODING_FIELDS = fields(Coding)


def coding(c: Coding) -> State:
    # Its fields as they are (all plain values): asdict's deep copy of each costs
    # seconds on a bulk accept of 30,000.
    data = {f.name: getattr(c, f.name) for f in _CODING_FIELDS}
    data["created"] = c.created.isoformat()
    return data


def coding_row(row: m.CodingRow) -> State:
    data = coding(convert.coding(row))
    if row.suggestion_id is not None:
        # the suggestion it came from: a redo brings the link back with the coding
        data["suggestion"] = row.suggestion_id
    return data


def theme(row: m.ThemeRow) -> State:
    t = convert.theme(row)
    return {
        "id": t.id,
        "label": t.label,
        "parent": t.parent,
        "definition": t.definition,
        "inclusion": t.inclusion,
        "exclusion": t.exclusion,
        "keywords": list(t.keywords),
        "position": t.position,
        "framework": row.framework,
    }


def summary(row: m.SummaryRow) -> State:
    return {
        "case": row.case_id,
        "theme": row.theme_id,
        "text": row.text,
        "status": row.status,
        "coder": row.coder,
        "version": row.version,
    }


def synthesis(row: m.SynthesisRow) -> State:
    """A group's synthesis, with the theme, attribute and value that name it."""
    return {
        "theme": row.theme_id,
        "attribute": row.attribute,
        "value": row.value,
        "text": row.text,
        "coder": row.coder,
        "version": row.version,
    }


def decision(row: m.SuggestionRow) -> State:
    """A suggestion's decision (accept, reject, reopen)."""
    return {
        "segment": row.segment_id,
        "theme": row.theme_id,
        "score": row.score,
        "status": row.status,
        "decided_by": row.decided_by,
    }


def suggestion(row: m.SuggestionRow) -> State:
    """A stored suggestion in full, as kept when one is deleted with its theme."""
    return {
        **decision(row),
        "id": row.id,
        "because": list(row.because or ()),
        "method": row.method,
        "model": row.model,
        "params": dict(row.params or {}),
    }


def memo(row: m.MemoRow) -> State:
    return {"id": row.id, "kind": row.kind, "target": row.target, "coder": row.coder,
            "text": row.text}  # fmt: skip


def anonymisation(row: m.AnonymisationRow) -> State:
    """A name's proposal as decided (never the original: the log is not anonymised data)."""
    return {"placeholder": row.placeholder, "kind": row.kind, "status": row.status}


def read(value: Any) -> State:
    """A logged ``before``/``after`` as a dict (``{}`` for none)."""
    return value if isinstance(value, dict) else {}
