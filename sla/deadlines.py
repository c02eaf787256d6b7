"""Deadlines: a user task's time limit becomes its `due_at`, plus its reminder, breach and appeal timers."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import insert, inspect, select

from engine.models import Task, Timer, TimerState
from engine.runtime import Runtime
from engine.uow import UnitOfWork
from sla.calendar import BusinessCalendar
from sla.policy import StepPolicy

# (unit of work, year) -> the calendar covering that year and the next.
CalendarFor = Callable[[UnitOfWork, int], BusinessCalendar]
REMINDER, BREACH, APPEAL = "sla_reminder", "sla_breach", "sla_appeal"
SLA_KINDS = (REMINDER, BREACH, APPEAL)
APPLICANT_LANE = "applicant"


def policy_of(uow: UnitOfWork, task: Task) -> StepPolicy:
    definition = uow.definitions.summary(uow.instances.get(task.instance_id).definition_id)
    return StepPolicy.from_properties(definition.user_tasks.get(task.bpmn_id, {}).get("properties", {}))


def schedule(uow: UnitOfWork, task: Task, calendar_for: CalendarFor) -> None:
    """Set `due_at` and (re)write the task's pending SLA timers."""
    if not task.time_limit_days:
        return
    calendar = calendar_for(uow, task.created_at.year)
    task.due_at = calendar.add_working_days(task.created_at, task.time_limit_days)
    policy = policy_of(uow, task)
    # Counted in working days too: at close of office of the day by which the share is used up.
    moments = {REMINDER: calendar.add_working_days(task.created_at, int(task.time_limit_days * policy.reminder_share))}
    # Time limits bind the offices; an applicant gets a reminder but nobody is escalated to.
    if task.lane != APPLICANT_LANE:
        moments[BREACH] = task.due_at
        moments[APPEAL] = calendar_for(uow, task.due_at.year).add_working_days(task.due_at, policy.appeal_after_days)
    if inspect(task).pending:
        # A task row created by this step: it has no timers yet, so they are inserted at once.
        now = uow.clock.now()
        uow.session.connection().execute(_INSERT_TIMERS, [
            dict(kind=kind, instance_id=task.instance_id, task_id=task.id, due_at=when, run_at=when,
                 state=TimerState.PENDING, attempts=0, created_at=now, payload={})
            for kind, when in moments.items()
        ])
        return
    existing = {t.kind: t for t in uow.session.scalars(select(Timer).where(Timer.task_id == task.id, Timer.kind.in_(SLA_KINDS)))}
    for kind, when in moments.items():
        row = existing.get(kind)
        if row is None:
            uow.session.add(
                Timer(kind=kind, instance_id=task.instance_id, task_id=task.id, due_at=when, run_at=when,
                      state=TimerState.PENDING, attempts=0, created_at=uow.clock.now(), payload={})
            )
        elif row.state == TimerState.PENDING:
            row.due_at = row.run_at = when


_INSERT_TIMERS = insert(Timer.__table__)


def install(runtime: Runtime, calendar_for: CalendarFor) -> None:
    runtime.on_task_created.append(lambda uow, task: schedule(uow, task, calendar_for))
