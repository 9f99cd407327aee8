"""Typologies: build types of cases, name them, save the type as a case attribute.

A build is recorded in the audit trail with its members and method, so naming and
saving work on the types the researcher saw even if codings change in between, and
the study says how its types were made. Names and saves are audited too, and each of
the three can be undone (``qualcode undo``).

Which cases: the interviews when the study has any (a typology of departments), else
every case; ``kind`` chooses. Which themes: those with codings of their own on those
cases, in framework order (a theme counts its sub-themes' codings).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from qualcode.analysis.counts import rollup
from qualcode.analysis.typology import build_typology
from qualcode.domain.mapping import TypeSummary, Typology
from qualcode.domain.model import TRANSCRIPT
from qualcode.errors import ConflictError, InputError, NotFoundError
from qualcode.services import matrix_data as data
from qualcode.services.matrix_data import AUTO
from qualcode.services.study import Study
from qualcode.store import attributes as attrs
from qualcode.store import audit
from qualcode.store import models as m
from qualcode.store.queries import cases as cases_q
from qualcode.store.queries import changes as changes_q

ENTITY = "typology"
MAX_NAME = 200


def build(
    study: Study,
    k: int = 3,
    themes: Sequence[str] | None = None,
    kind: str | None = AUTO,
    record: bool = True,
) -> Typology:
    """Cluster the cases into ``k`` types by the themes they raised; with ``record``
    the build becomes the current typology (to name and save)."""
    if k < 1:
        raise InputError(f"--k must be 1 or more, not {k}")
    data.check_kind(kind, allow_auto=True)
    with study.read() as s:
        snap = data.load(s)
        kinds = _kinds(snap, kind)
        wanted = (
            data.check_themes(snap, themes)
            if themes
            else [
                t.id
                for t in snap.tree.ordered()
                if snap.coded_kinds.get(t.id) and (not kinds or snap.coded_kinds[t.id] & set(kinds))
            ]
        )
        universe = snap.universe(kinds)
        targets = rollup(snap.tree, wanted)
        profiles: dict[str, set[str]] = {case: set() for case in universe}
        read: set[str] = set()  # cases with a coding of any theme
        for c in snap.codings:
            if c.case in profiles and (not kinds or c.kind in kinds):
                read.add(c.case)
                profiles[c.case].update(targets.get(c.theme, ()))
        labels = {t: snap.tree.themes[t].label for t in wanted}
    # A case with no coding at all is not coded yet: it has no profile to type (one
    # coded with other themes only raised none of these, and is typed). Counted in,
    # the uncoded cases of a study part-way through coding took a type of their own
    # (serdif, 4 of 17 coded: 13 of them) or swallowed every other (a survey of 6,211
    # answers, 500 coded: one type of all 6,211).
    uncoded = len(profiles) - len(read)
    profiles = {case: raised for case, raised in profiles.items() if case in read}
    if not profiles:
        raise NotFoundError("no case has a coding yet: there is nothing to build types from")
    if k > len(profiles):
        raise InputError(
            f"--k {k} is more types than there are cases with codings ({len(profiles)})"
        )
    chosen = kinds[0] if len(kinds) == 1 else None
    typology = build_typology(profiles, wanted, k, kind=chosen)
    typology = Typology(
        typology.k, typology.method, typology.themes, chosen, typology.types, labels, uncoded
    )
    if record:
        with study.write() as s:
            audit.record(s, study.coder, "build", ENTITY, None, None, _state(typology))
    return typology


def _kinds(snap: data.Snapshot, kind: str | None) -> tuple[str, ...]:
    if kind is None:
        return ()
    if kind != AUTO:
        return (kind,)
    has_transcripts = any(TRANSCRIPT in ks for ks in snap.kinds.values())
    return (TRANSCRIPT,) if has_transcripts else ()


def _state(t: Typology) -> dict[str, Any]:
    return {
        "k": t.k,
        "method": t.method,
        "themes": list(t.themes),
        "kind": t.kind,
        "labels": dict(t.labels),
        "uncoded": t.uncoded,
        "types": [
            {
                "number": x.number,
                "members": list(x.members),
                "defining": [list(d) for d in x.defining],
            }
            for x in t.types
        ],
    }


def current(study: Study) -> Typology | None:
    """The latest recorded build that was not undone, with the names given since."""
    with study.read() as s:
        found = _current(s)
    return None if found is None else found[1]


def _current(s: Session) -> tuple[str, Typology] | None:
    builds: dict[str, dict[str, Any]] = {}
    withdrawn: set[str] = set()
    names: dict[str, dict[int, str]] = {}
    order: list[str] = []
    for row in reversed(changes_q.change_rows(s, entity=ENTITY)):  # oldest first
        if row.action == "build" and row.batch:
            builds[row.batch] = row.after
            order.append(row.batch)
        elif row.action == "withdraw" and row.entity_id:
            withdrawn.add(row.entity_id)
        elif row.action == "rebuild" and row.entity_id:
            withdrawn.discard(row.entity_id)
        elif row.action == "name" and row.after:
            names.setdefault(row.after["build"], {})[int(row.after["number"])] = row.after["name"]
    live = [b for b in order if b not in withdrawn]
    if not live:
        return None
    batch = live[-1]
    state = builds[batch]
    named = names.get(batch, {})
    types = tuple(
        TypeSummary(
            number=int(t["number"]),
            name=named.get(int(t["number"]), f"Type {t['number']}"),
            members=tuple(t["members"]),
            defining=tuple((str(d[0]), float(d[1]), float(d[2])) for d in t["defining"]),
        )
        for t in state["types"]
    )
    typology = Typology(
        int(state["k"]), state["method"], tuple(state["themes"]), state["kind"], types,
        state.get("labels", {}), int(state.get("uncoded", 0)),
    )  # fmt: skip
    return batch, typology


def name_type(study: Study, number: int, name: str) -> Typology:
    """Name type ``number`` of the current typology."""
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise InputError(f"a type's name must be 1 to {MAX_NAME} characters")
    with study.write() as s:
        found = _current(s)
        if found is None:
            raise NotFoundError("no typology yet: run `qualcode typology build` first")
        batch, typology = found
        numbers = [t.number for t in typology.types]
        if number not in numbers:
            raise NotFoundError(f"no type {number} (types: {', '.join(map(str, numbers))})")
        old = next(t.name for t in typology.types if t.number == number)
        taken = [t.number for t in typology.types if t.name == name and t.number != number]
        if taken:
            raise InputError(f"type {taken[0]} is already called {name!r}")
        before = {"build": batch, "number": number, "name": old}
        after = {"build": batch, "number": number, "name": name}
        audit.record(s, study.coder, "name", ENTITY, number, before, after)
    found_now = current(study)
    assert found_now is not None
    return found_now


def save(study: Study, attribute: str = "type") -> int:
    """Store each member's type name as the case attribute ``attribute``; returns how
    many cases changed. An existing attribute is only overwritten if a typology wrote
    it."""
    attribute = attribute.strip()
    if not attribute:
        raise InputError("--attribute needs a name")
    with study.write() as s:
        found = _current(s)
        if found is None:
            raise NotFoundError("no typology yet: run `qualcode typology build` first")
        _, typology = found
        if attribute in attrs.attribute_names(s) and not _saved_before(s, attribute):
            raise ConflictError(
                f"the case attribute {attribute!r} already exists and was not written by a "
                "typology; choose another name with --attribute"
            )
        wanted = {case: t.name for t in typology.types for case in t.members}
        present = {r.case_id: r.value for r in cases_q.case_attribute_rows(s, names=[attribute])}
        changed = 0
        for case in sorted(set(wanted) | set(present)):
            value = wanted.get(case, "")
            old = present.get(case)
            if old == value or (old is None and value == ""):
                continue
            attrs.set_attributes(s, case, {attribute: value})
            audit.record(
                s, study.coder, "set", "attribute", f"{case}:{attribute}",
                {"case": case, "name": attribute, "value": old},
                {"case": case, "name": attribute, "value": value},
            )  # fmt: skip
            changed += 1
        attrs.retype(s, [attribute])
    return changed


def _saved_before(s: Session, attribute: str) -> bool:
    return any(
        (row.after or {}).get("name") == attribute
        for row in changes_q.change_rows(s, entity="attribute")
        if row.action == "set"
    )


# --- undo ----------------------------------------------------------------------------


def unbuild(s: Session, who: str, change: m.ChangeRow) -> None:
    """Undo a build (or the redo of one): that build is no longer the current one."""
    built = change.batch if change.action == "build" else change.entity_id
    audit.record(s, who, "withdraw", ENTITY, built)


def rebuild(s: Session, who: str, change: m.ChangeRow) -> None:
    audit.record(s, who, "rebuild", ENTITY, change.entity_id)


def unname(s: Session, who: str, change: m.ChangeRow) -> None:
    audit.record(s, who, "name", ENTITY, change.entity_id, change.after, change.before)


def unset_attribute(s: Session, who: str, change: m.ChangeRow) -> None:
    before, after = change.before or {}, change.after or {}
    case, name = str(after.get("case")), str(after.get("name"))
    rows = cases_q.case_attribute_rows(s, case, [name])
    now = rows[0].value if rows else None
    if now != after.get("value") and not (now in (None, "") and after.get("value") in (None, "")):
        raise ConflictError(f"{name} of case {case} was changed since (now {now!r}); undo refused")
    old = before.get("value")
    if rows and old is None:
        s.delete(rows[0])
    else:
        attrs.set_attributes(s, case, {name: old or ""})
    s.flush()
    audit.record(s, who, "set", "attribute", change.entity_id, after, before)
