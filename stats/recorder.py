"""Keeps the summary rows in step with every engine step, in the step's own transaction."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

from sqlalchemy import delete, insert, select

from engine.commands import StepResult
from engine.models import Instance, InstanceStatus, Task, TaskState
from engine.runtime import Runtime
from engine.uow import UnitOfWork
from sla.calendar import IST, BusinessCalendar
from sla.deadlines import CalendarFor
from stats import monthly
from stats.models import ApplicationFact, RegisteredBusiness, StepFact, YearlyStats
from workflows.catalogue.roles import APPLICANT
from workflows.catalogue.schemes import Scheme, scheme_of_instance
from workflows.models import Application

APPROVE = "approve"
_INSERT_STEP = insert(StepFact.__table__)
_INSERT_FACT = insert(ApplicationFact.__table__)
_FACT_COLUMNS = tuple(ApplicationFact.__mapper__.column_attrs)


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
        cells = monthly.Cells()
        found = None
        if instance.status == InstanceStatus.COMPLETED:
            # The last step: the applicant's registration row is read with the fact.
            fact, *found = _fact_and_business(uow, instance.id)
        elif uow.instances.is_new(instance):
            fact = None  # started in this transaction: no fact yet
        elif _changes_fact(scheme, result.task):
            fact = uow.session.get(ApplicationFact, instance.id)
        else:
            # Most steps leave the application's row as it is: the step's row is all they add.
            record_task(uow, None, scheme, result.task, self.calendar_for(uow, result.task.created_at.year), {}, cells=cells)
            cells.add_to(uow.session)
            return
        new = fact is None
        if new:
            fact = new_fact(instance, scheme, calendar)
            monthly.received(cells, fact)
        if result.task is not None and result.task.state == TaskState.COMPLETED:
            step_calendar = self.calendar_for(uow, result.task.created_at.year)
            record_task(uow, fact, scheme, result.task, step_calendar, result.data, cells=cells)
        if instance.status == InstanceStatus.COMPLETED and fact.decided_on is None:
            close(fact, instance, scheme, calendar)
            monthly.decided(cells, fact)
            if fact.outcome == "approved":
                register_business(uow, instance, fact, found=tuple(found) if found and found[0] else None)
        if new:  # a Core insert of the finished row: no ORM object to track and flush (D93)
            uow.session.connection().execute(_INSERT_FACT, {c.key: getattr(fact, c.key) for c in _FACT_COLUMNS})
        cells.add_to(uow.session)


def _changes_fact(scheme: Scheme, task: Task | None) -> bool:
    """Whether a step (not the last) changes the application's row: the applicant's time moves the
    due day; a sanction or release records an amount."""
    if task is None or task.state != TaskState.COMPLETED:
        return True
    if task.lane == APPLICANT:
        return True
    return task.outcome == APPROVE and (task.bpmn_id == scheme.sanction_step or task.bpmn_id in scheme.release_steps)


def scheme_of(uow: UnitOfWork, instance: Instance) -> Scheme | None:
    """The scheme version the instance's application was filed under (None: not an application)."""
    key = uow.definitions.summary(instance.definition_id).key
    return scheme_of_instance(uow.session, instance.id, key, new=uow.instances.is_new(instance))


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
    fact: ApplicationFact | None,
    scheme: Scheme,
    task: Task,
    calendar: BusinessCalendar,
    data: dict,
    *,
    cells: monthly.Cells | None = None,
) -> None:
    """The step's row and its effect on the application's row (none when `fact` is None: the caller
    knows the step changes nothing there); with `cells`, also the changes to the rolled-up figures
    (a rebuild recomputes those at the end instead)."""
    completed_at = task.completed_at or uow.clock.now()
    claimed_at = task.claimed_at or completed_at
    days = calendar.working_days_between(task.created_at, completed_at)
    step = dict(
        task_id=task.id,
        instance_id=task.instance_id,
        scheme_code=scheme.code,
        district_code=task.district if fact is None else fact.district_code,
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
    # A task completes once (a rebuild deletes the old rows first). In a step the row goes in
    # with a Core insert at once (its instance row exists): no ORM object, no flush work (D93).
    if cells is not None:
        uow.session.connection().execute(_INSERT_STEP, step)
        monthly.step_done(cells, SimpleNamespace(**step))
    else:
        uow.session.add(StepFact(**step))
    if fact is None:
        return
    if task.lane == APPLICANT:
        # The applicant's time is not the department's: it moves the overall limit on.
        fact.applicant_days += days
        started = datetime.combine(fact.submitted_on, datetime.min.time(), tzinfo=IST)
        old_due = fact.due_on
        fact.due_on = local_day(calendar.add_working_days(started, scheme.time_limit_days + fact.applicant_days))
        if cells is not None and fact.decided_on is None and fact.due_on != old_due:
            monthly.due_moved(cells, fact, old_due)
    if task.outcome != APPROVE:
        return
    if task.bpmn_id == scheme.sanction_step:
        _record_amount(uow, fact, "sanctioned", data.get(scheme.benefit_field), local_day(completed_at), cells)
    if task.bpmn_id in scheme.release_steps:
        _record_amount(uow, fact, "released", data.get(scheme.released_field), local_day(completed_at), cells)


def _record_amount(
    uow: UnitOfWork, fact: ApplicationFact, what: str, amount: object, day: date, cells: monthly.Cells | None
) -> None:
    """Set the benefit `what` (sanctioned or released) and its day; a later one replaces it."""
    if not isinstance(amount, int | float) or isinstance(amount, bool):
        return
    column, day_column = f"benefit_{what}", f"{what}_on"
    old = (getattr(fact, day_column), getattr(fact, column))
    setattr(fact, column, int(amount))
    setattr(fact, day_column, day)
    if cells is not None:
        monthly.money(cells, fact, column, old, (day, int(amount)))


def close(fact: ApplicationFact, instance: Instance, scheme: Scheme, calendar: BusinessCalendar) -> None:
    decided_at = instance.completed_at or instance.updated_at
    fact.decided_on = local_day(decided_at)
    fact.outcome = "approved" if (instance.end_event or "").startswith("end_approved") else "rejected"
    fact.days_calendar = (fact.decided_on - fact.submitted_on).days
    fact.days_working = calendar.working_days_between(instance.started_at, decided_at)
    fact.within_limit = fact.days_working - fact.applicant_days <= scheme.time_limit_days


def _fact_and_business(uow: UnitOfWork, instance_id: int) -> tuple:
    """The application's fact, its applicant and their registration row (each may be None)."""
    row = uow.session.execute(
        select(ApplicationFact, Application.applicant_id, RegisteredBusiness)
        .select_from(ApplicationFact)
        .outerjoin(Application, Application.instance_id == ApplicationFact.instance_id)
        .outerjoin(RegisteredBusiness, RegisteredBusiness.applicant_id == Application.applicant_id)
        .where(ApplicationFact.instance_id == instance_id)
    ).first()
    return tuple(row) if row is not None else (None, None, None)


def register_business(uow: UnitOfWork, instance: Instance, fact: ApplicationFact, *, found: tuple | None = None) -> None:
    """Add the applicant's registration row, or add the scheme to it. `found` is (applicant id,
    row or None) when the caller has read them; otherwise one statement reads both."""
    if found is None:
        found = uow.session.execute(
            select(Application.applicant_id, RegisteredBusiness)
            .outerjoin(RegisteredBusiness, RegisteredBusiness.applicant_id == Application.applicant_id)
            .where(Application.instance_id == instance.id)
        ).first()
    if found is None:
        return
    applicant_id, business = found
    if business is None:
        uow.session.add(
            RegisteredBusiness(
                applicant_id=applicant_id, district_code=fact.district_code, schemes=fact.scheme_code, since=fact.decided_on
            )
        )
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
                uow.session.flush()  # an applicant registered by an earlier instance of the loop
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
