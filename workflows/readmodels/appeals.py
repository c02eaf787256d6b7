"""What applicants and appellate authorities see of appeals (D85-D87), and the facts the appeal
rules (`workflows/catalogue/appeal_rules.py`) are applied to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select

from engine.models import Task, TaskState
from workflows import access
from workflows.catalogue import roles
from workflows.catalogue.appeal_rules import AppealSoFar, Facts, Verdict, limits, may_appeal
from workflows.catalogue.schemes import scheme_of
from workflows.errors import AppealNotFound, NotAllowed
from workflows.models import Appeal, Application
from workflows.uow import SchemeUnitOfWork

# The roles that hear appeals: the lanes of bpmn/appeal.bpmn (first, second).
APPELLATE_ROLES = (roles.STATE_NODAL, roles.STATE_COMMITTEE)


class Calendar(Protocol):
    def add_working_days(self, start: datetime, days: int) -> datetime: ...
    def working_days_between(self, start: datetime, end: datetime) -> int: ...


CalendarFor = Callable[[SchemeUnitOfWork, int], Calendar]


def appeals_of(uow: SchemeUnitOfWork, application: Application) -> list[Appeal]:
    return list(uow.session.scalars(select(Appeal).where(Appeal.application_id == application.id).order_by(Appeal.level)))


def _so_far(appeal: Appeal | None) -> AppealSoFar | None:
    if appeal is None:
        return None
    return AppealSoFar(filed_at=appeal.filed_at, due_at=appeal.due_at, decided_at=appeal.decided_at, outcome=appeal.outcome)


def service_due(uow: SchemeUnitOfWork, application: Application, calendar_for: CalendarFor) -> datetime:
    """The end of the scheme's time limit: working days from submission, moved on by the working
    days the application waited on the applicant (as the statistics count it)."""
    now = uow.clock.now()
    calendar = calendar_for(uow, application.submitted_at.year)
    waited = sum(
        calendar.working_days_between(t.created_at, t.completed_at or now)
        for t in uow.tasks.for_instance(application.instance_id)
        if t.lane == roles.APPLICANT and t.state != TaskState.CANCELLED
    )
    return calendar.add_working_days(application.submitted_at, scheme_of(uow.session, application).time_limit_days + waited)


def adder(uow: SchemeUnitOfWork, calendar_for: CalendarFor) -> Callable[[datetime, int], datetime]:
    """Counts a filing window forward as configured: working days on the calendar, or calendar days."""
    if limits().day_count == "calendar":
        return lambda start, days: start + timedelta(days=days)
    return lambda start, days: calendar_for(uow, start.year).add_working_days(start, days)


def verdict(uow: SchemeUnitOfWork, application: Application, appeals: list[Appeal], calendar_for: CalendarFor) -> Verdict:
    by_level = {a.level: a for a in appeals}
    facts = Facts(
        status=application.status, decided_at=application.decided_at,
        service_due=service_due(uow, application, calendar_for),
        first=_so_far(by_level.get(1)), second=_so_far(by_level.get(2)),
    )
    return may_appeal(facts, uow.clock.now(), adder(uow, calendar_for))


@dataclass(frozen=True)
class AppealPanel:
    """The application page's appeal section: appeals so far, and whether one may be filed now
    (only for whoever may file: the applicant or the centre that filed)."""

    appeals: list[Appeal]
    verdict: Verdict | None


def appeal_panel(uow: SchemeUnitOfWork, *, actor: str, number: str, calendar_for: CalendarFor) -> AppealPanel:
    user = uow.users.by_username(actor)
    application = uow.applications.by_number(number)
    if not access.may_see_application(user, application):
        raise NotAllowed(f"You cannot see {number}.")
    appeals = appeals_of(uow, application)
    files = user.role in (roles.APPLICANT, roles.FACILITATION_OPERATOR)
    return AppealPanel(appeals=appeals, verdict=verdict(uow, application, appeals, calendar_for) if files else None)


@dataclass(frozen=True)
class AppealToHear:
    appeal: Appeal
    application: Application
    task: Task | None  # the open hearing step, if any


def _require_appellate(uow: SchemeUnitOfWork, actor: str) -> None:
    user = uow.users.by_username(actor)
    if user.role not in (*APPELLATE_ROLES, roles.ADMIN):
        raise NotAllowed("Only the appellate authorities hear appeals.")


def appeals_to_hear(uow: SchemeUnitOfWork, *, actor: str) -> list[AppealToHear]:
    """The appeals with an open hearing in the actor's lane (all open ones for an administrator), oldest first."""
    _require_appellate(uow, actor)
    user = uow.users.by_username(actor)
    query = (
        select(Appeal, Application, Task)
        .join(Application, Application.id == Appeal.application_id)
        .join(Task, Task.instance_id == Appeal.instance_id)
        .where(Task.state.in_(TaskState.OPEN))
        .order_by(Appeal.filed_at, Appeal.id)
    )
    if user.role != roles.ADMIN:
        query = query.where(Task.lane == user.role)
    return [AppealToHear(a, app, t) for a, app, t in uow.session.execute(query)]


def appeal_to_hear(uow: SchemeUnitOfWork, *, actor: str, appeal_id: int) -> AppealToHear:
    _require_appellate(uow, actor)
    appeal = uow.session.get(Appeal, appeal_id)
    if appeal is None:
        raise AppealNotFound(f"There is no appeal {appeal_id}.")
    application = uow.session.get(Application, appeal.application_id)
    task = uow.session.scalars(select(Task).where(Task.instance_id == appeal.instance_id).order_by(Task.created_at.desc())).first()
    return AppealToHear(appeal, application, task)
