"""Use cases of the holiday calendar: list a year, add a holiday, declare a working day, undo a
change, and recompute the deadlines of open tasks after a change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from engine.errors import EngineError
from engine.models import Task, TaskState
from engine.uow import UnitOfWork
from sla.calendar_provider import CalendarProvider, _library
from sla.deadlines import schedule
from sla.models import CalendarChange


class CalendarError(EngineError):
    code = "calendar_invalid"


@dataclass(frozen=True)
class Day:
    day: date
    name: str
    source: str  # "gazette" (the holidays package), "added", or "working" (a gazetted day cancelled)


def year_of(uow: UnitOfWork, state: str, year: int) -> list[Day]:
    library = {d: n for d, n in _library(state, year).items() if d.year == year}
    changes = {
        c.day: c
        for c in uow.session.scalars(
            select(CalendarChange).where(CalendarChange.state == state, CalendarChange.day.between(date(year, 1, 1), date(year, 12, 31)))
        )
    }
    days = [Day(d, n, "working" if d in changes and changes[d].working else "gazette") for d, n in library.items()]
    days += [Day(d, c.name, "added") for d, c in changes.items() if not c.working and d not in library]
    return sorted(days, key=lambda d: d.day)


def _change(uow: UnitOfWork, state: str, day: date, *, name: str, working: bool, actor: str) -> CalendarChange:
    existing = uow.session.scalars(select(CalendarChange).where(CalendarChange.state == state, CalendarChange.day == day)).first()
    change = existing or CalendarChange(state=state, day=day)
    change.name, change.working, change.changed_by, change.changed_at = name, working, actor, uow.clock.now()
    if existing is None:
        uow.session.add(change)
    uow.audit.record("calendar_changed", actor, state=state, day=day.isoformat(), name=name, working=working)
    return change


def add_holiday(uow: UnitOfWork, provider: CalendarProvider, *, actor: str, day: date, name: str) -> None:
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise CalendarError("Name the holiday (up to 200 characters).")
    if day in _library(provider.state, day.year):
        raise CalendarError(f"{day:%d-%m-%Y} is already a gazetted holiday.")
    _change(uow, provider.state, day, name=name, working=False, actor=actor)
    uow.commit()
    provider.invalidate()


def declare_working_day(uow: UnitOfWork, provider: CalendarProvider, *, actor: str, day: date) -> None:
    name = _library(provider.state, day.year).get(day)
    if name is None:
        raise CalendarError(f"{day:%d-%m-%Y} is not a gazetted holiday.")
    _change(uow, provider.state, day, name=name, working=True, actor=actor)
    uow.commit()
    provider.invalidate()


def undo_change(uow: UnitOfWork, provider: CalendarProvider, *, actor: str, day: date) -> None:
    change = uow.session.scalars(
        select(CalendarChange).where(CalendarChange.state == provider.state, CalendarChange.day == day)
    ).first()
    if change is None:
        raise CalendarError(f"There is no change on {day:%d-%m-%Y} to undo.")
    uow.session.delete(change)
    uow.audit.record("calendar_changed", actor, state=provider.state, day=day.isoformat(), undone=True)
    uow.commit()
    provider.invalidate()


def recompute_deadlines(uow: UnitOfWork, provider: CalendarProvider, *, actor: str) -> int:
    """Recompute `due_at` and the pending SLA timers of every open task; returns how many changed."""
    provider.invalidate()
    changed = 0
    # Locked as read (PostgreSQL re-checks the state of a row a concurrent completion held, and
    # skips it), so a task completed meanwhile never gets a new due date: D35.
    open_tasks = select(Task).where(Task.state.in_(TaskState.OPEN), Task.time_limit_days.is_not(None)).with_for_update()
    for task in uow.session.scalars(open_tasks):
        before = task.due_at
        schedule(uow, task, provider)
        if task.due_at != before:
            changed += 1
            uow.audit.record("deadline_changed", actor, instance_id=task.instance_id, task_id=task.id,
                             before=before.isoformat() if before else None, after=task.due_at.isoformat())
    uow.commit()
    return changed
