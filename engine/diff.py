"""What changed between two versions of a process: elements added, removed and changed.

Elements are matched by id. An element changed when what it does changed: its kind, name,
connections, condition, lane, extension properties, script or called decision, or (for a DMN
decision) its table. Moving shapes on the diagram is not a change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True)
_SKIP = {"definitions", "BPMNDiagram", "laneSet", "extensionElements", "incoming", "outgoing", "flowNodeRef",
         "conditionExpression", "documentation", "script", "text"}
_ATTRS = ("sourceRef", "targetRef", "default", "attachedToRef", "cancelActivity", "messageRef", "calledElement",
          "isExecutable", "triggeredByEvent")


@dataclass(frozen=True)
class Element:
    id: str
    kind: str
    name: str | None
    signature: tuple


@dataclass(frozen=True)
class Change:
    id: str
    kind: str
    name: str | None
    what: list[str] = field(default_factory=list)  # for a changed element: what differs


@dataclass(frozen=True)
class Diff:
    added: list[Change]
    removed: list[Change]
    changed: list[Change]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def elements(files: Mapping[str, str]) -> dict[str, Element]:
    found: dict[str, Element] = {}
    for text in files.values():
        root = etree.fromstring(text.encode(), _PARSER)
        lane_of = {
            (ref.text or "").strip(): lane.get("name")
            for lane in root.iter("{*}lane")
            for ref in lane.iter("{*}flowNodeRef")
        }
        for el in root.iter():
            if not isinstance(el.tag, str) or not el.get("id"):
                continue
            local = etree.QName(el).localname
            if local in _SKIP or _in_diagram(el) or _inside_decision(el):
                continue
            found[el.get("id")] = Element(el.get("id"), local, el.get("name"), _signature(el, local, lane_of))
    return found


def _in_diagram(el: etree._Element) -> bool:
    return any(etree.QName(a).localname in ("BPMNDiagram", "DMNDI") for a in el.iterancestors())


def _inside_decision(el: etree._Element) -> bool:
    # A DMN decision is compared as a whole, so its rules and columns are not listed one by one.
    return any(etree.QName(a).localname == "decision" for a in el.iterancestors())


def _signature(el: etree._Element, local: str, lane_of: Mapping[str, str | None]) -> tuple:
    parts: list[tuple[str, object]] = [("kind", local), ("name", el.get("name"))]
    parts += [(a, el.get(a)) for a in _ATTRS if el.get(a) is not None]
    if local == "decision":
        parts.append(("table", etree.tostring(el, method="c14n")))
        return tuple(parts)
    for child in el:
        if not isinstance(child.tag, str):
            continue
        child_local = etree.QName(child).localname
        if child_local in ("conditionExpression", "script"):
            parts.append((child_local, (child.text or "").strip()))
        elif child_local.endswith("EventDefinition"):
            parts.append(("event", child_local + "".join(sorted(f"{k}={v}" for k, v in child.attrib.items() if k != "id"))))
            parts += [("event " + etree.QName(x).localname, (x.text or "").strip()) for x in child if isinstance(x.tag, str)]
    properties = {p.get("name"): p.get("value") for p in el.iterfind("./{*}extensionElements//{*}property")}
    if properties:
        parts.append(("properties", tuple(sorted(properties.items()))))
    decision = el.find("./{*}extensionElements/{*}calledDecisionId")
    if decision is not None:
        parts.append(("calledDecisionId", (decision.text or "").strip()))
    if el.get("id") in lane_of:
        parts.append(("lane", lane_of[el.get("id")]))
    return tuple(parts)


def diff(old: Mapping[str, str], new: Mapping[str, str]) -> Diff:
    """Compare two versions' files (name -> XML text)."""
    a, b = elements(old), elements(new)
    added = [Change(e.id, e.kind, e.name) for i, e in sorted(b.items()) if i not in a]
    removed = [Change(e.id, e.kind, e.name) for i, e in sorted(a.items()) if i not in b]
    changed = []
    for i in sorted(set(a) & set(b)):
        if a[i].signature != b[i].signature:
            before, after = dict(a[i].signature), dict(b[i].signature)
            what = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            changed.append(Change(i, b[i].kind, b[i].name, what))
    return Diff(added, removed, changed)
