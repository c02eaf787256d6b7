"""The task lists of a user (read side): available, mine, completed; filters, sorting, counts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import Select, func, or_, select

from engine.models import Task, TaskState
from workflows import roles
from workflows.errors import ValidationFailed
from workflows.models import Application, User
from workflows.uow import SchemeUnitOfWork

VIEWS = ("available", "mine", "completed")
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


def _scope(user: User, view: str) -> Select:
    query = select(Task, Application).join(Application, Application.instance_id == Task.instance_id)
    if view == "mine":
        return query.where(Task.assignee == user.username, Task.state == TaskState.CLAIMED)
    if view == "completed":
        return query.where(Task.completed_by == user.username, Task.state == TaskState.COMPLETED)
    if user.role in (roles.APPLICANT, roles.FACILITATION_OPERATOR):
        owner = Application.applicant_id if user.role == roles.APPLICANT else Application.filed_by_id
        return query.where(Task.lane == roles.APPLICANT, Task.state.in_(TaskState.OPEN), owner == user.id)
    query = query.where(Task.lane == user.role, Task.state == TaskState.READY)
    if not roles.is_state_role(user.role):
        query = query.where(Task.district == user.district_code)
    return query


def _filtered(user: User, q: InboxQuery, now: datetime) -> Select:
    query = _scope(user, q.view)
    if q.scheme:
        query = query.where(Application.scheme_code == q.scheme.upper())
    if q.step:
        query = query.where(Task.bpmn_id == q.step)
    if q.sla == "overdue":
        query = query.where(Task.due_at < now)
    elif q.sla == "due_soon":
        query = query.where(Task.due_at >= now, Task.due_at <= now + DUE_SOON)
    elif q.sla == "on_time":
        query = query.where(or_(Task.due_at.is_(None), Task.due_at > now + DUE_SOON))
    if q.search:
        needle = f"%{q.search.lower()}%"
        query = query.where(or_(func.lower(Application.number).like(needle), func.lower(Application.applicant_name).like(needle)))
    return query


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
    rows = uow.session.execute(
        _filtered(user, q, now).order_by(*order, Task.id).offset((q.page - 1) * q.per_page).limit(q.per_page + 1)
    ).all()
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
    counts = {}
    for view in VIEWS:
        filtered = _filtered(user, replace(base, view=view), now).with_only_columns(func.count()).order_by(None)
        counts[view] = uow.session.scalar(filtered) or 0
    return counts
