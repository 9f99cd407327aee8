"""Reading QDA-XML elements by local name (tools disagree on namespaces)."""

from __future__ import annotations

from xml.etree.ElementTree import Element

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
            except ValueError:
                value = raw
            out.append(r.Value(guid, value))
            break
    return tuple(out)


def read_codes(parent: Element | None) -> tuple[r.Code, ...]:
    out = []
    for el in children(parent, "Code"):
        guid = r.norm_guid(el.get("guid"))
        name = (el.get("name") or "").strip()
        if guid is None or not name:
            continue
        out.append(
            r.Code(
                guid=guid,
                name=name,
                description=text_of(child(el, "Description")),
                color=el.get("color"),
                children=read_codes(el),
                notes=refs(el, "NoteRef"),
            )
        )
    return tuple(out)
