"""Every expression of a BPMN set translated into the sandbox's Python, before the library parses it.

The files are stored as their author wrote them (what the editor, the diagram and a comparison
show); the library parses a translated copy, so the spec stored with each version, and restored
for every step of every instance, holds Python only (docs/decisions.md, D30).
"""

from __future__ import annotations

import copy

from lxml import etree

from engine.errors import Problem
from engine.expressions import ACCEPTED, TIMER_KINDS, NotTranslatable, condition_to_python, timer_to_python
from engine.validation import BPMN_NS, ScreenedFiles

# Elements whose text is a condition, and the element a problem names (the flow or the event).
CONDITION_TAGS = ("conditionExpression", "condition", "completionCondition", "loopCondition")
_EXPRESSION_LANGUAGE_HONOURED = ("feel", "python", "juel")


def translate(files: ScreenedFiles) -> tuple[ScreenedFiles, list[Problem]]:
    """A copy of `files` whose BPMN expressions are Python, and a problem per untranslatable one."""
    problems: list[Problem] = []
    out = ScreenedFiles(dmn=files.dmn, text=files.text)
    for name, root in files.bpmn.items():
        root = copy.deepcopy(root)
        problems += _translate_tree(name, root)
        out.bpmn[name] = root
    return out, problems


def _default_language(root: etree._Element) -> str | None:
    # Many tools write the BPMN default (XPath) or another boilerplate value on every file; only a
    # file-wide FEEL, JUEL or Python is taken as a statement about the file's conditions.
    language = root.get("expressionLanguage") or ""
    return language if any(word in language.lower() for word in _EXPRESSION_LANGUAGE_HONOURED) else None


def _owner(el: etree._Element) -> etree._Element:
    """The element a problem names: the nearest ancestor (or self) with an id that is a flow node or flow."""
    node = el.getparent()
    while node is not None:
        local = etree.QName(node).localname
        if node.get("id") and local not in ("conditionalEventDefinition", "timerEventDefinition", "multiInstanceLoopCharacteristics"):
            return node
        node = node.getparent()
    return el


def _problem(file: str, el: etree._Element, message: str) -> Problem:
    owner = _owner(el)
    return Problem(message, file=file, element_id=owner.get("id"), element_name=owner.get("name"))


def _translate_tree(file: str, root: etree._Element) -> list[Problem]:
    problems: list[Problem] = []
    default = _default_language(root)
    for el in root.iter(*(f"{{{BPMN_NS}}}{tag}" for tag in CONDITION_TAGS)):
        if etree.QName(el).localname in ("completionCondition", "loopCondition") and not (el.text or "").strip():
            continue
        text = el.text or ""
        try:
            python, _ = condition_to_python(text, el.get("language") or default)
        except NotTranslatable as err:
            shown = " ".join(text.split())[:120]
            accepted = "" if ACCEPTED in str(err) else f" Conditions are accepted in {ACCEPTED}."
            problems.append(_problem(
                file, el, f"The condition `{shown}` cannot be translated: {err}.{accepted}" if shown else "The condition is empty."
            ))
            continue
        el.text = python
    for el in root.iter(*(f"{{{BPMN_NS}}}{kind}" for kind in TIMER_KINDS)):
        kind = etree.QName(el).localname
        try:
            el.text = timer_to_python(el.text or "", kind)
        except NotTranslatable as err:
            problems.append(_problem(file, el, f"The timer cannot be read: {err}."))
    return problems
