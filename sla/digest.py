"""The daily digest: each officer's open tasks that are overdue or due within two days, once a day.

A timer row per day (task_id `digest-YYYY-MM-DD`, unique with its kind) makes the digest fire once
however many schedulers run; its handler writes the next day's timer in the same transaction.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta

from sqlalchemy import select

from engine.clock import IST
from engine.db import insert_unless_present
from engine.models import Task, TaskState, Timer, TimerState
from engine.uow import UnitOfWork
from sla.deadlines import APPLICANT_LANE
from sla.directory import Directory, Recipient
from sla.escalation import tell

KIND = "sla_digest"
SEND_AT = time(9, 0)  # India time, before the office day starts
DUE_SOON = timedelta(days=2)


def next_digest_at(after: datetime) -> datetime:
    local = after.astimezone(IST)
    moment = datetime.combine(local.date(), SEND_AT, tzinfo=IST)
    if moment <= local:
        moment += timedelta(days=1)
    return moment


def ensure_timer(uow: UnitOfWork) -> None:
    """Make sure the next digest is scheduled (called when a scheduler starts)."""
    pending = uow.session.scalar(select(Timer.id).where(Timer.kind == KIND, Timer.state == TimerState.PENDING))
    if pending is None:
        _schedule(uow, next_digest_at(uow.clock.now()))


def _schedule(uow: UnitOfWork, at: datetime) -> None:
    """The day's timer, unless it exists: two schedulers starting at once both get here, and the
    second insert is skipped by the database (ON CONFLICT DO NOTHING), not refused."""
    day = at.astimezone(IST).date().isoformat()
    insert_unless_present(
        uow.session,
        Timer.__table__,
        dict(kind=KIND, task_id=f"digest-{day}", due_at=at, run_at=at, state=TimerState.PENDING, attempts=0,
             created_at=uow.clock.now(), payload={"day": day}),
        unique=["task_id", "kind"],
    )


class DigestHandler:
    def __init__(self, directory: Directory) -> None:
        self.directory = directory

    def __call__(self, uow: UnitOfWork, timer: Timer) -> None:
        now = uow.clock.now()
        day = timer.payload.get("day") or now.astimezone(IST).date().isoformat()
        tasks = uow.session.scalars(
            select(Task).where(Task.state.in_(TaskState.OPEN), Task.lane != APPLICANT_LANE, Task.due_at <= now + DUE_SOON)
        ).all()
        per_person: dict[Recipient, list[Task]] = defaultdict(list)
        for task in tasks:
            if task.assignee:
                people = [p for p in [self.directory.person(uow, task.assignee)] if p]
            else:
                people = self.directory.lane_officers(uow, task.lane or "", task.district, task.instance_id)
            for person in people:
                per_person[Recipient(*person)].append(task)
        for person, mine in per_person.items():
            overdue = [t for t in mine if t.due_at and t.due_at < now]
            lines = "\n".join(
                f"- {uow.instances.get(t.instance_id).business_key}: {t.name}, "
                f"due {t.due_at.astimezone(IST).strftime('%d-%m-%Y') if t.due_at else '?'}"
                for t in sorted(mine, key=lambda t: t.due_at)
            )
            tell(uow, [person], "daily_digest",
                 {"overdue": len(overdue), "due_soon": len(mine) - len(overdue), "lines": lines},
                 key=f"{KIND}:{day}", instance_id=None)
        _schedule(uow, next_digest_at(now + timedelta(minutes=1)))
