"""Row-to-domain converters: the only place ORM rows turn into frozen dataclasses."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from qualcode.domain.matrix import Summary, Synthesis
from qualcode.domain.model import AttrValue, Case, Coding, Memo, Source, Theme
from qualcode.store import models as m


def typed_value(value: str, kind: str) -> AttrValue:
    """The stored text as its kind. A whole number in a column of decimals stays whole:
    a score of "1" among "2.16"s reads "1" as the file had it, not "1.0"."""
    try:
        if kind == "integer" or (kind == "number" and value.strip().lstrip("+-").isdecimal()):
            return int(value)
        if kind == "number":
            return float(value)
    except ValueError:
        pass
    return value


def case(row: m.CaseRow, attributes: Mapping[str, AttrValue]) -> Case:
    return Case(id=row.id, attributes=dict(attributes))


def source(row: m.SourceRow) -> Source:
    return Source(
        id=row.id,
        case=row.case_id,
        name=row.name,
        kind=row.kind,
        question=row.question,
        chars=row.chars,
        checksum=row.checksum,
        attributes=dict(row.attributes or {}),
    )


def theme(row: m.ThemeRow) -> Theme:
    return Theme(
        id=row.id,
        label=row.label,
        parent=row.parent_id,
        definition=row.definition,
        inclusion=row.inclusion,
        exclusion=row.exclusion,
        keywords=tuple(row.keywords or ()),
        position=row.position,
    )


def coding(row: m.CodingRow) -> Coding:
    return Coding(
        id=row.id,
        source=row.source_id,
        start=row.start,
        end=row.end,
        theme=row.theme_id,
        coder=row.coder,
        created=row.created_at,
        origin=row.origin,
        quote=row.quote,
    )


def coding_of_values(coding_id: int, values: Mapping[str, Any]) -> Coding:
    """A coding inserted from its column values (queries.codings.coding_values)."""
    return Coding(
        id=coding_id,
        source=values["source_id"],
        start=values["start"],
        end=values["end"],
        theme=values["theme_id"],
        coder=values["coder"],
        created=values["created_at"],
        origin=values["origin"],
        quote=values["quote"],
    )


def memo(row: m.MemoRow) -> Memo:
    return Memo(
        id=row.id,
        kind=row.kind,
        target=row.target,
        coder=row.coder,
        text=row.text,
        created=row.created_at,
        updated=row.updated_at,
    )


def summary(row: m.SummaryRow) -> Summary:
    return Summary(
        case=row.case_id,
        theme=row.theme_id,
        text=row.text,
        status=row.status,
        coder=row.coder,
        version=row.version,
        updated=aware(row.updated_at),
    )


def aware(value: datetime) -> datetime:
    """Times are stored in UTC; SQLite hands them back without the zone."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def when(value: datetime | None) -> str:
    """A stored time as messages give it ("2026-12-07 10:26 UTC")."""
    if value is None:
        return "an unknown time"
    return aware(value).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def synthesis(row: m.SynthesisRow) -> Synthesis:
    return Synthesis(
        theme=row.theme_id,
        attribute=row.attribute,
        value=row.value,
        text=row.text,
        coder=row.coder,
        version=row.version,
        updated=aware(row.updated_at),
    )
