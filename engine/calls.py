"""Call activities that call a process deployed on its own (D25).

A call activity whose `calledElement` is in the caller's own files is parsed with it and stored in
its definition's spec. One that names another deployed process is resolved when the call starts:
the instance binds to the *latest* version of that process at that moment and keeps that binding
for the rest of its life (a later call of the same process by the same instance uses the same
version). The binding (process key -> definition id) is stored with the instance's state, so the
called spec is found again when the instance is restored on another node or after a restart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec

# key -> (definition id, version, (spec, its own sub-process specs))
Resolver = Callable[[str], tuple[int, int, tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]]]]


class CalledProcessNotDeployed(KeyError):
    """A call activity names a process of which no version is deployed."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "the called process is not deployed"


class CalledSpecs(dict):
    """A workflow's sub-process specs that resolve a missing (separately deployed) process on demand.

    SpiffWorkflow looks a call activity's spec up with `subprocess_specs[name]` when the call
    starts; `__missing__` asks the resolver the unit of work attached, remembers the binding and
    adds the called process's own sub-process specs.
    """

    def __init__(self, specs: dict[str, Any] | None = None) -> None:
        super().__init__(specs or {})
        self.bound: dict[str, int] = {}  # process key -> definition id, stored with the state
        self.new_bindings: list[tuple[str, int, int]] = []  # (key, definition id, version) this step
        self.resolver: Resolver | None = None

    def __missing__(self, key: str) -> BpmnProcessSpec:
        if self.resolver is None:
            raise CalledProcessNotDeployed(f"The called process '{key}' is not available here.")
        definition_id, version, (spec, subs) = self.resolver(key)
        self.attach(key, definition_id, spec, subs)
        self.new_bindings.append((key, definition_id, version))
        return spec

    def __bool__(self) -> bool:
        # BpmnWorkflow keeps `subprocess_specs or {}`: an empty one must still be this object.
        return True

    def __contains__(self, key: object) -> bool:
        # The library asks `name in subprocess_specs` before it starts a call.
        if dict.__contains__(self, key):
            return True
        if self.resolver is None or not isinstance(key, str):
            return False
        self[key]  # resolves (or raises CalledProcessNotDeployed, which says plainly what is missing)
        return True

    def attach(self, key: str, definition_id: int, spec: BpmnProcessSpec, subs: dict[str, BpmnProcessSpec]) -> None:
        self.bound[key] = definition_id
        for name, sub in subs.items():
            self.setdefault(name, sub)
        self[key] = spec

    def drain(self) -> list[tuple[str, int, int]]:
        found, self.new_bindings = self.new_bindings, []
        return found


def called_specs(workflow: Any) -> CalledSpecs | None:
    specs = getattr(workflow, "subprocess_specs", None)
    return specs if isinstance(specs, CalledSpecs) else None
