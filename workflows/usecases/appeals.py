"""Use cases: an applicant files a first or second appeal; an appellate authority decides it (D85-D87).

An appeal is an instance of the `appeal` process (bpmn/appeal.bpmn) whose hearing step sits in the
lane of the first or second appellate authority, with a time limit and SLA timers like any step.
An order that allows an appeal against a rejection reopens the application: its rejected round is
kept under the number with "/R<n>" appended and a new round of the scheme's process starts under
the application number (D86). Every party is told of the filing and of the order (D96). Each use
case commits once.
"""

from __future__ import annotations

from sqlalchemy import func, select

from engine.commands import complete_task, start_instance
from engine.models import Instance, Task, TaskState
from workflows.appeal_notices import notify_appeal_decided, notify_appeal_filed
from workflows.catalogue import roles
from workflows.catalogue.appeal_rules import ALLOWED, APPEAL_PROCESS, DISMISSED, Verdict
from workflows.catalogue.schemes import scheme_of
from workflows.errors import AppealNotFound, AppealRefused, ApplicationNotFound, NotAllowed, ValidationFailed
from workflows.models import Appeal, Application, ApplicationStatus
from workflows.progress import apply_step
from workflows.readmodels.appeals import CalendarFor, appeals_of, verdict
from workflows.uow import SchemeUnitOfWork

MAX_TEXT = 2000
REFUSALS = {
    "not_yet": "An appeal can be filed only after the time limit has passed or the application is rejected.",
    "pending": "The first appellate authority's time limit has not passed yet.",
    "window_passed": "The time for filing this appeal has passed.",
    "already_appealed": "Both appeals have already been filed.",
    "delivered": "The application was approved: there is nothing to appeal.",
    "first_allowed": "Your first appeal was allowed; a second appeal lies only if the application is rejected again.",
}


def _text(value: str, field: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(f"Write the {what}.", {field: ["Required."]})
    if len(value) > MAX_TEXT:
        raise ValidationFailed(f"The {what} are too long.", {field: [f"At most {MAX_TEXT} characters."]})
    return value


def file_appeal(uow: SchemeUnitOfWork, *, actor: str, number: str, grounds: str, calendar_for: CalendarFor) -> Appeal:
    """The applicant (or the facilitation centre that filed) files the appeal the rules allow now."""
    user = uow.users.by_username(actor)
    # The application row is locked first, so two filings for one application queue and the
    # second sees the first; the unique (application, level) constraint backs this up.
    application = _locked(uow, number)
    if user.role not in (roles.APPLICANT, roles.FACILITATION_OPERATOR) or user.id not in (
        application.applicant_id, application.filed_by_id
    ):
        raise NotAllowed(f"Only the applicant of {number} can appeal.")
    grounds = _text(grounds, "grounds", "grounds of appeal")
    open_now: Verdict = verdict(uow, application, appeals_of(uow, application), calendar_for)
    if not open_now.allowed:
        raise AppealRefused(REFUSALS.get(open_now.refused or "", "No appeal can be filed now."), open_now.refused or "")
    level = open_now.level or 1
    result = start_instance(
        uow, APPEAL_PROCESS, business_key=f"{number}/A{level}",
        data={"appeal_level": level, "application_number": number}, actor=actor, district=application.district_code,
    )
    hearing = next((t for t in result.created if t.state in TaskState.OPEN), None)
    appeal = Appeal(
        application_id=application.id, level=level, cause=open_now.cause or "", grounds=grounds,
        district_code=application.district_code, instance_id=result.instance.id,
        round_instance_id=application.instance_id, filed_by=actor, filed_at=uow.clock.now(),
        due_at=hearing.due_at if hearing else None,
    )
    uow.session.add(appeal)
    uow.flush()
    uow.audit.record("appeal_filed", actor, instance_id=application.instance_id, level=level, cause=appeal.cause,
                     appeal_id=appeal.id, due_at=appeal.due_at.isoformat() if appeal.due_at else None)
    notify_appeal_filed(uow, application, appeal)
    uow.commit()
    return appeal


def _locked(uow: SchemeUnitOfWork, number: str) -> Application:
    query = select(Application).where(Application.number == number).with_for_update()
    found = uow.session.scalars(query.execution_options(populate_existing=True)).first()
    if found is None:
        raise ApplicationNotFound(f"There is no application {number}.")
    return found


def decide_appeal(uow: SchemeUnitOfWork, *, actor: str, appeal_id: int, outcome: str, order: str) -> Appeal:
    """The appellate authority's speaking order: `approve` allows the appeal, `reject` dismisses it."""
    user = uow.users.by_username(actor)
    appeal = uow.session.get(Appeal, appeal_id)
    if appeal is None:
        raise AppealNotFound(f"There is no appeal {appeal_id}.")
    task = uow.session.scalars(
        select(Task).where(Task.instance_id == appeal.instance_id, Task.state.in_(TaskState.OPEN))
    ).first()
    if task is None:
        raise ValidationFailed("This appeal has already been decided.", {"outcome": ["Already decided."]})
    if user.role != task.lane:
        raise NotAllowed(f"'{task.name}' is for the role {task.lane}; you are {user.role}.")
    errors = {} if outcome in ("approve", "reject") else {"outcome": ["Choose allow or dismiss."]}
    try:
        order = _text(order, "order", "order")
    except ValidationFailed as err:
        errors.update(err.fields)
    if errors:
        raise ValidationFailed("The order is not complete.", errors)
    complete_task(uow, task.id, actor=actor, data={"outcome": outcome, "remarks": order})
    application = uow.session.get(Application, appeal.application_id)
    appeal.decided_at, appeal.decided_by, appeal.order = uow.clock.now(), actor, order
    appeal.outcome = ALLOWED if outcome == "approve" else DISMISSED
    application.remarks = order  # the latest remarks the applicant sees are the order's
    reopened = appeal.outcome == ALLOWED and application.status == ApplicationStatus.REJECTED
    uow.audit.record("appeal_decided", actor, instance_id=application.instance_id, level=appeal.level,
                     outcome=appeal.outcome, appeal_id=appeal.id, reason=order, reopened=reopened)
    if reopened:
        _reopen(uow, application, actor)
    notify_appeal_decided(uow, application, appeal, reopened=reopened)
    uow.commit()
    return appeal


def _reopen(uow: SchemeUnitOfWork, application: Application, actor: str) -> None:
    """A new round of the scheme's process under the application number; the rejected round keeps
    its history under "<number>/R<n>"."""
    old = uow.instances.get(application.instance_id)
    earlier = select(func.count()).select_from(Instance).where(Instance.business_key.startswith(f"{application.number}/R"))
    rounds = 1 + (uow.session.scalar(earlier) or 0)
    old.business_key = f"{application.number}/R{rounds}"
    uow.flush()
    scheme = scheme_of(uow.session, application)
    result = start_instance(
        uow, scheme.process_key, business_key=application.number,
        data=scheme.start_data(application.data, district=application.district_code, number=application.number),
        actor=actor, district=application.district_code,
    )
    application.instance_id = result.instance.id
    application.decided_at = None
    application.benefit_amount = None
    uow.audit.record("application_reopened", actor, instance_id=result.instance.id, previous_instance_id=old.id)
    apply_step(uow, application, result)
