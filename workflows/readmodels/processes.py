"""Read side of deployed process versions for everyone who is not an administrator (D48).

Officers see the processes that have a lane of their role, or a lane they supervise or hear
appeals of; applicants and facilitation centres see only the diagram of a process their own
applications run on, never the list of versions or who deployed them. Administrators see all.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from engine.models import Definition, Instance
from workflows.catalogue import roles
from workflows.errors import NotAllowed
from workflows.models import Application, User
from workflows.uow import SchemeUnitOfWork

FILERS = (roles.APPLICANT, roles.FACILITATION_OPERATOR)


def lanes_of(definition: Definition) -> set[str]:
    return {str(task.get("lane")) for task in (definition.user_tasks or {}).values() if task.get("lane")}


def roles_seeing(definition: Definition) -> set[str]:
    """The officer roles that see `definition`: its lanes, their supervisors and appellate roles."""
    lanes = lanes_of(definition) & set(roles.OFFICER_ROLES)
    related = {roles.SUPERVISOR.get(lane) for lane in lanes} | {roles.APPELLATE.get(lane) for lane in lanes}
    return lanes | {r for r in related if r}


def _runs_an_application_of(uow: SchemeUnitOfWork, user: User, definition: Definition) -> bool:
    found = uow.session.scalar(
        select(Application.id)
        .join(Instance, Instance.id == Application.instance_id)
        .where(
            Instance.definition_id == definition.id,
            or_(Application.applicant_id == user.id, Application.filed_by_id == user.id),
        )
        .limit(1)
    )
    return found is not None


def may_see(uow: SchemeUnitOfWork, user: User, definition: Definition) -> bool:
    if user.role == roles.ADMIN:
        return True
    if user.role in FILERS:
        return _runs_an_application_of(uow, user, definition)
    return user.role in roles_seeing(definition)


def _refuse_filers(user: User) -> None:
    if user.role in FILERS:
        raise NotAllowed("Applicants and facilitation centres see the process of their own applications on the application page.")


def definitions(uow: SchemeUnitOfWork, *, actor: str) -> list[Definition]:
    """The deployed versions the actor may see (officers: of their lanes)."""
    user = uow.users.by_username(actor)
    _refuse_filers(user)
    return [d for d in uow.definitions.list() if may_see(uow, user, d)]


def definition(uow: SchemeUnitOfWork, *, actor: str, key: str, version: int) -> Definition:
    user = uow.users.by_username(actor)
    _refuse_filers(user)
    found = uow.definitions.by_version(key, version)
    if not may_see(uow, user, found):
        raise NotAllowed(f"The process '{key}' has no step of your role ({user.role}) to work, supervise or hear appeals of.")
    return found


def diagram(uow: SchemeUnitOfWork, *, actor: str, definition_id: int) -> str:
    """The BPMN file of a deployed version, for the diagram of an application or a task."""
    user = uow.users.by_username(actor)
    found = uow.definitions.get(definition_id)
    if not may_see(uow, user, found):
        if user.role in FILERS:
            raise NotAllowed("You see only the process of your own applications.")
        raise NotAllowed(f"The process '{found.key}' has no step of your role ({user.role}) to work, supervise or hear appeals of.")
    return next((body for name, body in found.files.items() if name.endswith(".bpmn")), "")
