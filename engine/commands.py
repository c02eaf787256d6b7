"""Engine commands. Each runs inside the caller's unit of work; the caller commits once.

Every command changes the workflow state, the task rows and the audit log together, so a
commit stores all three or (on any error) the rollback stores none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState as SpiffState

from engine.calls import CalledProcessNotDeployed, called_specs
from engine.errors import (
    DuplicateBusinessKey,
    MessageNotExpected,
    ScriptError,
    StaleState,
    TaskAlreadyCompleted,
    TaskClaimedByOther,
    TaskNotReady,
)
from engine.events import MESSAGE, SIGNAL, catches, deliver, waiting_names
from engine.messages import Text
from engine.models import Instance, InstanceStatus, Task, TaskState
from engine.projection import project
from engine.timers import has_finished_cycles
from engine.uow import UnitOfWork


@dataclass
class StepResult:
    """What a command left behind: the instance, the task it acted on, the tasks it created, and a
    snapshot of the process data after the step (for the scheme layer's own columns)."""

    instance: Instance
    task: Task | None = None
    created: list[Task] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


def start_instance(
    uow: UnitOfWork,
    key: str,
    *,
    business_key: str,
    data: Mapping[str, Any],
    actor: str,
    district: str | None = None,
) -> StepResult:
    """Start the newest version of process `key` with `data` as its initial task data."""
    definition = uow.definitions.latest_summary(key)
    if uow.instances.exists(business_key):
        raise DuplicateBusinessKey(f"An instance with business key {business_key} already exists.")
    now = uow.clock.now()
    workflow = uow.instances.new_workflow(definition.id)
    workflow.task_tree.data.update(data)
    instance = Instance(
        business_key=business_key,
        definition_id=definition.id,
        district=district,
        status=InstanceStatus.RUNNING,
        state="",
        started_by=actor,
        started_at=now,
        updated_at=now,
    )
    uow.instances.add(instance)
    uow.flush()
    workflow.instance_id = instance.id  # for service operators (engine/services.py)
    uow.audit.record(
        "instance_started", actor, instance_id=instance.id, definition_id=definition.id, business_key=business_key
    )
    _run(workflow)
    return save_step(uow, instance, workflow, actor)


def claim_task(uow: UnitOfWork, task_id: str, *, actor: str) -> Task:
    task = _open_task(uow, task_id)
    if task.assignee == actor:
        return task
    if task.assignee is not None:
        raise TaskClaimedByOther(Text(
            "claimed_by", f"'{task.name}' is already claimed by {task.assignee}.", step=task.name, who=task.assignee
        ), holder=task.assignee)
    uow.tasks.write(task, assignee=actor, state=TaskState.CLAIMED, claimed_at=uow.clock.now())
    uow.audit.record("task_claimed", actor, instance_id=task.instance_id, task_id=task.id)
    return task


def unclaim_task(uow: UnitOfWork, task_id: str, *, actor: str) -> Task:
    task = _open_task(uow, task_id)
    if task.assignee is None:
        return task
    if task.assignee != actor:
        raise TaskClaimedByOther(Text(
            "claimed_not_by_you", f"'{task.name}' is claimed by {task.assignee}, not by you.", step=task.name, who=task.assignee
        ), holder=task.assignee)
    previous = task.assignee
    uow.tasks.write(task, assignee=None, state=TaskState.READY, claimed_at=None)
    uow.audit.record("task_unclaimed", actor, instance_id=task.instance_id, task_id=task.id, previous=previous)
    return task


def reassign_task(uow: UnitOfWork, task_id: str, *, to: str | None, actor: str, reason: str) -> Task:
    """Give a task to another person (or back to the pool with `to=None`) without suspending anything."""
    task = _open_task(uow, task_id)
    previous = task.assignee
    uow.tasks.write(
        task, assignee=to, state=TaskState.CLAIMED if to else TaskState.READY, claimed_at=uow.clock.now() if to else None
    )
    uow.audit.record(
        "task_reassigned", actor, instance_id=task.instance_id, task_id=task.id, previous=previous, to=to, reason=reason
    )
    return task


def complete_task(
    uow: UnitOfWork,
    task_id: str,
    *,
    actor: str,
    data: Mapping[str, Any],
    expected_version: int | None = None,
    override_claim: bool = False,
) -> StepResult:
    """Complete a ready user task with `data` (merged into the task data) and run on to the next wait.

    `expected_version` is the instance version the caller saw; if the instance changed since,
    StaleState is raised and nothing changes. `override_claim` completes a task even if someone
    holds it (the system's deemed approval).
    """
    task = _open_task(uow, task_id)
    if task.assignee is not None and task.assignee != actor and not override_claim:
        raise TaskClaimedByOther(Text(
            "claimed_only_they", f"'{task.name}' is claimed by {task.assignee}; only they can complete it.",
            step=task.name, who=task.assignee,
        ), holder=task.assignee)
    instance = uow.instances.get(task.instance_id)
    if expected_version is not None and instance.version != expected_version:
        raise StaleState(Text(
            "changed_since_opened", "This application changed since you opened it. Reload it to see the changes."
        ))
    workflow = uow.instances.workflow(instance)
    spiff_task = workflow.get_task_from_id(UUID(task_id))
    if spiff_task is None or spiff_task.state != SpiffState.READY:
        raise TaskNotReady(f"'{task.name}' cannot be completed now.")
    now = uow.clock.now()
    spiff_task.data.update(data)
    outcome = data.get("outcome")
    uow.tasks.write(
        task, claimed_at=task.claimed_at or now, assignee=actor, state=TaskState.COMPLETED, completed_at=now,
        completed_by=actor, outcome=outcome if isinstance(outcome, str) else None,
    )
    uow.audit.record(
        "task_completed", actor, instance_id=instance.id, task_id=task.id, bpmn_id=task.bpmn_id, outcome=task.outcome
    )
    if data:
        uow.audit.record("data_changed", actor, instance_id=instance.id, task_id=task.id, data=dict(data))
    try:
        spiff_task.run()
    except Exception as err:  # noqa: BLE001 - every failure of a step is said plainly (ScriptError)
        raise ScriptError(_describe(err)) from err
    _run(workflow)
    return save_step(uow, instance, workflow, actor, task)


def send_message(
    uow: UnitOfWork, business_key: str, name: str, *, payload: Mapping[str, Any], actor: str
) -> StepResult:
    """Deliver a BPMN message to the instance with this business key (correlation: key and name).

    The payload is merged into the data of the task that catches it. MessageNotExpected names the
    messages the instance does wait for.
    """
    instance = uow.instances.by_business_key(business_key)
    workflow = uow.instances.workflow(instance)
    if _deliver(workflow, MESSAGE, name, payload) == 0:
        waiting = waiting_names(workflow, MESSAGE)
        raise MessageNotExpected(
            f"{business_key} is not waiting for the message '{name}'"
            + (f"; it waits for: {', '.join(waiting)}." if waiting else "; it waits for no message now."),
            waiting=waiting,
        )
    uow.audit.record("message_received", actor, instance_id=instance.id, message=name, payload=dict(payload))
    _run(workflow)
    return save_step(uow, instance, workflow, actor)


def send_signal(
    uow: UnitOfWork, instance: Instance, name: str, *, payload: Mapping[str, Any], actor: str
) -> StepResult | None:
    """Deliver a signal to one instance; None (and nothing changed) when it does not wait for it."""
    workflow = uow.instances.workflow(instance)
    if instance.status != InstanceStatus.RUNNING or _deliver(workflow, SIGNAL, name, payload) == 0:
        return None
    uow.audit.record("signal_received", actor, instance_id=instance.id, signal=name, payload=dict(payload))
    _run(workflow)
    return save_step(uow, instance, workflow, actor)


def signal_targets(uow: UnitOfWork, name: str) -> list[int]:
    """Running instances that may wait for this signal (oldest first): those of every version whose
    process or sub-processes catch it, and those that called a separately deployed process."""
    definitions = [
        d for d in uow.instances.running_per_definition() if catches(uow.definitions.specs(d), SIGNAL, name)
    ]
    return uow.instances.running_ids(definitions, with_called=True)


def _deliver(workflow: BpmnWorkflow, kind: str, name: str, payload: Mapping[str, Any]) -> int:
    try:
        return deliver(workflow, kind, name, payload)
    except Exception as err:  # noqa: BLE001 - a library failure is the model's, said plainly
        raise ScriptError(_describe(err)) from err


def fire_timers(uow: UnitOfWork, instance: Instance, *, actor: str = "system") -> StepResult:
    """Fire whatever timers of this instance are due now, and run on."""
    workflow = uow.instances.workflow(instance)
    for _ in range(3):  # again while a cycle that fired its last occurrence waits to be finished
        try:
            workflow.refresh_timers()
        except Exception as err:  # noqa: BLE001 - every failure of a step is said plainly (ScriptError)
            raise ScriptError(_describe(err)) from err
        _run(workflow)
        if not has_finished_cycles(workflow):
            break
    return save_step(uow, instance, workflow, actor)


def _open_task(uow: UnitOfWork, task_id: str) -> Task:
    """The task row, locked for the rest of the transaction, if it is still open.

    Claim, unclaim, reassign and complete decide on this locked row: of two commands on one task
    the second waits for the first to commit and then sees its result (so a completed row is
    never written again, and of two claims one wins).
    """
    task = uow.tasks.lock(task_id)
    if task.state == TaskState.COMPLETED:
        raise TaskAlreadyCompleted(Text(
            "completed_by", f"'{task.name}' was already completed by {task.completed_by}.",
            step=task.name, who=task.completed_by,
        ))
    if task.state not in TaskState.OPEN:
        raise TaskNotReady(f"'{task.name}' is {task.state} and can no longer be worked on.")
    return task


def _run(workflow: BpmnWorkflow) -> None:
    try:
        workflow.do_engine_steps()
    except Exception as err:  # noqa: BLE001 - no library exception escapes a step unexplained
        raise ScriptError(_describe(err)) from err


def save_step(uow: UnitOfWork, instance: Instance, workflow: BpmnWorkflow, actor: str, task: Task | None = None) -> StepResult:
    """After any change to a workflow: project its tasks, store it, run the step hooks."""
    created = project(uow, instance, workflow, actor)
    _record_calls(uow, instance, workflow, actor)
    uow.instances.store(instance, workflow)
    last = workflow.last_task
    data = dict(workflow.data) if workflow.is_completed() and workflow.data else dict(last.data if last else {})
    result = StepResult(instance=instance, task=task, created=created, data=data)
    for hook in uow.runtime.on_step:
        hook(uow, result)
    return result


def _record_calls(uow: UnitOfWork, instance: Instance, workflow: BpmnWorkflow, actor: str) -> None:
    """An audit event (shown on the timeline) for each separately deployed process this step called."""
    called = called_specs(workflow)
    for key, definition_id, version in called.drain() if called is not None else ():
        uow.audit.record(
            "process_called", actor, instance_id=instance.id, definition_id=definition_id, key=key, version=version
        )


def _describe(err: Exception) -> str:
    task = getattr(err, "task", None)
    spec = getattr(task, "task_spec", None)
    where = f" at '{spec.bpmn_name or spec.bpmn_id}'" if spec is not None else ""
    if isinstance(err, SpiffWorkflowException | CalledProcessNotDeployed):
        text = str(err)
    else:  # a library or Python error: its type says more than its bare text ('name' for a KeyError)
        text = f"{type(err).__name__}: {err}"
    return f"The process could not continue{where}: {text}"
