"""Durable timers: keeping BPMN timer rows in step with workflows, claiming due rows, retries."""

from __future__ import annotations

import weakref
from datetime import datetime, timedelta

from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from sqlalchemy import select

from engine.events import flatten
from engine.models import Instance, Timer, TimerState
from engine.uow import UnitOfWork
from engine.work_queue import Queue

BPMN = "bpmn"
QUEUE = Queue(Timer, due="run_at", pending=TimerState.PENDING, given_up=TimerState.INCIDENT)


def waiting_timer_events(workflow: BpmnWorkflow) -> dict[str, datetime]:
    """Spiff task id -> due time of every timer event the workflow waits on."""
    due: dict[str, datetime] = {}
    for task in workflow.event_manager.tasks.values():
        # An event-based gateway waits with its timer inside a MultipleEventDefinition; the due
        # time is kept in the gateway task's own internal data all the same.
        if not any(isinstance(d, TimerEventDefinition) for d in flatten(task.task_spec.event_definition)):
            continue
        value = task.internal_data.get("event_value")
        if isinstance(value, dict):  # a cycle: {cycles left, next due time, duration in seconds}
            when = _cycle_due(value)
            if when is not None:
                due[str(task.id)] = when
        elif value:
            due[str(task.id)] = TimerEventDefinition.get_datetime(value)
    return due


def _cycle_due(value: dict) -> datetime | None:
    """A cycle's next occurrence; once all have fired, its last one (it waits for one more refresh
    to finish, so the sweep finishes it at once). Infinite cycles (`R/…`) count -1 and never end."""
    if not value.get("next"):
        return None
    next_due = TimerEventDefinition.get_datetime(value["next"])
    if value.get("cycles") == 0:
        return next_due - timedelta(seconds=float(value.get("duration") or 0))
    return next_due


def has_finished_cycles(workflow: BpmnWorkflow) -> bool:
    """Whether a cycle timer has fired all its occurrences but still waits: the library finishes
    it only at its next refresh (`CycleTimerEventDefinition.cycle_complete`)."""
    for task in workflow.event_manager.tasks.values():
        value = task.internal_data.get("event_value")
        if isinstance(value, dict) and value.get("cycles") == 0:
            return True
    return False


_HAS_TIMERS: weakref.WeakKeyDictionary[BpmnProcessSpec, bool] = weakref.WeakKeyDictionary()


def _has_timers(workflow: BpmnWorkflow) -> bool:
    """Whether the process or any sub-process or called process it holds has a timer event."""
    return any(_spec_has_timers(s) for s in (workflow.spec, *workflow.subprocess_specs.values()) if s is not None)


def _spec_has_timers(spec: BpmnProcessSpec) -> bool:
    found = _HAS_TIMERS.get(spec)  # cached per spec: specs are immutable once deployed
    if found is None:
        found = any(
            isinstance(d, TimerEventDefinition)
            for ts in spec.task_specs.values()
            for d in flatten(getattr(ts, "event_definition", None))
        )
        _HAS_TIMERS[spec] = found
    return found


def sync_bpmn_timers(uow: UnitOfWork, instance: Instance, workflow: BpmnWorkflow) -> None:
    """One pending row per waiting timer event; rows of events no longer waiting are cancelled."""
    if not _has_timers(workflow):
        return  # no row can exist, so there is nothing to create or cancel
    now = uow.clock.now()
    waiting = waiting_timer_events(workflow)
    rows = {
        t.task_id: t
        for t in uow.session.scalars(
            select(Timer).where(Timer.instance_id == instance.id, Timer.kind == BPMN, Timer.state == TimerState.PENDING)
        )
    }
    for task_id, due in waiting.items():
        row = rows.get(task_id)
        if row is None:
            uow.session.add(
                Timer(
                    kind=BPMN, instance_id=instance.id, task_id=task_id, due_at=due, run_at=due,
                    state=TimerState.PENDING, attempts=0, created_at=now, payload={},
                )
            )
        elif row.due_at != due:  # a cycle moved on to its next occurrence
            row.due_at = row.run_at = due
    for task_id, row in rows.items():
        if task_id not in waiting:
            row.state = TimerState.CANCELLED


def claim_next_due(uow: UnitOfWork, now: datetime, kinds: tuple[str, ...] | None = None) -> Timer | None:
    """Lock the oldest due pending timer for this transaction; other schedulers skip it."""
    return QUEUE.claim_next(uow, now, *([Timer.kind.in_(kinds)] if kinds else []))


def next_due_at(uow: UnitOfWork, kinds: tuple[str, ...] | None = None) -> datetime | None:
    query = select(Timer.run_at).where(Timer.state == TimerState.PENDING).order_by(Timer.run_at).limit(1)
    if kinds:
        query = query.where(Timer.kind.in_(kinds))
    return uow.session.scalar(query)


def mark_fired(uow: UnitOfWork, timer: Timer, fired_due: datetime | None = None) -> None:
    """The row is done, unless it is a cycle's that `sync_bpmn_timers` moved past `fired_due` (the
    occurrence just fired) to the next one: then the same row stays pending for that one, with a
    fresh count of attempts (one row per timer event keeps `uq_timers_task_kind`)."""
    timer.fired_at = uow.clock.now()
    if fired_due is not None and timer.state == TimerState.PENDING and timer.due_at > fired_due:
        timer.attempts = 0
        timer.last_error = None
        return
    timer.state = TimerState.FIRED
    timer.attempts += 1


def record_failure(uow: UnitOfWork, timer_id: int, error: str, *, max_attempts: int, backoff: timedelta) -> Timer:
    """After a failed attempt (rolled back): count it, push the next try back, or raise an incident."""
    return QUEUE.record_failure(uow, timer_id, error, max_attempts=max_attempts, backoff=backoff)


def retry_incident(uow: UnitOfWork, timer_id: int, *, actor: str) -> Timer:
    timer = uow.session.get(Timer, timer_id, with_for_update=True)
    if timer is None or timer.state != TimerState.INCIDENT:
        raise ValueError(f"Timer {timer_id} is not an incident.")
    timer.state = TimerState.PENDING
    timer.attempts = 0
    timer.run_at = uow.clock.now()
    uow.audit.record("timer_retried", actor, instance_id=timer.instance_id, timer_id=timer.id)
    return timer
