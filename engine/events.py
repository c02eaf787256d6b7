"""Messages and signals from outside an instance: what it waits for, and delivering one.

An event is always built from the waiting task's own event definition. SpiffWorkflow compares
event definitions by class (and name), and its parser makes `SpiffWorkflow.spiff` subclasses; an
event built from any other class never matches and fails silently as "not waiting". Tasks under an
event-based gateway keep their definitions inside the gateway's MultipleEventDefinition.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.specs.event_definitions.base import EventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.item_aware_event import SignalEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.util.event import BpmnEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

MESSAGE = "message"
SIGNAL = "signal"
_KINDS = {MESSAGE: MessageEventDefinition, SIGNAL: SignalEventDefinition}


def flatten(definition: EventDefinition | None) -> Iterator[EventDefinition]:
    """The definition itself, or each one inside a MultipleEventDefinition (event-based gateways)."""
    if isinstance(definition, MultipleEventDefinition):
        for inner in definition.event_definitions:
            yield from flatten(inner)
    elif definition is not None:
        yield definition


def waiting_names(workflow: BpmnWorkflow, kind: str) -> list[str]:
    """Names of the messages (or signals) the workflow waits for now, sorted."""
    cls = _KINDS[kind]
    names = {
        d.name
        for task in workflow.event_manager.tasks.values()
        for d in flatten(getattr(task.task_spec, "event_definition", None))
        if isinstance(d, cls)
    }
    return sorted(n for n in names if n)


def catches(specs: tuple[BpmnProcessSpec, Mapping[str, BpmnProcessSpec]], kind: str, name: str) -> bool:
    """Whether any event of the process (or its sub-processes) can catch this message or signal."""
    cls = _KINDS[kind]
    for spec in (specs[0], *specs[1].values()):
        if spec is None:
            continue
        for task_spec in spec.task_specs.values():
            for d in flatten(getattr(task_spec, "event_definition", None)):
                if isinstance(d, cls) and d.name == name:
                    return True
    return False


def deliver(workflow: BpmnWorkflow, kind: str, name: str, payload: Mapping[str, Any]) -> int:
    """Hand a message or signal to every task waiting for it; the payload is merged into their data.

    Returns how many tasks caught it (0: nothing waits for it; nothing changed).
    """
    cls = _KINDS[kind]
    definition = next(
        (
            d
            for task in workflow.event_manager.tasks.values()
            for d in flatten(getattr(task.task_spec, "event_definition", None))
            if isinstance(d, cls) and d.name == name
        ),
        None,
    )
    if definition is None:
        return 0
    event = BpmnEvent(definition, payload=dict(payload))
    catchers = [t for t in list(workflow.event_manager.tasks.values()) if t.task_spec.catches(t, event)]
    if not catchers:
        return 0
    workflow.send_event(event)
    for task in catchers:
        # The library keeps a message's payload aside unless the model names a variable for it
        # (and a signal's always): merged here, it flows on with the task's data.
        task.data.update(dict(payload))
    return len(catchers)
