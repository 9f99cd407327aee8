"""Reading QDA-XML elements by local name (tools disagree on namespaces)."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

from qualcode.errors import InputError
from qualcode.exchange.refi import model as r


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def children(el: Element | None, name: str) -> list[Element]:
    if el is None:
        return []
    return [c for c in el if local(c.tag) == name]


def child(el: Element | None, name: str) -> Element | None:
    found = children(el, name)
    return found[0] if found else None


def text_of(el: Element | None) -> str | None:
    if el is None or el.text is None:
        return None
    return el.text


def refs(el: Element, name: str) -> tuple[str, ...]:
    out = []
    for ref in children(el, name):
        guid = r.norm_guid(ref.get("targetGUID"))
        if guid:
            out.append(guid)
    return tuple(out)


def read_coding(el: Element) -> r.Coding | None:
    guid = r.norm_guid(el.get("guid"))
    ref = child(el, "CodeRef")
    code = r.norm_guid(ref.get("targetGUID")) if ref is not None else None
    if guid is None or code is None:
        return None
    return r.Coding(
        guid=guid,
        code=code,
        creator=r.norm_guid(el.get("creatingUser")),
        created=r.parse_datetime(el.get("creationDateTime")),
        notes=refs(el, "NoteRef"),
    )


def codings_of(el: Element) -> list[r.Coding]:
    return [coding for c in children(el, "Coding") if (coding := read_coding(c))]


def read_values(el: Element) -> tuple[r.Value, ...]:
    out = []
    for vv in children(el, "VariableValue"):
        ref = child(vv, "VariableRef")
        guid = r.norm_guid(ref.get("targetGUID")) if ref is not None else None
        if guid is None:
            continue
        for item in vv:
            tag = local(item.tag)
            if tag == "VariableRef" or item.text is None:
                continue
            raw = item.text.strip()
            value: str | int | float = raw
            try:
                if tag == "IntegerValue":
                    value = int(raw)
                elif tag == "FloatValue":
                    value = float(raw)
                    # a whole number reads as written in a mixed column ("2", not
                    # "2.0"), so groups of `matrix --by` keep their names
                    value = int(value) if value.is_integer() else value
            except ValueError:
                value = raw
            out.append(r.Value(guid, value))
            break
    return tuple(out)


def read_codes(parent: Element | None, path: str | Path) -> tuple[r.Code, ...]:
    """The codebook's codes, all of them: a code without a name or a guid (both
    required by the schema), or two codes with one guid, refuse the whole codebook, as
    skipping one would drop its sub-codes, and its codings, unseen."""
    codes = _codes(parent, path, "")
    seen: dict[str, str] = {}
    stack = list(codes)
    while stack:
        code = stack.pop(0)
        if code.guid in seen:
            raise InputError(
                f"the codes {seen[code.guid]!r} and {code.name!r} have the same guid "
                f"{code.guid}: each code needs its own",
                path,
            )
        seen[code.guid] = code.name
        stack.extend(code.children)
    return codes


def _codes(parent: Element | None, path: str | Path, within: str) -> tuple[r.Code, ...]:
    out = []
    for number, el in enumerate(children(parent, "Code"), start=1):
        guid = r.norm_guid(el.get("guid"))
        name = (el.get("name") or "").strip()
        place = f"code {number}" + (f" under {within!r}" if within else " at the top level")
        if not name:
            raise InputError(f"{place} has no name (guid {el.get('guid')!r})", path)
        if guid is None:
            raise InputError(f"{place}, {name!r}, has no valid guid", path)
        out.append(
            r.Code(
                guid=guid,
                name=name,
                description=text_of(child(el, "Description")),
                color=el.get("color"),
                children=_codes(el, path, name),
                notes=refs(el, "NoteRef"),
            )
        )
    return tuple(out)
