"""Key issues: per theme, the researcher's note of what matters most, closing the
theme's section of the report and the matrix export. Saving blank text removes it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from qualcode.domain.key_issues import KeyIssues
from qualcode.errors import ConflictError, NotFoundError
from qualcode.services.study import Study
from qualcode.store import audit
from qualcode.store import models as m
from qualcode.store.convert import aware, when
from qualcode.store.models import utcnow
from qualcode.store.queries import dimensions as dims_q

ENTITY = "key issues"


def _value(row: m.KeyIssuesRow) -> KeyIssues:
    return KeyIssues(row.theme_id, row.text, row.coder, row.version, aware(row.updated_at))


def key_issues(study: Study) -> dict[str, KeyIssues]:
    """Theme id -> its key issues, for every theme that has a note."""
    with study.read() as s:
        return key_issues_in(s)


def key_issues_in(s: Session) -> dict[str, KeyIssues]:
    return {r.theme_id: _value(r) for r in dims_q.key_issue_rows(s)}


def get_key_issues(study: Study, theme: str) -> KeyIssues | None:
    with study.read() as s:
        if s.get(m.ThemeRow, theme) is None:
            raise NotFoundError(f"no theme {theme!r}")
        row = dims_q.key_issue_row(s, theme)
        return None if row is None else _value(row)


def set_key_issues(
    study: Study, theme: str, text: str, expected_version: int | None = None
) -> KeyIssues | None:
    """Write (or with blank text remove) a theme's key issues. ``expected_version``
    refuses to overwrite a colleague's newer text (the TUI passes what it loaded);
    without it a colleague's text is refused outright, as a summary's is."""
    text = text.strip()
    with study.write() as s:
        if s.get(m.ThemeRow, theme) is None:
            raise NotFoundError(f"no theme {theme!r}")
        row = dims_q.key_issue_row(s, theme)
        current = 0 if row is None else row.version
        if expected_version is not None and expected_version != current:
            who = row.coder if row is not None else "someone"
            raise ConflictError(
                f"the key issues of {theme!r} were changed by {who} since you opened them"
            )
        if expected_version is None and row is not None and row.coder != study.coder:
            raise ConflictError(
                f"the key issues of {theme!r}: last changed by {row.coder} at "
                f"{when(row.updated_at)} (version {row.version}); read them first "
                "and give that version to change them (--version)"
            )
        before = None if row is None else state(row.text)
        if row is not None and row.text == text:
            return _value(row)
        if not text:
            if row is None:
                return None
            s.delete(row)
            audit.record(s, study.coder, "update", ENTITY, theme, before, None)
            return None
        if row is None:
            row = m.KeyIssuesRow(theme_id=theme, version=0)
            s.add(row)
        row.text, row.coder, row.version = text, study.coder, current + 1
        row.updated_at = utcnow()
        audit.record(s, study.coder, "update", ENTITY, theme, before, state(text))
        s.flush()
        return _value(row)


def state(text: str) -> dict[str, Any]:
    return {"text": text}


def restore_key_issues(s: Session, who: str, theme: str, text: str | None) -> None:
    """Put a theme's key issues back to ``text`` (None: no note) - the undo of a change."""
    row = dims_q.key_issue_row(s, theme)
    if text is None:
        if row is not None:
            s.delete(row)
        return
    if s.get(m.ThemeRow, theme) is None:
        raise ConflictError(f"theme {theme!r} was deleted since; undo refused")
    if row is None:
        row = m.KeyIssuesRow(theme_id=theme, version=0)
        s.add(row)
    row.text, row.coder, row.version, row.updated_at = text, who, (row.version or 0) + 1, utcnow()


__all__ = ["KeyIssues", "get_key_issues", "key_issues", "set_key_issues"]
