"""Keeps the task table in step with the workflow after every step."""

from __future__ import annotations

from SpiffWorkflow.bpmn.specs.mixins.events.end_event import EndEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState as SpiffState

from engine.models import Instance, InstanceStatus, Task, TaskState
from engine.timers import sync_bpmn_timers
from engine.uow import UnitOfWork


def project(uow: UnitOfWork, instance: Instance, workflow: BpmnWorkflow, actor: str) -> list[Task]:
    """Create rows for newly ready user tasks, cancel rows whose task went away, close the instance.

    Returns the rows created. Rows already completed or cancelled are never touched.
    """
    now = uow.clock.now()
    ready = workflow.get_tasks(state=SpiffState.READY, manual=True)
    ready_ids = {str(t.id) for t in ready}
    # The open rows are the user tasks that were ready when the command took the workflow (the
    # invariant this function keeps); only without that do we ask the database.
    before = uow.instances.ready_tasks_before(instance)
    if before is None:
        before = {row.id for row in uow.tasks.open_for_instance(instance.id) if row.state in TaskState.OPEN}
    created = []
    process_key = uow.definitions.summary(instance.definition_id).key if ready else None
    for spiff_task in ready:
        task_id = str(spiff_task.id)
        if task_id in before:
            continue
        spec = spiff_task.task_spec
        limit = spec.extensions.get("properties", {}).get("time_limit_days")
        row = Task(
            id=task_id,
            instance_id=instance.id,
            bpmn_id=spec.bpmn_id,
            process_key=process_key,
            name=spec.bpmn_name or spec.bpmn_id,
            lane=spec.lane,
            district=instance.district,
            state=TaskState.READY,
            time_limit_days=int(limit) if limit and str(limit).isdigit() else None,
            created_at=now,
        )
        uow.tasks.add(row)
        uow.audit.record(
            "task_created", actor, instance_id=instance.id, task_id=task_id, bpmn_id=row.bpmn_id, lane=row.lane
        )
        for hook in uow.runtime.on_task_created:
            hook(uow, row)
        created.append(row)
    if created:
        uow.tasks.insert_new(created)
    for task_id in before - ready_ids:
        row = uow.tasks.get(task_id)
        if row.state in TaskState.OPEN:
            # Its task left READY without our complete command: a boundary event or a terminate
            # end took it away.
            row.state = TaskState.CANCELLED
            row.completed_at = now
            uow.audit.record("task_cancelled", actor, instance_id=instance.id, task_id=task_id, bpmn_id=row.bpmn_id)
    uow.instances.ready_before[instance.id] = ready_ids
    sync_bpmn_timers(uow, instance, workflow)
    instance.updated_at = now
    if workflow.is_completed() and instance.status == InstanceStatus.RUNNING:
        instance.status = InstanceStatus.COMPLETED
        instance.completed_at = now
        instance.end_event = _end_event(workflow)
        uow.audit.record("instance_completed", actor, instance_id=instance.id, end_event=instance.end_event)
    return created


def _end_event(workflow: BpmnWorkflow) -> str | None:
    ends = [
        t
        for t in workflow.get_tasks(state=SpiffState.COMPLETED)
        if isinstance(t.task_spec, EndEvent) and t.task_spec.bpmn_id and t.workflow is workflow
    ]
    if not ends:
        return None
    return max(ends, key=lambda t: t.last_state_change).task_spec.bpmn_id
