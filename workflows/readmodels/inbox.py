"""The task lists of a user (read side): available, mine, completed; filters, sorting, counts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select

from engine.models import Task, TaskState
from workflows import access
from workflows.catalogue import roles
from workflows.errors import ValidationFailed
from workflows.models import Application, User
from workflows.uow import SchemeUnitOfWork

VIEWS = ("available", "mine", "completed", "team")
SORTS = ("due", "received", "scheme")
SLA_STATES = ("on_time", "due_soon", "overdue")
# A task is "due soon" when less than this is left before its deadline.
DUE_SOON = timedelta(days=2)


@dataclass(frozen=True)
class InboxQuery:
    view: str = "available"
    scheme: str | None = None
    step: str | None = None
    sla: str | None = None
    search: str | None = None
    sort: str = "due"
    page: int = 1
    per_page: int = 25

    def checked(self) -> InboxQuery:
        errors: dict[str, list[str]] = {}
        if self.view not in VIEWS:
            errors["view"] = [f"Choose one of: {', '.join(VIEWS)}."]
        if self.sort not in SORTS:
            errors["sort"] = [f"Choose one of: {', '.join(SORTS)}."]
        if self.sla not in (None, "", *SLA_STATES):
            errors["sla"] = [f"Choose one of: {', '.join(SLA_STATES)}."]
        if self.page < 1:
            errors["page"] = ["Pages start at 1."]
        if not 1 <= self.per_page <= 200:
            errors["per_page"] = ["Between 1 and 200."]
        if errors:
            raise ValidationFailed("The task list filter is not valid.", errors)
        return replace(self, search=(self.search or "").strip()[:100] or None, sla=self.sla or None)


@dataclass(frozen=True)
class InboxRow:
    task_id: str
    number: str
    scheme: str
    applicant: str
    district: str
    step: str
    step_id: str
    received: datetime
    due_at: datetime | None
    sla: str | None
    claimed_by: str | None
    completed_at: datetime | None
    outcome: str | None


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    page: int
    per_page: int
    has_next: bool


def sla_status(due_at: datetime | None, now: datetime) -> str | None:
    if due_at is None:
        return None
    if due_at < now:
        return "overdue"
    return "due_soon" if due_at - now <= DUE_SOON else "on_time"


def _scope(user: User, view: str) -> tuple[list, list]:
    """(conditions on tasks, conditions on applications) of a list."""
    if view == "mine":
        return [Task.assignee == user.username, Task.state == TaskState.CLAIMED], []
    if view == "completed":
        return [Task.completed_by == user.username, Task.state == TaskState.COMPLETED], []
    if view == "team":
        # A supervisor's scope: open tasks of the lanes they supervise, to watch and reassign.
        lanes = [lane for lane, boss in roles.SUPERVISOR.items() if boss == user.role]
        conditions = [Task.lane.in_(lanes), Task.state.in_(TaskState.OPEN)]
        if not roles.is_state_role(user.role):
            conditions.append(Task.district == user.district_code)
        return conditions, []
    if user.role in (roles.APPLICANT, roles.FACILITATION_OPERATOR):
        owner = Application.applicant_id if user.role == roles.APPLICANT else Application.filed_by_id
        return [Task.lane == roles.APPLICANT, Task.state.in_(TaskState.OPEN)], [owner == user.id]
    conditions = [Task.lane == user.role, Task.state == TaskState.READY]
    if not roles.is_state_role(user.role):
        conditions.append(Task.district == user.district_code)
    if user.role == roles.BANK_OFFICER:  # the tasks routed to their branch (D76)
        return conditions, [Application.bank_ifsc == access.branch_of(user)]
    return conditions, []


def _filtered(user: User, q: InboxQuery, now: datetime) -> tuple[list, list]:
    tasks, applications = _scope(user, q.view)
    if q.scheme:
        applications.append(Application.scheme_code == q.scheme.upper())
    if q.step:
        tasks.append(Task.bpmn_id == q.step)
    if q.sla == "overdue":
        tasks.append(Task.due_at < now)
    elif q.sla == "due_soon":
        tasks += [Task.due_at >= now, Task.due_at <= now + DUE_SOON]
    elif q.sla == "on_time":
        tasks.append(or_(Task.due_at.is_(None), Task.due_at > now + DUE_SOON))
    if q.search:
        needle = f"%{q.search.lower()}%"
        applications.append(
            or_(func.lower(Application.number).like(needle), func.lower(Application.applicant_name).like(needle))
        )
    return tasks, applications


def _count(uow: SchemeUnitOfWork, tasks: list, applications: list) -> int:
    query = select(func.count()).select_from(Task).where(*tasks)
    if applications:
        query = query.join(Application, Application.instance_id == Task.instance_id).where(*applications)
    return uow.session.scalar(query) or 0


def inbox_page(uow: SchemeUnitOfWork, *, actor: str, query: InboxQuery) -> InboxPage:
    q = query.checked()
    user = uow.users.by_username(actor)
    now = uow.clock.now()
    order = {
        "due": (Task.due_at.is_(None), Task.due_at, Task.created_at),
        "received": (Task.created_at.desc(),),
        "scheme": (Application.scheme_code, Task.due_at, Task.created_at),
    }[q.sort]
    if q.view == "completed":
        order = (Task.completed_at.desc(),)
    tasks, applications = _filtered(user, q, now)
    joined = select(Task, Application).join(Application, Application.instance_id == Task.instance_id)
    window = dict(offset=(q.page - 1) * q.per_page, limit=q.per_page + 1)
    if applications or q.sort == "scheme":
        statement = joined.where(*tasks, *applications).order_by(*order, Task.id).offset(window["offset"]).limit(window["limit"])
    else:
        # Page through the task table alone (its indexes cover the list), then join only the page.
        ids = select(Task.id).where(*tasks).order_by(*order, Task.id).offset(window["offset"]).limit(window["limit"])
        statement = joined.where(Task.id.in_(ids.scalar_subquery())).order_by(*order, Task.id)
    rows = uow.session.execute(statement).all()
    page = [
        InboxRow(
            task_id=t.id, number=a.number, scheme=a.scheme_code, applicant=a.applicant_name, district=a.district_code,
            step=t.name, step_id=t.bpmn_id, received=t.created_at, due_at=t.due_at,
            sla=sla_status(t.due_at, now) if t.state in TaskState.OPEN else None,
            claimed_by=t.assignee, completed_at=t.completed_at, outcome=t.outcome,
        )
        for t, a in rows[: q.per_page]
    ]
    return InboxPage(rows=page, page=q.page, per_page=q.per_page, has_next=len(rows) > q.per_page)


def inbox_counts(uow: SchemeUnitOfWork, *, actor: str, query: InboxQuery | None = None) -> dict[str, int]:
    """The size of each list (with the same filters), counted without loading rows."""
    base = (query or InboxQuery()).checked()
    user = uow.users.by_username(actor)
    now = uow.clock.now()
    return {view: _count(uow, *_filtered(user, replace(base, view=view), now)) for view in VIEWS}
