"""What happens when an SLA timer fires: remind, escalate, escalate again; tell people via the outbox.

Each handler runs in the sweep's transaction, so its notifications are stored exactly when the
timer is marked fired. A timer of a task that is no longer open does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from engine import outbox
from engine.clock import IST
from engine.models import Task, TaskState, Timer
from engine.uow import UnitOfWork
from sla.deadlines import APPEAL, APPLICANT_LANE, BREACH, REMINDER, CalendarFor, policy_of
from sla.directory import Directory, Recipient
from sla.sms_templates import has_sms


def _when(moment) -> str:  # noqa: ANN001
    return moment.astimezone(IST).strftime("%d-%m-%Y %H:%M") if moment else "?"


def tell(uow: UnitOfWork, people: list[Recipient], template: str, params: dict, *, key: str, instance_id: int | None) -> int:
    """In-app to everyone, email to those with an address, SMS to those with a mobile number when
    the template has an SMS text; once per (person, key)."""
    told = 0
    for person in people:
        username, email, language, mobile = Recipient(*person)
        common = dict(recipient=username, template=template, params=params, language=language, instance_id=instance_id, key=key)
        if outbox.enqueue(uow, channel=outbox.IN_APP, **common) is not None:
            told += 1
        if email:
            outbox.enqueue(uow, channel=outbox.EMAIL, address=email, **common)
        if mobile and has_sms(template):
            outbox.enqueue(uow, channel=outbox.SMS, address=mobile, **common)
    return told


@dataclass
class SlaHandlers:
    directory: Directory
    calendar_for: CalendarFor
    # The scheme layer's deemed approval (wired by the composition root); None disables it.
    deem_approved: Callable[[UnitOfWork, Task], None] | None = None

    def _open_task(self, uow: UnitOfWork, timer: Timer) -> Task | None:
        task = uow.session.get(Task, timer.task_id)
        return task if task is not None and task.state in TaskState.OPEN else None

    def _params(self, uow: UnitOfWork, task: Task) -> dict:
        instance = uow.instances.get(task.instance_id)
        return {
            "number": instance.business_key, "step": task.name, "office": task.lane, "due": _when(task.due_at),
            "days": task.time_limit_days, "task_id": task.id,
        }

    def reminder(self, uow: UnitOfWork, timer: Timer) -> None:
        task = self._open_task(uow, timer)
        if task is None:
            return
        if task.lane == APPLICANT_LANE:
            people = [p for p in [self.directory.applicant_of(uow, task.instance_id)] if p]
        elif task.assignee:
            people = [p for p in [self.directory.person(uow, task.assignee)] if p]
        else:
            people = self.directory.lane_officers(uow, task.lane or "", task.district, task.instance_id)
        tell(uow, people, "task_reminder", self._params(uow, task), key=f"{REMINDER}:{task.id}", instance_id=task.instance_id)

    def breach(self, uow: UnitOfWork, timer: Timer) -> None:
        task = self._open_task(uow, timer)
        if task is None:
            return
        people = self.directory.supervisors(uow, task.lane or "", task.district)
        tell(uow, people, "task_escalated", self._params(uow, task), key=f"{BREACH}:{task.id}", instance_id=task.instance_id)
        uow.audit.record("task_escalated", "scheduler", instance_id=task.instance_id, task_id=task.id,
                         to=[p[0] for p in people], due_at=task.due_at.isoformat() if task.due_at else None)
        action = policy_of(uow, task).on_breach
        if action == "return_to_pool" and task.assignee:
            previous, task.assignee, task.state, task.claimed_at = task.assignee, None, TaskState.READY, None
            uow.audit.record("task_reassigned", "scheduler", instance_id=task.instance_id, task_id=task.id,
                             previous=previous, to=None, reason="Time limit missed: back to the pool.")
        elif action == "deemed_approval" and self.deem_approved is not None:
            self.deem_approved(uow, task)

    def appeal(self, uow: UnitOfWork, timer: Timer) -> None:
        task = self._open_task(uow, timer)
        if task is None:
            return
        people = self.directory.appellate(uow, task.lane or "", task.district)
        params = self._params(uow, task)
        if task.due_at:
            params["days_late"] = self.calendar_for(uow, task.due_at.year).working_days_between(task.due_at, uow.clock.now())
        tell(uow, people, "task_appeal", params, key=f"{APPEAL}:{task.id}", instance_id=task.instance_id)
        uow.audit.record("task_escalated", "scheduler", instance_id=task.instance_id, task_id=task.id,
                         to=[p[0] for p in people], level="appellate")

    def as_mapping(self) -> dict:
        return {REMINDER: self.reminder, BREACH: self.breach, APPEAL: self.appeal}
