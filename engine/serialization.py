"""Workflow state <-> JSON, with the process spec kept out of every instance's state.

The library embeds the whole spec in each serialization (about half the bytes and most of the
load time). Here a definition's spec is converted once at deploy time, restored once per process
(see SpecCache) and re-attached to each instance as it is loaded.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter
from SpiffWorkflow.bpmn.serializer.helpers.dictionary import DictionaryConverter
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from engine.calls import CalledSpecs, called_specs

SpecPair = tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]]


class _SpeclessWorkflowConverter(BpmnWorkflowConverter):
    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        # Skip BpmnWorkflowConverter.to_dict, which converts the spec; keep everything else it adds.
        dct = super(BpmnWorkflowConverter, self).to_dict(workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        called = called_specs(workflow)
        if called is not None and called.bound:
            dct["called"] = dict(called.bound)  # separately deployed processes this instance called
        return dct

    def from_dict(self, dct: dict[str, Any]) -> BpmnWorkflow:
        spec = dct.pop("spec")
        if isinstance(spec, dict):  # a full serialization (e.g. from an older build)
            return super().from_dict({**dct, "spec": spec})
        from uuid import UUID

        subprocess_specs = dct.pop("subprocess_specs", {})
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _register_decimal(registry: DictionaryConverter) -> None:
    registry.register(Decimal, lambda v: {"value": str(v)}, lambda v: Decimal(v["value"]))


class WorkflowCodec:
    """Turns workflows into JSON text and back, given the spec of their definition."""

    def __init__(self, script_engine: PythonScriptEngine) -> None:
        self.script_engine = script_engine
        config = dict(SPIFF_CONFIG)
        config[BpmnWorkflow] = _SpeclessWorkflowConverter
        registry = BpmnWorkflowSerializer.configure(config)
        _register_decimal(registry)
        self._serializer = BpmnWorkflowSerializer(registry)
        spec_registry = BpmnWorkflowSerializer.configure(SPIFF_CONFIG)
        _register_decimal(spec_registry)
        self._spec_registry = spec_registry

    def spec_to_dict(self, spec: BpmnProcessSpec, subprocess_specs: dict[str, BpmnProcessSpec]) -> dict[str, Any]:
        return {
            "spec": self._spec_registry.convert(spec),
            "subprocess_specs": {k: self._spec_registry.convert(v) for k, v in subprocess_specs.items()},
        }

    def spec_from_dict(self, dct: dict[str, Any]) -> SpecPair:
        spec = self._spec_registry.restore(dct["spec"])
        subs = {k: self._spec_registry.restore(v) for k, v in dct.get("subprocess_specs", {}).items()}
        return spec, subs

    def new_workflow(self, specs: SpecPair) -> BpmnWorkflow:
        # A copy per workflow: the spec cache's dict is shared, and call activities add to this one.
        return BpmnWorkflow(specs[0], CalledSpecs(specs[1]), script_engine=self.script_engine)

    def dumps(self, workflow: BpmnWorkflow) -> str:
        return self._serializer.serialize_json(workflow)

    def loads(self, state: str, specs: SpecPair, called: Callable[[int], SpecPair] | None = None) -> BpmnWorkflow:
        """Restore a workflow; `called` gives the specs of a definition id this instance bound a call to."""
        dct = json.loads(state)
        self._serializer.migrate(dct)
        subs = CalledSpecs(specs[1])
        for key, definition_id in dct.pop("called", {}).items():
            if called is None:
                raise ValueError(f"The instance called the process '{key}', whose spec cannot be loaded here.")
            spec, its_subs = called(definition_id)
            subs.attach(key, definition_id, spec, its_subs)
        dct["spec"], dct["subprocess_specs"] = specs[0], subs
        workflow = self._serializer.from_dict(dct)
        # Sub-workflows (sub-processes, call activities) read the top workflow's engine: a property
        # without a setter, so it is set here only.
        workflow.script_engine = self.script_engine
        return workflow


class SpecCache:
    """Restored specs by definition id. Definitions are immutable, so entries never go stale."""

    def __init__(self, codec: WorkflowCodec, size: int = 256) -> None:
        self._codec = codec
        self._size = size
        self._items: OrderedDict[int, SpecPair] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, definition_id: int, load: Callable[[], dict[str, Any]]) -> SpecPair:
        with self._lock:
            hit = self._items.get(definition_id)
            if hit is not None:
                self._items.move_to_end(definition_id)
                return hit
        # Restored outside the lock; two threads may both restore a spec once, which is harmless.
        specs = self._codec.spec_from_dict(load())
        with self._lock:
            specs = self._items.setdefault(definition_id, specs)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return specs
