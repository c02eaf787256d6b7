"""Due dates: each user task's time limit in working days becomes its `due_at` when it is created."""

from __future__ import annotations

from collections.abc import Callable

from engine.models import Task
from engine.runtime import Runtime
from sla.calendar import BusinessCalendar

CalendarFor = Callable[[int], BusinessCalendar]


def due_at_hook(calendar_for: CalendarFor) -> Callable[[object, Task], None]:
    """A task-created hook that sets `due_at` from the task's `time_limit_days`.

    `calendar_for(year)` returns the calendar covering that year and the next, so limits that
    cross a year end count the next year's holidays too.
    """

    def set_due(_uow: object, task: Task) -> None:
        if task.time_limit_days:
            calendar = calendar_for(task.created_at.year)
            task.due_at = calendar.add_working_days(task.created_at, task.time_limit_days)

    return set_due


def install(runtime: Runtime, calendar_for: CalendarFor) -> None:
    runtime.on_task_created.append(due_at_hook(calendar_for))
