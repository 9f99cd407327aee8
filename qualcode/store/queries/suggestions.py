"""Suggestions (rows the suggestion engine writes) as the other services see them."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from qualcode.store import models as m


def suggestion_ids_of_theme(s: Session, theme_id: str) -> list[int]:
    query = select(m.SuggestionRow.id).where(m.SuggestionRow.theme_id == theme_id)
    return list(s.scalars(query))


def suggestions_of_themes(s: Session, theme_ids: Collection[str]) -> list[m.SuggestionRow]:
    query = select(m.SuggestionRow).where(m.SuggestionRow.theme_id.in_(list(theme_ids)))
    return list(s.scalars(query))


def retheme_suggestions(
    s: Session, ids: Sequence[int], theme_id: str, only_from: str | None = None
) -> None:
    """Point the given suggestions at another theme (merges and their undo); with
    ``only_from``, only those still pointing at that theme."""
    if not ids:
        return
    query = update(m.SuggestionRow).where(m.SuggestionRow.id.in_(list(ids)))
    if only_from is not None:
        query = query.where(m.SuggestionRow.theme_id == only_from)
    s.execute(query.values(theme_id=theme_id))
