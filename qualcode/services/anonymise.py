"""Anonymisation: proposals of names and placeholders, the researcher's review, and
the accepted mapping applied to texts for anonymised outputs.

Proposals live in the study's ``anonymisation`` table and never leave it: exports
only ever carry replaced text. The original texts are never changed.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from qualcode.anonymise.finder import ListedName, NameFinder
from qualcode.anonymise.identifiers import AcceptedName, Identifiers, as_prose
from qualcode.anonymise.lexicon import (
    CONNECTORS,
    FUNCTION,
    STOP,
    TITLES,
    everyday_words,
    written_in_lower_case,
)
from qualcode.anonymise.outputs import Anonymiser
from qualcode.anonymise.placeholders import Placeholders, assign, made_for
from qualcode.anonymise.titles import TitleRules, load_rules
from qualcode.domain.anonymise import (
    ACCEPTED,
    KINDS,
    PERSON,
    PROPOSED,
    REJECTED,
    STATUSES,
    Proposal,
    anonymise_text,
    generalise_title,
    matcher,
    name_key,
)
from qualcode.domain.framework import natural_key
from qualcode.domain.personal_details import personal_attributes
from qualcode.errors import InputError, NotFoundError
from qualcode.exchange.files import replacing
from qualcode.services.study import Study
from qualcode.store import audit, states
from qualcode.store import models as m
from qualcode.store.queries import anonymisation as anonymisation_q
from qualcode.store.queries import cases as cases_q
from qualcode.store.queries import memos as memos_q
from qualcode.store.queries import sources as sources_q
from qualcode.store.queries import summaries as summaries_q

MAX_NAME = 500  # the column's width


@dataclass(frozen=True)
class FindReport:
    added: int
    known: int
    pipeline: str | None  # the spaCy pipeline used, if any
    proposals: tuple[Proposal, ...]


def _proposal(row: m.AnonymisationRow) -> Proposal:
    return Proposal(
        row.id, row.original, row.placeholder, row.kind, row.status, row.origin, row.occurrences
    )


def read_names(path: Path) -> list[ListedName]:
    """The researcher's list: a CSV with a ``name`` column (optional ``kind`` and
    ``placeholder``), or a text file with one name per line (``kind: Name`` allowed,
    ``#`` starts a comment)."""
    if path.suffix.lower() in (".csv", ".xlsx"):
        from qualcode.ingest import read_table

        table = read_table(path)
        cols = {c.strip().lower(): c for c in table.columns}
        if "name" not in cols:
            raise InputError("a names table needs a `name` column", path, 1, where="row")
        out = []
        for row in table.rows:
            name, kind = _cell(row.values, cols, "name"), _cell(row.values, cols, "kind")
            if name:
                placeholder = _cell(row.values, cols, "placeholder") or None
                out.append(ListedName(name, _kind(kind, path, row.row), placeholder))
        return out
    from qualcode.ingest import decode_bytes
    from qualcode.ingest.encoding import read_bytes

    out = []
    for n, line in enumerate(decode_bytes(read_bytes(path), path).splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        kind, sep, name = line.partition(":")
        if sep and kind.strip().lower() in KINDS:
            out.append(ListedName(name.strip(), _kind(kind, path, n)))
        else:
            out.append(ListedName(line))
    return out


def _cell(values: Mapping[str, str], cols: Mapping[str, str], key: str) -> str:
    return values.get(cols.get(key, ""), "").strip()


def _kind(value: str, path: Path, row: int) -> str | None:
    value = value.strip().lower()
    if not value:
        return None
    if value == "organization":
        return "organisation"
    if value not in KINDS:
        raise InputError(f"unknown kind {value!r} (use {', '.join(KINDS)})", path, row, where="row")
    return value


def _texts(s: Session) -> list[str]:
    texts = sources_q.all_source_texts(s)
    texts += memos_q.all_memo_texts(s)
    texts += summaries_q.all_summary_texts(s)
    texts += summaries_q.all_synthesis_texts(s)
    # case ids and file names may carry a participant's name and no text repeats it
    names = {*cases_q.case_ids(s), *sources_q.source_names(s)}
    texts += sorted({as_prose(n) for n in names})
    # and a "Name" column of a survey export holds nothing else; a column whose values
    # are mostly each case's own ("referred_by", "site", "nickname") may hold names too,
    # and goes into group labels and attributions (a grouping column such as "sector"
    # repeats a few values, and is left alone)
    personal = _personal_attributes(s)
    rows = cases_q.case_attribute_rows(s)
    values: dict[str, list[str]] = {}
    for row in rows:
        if row.value and any(ch.isalpha() for ch in row.value):
            values.setdefault(row.name, []).append(row.value.strip())
    own = {
        name for name, said in values.items() if len(said) >= 2 and len(set(said)) >= len(said) / 2
    }
    texts += sorted(
        {
            f"{value}."
            for name, said in values.items()
            if name in personal or name in own
            for value in said
            if "@" not in value
        }
    )
    return [t for t in texts if t]


def find_names(
    study: Study,
    names: Path | None = None,
    use_spacy: bool = True,
    model: str | None = None,
    nlp_model: str | None = None,
) -> FindReport:
    """Propose placeholders for the names in the study's text (and the listed names).

    Names found before keep their placeholder and the researcher's decision; listed
    names are accepted at once. Occurrences are recounted every time.
    """
    listed = read_names(names) if names else []
    nlp, pipeline = None, None
    if use_spacy:
        from qualcode.anonymise.spacy_ner import trained_pipeline

        nlp, pipeline = trained_pipeline(model, nlp_model)  # nlp_model: the settings' one
    with study.read() as s:
        texts = _texts(s)
        speakers = sources_q.speakers(s)
    found = NameFinder(listed, nlp).find(texts, speakers)
    wanted = {item.name: item for item in listed}
    with study.write() as s:
        rows = anonymisation_q.proposals_by_original(s)
        groups: dict[str, list[tuple[str, str]]] = {}
        for f in found:
            if len(f.original) <= MAX_NAME:
                groups.setdefault(f.group, []).append((f.original, f.kind))
        existing = {o: r.placeholder for o, r in rows.items()}
        for item in listed:  # a placeholder the researcher chose wins
            if item.placeholder and item.name in rows:
                existing[item.name] = rows[item.name].placeholder
            elif item.placeholder:
                existing[item.name] = item.placeholder
        placeholders = assign(groups, existing)
        added = 0
        for f in found:
            if f.original in rows or len(f.original) > MAX_NAME:
                continue
            listed_item = wanted.get(f.original)
            row = m.AnonymisationRow(
                original=f.original,
                placeholder=(listed_item.placeholder if listed_item and listed_item.placeholder
                             else placeholders[f.original]),
                kind=f.kind,
                # an email address, phone number or postcode always identifies: accepted at once
                status=ACCEPTED if f.origin in ("list", "contact") else PROPOSED,
                origin=f.origin,
                occurrences=0,
            )  # fmt: skip
            s.add(row)
            rows[f.original] = row
            added += 1
        for item in listed:  # the researcher's list overrides earlier proposals
            known = rows.get(" ".join(item.name.split()))
            if known is None or known.origin == "list" and not item.placeholder:
                continue
            before = states.anonymisation(known)
            known.status, known.origin = ACCEPTED, "list"
            known.placeholder = item.placeholder or known.placeholder
            known.kind = item.kind or known.kind
            audit.record(
                s,
                study.coder,
                "list",
                "anonymisation",
                known.id,
                before,
                states.anonymisation(known),
            )
        counts: dict[str, int] = {}
        match = matcher({o: r.placeholder for o, r in rows.items()})
        for text in texts:
            for key, n in match.count(text).items():
                counts[key] = counts.get(key, 0) + n
        for original, row in rows.items():
            row.occurrences = counts.get(name_key(original), 0)
        s.flush()
        audit.record(
            s, study.coder, "find", "anonymisation", None,
            after={"added": added, "names": len(rows), "pipeline": pipeline},
        )  # fmt: skip
        proposals = tuple(_proposal(r) for r in _ordered(rows.values()))
    return FindReport(added, len(proposals) - added, pipeline, proposals)


def _ordered(rows: Iterable[m.AnonymisationRow]) -> list[m.AnonymisationRow]:
    """Variants of one name next to each other, longest first; placeholders in number
    order ([Name 2] before [Name 10])."""
    return sorted(rows, key=lambda r: (natural_key(r.placeholder), -len(r.original), r.original))


def list_proposals(study: Study, status: str | None = None) -> list[Proposal]:
    with study.read() as s:
        return [_proposal(r) for r in _ordered(anonymisation_q.proposal_rows(s, status))]


def decide(
    study: Study,
    proposal_id: int,
    status: str | None = None,
    placeholder: str | None = None,
    kind: str | None = None,
) -> Proposal:
    """Accept or reject a proposal, or change its placeholder or kind (the TUI's review)."""
    if status is not None and status not in STATUSES:
        raise InputError(f"unknown status {status!r} (use {', '.join(STATUSES)})")
    if placeholder is not None and not placeholder.strip():
        raise InputError("a placeholder cannot be empty")
    if kind is not None and kind not in KINDS:
        raise InputError(f"unknown kind {kind!r} (use {', '.join(KINDS)})")
    with study.write() as s:
        row = s.get(m.AnonymisationRow, proposal_id)
        if row is None:
            raise NotFoundError(f"no anonymisation proposal {proposal_id}")
        before = states.anonymisation(row)
        row.status = status or row.status
        row.placeholder = placeholder.strip() if placeholder else row.placeholder
        if kind and kind != row.kind and not placeholder:
            _renumber_for_kind(s, study.coder, row, kind)
        row.kind = kind or row.kind
        audit.record(
            s, study.coder, "update", "anonymisation", row.id, before, states.anonymisation(row)
        )
        return _proposal(row)


def _renumber_for_kind(s: Session, coder: str, row: m.AnonymisationRow, kind: str) -> None:
    """A name whose kind changes gets a placeholder of its new kind ("Wexford" proposed
    as a person read "[Person 2]" in the report once made a place), with the other
    names sharing its placeholder (the same person's variants). A placeholder the
    researcher wrote stays."""
    if not made_for(row.placeholder, row.kind):
        return
    rows = anonymisation_q.proposal_rows(s)
    new = Placeholders(r.placeholder for r in rows).new(kind, row.original)
    for other in rows:
        if other.placeholder == row.placeholder and other.id != row.id:
            before = states.anonymisation(other)
            other.placeholder, other.kind = new, kind
            audit.record(s, coder, "update", "anonymisation", other.id, before,
                         states.anonymisation(other))  # fmt: skip
    row.placeholder = new


def accept_all(study: Study) -> int:
    """Accept every proposal still waiting for review; returns how many."""
    with study.write() as s:
        rows = anonymisation_q.proposal_rows(s, PROPOSED)
        for row in rows:
            before = states.anonymisation(row)
            row.status = ACCEPTED
            audit.record(
                s, study.coder, "update", "anonymisation", row.id, before, states.anonymisation(row)
            )
        audit.record(s, study.coder, "accept", "anonymisation", None, after={"accepted": len(rows)})
    return len(rows)


def accepted_mapping(study: Study) -> dict[str, str]:
    """Name -> placeholder for the accepted proposals only, with each word of a
    person's name on its own (:func:`text_mapping`): what every export replaces."""
    return text_mapping(accepted_names(study))


def anonymiser(study: Study) -> Callable[[str], str]:
    """A function replacing the study's accepted names in any text (for exports)."""
    mapping = accepted_mapping(study)
    return lambda text: anonymise_text(text, mapping)


def title_rules(path: Path | None = None) -> TitleRules:
    return load_rules(path)


def title_generaliser(rules: Path | TitleRules | None = None) -> Callable[[str], str]:
    """A function generalising job titles by the rules table (see ``title_rules.yaml``):
    one loaded already, or the file at ``rules`` (None: the shipped rules)."""
    table = rules if isinstance(rules, TitleRules) else load_rules(rules)
    return lambda title: generalise_title(title, table.rules)


def accepted_names(study: Study) -> list[AcceptedName]:
    with study.read() as s:
        rows = anonymisation_q.proposal_rows(s, ACCEPTED)
        return [AcceptedName(r.original, r.placeholder, r.kind) for r in rows]


def output_anonymiser(study: Study, rules: Path | None = None) -> Anonymiser:
    """Everything an ``--anonymised`` export applies: the accepted names in text and in
    identifiers, the job-title rules for the title attributes, and the final check
    that nothing still holds a name (``qualcode.anonymise.outputs``)."""
    table = load_rules(rules)
    names = accepted_names(study)
    mapping = text_mapping(names)
    idents = Identifiers(names)
    with study.read() as s:
        idents.learn(cases_q.case_ids(s))
        idents.learn(sources_q.source_ids(s))
        withheld = _personal_attributes(s)
    text_names = matcher(mapping)

    def leaks(value: str, identifier: bool) -> list[str]:
        found = [r.placeholder for r in text_names.replacements(value)]
        return found + idents.found(value) if identifier else found

    return Anonymiser(
        text=lambda text: anonymise_text(text, mapping),
        title=lambda title: generalise_title(title, table.rules),
        title_attributes=frozenset(table.attributes),
        ident=idents,
        leaks=leaks,
        withheld=withheld,
    )


NOT_NAME_WORDS = TITLES | STOP | FUNCTION | CONNECTORS


def text_mapping(names: Sequence[AcceptedName]) -> dict[str, str]:
    """Each accepted name, and each word of a person's name on its own: "Aoife" of
    "Aoife Kelly" went out in every anonymised export ("I'm Aoife."), though the name
    was listed. Words that are titles or function words ("Dr", "the") stay."""
    mapping = {n.original: n.placeholder for n in names}
    for n in names:
        words = [w.strip(".,") for w in n.original.split()]
        if n.kind != PERSON or len(words) < 2:
            continue
        for at, word in enumerate(words):
            low = word.lower()
            # an everyday word first ("Access" of "Access Aldenshaw") is no given name:
            # alone, it replaced every "Access" of the survey; a surname ("Brown") is kept
            everyday = at == 0 and at < len(words) - 1 and low in everyday_words()
            if len(word) >= 3 and word[0].isupper() and low not in NOT_NAME_WORDS and not everyday:
                mapping.setdefault(word, n.placeholder)
    # A one-word name in lower case ("dublin", typed in a summary), unless it is also
    # an ordinary word ("rose", "cork"): Matcher finds one word only as written.
    for word, placeholder in list(mapping.items()):
        if written_in_lower_case(word):
            mapping.setdefault(word.lower(), placeholder)
    # An accent stored as a letter and a combining mark (as macOS writes "Zoë") is
    # another string: each name is looked for in both forms, or it went out whole.
    for word, placeholder in list(mapping.items()):
        for form in ("NFC", "NFD"):
            mapping.setdefault(unicodedata.normalize(form, word), placeholder)
    return mapping


def _personal_attributes(s: Session) -> frozenset[str]:
    values: dict[str, list[str]] = {a.name: [] for a in cases_q.attribute_rows(s)}
    for row in cases_q.case_attribute_rows(s):
        values.setdefault(row.name, []).append(row.value)
    return personal_attributes(values)


def export_warnings(
    study: Study, applied: int, withheld: frozenset[str] = frozenset()
) -> list[str]:
    """What an anonymised export should tell the researcher (``withheld``: the
    attributes of personal details its anonymiser leaves out)."""
    out = [f"anonymised: {applied} accepted names replaced; job titles generalised"]
    out += review_warnings(study, applied)
    if withheld:
        out.append("case attributes of personal details left out: " + ", ".join(sorted(withheld)))
    return out


def review_warnings(study: Study, applied: int | None = None) -> list[str]:
    """What every anonymised export says when the names are not all reviewed: none
    accepted, or proposals waiting (they are not replaced). ``applied``: the accepted
    names the export replaced (None: count them)."""
    if applied is None:
        applied = len(list_proposals(study, ACCEPTED))
    waiting = len(list_proposals(study, PROPOSED))
    out = []
    if not applied:
        out.append("no accepted names: run `qualcode anonymise` and review its proposals first")
    if waiting:
        out.append(
            f"{waiting} proposed names are not reviewed and were NOT replaced; review them "
            "(`qualcode anonymise review --csv FILE`) or accept them all (`qualcode anonymise "
            "--accept`)"
        )
    return out


# --- review through a CSV ---------------------------------------------------------

REVIEW_COLUMNS = ("original", "placeholder", "kind", "status", "origin", "occurrences")


def export_review(study: Study, path: Path) -> int:
    """Write every proposal to a CSV the researcher edits (status, placeholder, kind).

    The file holds the real names: keep it where the study is, delete it after use.
    """
    proposals = list_proposals(study)
    with replacing(path) as tmp, tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(REVIEW_COLUMNS)
        for p in proposals:
            writer.writerow([p.original, p.placeholder, p.kind, p.status, p.origin, p.occurrences])
    return len(proposals)


_STATUS_WORDS = {
    "accept": ACCEPTED, "accepted": ACCEPTED, "yes": ACCEPTED, "y": ACCEPTED,
    "reject": REJECTED, "rejected": REJECTED, "no": REJECTED, "n": REJECTED,
    "proposed": PROPOSED, "": None,
}  # fmt: skip


def import_review(study: Study, path: Path) -> dict[str, int]:
    """Apply an edited review CSV in one transaction; rows for names not yet in the
    study are added (accepted unless the status says otherwise)."""
    from qualcode.ingest import read_table

    table = read_table(path)
    cols = {c.strip().lower(): c for c in table.columns}
    if "original" not in cols:
        raise InputError("a review CSV needs an `original` column", path, 1, where="row")
    changed = added = 0
    with study.write() as s:
        rows = anonymisation_q.proposals_by_original(s)
        for line in table.rows:

            def get(key: str, values: Mapping[str, str] = line.values) -> str:
                return _cell(values, cols, key)

            original = " ".join(get("original").split())
            if not original:
                continue
            word = get("status").lower()
            if word not in _STATUS_WORDS:
                raise InputError(
                    f"unknown status {get('status')!r} (use accepted, rejected or proposed)",
                    path, line.row, where="row",
                )  # fmt: skip
            status = _STATUS_WORDS[word]
            kind = _kind(get("kind"), path, line.row)
            placeholder = get("placeholder")
            row = rows.get(original)
            if row is None:
                if not placeholder:
                    raise InputError(
                        f"{original!r} needs a placeholder", path, line.row, where="row"
                    )
                row = m.AnonymisationRow(
                    original=original, placeholder=placeholder, kind=kind or "other",
                    status=status or ACCEPTED, origin="review", occurrences=0,
                )  # fmt: skip
                s.add(row)
                rows[original] = row
                added += 1
                continue
            before = states.anonymisation(row)
            row.status = status or row.status
            if kind and kind != row.kind and placeholder in ("", row.placeholder):
                _renumber_for_kind(s, study.coder, row, kind)
                placeholder = row.placeholder
            row.placeholder = placeholder or row.placeholder
            row.kind = kind or row.kind
            if states.anonymisation(row) != before:
                changed += 1
                audit.record(
                    s,
                    study.coder,
                    "review",
                    "anonymisation",
                    row.id,
                    before,
                    states.anonymisation(row),
                )
        s.flush()
        audit.record(s, study.coder, "import", "anonymisation review", path.name,
                     after={"changed": changed, "added": added})  # fmt: skip
    return {"changed": changed, "added": added}
