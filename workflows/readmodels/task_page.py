"""Everything an officer's task page shows (read side), after the same access checks as the commands."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from engine.models import Definition, Task, TaskState
from workflows import access, loans
from workflows.catalogue import roles
from workflows.catalogue.forms import Field
from workflows.catalogue.schemes import Scheme, decision_form, scheme_of
from workflows.eligibility import Finding, findings
from workflows.errors import NotAllowed
from workflows.models import Application, Document, User
from workflows.readmodels.breakdown import Line, lines, task_data
from workflows.readmodels.checklist import ItemState, checklist_of
from workflows.readmodels.timeline import Entry, timeline
from workflows.uow import SchemeUnitOfWork


@dataclass(frozen=True)
class Diagram:
    definition_id: int
    process_key: str
    version: int
    completed: list[str]
    current: list[str]


@dataclass(frozen=True)
class TaskDetails:
    task: Task
    application: Application
    scheme_name: str
    documents: list[Document]
    checklist: list[ItemState]  # the scheme's checklist, each item with its files and their reviews
    timeline: list[Entry]
    diagram: Diagram
    outcomes: list[str]
    decision_form: list[Field]  # what an approval records (return and reject need remarks only)
    field_labels: dict[str, str]
    may_claim: bool
    may_unclaim: bool
    may_decide: bool
    may_reassign: bool
    instance_version: int
    reassign_to: list[User] = field(default_factory=list)
    breakdown: list[Line] = field(default_factory=list)  # the computed benefit, where the scheme shows it
    decision_defaults: dict[str, object] = field(default_factory=dict)  # the decision form as proposed
    scheme: Scheme | None = None  # the version it was filed under: its names in both languages
    loan: loans.LoanView | None = None  # the bank loan, for the steps after the bank's
    # At the DIC's step: the eligibility rules the application breaks against the records (D71).
    eligibility: list[Finding] = field(default_factory=list)


def outcomes_of(definition: Definition, bpmn_id: str) -> list[str]:
    props = definition.user_tasks.get(bpmn_id, {}).get("properties", {})
    return [o.strip() for o in props.get("outcomes", "approve,return,reject").split(",") if o.strip()]


def diagram_of(uow: SchemeUnitOfWork, application: Application) -> Diagram:
    instance = uow.instances.get(application.instance_id)
    definition = uow.definitions.get(instance.definition_id)
    rows = uow.tasks.for_instance(instance.id)
    return Diagram(
        definition_id=definition.id,
        process_key=definition.key,
        version=definition.version,
        completed=sorted({t.bpmn_id for t in rows if t.state == TaskState.COMPLETED}),
        current=sorted({t.bpmn_id for t in rows if t.state in TaskState.OPEN}),
    )


def task_details(uow: SchemeUnitOfWork, *, actor: str, task_id: str) -> TaskDetails:
    user = uow.users.by_username(actor)
    task = uow.tasks.get(task_id)
    application = uow.applications.by_instance(task.instance_id)
    works = access.may_work_task(user, task, application)
    supervises = access.may_supervise_task(user, task)
    history = task.completed_by == user.username or task.assignee == user.username
    if not (works or supervises or history) or not access.may_see_application(user, application):
        raise NotAllowed("You cannot open this task.")
    definition = uow.definitions.get(uow.instances.get(application.instance_id).definition_id)
    scheme = scheme_of(uow.session, application)
    is_open = task.state in TaskState.OPEN
    documents = list(
        uow.session.scalars(select(Document).where(Document.application_id == application.id).order_by(Document.id))
    )
    candidates: list[User] = []
    if supervises and is_open and task.lane:
        query = select(User).where(User.role == task.lane, User.active.is_(True)).order_by(User.full_name)
        if not roles.is_state_role(task.lane):
            query = query.where(User.district_code == task.district)
        if task.lane == roles.BANK_OFFICER:
            query = query.where(User.bank_ifsc == (application.bank_ifsc or ""))
        candidates = list(uow.session.scalars(query))
    form = decision_form(uow, task, application) if task.lane != roles.APPLICANT else []
    data = task_data(uow, task) if is_open and (form or scheme.breakdown_at(task.bpmn_id)) else {}
    documents = [d for d in documents if access.may_see_document(user, d.kind, scheme)]
    return TaskDetails(
        task=task,
        application=access.as_seen_by(user, application, scheme),
        scheme_name=scheme.name,
        documents=documents,
        checklist=checklist_of(
            uow.session, scheme, application, visible=lambda kind: access.may_see_document(user, kind, scheme)
        ),
        timeline=timeline(uow, application.instance_id),
        diagram=diagram_of(uow, application),
        outcomes=outcomes_of(definition, task.bpmn_id),
        decision_form=form,
        field_labels=scheme.labels(),
        scheme=scheme,
        may_claim=works and task.state == TaskState.READY and task.lane != roles.APPLICANT,
        may_unclaim=works and task.state == TaskState.CLAIMED and task.assignee == user.username,
        may_decide=works and is_open and (task.assignee in (None, user.username) or task.lane == roles.APPLICANT),
        may_reassign=supervises and is_open and task.lane != roles.APPLICANT,
        instance_version=uow.instances.get(application.instance_id).version,
        reassign_to=candidates,
        breakdown=lines(scheme, task.bpmn_id, data),
        decision_defaults={f.key: data[f.key] for f in form if data.get(f.key) is not None},
        loan=loans.loan_view(uow, application),
        eligibility=findings(uow, scheme, application) if is_open and task.lane == roles.DIC_OFFICER else [],
    )
