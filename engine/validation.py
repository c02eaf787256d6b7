"""Checks a BPMN/DMN set before the library sees it, and after, for what the library lets through.

The library resolves XML entities, reports some model errors misleadingly and silently drops
others (a boundary event on a missing task disappears with its path). So every file is screened
as untrusted XML first, and the model is linted here with errors tied to element ids.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from lxml import etree

from engine.constructs import refused_constructs
from engine.dmn_cells import lint_dmn_cells
from engine.errors import Problem
from engine.routing import lint_outcomes
from engine.scripting import ALLOWED_FUNCTIONS

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FILES = 50

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
DMN_NAMESPACES = (
    "https://www.omg.org/spec/DMN/20191111/MODEL/",
    "http://www.omg.org/spec/DMN/20180521/MODEL/",
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
)
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NS = {"bpmn": BPMN_NS, "spiffworkflow": SPIFF_NS}

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)


@dataclass
class ScreenedFiles:
    bpmn: dict[str, etree._Element] = field(default_factory=dict)
    dmn: dict[str, etree._Element] = field(default_factory=dict)
    text: dict[str, str] = field(default_factory=dict)


def screen(files: Mapping[str, bytes]) -> tuple[ScreenedFiles, list[Problem]]:
    """Parse each upload as untrusted XML and sort it into BPMN and DMN."""
    out, problems = ScreenedFiles(), []
    if not files:
        return out, [Problem("No files were given.")]
    if len(files) > MAX_FILES:
        return out, [Problem(f"At most {MAX_FILES} files can be deployed together; {len(files)} were given.")]
    for name, content in files.items():
        problem = _screen_one(name, content, out)
        if problem:
            problems.append(problem)
    if not out.bpmn and not problems:
        problems.append(Problem("The set has no BPMN file (a file whose root is bpmn:definitions)."))
    return out, problems


def _screen_one(name: str, content: bytes, out: ScreenedFiles) -> Problem | None:
    if "/" in name or "\\" in name or name.startswith("."):
        return Problem("File names may not contain a path.", file=name)
    if len(content) > MAX_FILE_BYTES:
        return Problem(f"The file is {len(content):,} bytes; the limit is {MAX_FILE_BYTES:,}.", file=name)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as err:
        return Problem(f"The file is not UTF-8 text (byte {err.start}).", file=name)
    head = text[:4096].upper()
    if "<!DOCTYPE" in head or "<!ENTITY" in text.upper():
        return Problem("DOCTYPE and ENTITY declarations are not allowed in process files.", file=name)
    try:
        root = etree.fromstring(content, _PARSER)
    except etree.XMLSyntaxError as err:
        return Problem(f"The file is not well-formed XML: {err.msg}", file=name, line=err.lineno)
    tag = etree.QName(root)
    if tag.localname == "definitions" and tag.namespace == BPMN_NS:
        out.bpmn[name] = root
    elif tag.localname == "definitions" and tag.namespace in DMN_NAMESPACES:
        out.dmn[name] = root
    else:
        return Problem(f"The root element <{tag.localname}> is neither BPMN nor DMN definitions.", file=name)
    out.text[name] = text
    return None


def descriptive_only(files: ScreenedFiles) -> Problem | None:
    """A set with no process marked isExecutable="true" describes a process; it does not run one.

    Said first and alone: the other findings (no lanes, no conditions, ...) would only bury it.
    """
    for root in files.bpmn.values():
        if any(p.get("isExecutable") == "true" for p in root.iter(f"{{{BPMN_NS}}}process")):
            return None
    processes = [p for root in files.bpmn.values() for p in root.iter(f"{{{BPMN_NS}}}process")]
    quoted = ", ".join("'" + (p.get("name") or p.get("id")) + "'" for p in processes[:5] if p.get("name") or p.get("id"))
    shown = f" ({quoted})" if quoted else ""
    first = processes[0] if processes else None
    return Problem(
        f"No process{shown} is marked executable (isExecutable=\"true\"): the file describes a process but "
        "does not ask for one to be run. Mark the process to run as executable and deploy again.",
        file=next(iter(files.bpmn)),
        element_id=first.get("id") if first is not None else None,
        element_name=first.get("name") if first is not None else None,
    )


def decision_ids(dmn: Mapping[str, etree._Element]) -> dict[str, str]:
    ids = {}
    for name, root in dmn.items():
        for el in root.iter("{*}decision"):
            ids[el.get("id", "")] = name
    return ids


def lint(
    files: ScreenedFiles, *, known_lanes: Iterable[str] | None = None, known_names: Iterable[str] | None = None
) -> list[Problem]:
    """What the library accepts silently or explains badly, as problems tied to elements.

    With `known_names` (the data an application may hold), every name a condition reads must be
    one of those or be set by the model itself (a script, a DMN output, a decision's `outcome`).
    """
    problems: list[Problem] = []
    lanes = set(known_lanes) if known_lanes is not None else None
    decisions = decision_ids(files.dmn)
    for name, root in files.bpmn.items():
        messages = {el.get("id") for el in root.iter(f"{{{BPMN_NS}}}message")}
        lane_of = _lanes(root)
        for container in root.iter(f"{{{BPMN_NS}}}process", f"{{{BPMN_NS}}}subProcess"):
            problems += _lint_scope(name, container, lanes, decisions, messages, lane_of)
        problems += refused_constructs(name, root)
    for name, root in files.dmn.items():
        problems += lint_dmn_cells(name, root)
    problems += _lint_condition_names(files, known_names)
    return problems


def names_set_by_model(files: ScreenedFiles) -> set[str]:
    """Names the model itself gives values: script assignments, DMN outputs, decisions' outcome."""
    found = {"outcome", "remarks"}
    for root in files.bpmn.values():
        for script in root.iter(f"{{{BPMN_NS}}}script"):
            try:
                tree = ast.parse((script.text or "").strip(), mode="exec")
            except SyntaxError:
                continue
            found |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    for root in files.dmn.values():
        found |= {el.get("name") for el in root.iter("{*}output") if el.get("name")}
    return found


def _condition_problems(tree: ast.AST, known: set[str], *, check_names: bool, file: str, flow: etree._Element) -> list[Problem]:
    def problem(message: str) -> Problem:
        return Problem(message, file=file, element_id=flow.get("id"), element_name=flow.get("name"))

    out = []
    # Comprehension variables are the condition's own.
    known = known | {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    callees = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Name) or not isinstance(node.ctx, ast.Load) or node.id in known:
            continue
        if id(node) in callees and node.id not in ALLOWED_FUNCTIONS:
            allowed = ", ".join(sorted(n for n in ALLOWED_FUNCTIONS if n[0].islower()))
            out.append(problem(f"The condition calls '{node.id}', which is not an allowed function (allowed: {allowed})."))
        elif check_names and id(node) not in callees and node.id not in ALLOWED_FUNCTIONS:
            out.append(problem(f"The condition reads '{node.id}', which no step, script or DMN table sets and no application holds."))
    return out


def _lint_condition_names(files: ScreenedFiles, known_names: Iterable[str] | None) -> list[Problem]:
    problems: list[Problem] = []
    known = set(known_names or ()) | names_set_by_model(files)
    for file, root in files.bpmn.items():
        for flow in root.iter(f"{{{BPMN_NS}}}sequenceFlow"):
            for cond in _children(flow, "conditionExpression"):
                try:
                    tree = ast.parse((cond.text or "").strip(), mode="eval")
                except SyntaxError:
                    continue  # reported by the scope lint
                problems += _condition_problems(tree, known, check_names=known_names is not None, file=file, flow=flow)
    return problems


def _children(container: etree._Element, local: str) -> list[etree._Element]:
    return [el for el in container if etree.QName(el).localname == local]


def _lanes(root: etree._Element) -> dict[str, str | None]:
    """The lane each flow node is drawn in, across the whole file (as the library reads lanes)."""
    lane_of: dict[str, str | None] = {}
    for lane in root.iter(f"{{{BPMN_NS}}}lane"):
        for ref in _children(lane, "flowNodeRef"):
            if ref.text:
                lane_of[ref.text.strip()] = lane.get("name")
    return lane_of


def _effective_lane(el: etree._Element, lane_of: Mapping[str, str | None]) -> tuple[str | None, etree._Element | None]:
    """The lane the engine gives a node: an enclosing sub-process's lane wins over its own (the
    library passes a sub-process's lane down to everything inside it). Returns (lane, sub-process)."""
    outer = None
    node = el.getparent()
    while node is not None:
        if etree.QName(node).localname in ("subProcess", "transaction", "adHocSubProcess") and lane_of.get(node.get("id")):
            outer = node
        node = node.getparent()
    if outer is not None:
        return lane_of.get(outer.get("id")), outer
    return lane_of.get(el.get("id")), None


def _lint_scope(
    file: str,
    scope: etree._Element,
    lanes: set[str] | None,
    decisions: Mapping[str, str],
    messages: set[str | None],
    lane_of: Mapping[str, str | None],
) -> list[Problem]:
    problems: list[Problem] = []
    nodes = {
        el.get("id"): el
        for el in scope
        if isinstance(el.tag, str)
        and etree.QName(el).localname not in ("sequenceFlow", "laneSet", "extensionElements", "documentation")
        and etree.QName(el).localname not in ("dataObject", "dataObjectReference", "dataStoreReference")
        and etree.QName(el).localname not in ("textAnnotation", "association", "ioSpecification", "property")
        and el.get("id")
    }
    flows = _children(scope, "sequenceFlow")

    def problem(message: str, el: etree._Element) -> None:
        problems.append(Problem(message, file=file, element_id=el.get("id"), element_name=el.get("name")))

    outgoing: dict[str, list[etree._Element]] = {}
    incoming: dict[str, list[etree._Element]] = {}
    for flow in flows:
        src, dst = flow.get("sourceRef"), flow.get("targetRef")
        if src not in nodes:
            problem(f"The sequence flow starts at '{src}', which is not an element of this process.", flow)
        if dst not in nodes:
            problem(f"The sequence flow leads to '{dst}', which is not an element of this process.", flow)
        outgoing.setdefault(src or "", []).append(flow)
        incoming.setdefault(dst or "", []).append(flow)
        # Conditions were translated (and refused when they could not be) by engine.model_expressions.

    for node_id, el in nodes.items():
        kind = etree.QName(el).localname
        if kind == "userTask":
            lane, outer = _effective_lane(el, lane_of)
            _lint_user_task(el, lane, lanes, problem)
            drawn = lane_of.get(node_id)
            if outer is not None and drawn and drawn != lane:
                problem(f"The user task is drawn in lane '{drawn}' but its sub-process '{outer.get('name') or outer.get('id')}' "
                        f"is in lane '{lane}'; the engine gives it to '{lane}'. Draw both in the same lane.", el)
            problems += lint_outcomes(file, el, nodes, outgoing)
        elif kind == "scriptTask":
            for script in _children(el, "script"):
                _check_expression(script.text or "", "exec", "script", el, problem)
        elif kind == "businessRuleTask":
            called = el.find(".//spiffworkflow:calledDecisionId", NS)
            if called is None or not (called.text or "").strip():
                problem("The business rule task names no DMN decision (spiffworkflow:calledDecisionId).", el)
            elif called.text.strip() not in decisions:
                problem(f"The DMN decision '{called.text.strip()}' is not in any deployed DMN file.", el)
        elif kind == "boundaryEvent" and el.get("attachedToRef") not in nodes:
            problem(f"The boundary event is attached to '{el.get('attachedToRef')}', which does not exist.", el)
        elif kind == "exclusiveGateway" and len(outgoing.get(node_id, [])) > 1:
            default = el.get("default")
            for flow in outgoing[node_id]:
                if flow.get("id") != default and not _children(flow, "conditionExpression"):
                    problem(
                        f"The flow leaving gateway '{el.get('name') or node_id}' has no condition and is not the default.",
                        flow,
                    )
        for ref in el.iter(f"{{{BPMN_NS}}}messageEventDefinition"):
            if ref.get("messageRef") and ref.get("messageRef") not in messages:
                problem(f"The message '{ref.get('messageRef')}' is not defined in the file.", el)
    problems += _lint_reachability(nodes, outgoing, incoming, problem)
    return problems


def _lint_user_task(el: etree._Element, lane: str | None, lanes: set[str] | None, problem) -> None:  # noqa: ANN001
    if lanes is not None:
        if lane is None:
            problem("The user task is in no lane; put it in the lane of the role that works it.", el)
        elif lane not in lanes:
            problem(f"The lane '{lane}' is not a known role (known: {', '.join(sorted(lanes))}).", el)
    props = {
        p.get("name"): p.get("value") for p in el.findall(".//spiffworkflow:properties/spiffworkflow:property", NS)
    }
    limit = props.get("time_limit_days")
    if lanes is not None and limit is None:
        problem("The user task has no time limit (property time_limit_days).", el)
    elif limit is not None and not (limit.isdigit() and int(limit) > 0):
        problem(f"The time limit '{limit}' is not a whole number of working days above zero.", el)


def _check_expression(source: str, mode: str, what: str, el: etree._Element, problem) -> None:  # noqa: ANN001
    text = source.strip()
    if not text:
        problem(f"The {what} is empty.", el)
        return
    try:
        ast.parse(text, mode=mode)
    except SyntaxError as err:
        problem(f"The {what} is not valid Python: {err.msg} (in `{text[:80]}`).", el)


def _lint_reachability(nodes, outgoing, incoming, problem) -> list[Problem]:  # noqa: ANN001
    """Every node reachable from a start, and every node able to reach an end."""
    kinds = {nid: etree.QName(el).localname for nid, el in nodes.items()}

    def is_entry(n: str) -> bool:
        el = nodes[n]
        if kinds[n] in ("startEvent", "boundaryEvent"):
            return True
        if incoming.get(n):
            return False
        # Entries that no sequence flow leads to by design: link/catch events, event sub-processes,
        # compensation handlers.
        return (
            kinds[n] == "intermediateCatchEvent"
            or el.get("triggeredByEvent") == "true"
            or el.get("isForCompensation") == "true"
        )

    starts = [n for n in nodes if is_entry(n)]
    flow_nodes = {n for n, k in kinds.items() if k not in ("lane",)}

    def walk(roots: list[str], edges: Mapping[str, list[etree._Element]], key: str) -> set[str]:
        seen, stack = set(), list(roots)
        while stack:
            n = stack.pop()
            if n in seen:
                continue
            seen.add(n)
            stack += [f.get(key) for f in edges.get(n, []) if f.get(key) in nodes]
        return seen

    reached = walk([s for s in starts if s in flow_nodes], outgoing, "targetRef")
    # A boundary event hangs off its task, so it is reached when the task is.
    reached |= {n for n, el in nodes.items() if kinds[n] == "boundaryEvent" and el.get("attachedToRef") in reached}
    ends = [n for n in flow_nodes if not outgoing.get(n)]
    can_end = walk(ends, incoming, "sourceRef")
    # A task with a boundary event can end through it.
    for n, el in nodes.items():
        if kinds[n] == "boundaryEvent" and n in can_end:
            can_end.add(el.get("attachedToRef"))
    can_end = walk(list(can_end), incoming, "sourceRef")
    for n in sorted(flow_nodes - reached):
        problem("The element cannot be reached from any start event.", nodes[n])
    for n in sorted(flow_nodes - can_end):
        problem("No path leads from this element to an end.", nodes[n])
    return []
