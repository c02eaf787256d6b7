"""Who may see and act on what. Use cases call these; hiding buttons is not enough.

A bank officer works for one branch (`users.bank_ifsc`): they see and work only the applications
routed to it (`applications.bank_ifsc`, the branch the applicant chose), and of those only the
fields their scheme's bank step lists (D76).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import inspect

from engine.messages import Text
from engine.models import Task
from workflows.catalogue import roles
from workflows.catalogue.names import step_names
from workflows.errors import NotAllowed
from workflows.models import Application, User

if TYPE_CHECKING:
    from workflows.catalogue.schemes import Scheme


def require_admin(user: User, doing: str) -> None:
    """Refuse anyone but an administrator; `doing` completes "Only administrators ..."."""
    if user.role != roles.ADMIN:
        raise NotAllowed(f"Only administrators {doing}.")


def may_see_application(user: User, application: Application) -> bool:
    if user.role == roles.APPLICANT:
        return application.applicant_id == user.id
    if user.role == roles.FACILITATION_OPERATOR:
        return application.filed_by_id == user.id
    if user.role == roles.BANK_OFFICER:
        return same_branch(user, application)
    return roles.is_state_role(user.role) or user.district_code == application.district_code


def may_work_task(user: User, task: Task, application: Application) -> bool:
    if task.lane == roles.APPLICANT:
        return user.id in (application.applicant_id, application.filed_by_id)
    if user.role != task.lane:
        return False
    if user.role == roles.BANK_OFFICER:
        return same_branch(user, application)
    return roles.is_state_role(user.role) or user.district_code == task.district


def same_branch(user: User, application: Application) -> bool:
    """The application is routed to the bank officer's branch (an officer without one sees none)."""
    return bool(user.bank_ifsc) and application.bank_ifsc == user.bank_ifsc


def branch_of(user: User) -> str:
    """What a list compares `applications.bank_ifsc` with for a bank officer ('' matches nothing)."""
    return user.bank_ifsc or ""


def may_see_document(user: User, kind: str, scheme: Scheme) -> bool:
    """Of an application `user` may see: a bank officer opens only the kinds the bank step lists."""
    if user.role != roles.BANK_OFFICER:
        return True
    return scheme.bank is not None and kind in scheme.bank.officer_documents


def as_seen_by(user: User, application: Application, scheme: Scheme) -> Application:
    """The application as `user` may read it: a bank officer gets a detached copy holding only the
    fields the scheme's bank step lists; everyone else the application itself."""
    if user.role != roles.BANK_OFFICER:
        return application
    wanted = scheme.bank.officer_fields if scheme.bank else ()
    columns = {a.key: getattr(application, a.key) for a in inspect(Application).column_attrs}
    columns["data"] = {k: v for k, v in (application.data or {}).items() if k in wanted}
    return Application(**columns)


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
    if user.role == roles.BANK_OFFICER:
        raise NotAllowed(
            f"'{task.name}' of {application.number} is routed to bank branch {application.bank_ifsc or 'none'}; "
            f"you work for branch {user.bank_ifsc or 'none'}."
        )
    raise NotAllowed(Text(
        "not_your_district", f"'{task.name}' belongs to district {task.district}; you work for {user.district_code}.",
        step=step_names(task.name), district=task.district, own=user.district_code,
    ))
