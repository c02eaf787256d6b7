"""Moving a running instance to another version of its process.

The library has no migration of its own. An instance's state names each task's spec by its BPMN
id, so an instance can move when every step it has been through or waits at also exists in the
target version, and the data the target's conditions read is present. Predicted tasks (what the
old version expected to come next) are dropped and predicted again from the target, so the
instance continues on the target's path from where it stands.
"""

from __future__ import annotations

import ast
import builtins
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.specs.mixins.user_task import UserTask
from SpiffWorkflow.util.task import TaskState as SpiffState

from engine.commands import StepResult, save_step
from engine.errors import MigrationRefused
from engine.model_expressions import translate
from engine.models import Definition, Instance, InstanceStatus
from engine.scripting import ALLOWED_FUNCTIONS
from engine.uow import UnitOfWork
from engine.validation import BPMN_NS, names_set_by_model, screen

# Predicted by the old version: dropped, and predicted again from the target.
_PREDICTED = SpiffState.FUTURE | SpiffState.LIKELY | SpiffState.MAYBE
_BUILTINS = set(dir(builtins)) | {"True", "False", "None"}


@dataclass(frozen=True)
class MigrationCheck:
    instance_id: int
    business_key: str
    from_version: int
    to_version: int
    current_steps: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def movable(self) -> bool:
        return not self.reasons


def _task_dicts(state: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """The serialized tasks of the top-level process and of every sub-process."""
    yield from state["tasks"].values()
    for sub in state.get("subprocesses", {}).values():
        yield from sub["tasks"].values()


def _spec_names(definition: Definition) -> set[str]:
    names = set(definition.spec["spec"]["task_specs"])
    for sub in definition.spec.get("subprocess_specs", {}).values():
        names |= set(sub["task_specs"])
    return names


def needed_names(definition: Definition) -> set[str]:
    """Names the target's conditions read that the target does not set itself."""
    screened, _ = screen({name: text.encode("utf-8") for name, text in definition.files.items()})
    screened, _ = translate(screened)  # conditions as the spec runs them (JUEL and FEEL become Python)
    read: set[str] = set()
    for root in screened.bpmn.values():
        for cond in root.iter(f"{{{BPMN_NS}}}conditionExpression"):
            try:
                tree = ast.parse((cond.text or "").strip(), mode="eval")
            except SyntaxError:
                continue  # deployed versions were validated
            read |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return read - names_set_by_model(screened) - ALLOWED_FUNCTIONS - _BUILTINS


def check(uow: UnitOfWork, instance: Instance, target: Definition, *, needed: set[str] | None = None) -> MigrationCheck:
    """Whether `instance` can move to `target`, and why not. `needed` (from `needed_names`) saves
    reading the target's files again for each instance of a dry run."""
    source = uow.definitions.get(instance.definition_id)
    reasons: list[str] = []
    current: list[str] = []
    if source.key != target.key:
        reasons.append(f"It runs the process '{source.key}', not '{target.key}'.")
    if instance.status != InstanceStatus.RUNNING:
        reasons.append(f"It is {instance.status}, not running.")
    if instance.definition_id == target.id:
        reasons.append(f"It already runs version {target.version}.")
    if not reasons:
        state = json.loads(instance.state)
        names = _spec_names(target)
        missing: set[str] = set()
        for task in _task_dicts(state):
            if task["state"] & _PREDICTED:
                continue
            if task["state"] & (SpiffState.READY | SpiffState.WAITING | SpiffState.STARTED):
                current.append(task["task_spec"])
            if task["task_spec"] not in names:
                missing.add(task["task_spec"])
        for name in sorted(missing):
            described = source.user_tasks.get(name)
            label = f"'{described['name']}' ({name})" if described else f"'{name}'"
            reasons.append(f"Version {target.version} has no step {label}, which the application has reached.")
        data = state.get("data", {})
        for task in _task_dicts(state):
            if task["state"] & (SpiffState.READY | SpiffState.WAITING | SpiffState.STARTED):
                data = {**data, **task.get("data", {})}
        for name in sorted((needed_names(target) if needed is None else needed) - set(data)):
            reasons.append(f"Version {target.version} decides on '{name}', which the application's data does not hold.")
    return MigrationCheck(
        instance_id=instance.id,
        business_key=instance.business_key,
        from_version=source.version,
        to_version=target.version,
        current_steps=sorted(set(current)),
        reasons=reasons,
    )


def _prune(tasks: dict[str, dict[str, Any]]) -> None:
    """Drop predicted tasks and their descendants from a serialized task tree."""
    doomed = [tid for tid, t in tasks.items() if t["state"] & _PREDICTED]
    while doomed:
        tid = doomed.pop()
        task = tasks.pop(tid, None)
        if task is None:
            continue
        doomed += task.get("children", [])
        parent = tasks.get(task.get("parent") or "")
        if parent is not None and tid in parent["children"]:
            parent["children"].remove(tid)


def migrate(uow: UnitOfWork, instance: Instance, target: Definition, *, actor: str) -> StepResult:
    """Move one instance to `target`; raises MigrationRefused with the reasons if it cannot move."""
    result = check(uow, instance, target)
    if not result.movable:
        raise MigrationRefused(" ".join(result.reasons))
    state = json.loads(instance.state)
    _prune(state["tasks"])
    for sub in state.get("subprocesses", {}).values():
        _prune(sub["tasks"])
    specs = uow.definitions.specs(target.id)
    workflow = uow.runtime.codec.loads(json.dumps(state), specs, uow.definitions.specs)
    for task in workflow.get_tasks(state=SpiffState.READY | SpiffState.WAITING | SpiffState.STARTED):
        if not task.children:
            task.task_spec._predict(task, mask=SpiffState.NOT_FINISHED_MASK)
    instance.definition_id = target.id
    for row in uow.tasks.open_for_instance(instance.id):
        spec = workflow.get_task_from_id(UUID(row.id)).task_spec
        if isinstance(spec, UserTask):
            row.name = spec.bpmn_name or spec.bpmn_id
    uow.audit.record(
        "instance_migrated",
        actor,
        instance_id=instance.id,
        from_version=result.from_version,
        to_version=target.version,
        definition_id=target.id,
    )
    return save_step(uow, instance, workflow, actor)

