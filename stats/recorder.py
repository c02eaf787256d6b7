"""Keeps the summary rows in step with every engine step, in the step's own transaction."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, select

from engine.commands import StepResult
from engine.models import Instance, InstanceStatus, Task, TaskState
from engine.runtime import Runtime
from engine.uow import UnitOfWork
from sla.calendar import IST, BusinessCalendar
from sla.deadlines import CalendarFor
from stats import monthly
from stats.models import ApplicationFact, RegisteredBusiness, StepFact, YearlyStats
from workflows.models import Application
from workflows.roles import APPLICANT
from workflows.schemes import Scheme, by_process

APPROVE = "approve"


def local_day(moment: datetime) -> date:
    return moment.astimezone(IST).date()


def _minutes(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds() // 60))


class FactRecorder:
    def __init__(self, calendar_for: CalendarFor) -> None:
        self.calendar_for = calendar_for

    def __call__(self, uow: UnitOfWork, result: StepResult) -> None:
        instance = result.instance
        scheme = scheme_of(uow, instance)
        if scheme is None or instance.district is None:
            return  # not an application (e.g. a test process): nothing to count
        calendar = self.calendar_for(uow, instance.started_at.year)
        fact = uow.session.get(ApplicationFact, instance.id)
        if fact is None:
            fact = new_fact(instance, scheme, calendar)
            uow.session.add(fact)
            monthly.received(uow.session, fact)
        if result.task is not None and result.task.state == TaskState.COMPLETED:
            step_calendar = self.calendar_for(uow, result.task.created_at.year)
            record_task(uow, fact, scheme, result.task, step_calendar, result.data, rollup=True)
        if instance.status == InstanceStatus.COMPLETED and fact.decided_on is None:
            close(fact, instance, scheme, calendar)
            monthly.decided(uow.session, fact)
            if fact.outcome == "approved":
                register_business(uow, instance, fact)


def scheme_of(uow: UnitOfWork, instance: Instance) -> Scheme | None:
    return by_process(uow.session, uow.definitions.get(instance.definition_id).key)


def new_fact(instance: Instance, scheme: Scheme, calendar: BusinessCalendar) -> ApplicationFact:
    return ApplicationFact(
        instance_id=instance.id,
        scheme_code=scheme.code,
        district_code=instance.district,
        submitted_on=local_day(instance.started_at),
        due_on=local_day(calendar.add_working_days(instance.started_at, scheme.time_limit_days)),
        applicant_days=0,
    )


def record_task(
    uow: UnitOfWork,
    fact: ApplicationFact,
    scheme: Scheme,
    task: Task,
    calendar: BusinessCalendar,
    data: dict,
    *,
    rollup: bool = False,
) -> None:
    """The step's row and its effect on the application's row; `rollup` also moves the monthly
    figures (a rebuild recomputes those at the end instead)."""
    completed_at = task.completed_at or uow.clock.now()
    claimed_at = task.claimed_at or completed_at
    days = calendar.working_days_between(task.created_at, completed_at)
    step = uow.session.merge(
        StepFact(
            task_id=task.id,
            instance_id=task.instance_id,
            scheme_code=fact.scheme_code,
            district_code=fact.district_code,
            bpmn_id=task.bpmn_id,
            lane=task.lane,
            completed_on=local_day(completed_at),
            completed_at=completed_at,
            completed_by=task.completed_by,
            outcome=task.outcome,
            wait_minutes=_minutes(task.created_at, claimed_at),
            work_minutes=_minutes(claimed_at, completed_at),
            days_working=days,
            within_limit=None if task.due_at is None else completed_at <= task.due_at,
        )
    )
    if rollup:
        monthly.step_done(uow.session, step)
    if task.lane == APPLICANT:
        # The applicant's time is not the department's: it moves the overall limit on.
        fact.applicant_days += days
        started = datetime.combine(fact.submitted_on, datetime.min.time(), tzinfo=IST)
        old_due = fact.due_on
        fact.due_on = local_day(calendar.add_working_days(started, scheme.time_limit_days + fact.applicant_days))
        if rollup and fact.decided_on is None and fact.due_on != old_due:
            monthly.due_moved(uow.session, fact, old_due)
    if task.outcome != APPROVE:
        return
    if task.bpmn_id == scheme.sanction_step:
        _record_amount(uow, fact, "sanctioned", data.get(scheme.benefit_field), local_day(completed_at), rollup)
    if task.bpmn_id in scheme.release_steps:
        _record_amount(uow, fact, "released", data.get(scheme.released_field), local_day(completed_at), rollup)


def _record_amount(uow: UnitOfWork, fact: ApplicationFact, what: str, amount: object, day: date, rollup: bool) -> None:
    """Set the benefit `what` (sanctioned or released) and its day; a later one replaces it."""
    if not isinstance(amount, int | float) or isinstance(amount, bool):
        return
    column, day_column = f"benefit_{what}", f"{what}_on"
    old = (getattr(fact, day_column), getattr(fact, column))
    setattr(fact, column, int(amount))
    setattr(fact, day_column, day)
    if rollup:
        monthly.money(uow.session, fact, column, old, (day, int(amount)))


def close(fact: ApplicationFact, instance: Instance, scheme: Scheme, calendar: BusinessCalendar) -> None:
    decided_at = instance.completed_at or instance.updated_at
    fact.decided_on = local_day(decided_at)
    fact.outcome = "approved" if (instance.end_event or "").startswith("end_approved") else "rejected"
    fact.days_calendar = (fact.decided_on - fact.submitted_on).days
    fact.days_working = calendar.working_days_between(instance.started_at, decided_at)
    fact.within_limit = fact.days_working - fact.applicant_days <= scheme.time_limit_days


def register_business(uow: UnitOfWork, instance: Instance, fact: ApplicationFact) -> None:
    applicant_id = uow.session.scalar(select(Application.applicant_id).where(Application.instance_id == instance.id))
    if applicant_id is None:
        return
    business = uow.session.get(RegisteredBusiness, applicant_id)
    if business is None:
        uow.session.add(
            RegisteredBusiness(
                applicant_id=applicant_id, district_code=fact.district_code, schemes=fact.scheme_code, since=fact.decided_on
            )
        )
        uow.session.flush()
        return
    business.schemes = ",".join(sorted(set(business.schemes.split(",")) | {fact.scheme_code}))
    business.since = min(business.since, fact.decided_on)


def needs_backfill(uow: UnitOfWork) -> bool:
    """True on a database migrated from before the summary tables (or their yearly roll-up) existed."""
    if uow.session.scalar(select(ApplicationFact.instance_id).limit(1)) is None:
        return uow.session.scalar(select(Instance.id).limit(1)) is not None
    return uow.session.scalar(select(YearlyStats.month).limit(1)) is None


def rebuild(uow: UnitOfWork, calendar_for: CalendarFor) -> int:
    """Recompute every summary row from the instances and their task history; returns the count.

    The caller commits. Amounts come from each instance's current process data.
    """
    for model in (StepFact, ApplicationFact, RegisteredBusiness, *monthly.ROLLUPS):
        uow.session.execute(delete(model))
    count = 0
    for instance in uow.session.scalars(select(Instance).order_by(Instance.id)):
        scheme = scheme_of(uow, instance)
        if scheme is None or instance.district is None:
            continue
        calendar = calendar_for(uow, instance.started_at.year)
        fact = new_fact(instance, scheme, calendar)
        uow.session.add(fact)
        tasks = uow.session.scalars(
            select(Task)
            .where(Task.instance_id == instance.id, Task.state == TaskState.COMPLETED)
            .order_by(Task.completed_at)
        ).all()
        data = _process_data(uow, instance) if any(t.outcome == APPROVE for t in tasks) else {}
        for task in tasks:
            record_task(uow, fact, scheme, task, calendar_for(uow, task.created_at.year), data)
        if instance.status == InstanceStatus.COMPLETED:
            close(fact, instance, scheme, calendar)
            if fact.outcome == "approved":
                register_business(uow, instance, fact)
        count += 1
    uow.flush()
    monthly.rebuild(uow.session, uow.session.scalars(select(ApplicationFact)), uow.session.scalars(select(StepFact)))
    return count


def _process_data(uow: UnitOfWork, instance: Instance) -> dict:
    workflow = uow.instances.workflow(instance)
    if workflow.is_completed() and workflow.data:
        return dict(workflow.data)
    return dict(workflow.last_task.data) if workflow.last_task else {}


def install(runtime: Runtime, calendar_for: CalendarFor) -> None:
    runtime.on_step.append(FactRecorder(calendar_for))
