"""Constructs the engine refuses at deploy, each by name and with the reason (issue 12's rule: a
model either runs durably or is refused in plain words). The table in docs/bpmn-support.md
lists them with what to draw instead."""

from __future__ import annotations

from lxml import etree

from engine.errors import Problem

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"

_COMPENSATION_KINDS = {
    "boundaryEvent": "compensation boundary event",
    "intermediateThrowEvent": "compensation throw event",
    "endEvent": "compensation end event",
    "startEvent": "compensation start event (of an event sub-process)",
}
_NO_COMPENSATION = "the engine does not support compensation (SpiffWorkflow 3.2 has none)"
_UNDO_INSTEAD = "Model the undo steps as ordinary tasks on the path that needs them."


def _problem(file: str, el: etree._Element, message: str) -> Problem:
    return Problem(message, file=file, element_id=el.get("id"), element_name=el.get("name"))


def _owner(definition: etree._Element) -> etree._Element:
    return definition.getparent() if definition.getparent() is not None else definition


def refused_constructs(file: str, root: etree._Element) -> list[Problem]:
    """A problem per element using a construct the engine cannot run."""
    problems = []
    for definition in root.iter(f"{{{BPMN_NS}}}compensateEventDefinition"):
        event = _owner(definition)
        kind = _COMPENSATION_KINDS.get(etree.QName(event).localname, "compensation event")
        problems.append(_problem(file, event, f"The {kind} cannot be run: {_NO_COMPENSATION}. {_UNDO_INSTEAD}"))
    for el in root.iter():
        if isinstance(el.tag, str) and el.get("isForCompensation") == "true":
            problems.append(_problem(
                file, el, f"The activity is marked as a compensation handler (isForCompensation): {_NO_COMPENSATION}."
            ))
    for definition in root.iter(f"{{{BPMN_NS}}}conditionalEventDefinition"):
        problems.append(_problem(
            file, _owner(definition),
            "The conditional event cannot be run: nothing re-evaluates its condition while an application waits, "
            "so it would wait for ever. Use an exclusive gateway after the step that changes the data, or a "
            "message the other system sends.",
        ))
    for el in root.iter(f"{{{BPMN_NS}}}transaction"):
        problems.append(_problem(
            file, el, f"The transaction sub-process cannot be run: cancelling a transaction means compensating "
            f"its steps, and {_NO_COMPENSATION}. Use an ordinary sub-process.",
        ))
    for definition in root.iter(f"{{{BPMN_NS}}}cancelEventDefinition"):
        problems.append(_problem(
            file, _owner(definition),
            "The cancel event cannot be run: cancel events belong to transactions, which the engine does not run.",
        ))
    for definition in root.iter(f"{{{BPMN_NS}}}linkEventDefinition"):
        problems.append(_problem(
            file, _owner(definition),
            "The link event cannot be run: SpiffWorkflow 3.2 does not follow a link from its throw to its catch "
            "(the process would end there). Draw a sequence flow instead.",
        ))
    for el in root.iter(f"{{{BPMN_NS}}}complexGateway"):
        problems.append(_problem(
            file, el, "The complex gateway cannot be run (SpiffWorkflow 3.2 has none). Use an inclusive gateway "
            "with a condition on each flow, or an exclusive one.",
        ))
    for el in root.iter(f"{{{BPMN_NS}}}adHocSubProcess"):
        problems.append(_problem(
            file, el, "The ad-hoc sub-process cannot be run: officers have no way to pick its next activity. "
            "Draw the activities with gateways (a parallel or inclusive gateway for optional work).",
        ))
    return problems
