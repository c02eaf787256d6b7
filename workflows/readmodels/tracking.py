"""What applicants, facilitation centres and officers see of applications (read side)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlalchemy import func, select

from engine.messages import Text
from engine.models import TaskState
from workflows import access
from workflows.catalogue import roles
from workflows.catalogue.schemes import Scheme, scheme_of
from workflows.errors import NotAllowed
from workflows.form_choices import choices_for
from workflows.models import Application, Document, User
from workflows.readmodels.appeals import AppealPanel, appeal_panel
from workflows.readmodels.checklist import ItemState, checklist_of
from workflows.readmodels.inbox import sla_status
from workflows.readmodels.task_page import Diagram, diagram_of
from workflows.readmodels.timeline import Entry, timeline
from workflows.uow import SchemeUnitOfWork


class WorkingDays(Protocol):
    def add_working_days(self, start: datetime, days: int) -> datetime: ...


# (unit of work, year) -> the working-day calendar of that year (sla.calendar_provider.CalendarProvider).
CalendarFor = Callable[[SchemeUnitOfWork, int], WorkingDays]


@dataclass(frozen=True)
class CurrentStep:
    task_id: str
    name: str
    office: str  # the lane (role), never a person: applicants see offices
    received: datetime
    due_at: datetime | None
    sla: str | None
    time_limit_days: int | None
    with_applicant: bool


@dataclass(frozen=True)
class ApplicationDetails:
    application: Application
    scheme: Scheme  # the version it was filed under
    scheme_name: str
    steps: list[CurrentStep]
    timeline: list[Entry]
    documents: list[Document]
    checklist: list[ItemState]  # the scheme's checklist, each item with its files and their reviews
    diagram: Diagram
    days_taken: float
    # Time the application waited on the applicant (clarifications, certificates), in days; it
    # does not count against the offices' time limits.
    days_with_applicant: float
    time_limit_days: int
    may_answer: CurrentStep | None
    may_upload: bool
    # The scheme's overall time limit counted in working days from submission (with a calendar).
    overall_due: datetime | None = None
    # Appeals so far and whether the person may file one now (with a calendar; D85-D87).
    appeal: AppealPanel | None = None
    # Choices of form fields that come from data (the district's bank branches), for corrections.
    form_choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


@dataclass(frozen=True)
class ApplicationList:
    rows: list[Application]
    total: int
    page: int
    per_page: int


def _visible(user: User):  # noqa: ANN202
    query = select(Application)
    if user.role == roles.APPLICANT:
        return query.where(Application.applicant_id == user.id)
    if user.role == roles.FACILITATION_OPERATOR:
        return query.where(Application.filed_by_id == user.id)
    if roles.is_state_role(user.role):
        return query
    if user.role == roles.BANK_OFFICER:
        return query.where(Application.bank_ifsc == access.branch_of(user))
    return query.where(Application.district_code == user.district_code)


def applications_of(
    uow: SchemeUnitOfWork, *, actor: str, status: str | None = None, page: int = 1, per_page: int = 25
) -> ApplicationList:
    user = uow.users.by_username(actor)
    query = _visible(user)
    if status:
        query = query.where(Application.status == status)
    total = uow.session.scalar(query.with_only_columns(func.count()).order_by(None)) or 0
    page = max(1, page)
    rows = [
        access.as_seen_by(user, a, scheme_of(uow.session, a))
        for a in uow.session.scalars(
            query.order_by(Application.submitted_at.desc(), Application.id.desc()).offset((page - 1) * per_page).limit(per_page)
        )
    ]
    return ApplicationList(rows=rows, total=total, page=page, per_page=per_page)


def count_applications(uow: SchemeUnitOfWork) -> int:
    return uow.session.scalar(select(func.count()).select_from(Application)) or 0


def application_details(
    uow: SchemeUnitOfWork, *, actor: str, number: str, calendar_for: CalendarFor | None = None
) -> ApplicationDetails:
    user = uow.users.by_username(actor)
    application = uow.applications.by_number(number)
    if not access.may_see_application(user, application):
        raise NotAllowed(Text("cannot_see", f"You cannot see {number}.", number=number))
    now = uow.clock.now()
    steps = [
        CurrentStep(
            task_id=t.id,
            name=t.name,
            office=t.lane or "",
            received=t.created_at,
            due_at=t.due_at,
            sla=sla_status(t.due_at, now),
            time_limit_days=t.time_limit_days,
            with_applicant=t.lane == roles.APPLICANT,
        )
        for t in uow.tasks.open_for_instance(application.instance_id)
    ]
    files_for = user.role in (roles.APPLICANT, roles.FACILITATION_OPERATOR)
    answer = next((s for s in steps if s.with_applicant), None) if files_for else None
    end = application.decided_at or now
    documents = list(
        uow.session.scalars(select(Document).where(Document.application_id == application.id).order_by(Document.id))
    )
    with_applicant = sum(
        ((t.completed_at or now) - t.created_at).total_seconds()
        for t in uow.tasks.for_instance(application.instance_id)
        if t.lane == roles.APPLICANT and t.state != TaskState.CANCELLED
    )
    scheme = scheme_of(uow.session, application)
    documents = [d for d in documents if access.may_see_document(user, d.kind, scheme)]
    time_limit_days = scheme.time_limit_days
    submitted = application.submitted_at
    overall_due = calendar_for(uow, submitted.year).add_working_days(submitted, time_limit_days) if calendar_for else None
    appeal = appeal_panel(uow, actor=actor, number=number, calendar_for=calendar_for) if calendar_for else None
    return ApplicationDetails(
        application=access.as_seen_by(user, application, scheme),
        scheme=scheme,
        scheme_name=scheme.name,
        steps=steps,
        timeline=_timeline(uow, application, appeal, with_people=not files_for),
        documents=documents,
        checklist=checklist_of(
            uow.session, scheme, application, visible=lambda kind: access.may_see_document(user, kind, scheme)
        ),
        diagram=diagram_of(uow, application),
        days_taken=round((end - application.submitted_at).total_seconds() / 86400, 1),
        days_with_applicant=round(with_applicant / 86400, 1),
        time_limit_days=time_limit_days,
        may_answer=answer,
        may_upload=application.status not in ("approved", "rejected"),
        overall_due=overall_due,
        appeal=appeal,
        form_choices=choices_for(uow, scheme, application.district_code) if answer else {},
    )


def _timeline(uow: SchemeUnitOfWork, application: Application, appeal: AppealPanel | None, *, with_people: bool) -> list[Entry]:
    """The history of every round of the application: a rejected round reopened by an appeal, then this one."""
    rounds = list(dict.fromkeys([*(a.round_instance_id for a in (appeal.appeals if appeal else [])), application.instance_id]))
    entries = [
        e for n, instance_id in enumerate(rounds) for e in timeline(uow, instance_id, with_people=with_people)
        if n == 0 or e.kind != "instance_started"  # a reopened round was started by the order, not submitted
    ]
    return sorted(entries, key=lambda e: e.at) if len(rounds) > 1 else entries

