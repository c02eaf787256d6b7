"""Who may see and act on what. Use cases call these; hiding buttons is not enough."""

from __future__ import annotations

from engine.messages import Text
from engine.models import Task
from workflows.catalogue import roles
from workflows.catalogue.names import step_names
from workflows.errors import NotAllowed
from workflows.models import Application, User


def require_admin(user: User, doing: str) -> None:
    """Refuse anyone but an administrator; `doing` completes "Only administrators ..."."""
    if user.role != roles.ADMIN:
        raise NotAllowed(f"Only administrators {doing}.")


def may_see_application(user: User, application: Application) -> bool:
    if user.role == roles.APPLICANT:
        return application.applicant_id == user.id
    if user.role == roles.FACILITATION_OPERATOR:
        return application.filed_by_id == user.id
    return roles.is_state_role(user.role) or user.district_code == application.district_code


def may_work_task(user: User, task: Task, application: Application) -> bool:
    if task.lane == roles.APPLICANT:
        return user.id in (application.applicant_id, application.filed_by_id)
    if user.role != task.lane:
        return False
    return roles.is_state_role(user.role) or user.district_code == task.district


def may_supervise_task(user: User, task: Task) -> bool:
    if user.role == roles.ADMIN:
        return True
    if user.role != roles.SUPERVISOR.get(task.lane or ""):
        return False
    return roles.is_state_role(user.role) or user.district_code == task.district


def require_work(user: User, task: Task, application: Application) -> None:
    if may_work_task(user, task, application):
        return
    if task.lane == roles.APPLICANT:
        raise NotAllowed(Text(
            "only_the_applicant", f"Only the applicant of {application.number} can answer '{task.name}'.",
            number=application.number, step=step_names(task.name),
        ))
    if user.role != task.lane:
        raise NotAllowed(Text(
            "not_your_lane", f"'{task.name}' is for the role {task.lane}; you are {user.role}.",
            step=step_names(task.name), lane=task.lane, role=user.role,
        ))
    raise NotAllowed(Text(
        "not_your_district", f"'{task.name}' belongs to district {task.district}; you work for {user.district_code}.",
        step=step_names(task.name), district=task.district, own=user.district_code,
    ))
