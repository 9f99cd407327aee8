"""Matrix cell summaries and group syntheses: edits with optimistic concurrency.

Every edit carries the version it started from. When the stored version has moved on
- someone else saved in between - the edit is refused with a :class:`ConflictError`
naming who changed it and when; nothing is ever silently overwritten. Each saved
version is kept in ``summary_history`` and the change is written to the audit log.

Statuses: ``empty`` (nothing charted), ``not discussed`` (the case said nothing on
the theme), ``drafted`` (a machine draft), ``written`` (text the researcher typed)
and ``final``. A summary becomes ``final`` only when asked for explicitly
(``status=FINAL`` or :func:`accept_summary`); machine drafts are always stored as
``drafted``, so the grid and the exports can tell them from the researcher's words.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qualcode.domain.matrix import (
    DRAFTED,
    EMPTY,
    FINAL,
    NOT_DISCUSSED,
    STATUSES,
    WRITTEN,
    Group,
    Summary,
    SummaryVersion,
    Synthesis,
)
from qualcode.domain.wording import first_few
from qualcode.errors import ConflictError, InputError, NotFoundError
from qualcode.services.matrix_groups import group_key
from qualcode.services.study import Study
from qualcode.services.theme_errors import no_theme_in_study
from qualcode.store import audit, convert
from qualcode.store import models as m
from qualcode.store.queries import cases as cases_q
from qualcode.store.queries import summaries as summaries_q
from qualcode.store.queries import themes as themes_q


def get_summary(study: Study, case: str, theme: str) -> Summary:
    with study.read() as s:
        _check_cell(s, case, theme)
        row = s.get(m.SummaryRow, (case, theme))
        return convert.summary(row) if row else Summary(case=case, theme=theme)


def set_summary(
    study: Study,
    case: str,
    theme: str,
    text: str | None = None,
    status: str | None = None,
    expected_version: int | None = None,
    coder: str | None = None,
) -> Summary:
    """Save a cell's summary text and/or status; returns the new version.

    ``expected_version`` is the version the edit started from (0 for a cell that had
    no summary). Without it the edit is allowed only on a cell that is still empty
    or was last saved by the same coder. With ``status`` None: an emptied text makes
    the cell ``empty``, a new text keeps ``final`` and otherwise becomes ``written``
    (typed by the researcher, even over a machine draft).
    """
    who = coder or study.coder
    if status is not None and status not in STATUSES:
        raise InputError(f"unknown status {status!r} (use one of: {', '.join(STATUSES)})")
    with study.write() as s:
        _check_cell(s, case, theme)
        row = _locked(s, m.SummaryRow, m.SummaryRow.case_id == case, m.SummaryRow.theme_id == theme)
        current = convert.summary(row) if row else Summary(case=case, theme=theme)
        _check_version(current, expected_version, who, f"{case} / theme {theme}")
        new_text = current.text if text is None else text.strip()
        if status is None:
            new_status = current.status if text is None else _default_status(current, new_text)
        else:
            new_status = status
        if new_status == FINAL and not new_text:
            raise InputError(f"{case} / theme {theme}: a final summary needs some text")
        if new_status == EMPTY and new_text:
            raise InputError(
                f"{case} / theme {theme}: an empty cell has no text; clear the "
                "text or choose another status"
            )
        if row is not None and (new_text, new_status) == (row.text, row.status):
            return current
        before = _plain(current) if row else None
        if row is None:
            row = m.SummaryRow(
                case_id=case,
                theme_id=theme,
                text=new_text,
                status=new_status,
                coder=who,
                version=1,
                updated_at=_now(),
            )
            s.add(row)
        else:
            row.text, row.status, row.coder = new_text, new_status, who
            row.version += 1
            row.updated_at = _now()
        _flush(s, f"{case} / theme {theme}")
        s.add(
            m.SummaryHistoryRow(
                case_id=case,
                theme_id=theme,
                text=row.text,
                status=row.status,
                coder=who,
                version=row.version,
                changed_at=row.updated_at,
            )
        )
        saved = convert.summary(row)
        audit.record(
            s,
            who,
            "update" if before else "add",
            "summary",
            f"{case}/{theme}",
            before,
            _plain(saved),
        )
    return saved


def accept_summary(
    study: Study,
    case: str,
    theme: str,
    expected_version: int | None = None,
    coder: str | None = None,
) -> Summary:
    """Make a drafted or written summary final (the researcher's explicit keystroke)."""
    current = get_summary(study, case, theme)
    if current.status == FINAL:
        return current
    if current.status not in (DRAFTED, WRITTEN) or not current.text:
        raise InputError(
            f"{case} / theme {theme}: no drafted summary (nor a written one) to accept "
            f"(the cell is {current.status})"
        )
    version = current.version if expected_version is None else expected_version
    return set_summary(study, case, theme, None, FINAL, version, coder)


def summary_history(study: Study, case: str, theme: str) -> list[SummaryVersion]:
    """Every saved version of a cell's summary, oldest first."""
    with study.read() as s:
        _check_cell(s, case, theme)
        rows = summaries_q.summary_history_rows(s, case, theme)
        return [
            SummaryVersion(
                r.case_id,
                r.theme_id,
                r.version,
                r.text,
                r.status,
                r.coder,
                convert.aware(r.changed_at),
            )
            for r in rows
        ]


def get_synthesis(study: Study, theme: str, attribute: str, value: str) -> Synthesis:
    with study.read() as s:
        if s.get(m.ThemeRow, theme) is None:
            raise no_theme_in_study(s, theme)
        row = s.get(m.SynthesisRow, (theme, attribute, value))
        return convert.synthesis(row) if row else Synthesis(theme, attribute, value)


def set_synthesis(
    study: Study,
    theme: str,
    attribute: str,
    value: str,
    text: str,
    expected_version: int | None = None,
    coder: str | None = None,
) -> Synthesis:
    """Save a group's synthesis on a theme (``attribute`` as a sheet's ``by`` joined by +)."""
    who = coder or study.coder
    with study.write() as s:
        if s.get(m.ThemeRow, theme) is None:
            raise no_theme_in_study(s, theme)
        known = cases_q.attribute_name_set(s)
        for name in attribute.split("+"):
            if name not in known:
                raise InputError(f"unknown case attribute {name!r}")
        _check_synthesis_place(s, theme, attribute.split("+"), value)
        row = _locked(
            s,
            m.SynthesisRow,
            m.SynthesisRow.theme_id == theme,
            m.SynthesisRow.attribute == attribute,
            m.SynthesisRow.value == value,
        )
        current = convert.synthesis(row) if row else Synthesis(theme, attribute, value)
        where = f"synthesis of {attribute} = {value} / theme {theme}"
        _check_version(current, expected_version, who, where)
        if row is not None and row.text == text.strip():
            return current
        if row is None:
            row = m.SynthesisRow(
                theme_id=theme,
                attribute=attribute,
                value=value,
                text=text.strip(),
                coder=who,
                version=1,
                updated_at=_now(),
            )
            s.add(row)
        else:
            row.text, row.coder, row.version, row.updated_at = (
                text.strip(),
                who,
                row.version + 1,
                _now(),
            )
        _flush(s, where)
        saved = convert.synthesis(row)
        audit.record(
            s,
            who,
            "update" if current.version else "add",
            "synthesis",
            f"{theme}/{attribute}={value}",
            _plain(current) if current.version else None,
            _plain(saved),
        )
    return saved


def _check_synthesis_place(s: Session, theme: str, by: list[str], value: str) -> None:
    """A synthesis shows in its group's row under its theme's column: refuse one that
    no sheet would show (a group no case is in, a theme whose sub-themes are the
    columns), which was saved and then found nowhere."""
    children: list[str] = list(themes_q.framework_tree(s).children.get(theme) or ())
    if children:
        shown = first_few(children, 4)
        raise InputError(
            f"theme {theme!r} has sub-themes ({shown}), which are its sheet's columns: "
            "write the synthesis on one of them"
        )
    values: dict[str, dict[str, str]] = {}
    for row in cases_q.case_attribute_rows(s, names=by):
        values.setdefault(row.case_id, {})[row.name] = row.value
    labels = {Group(group_key(values.get(case, {}), by), ()).label for case in cases_q.case_ids(s)}
    if value not in labels:
        close = difflib.get_close_matches(value, sorted(labels), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        listed = first_few(sorted(labels), 8)
        raise InputError(
            f"no case is in the group {value!r} of {'+'.join(by)} ({hint}groups: {listed})"
        )


def store_drafts(
    study: Study, drafts: Mapping[tuple[str, str], tuple[str, int]], coder: str | None = None
) -> tuple[int, int]:
    """Save proposed drafts ((case, theme) -> (text, version it was made from)) as
    ``drafted``. A cell that changed meanwhile, or that is final or written by the
    researcher, is skipped.
    Returns (saved, skipped)."""
    saved = skipped = 0
    for (case, theme), (text, version) in drafts.items():
        try:
            current = get_summary(study, case, theme)
            if current.status in (FINAL, WRITTEN) or current.version != version:
                skipped += 1
                continue
            set_summary(study, case, theme, text, DRAFTED, version, coder)
            saved += 1
        except ConflictError:
            skipped += 1
    return saved, skipped


# --- helpers ------------------------------------------------------------------------


def _check_cell(s: Session, case: str, theme: str) -> None:
    if s.get(m.CaseRow, case) is None:
        raise NotFoundError(f"no case {case!r}")
    if s.get(m.ThemeRow, theme) is None:
        raise no_theme_in_study(s, theme)


def _locked(s: Session, model: type[Any], *where: Any) -> Any:
    """The row, locked until the transaction ends on PostgreSQL (SQLite's write
    transaction already holds the database lock)."""
    return summaries_q.locked_row(s, model, *where)


def _check_version(
    current: Summary | Synthesis, expected: int | None, who: str, where: str
) -> None:
    if expected is None:
        if current.version == 0 or current.coder == who:
            return
        raise ConflictError(
            f"{where}: last changed by {current.coder} at {convert.when(current.updated)} "
            f"(version {current.version}); read it first and give that version to "
            "change it",
            "Changed by someone else",
        )
    if expected != current.version:
        if current.version == 0:
            detail = "it has no text now (never written, or removed since)"
        else:
            detail = f"{current.coder} changed it at {convert.when(current.updated)}"
        raise ConflictError(
            f"{where}: {detail} (now version {current.version}, you started from version "
            f"{expected}); yours is not saved: read theirs, then save yours from version "
            f"{current.version} to replace it",
            "Changed by someone else",
        )


def _default_status(current: Summary, text: str) -> str:
    if not text:
        return NOT_DISCUSSED if current.status == NOT_DISCUSSED else EMPTY
    return FINAL if current.status == FINAL else WRITTEN


def _flush(s: Session, where: str) -> None:
    try:
        s.flush()
    except IntegrityError as exc:  # another writer created the same cell meanwhile
        raise ConflictError(
            f"{where}: someone else saved it at the same moment; yours is not saved: "
            "read theirs, then save yours again to replace it",
            "Changed by someone else",
        ) from exc


def _now() -> datetime:
    return m.utcnow()


def _plain(value: Summary | Synthesis) -> dict[str, Any]:
    cell = (
        {"case": value.case, "theme": value.theme}
        if isinstance(value, Summary)
        else {"theme": value.theme, "attribute": value.attribute, "value": value.value}
    )
    return {
        **cell,
        "text": value.text,
        "status": getattr(value, "status", None),
        "coder": value.coder,
        "version": value.version,
    }
