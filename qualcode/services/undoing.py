"""Inverses of coding and framework changes, so that the TUI can undo and redo them.

Each function runs in one transaction and is audited like the change it reverses.
Deleting or merging a theme loses information (the theme row, which codings moved),
so the caller takes a :class:`ThemeSnapshot` first and restores from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select

from qualcode.domain.framework import FrameworkTree
from qualcode.domain.model import Coding, Theme
from qualcode.errors import ConflictError
from qualcode.services import codings
from qualcode.services.study import Study
from qualcode.store import audit, convert
from qualcode.store import models as m

Key = tuple[str, int, int, str]  # source, start, end, coder


def _plain(value: Any) -> dict[str, Any]:
    data = asdict(value)
    for k, v in data.items():
        if hasattr(v, "isoformat"):
            data[k] = v.isoformat()
        elif isinstance(v, tuple):
            data[k] = list(v)
    return data


def remove_codings(study: Study, ids: Iterable[int]) -> list[Coding]:
    """Delete the codings that still exist; returns what was deleted."""
    gone: list[Coding] = []
    with study.write() as s:
        for coding_id in ids:
            row = s.get(m.CodingRow, coding_id)
            if row is None:
                continue
            coding = convert.coding(row)
            s.delete(row)
            gone.append(coding)
            audit.record(s, study.coder, "delete", "coding", coding_id, before=_plain(coding))
    return gone


def add_codings(study: Study, items: Iterable[Coding]) -> list[Coding]:
    """Re-create codings (new ids); one already present is returned as it is."""
    with study.write() as s:
        return [
            codings.insert_coding(
                s,
                study.coder,
                c.source,
                c.start,
                c.end,
                c.theme,
                c.coder,
                c.origin,
                quote=c.quote,
            )[0]
            for c in items
        ]


def add_coding_once(
    study: Study, source: str, start: int, end: int, theme: str, origin: str = "manual"
) -> tuple[Coding, bool]:
    """Like ``codings.add_coding``, and says whether the coding is new (only a new one
    is worth an undo entry); the check and the insert share one transaction."""
    with study.write() as s:
        codings.check_target(s, source, start, end, theme)
        return codings.insert_coding(s, study.coder, source, start, end, theme, study.coder, origin)


@dataclass(frozen=True)
class ThemeSnapshot:
    """A theme with its sub-themes and their codings, as they were before a change.

    ``children`` are the theme's direct sub-themes (a merge re-parents them);
    ``target_keys`` are the codings the merge target already had, so that undoing a
    merge can tell the codings that moved from those that were the target's own.
    """

    themes: tuple[Theme, ...]  # parents first
    codings: tuple[Coding, ...]
    children: tuple[str, ...]
    target: str | None = None
    target_keys: frozenset[Key] = frozenset()


def snapshot_theme(study: Study, theme_id: str, target: str | None = None) -> ThemeSnapshot:
    with study.read() as s:
        tree = FrameworkTree.build(convert.theme(r) for r in s.scalars(select(m.ThemeRow)))
        ids = tree.with_descendants(theme_id)
        themes = tuple(tree.themes[t] for t in ids)
        codings = tuple(
            convert.coding(r)
            for r in s.scalars(select(m.CodingRow).where(m.CodingRow.theme_id.in_(ids)))
        )
        keys: frozenset[Key] = frozenset()
        if target is not None:
            keys = frozenset(
                (r.source_id, r.start, r.end, r.coder)
                for r in s.scalars(select(m.CodingRow).where(m.CodingRow.theme_id == target))
            )
    return ThemeSnapshot(themes, codings, tuple(tree.children.get(theme_id, ())), target, keys)


def _theme_row(t: Theme) -> m.ThemeRow:
    return m.ThemeRow(
        id=t.id,
        label=t.label,
        parent_id=t.parent,
        definition=t.definition,
        inclusion=t.inclusion,
        exclusion=t.exclusion,
        keywords=list(t.keywords),
        position=t.position,
    )


def restore_deleted_theme(study: Study, snap: ThemeSnapshot) -> None:
    """Undo of ``delete_theme``: the theme, its sub-themes and their codings come back."""
    with study.write() as s:
        for t in snap.themes:
            if s.get(m.ThemeRow, t.id) is not None:
                raise ConflictError(f"theme id {t.id!r} is in use again; cannot restore it")
            if t.parent is not None and s.get(m.ThemeRow, t.parent) is None:
                raise ConflictError(f"the parent {t.parent!r} of {t.id!r} is gone")
            s.add(_theme_row(t))
            s.flush()
            audit.record(s, study.coder, "restore", "theme", t.id, after=_plain(t))
        _recreate(s, study.coder, snap.codings)


def _recreate(s: Any, coder: str, codings: Iterable[Coding]) -> None:
    for c in codings:
        row = m.CodingRow(
            source_id=c.source,
            start=c.start,
            end=c.end,
            theme_id=c.theme,
            coder=c.coder,
            origin=c.origin,
            quote=c.quote,
        )
        s.add(row)
        s.flush()
        audit.record(s, coder, "restore", "coding", row.id, after=_plain(convert.coding(row)))


def unmerge_theme(study: Study, snap: ThemeSnapshot) -> None:
    """Undo of ``merge_themes(source, target)``: the source theme comes back with its
    sub-themes and the codings that moved (or were dropped as duplicates)."""
    source = snap.themes[0]
    if snap.target is None:
        raise ConflictError("this snapshot was not taken for a merge")
    with study.write() as s:
        if s.get(m.ThemeRow, source.id) is not None:
            raise ConflictError(f"theme id {source.id!r} is in use again; cannot restore it")
        s.add(_theme_row(source))
        s.flush()
        audit.record(s, study.coder, "unmerge", "theme", source.id, after=_plain(source))
        for child in snap.children:
            row = s.get(m.ThemeRow, child)
            if row is not None and row.parent_id == snap.target:
                row.parent_id = source.id
        recreate: list[Coding] = []
        for c in snap.codings:
            if c.theme != source.id:
                continue  # sub-themes' codings did not move
            key = (c.source, c.start, c.end, c.coder)
            moved = s.scalar(
                select(m.CodingRow).where(
                    m.CodingRow.source_id == c.source,
                    m.CodingRow.start == c.start,
                    m.CodingRow.end == c.end,
                    m.CodingRow.coder == c.coder,
                    m.CodingRow.theme_id == snap.target,
                )
            )
            if moved is not None and key not in snap.target_keys:
                moved.theme_id = source.id
            else:
                recreate.append(c)
        s.flush()
        _recreate(s, study.coder, recreate)


__all__ = [
    "ThemeSnapshot",
    "add_codings",
    "remove_codings",
    "restore_deleted_theme",
    "snapshot_theme",
    "unmerge_theme",
]
