"""Use case: the task lists of a user (read side)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select

from engine.models import Task, TaskState
from workflows import roles
from workflows.models import Application, User
from workflows.uow import SchemeUnitOfWork

VIEWS = ("available", "mine", "completed")


def task_query(user: User, view: str) -> Select[tuple[Task, Application]]:
    """The tasks `user` may see in `view`, joined to their applications."""
    query = select(Task, Application).join(Application, Application.instance_id == Task.instance_id)
    if view == "mine":
        return query.where(Task.assignee == user.username, Task.state == TaskState.CLAIMED)
    if view == "completed":
        return query.where(Task.completed_by == user.username, Task.state == TaskState.COMPLETED)
    if view != "available":
        raise ValueError(f"Unknown task list '{view}'; use one of {', '.join(VIEWS)}.")
    if user.role in (roles.APPLICANT, roles.FACILITATION_OPERATOR):
        owner = Application.applicant_id if user.role == roles.APPLICANT else Application.filed_by_id
        return query.where(Task.lane == roles.APPLICANT, Task.state.in_(TaskState.OPEN), owner == user.id)
    query = query.where(Task.lane == user.role, Task.state == TaskState.READY)
    if not roles.is_state_role(user.role):
        query = query.where(Task.district == user.district_code)
    return query


def list_tasks(uow: SchemeUnitOfWork, *, actor: str, view: str = "available", limit: int = 50) -> Sequence[tuple[Task, Application]]:
    user = uow.users.by_username(actor)
    rows = uow.session.execute(task_query(user, view).order_by(Task.due_at, Task.created_at).limit(limit))
    return [(t, a) for t, a in rows]
