"""Read-side statistics over the summary rows. Every figure is computed, never stored by hand."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session

from engine.models import Definition, Task, TaskState
from stats.distribution import Distribution
from stats.filters import Filters
from stats.models import ApplicationFact as F
from stats.models import StepFact as S
from workflows.models import Application, District, User
from workflows.roles import APPLICANT
from workflows.schemes import SCHEMES

GROUPS = {"scheme": F.scheme_code, "district": F.district_code, None: None}


def _scope(query: Select, f: Filters, scheme_col, district_col) -> Select:  # noqa: ANN001
    if f.scheme:
        query = query.where(scheme_col == f.scheme)
    if f.district:
        query = query.where(district_col == f.district)
    return query


@dataclass
class Summary:
    key: str | None = None
    received: int = 0
    in_process: int = 0
    pending_beyond_limit: int = 0
    approved: int = 0
    rejected: int = 0
    disposed_within_limit: int = 0
    benefit_sanctioned: int = 0
    benefit_released: int = 0
    days_working: Distribution = field(default_factory=lambda: Distribution.of({}))
    days_calendar: Distribution = field(default_factory=lambda: Distribution.of({}))
    # Days to approval (approved cases only): what the public dashboard calls "average time".
    days_to_approval: Distribution = field(default_factory=lambda: Distribution.of({}))

    @property
    def disposed(self) -> int:
        return self.approved + self.rejected

    @property
    def within_limit_pct(self) -> float | None:
        return round(100 * self.disposed_within_limit / self.disposed, 1) if self.disposed else None


def summaries(session: Session, f: Filters, *, today: date, by: str | None = None) -> list[Summary]:
    """Received, decided, pending and days to decision per scheme, per district, or in total."""
    group = GROUPS[by]
    keys = [group] if group is not None else []
    rows: dict[str | None, Summary] = defaultdict(Summary)

    received = _scope(
        select(
            *keys,
            func.count(),
            func.sum(case((F.decided_on.is_(None), 1), else_=0)),
            func.sum(case((and_(F.decided_on.is_(None), F.due_on < today), 1), else_=0)),
        ).where(F.submitted_on.between(f.start, f.end)),
        f,
        F.scheme_code,
        F.district_code,
    ).group_by(*keys)
    for row in session.execute(received):
        key = row[0] if keys else None
        s = rows[key]
        s.received, s.in_process, s.pending_beyond_limit = row[-3], row[-2] or 0, row[-1] or 0

    decided = _scope(
        select(*keys, F.outcome, F.days_working, F.days_calendar, F.within_limit, func.count()).where(
            F.decided_on.between(f.start, f.end)
        ),
        f,
        F.scheme_code,
        F.district_code,
    ).group_by(*keys, F.outcome, F.days_working, F.days_calendar, F.within_limit)
    working: dict[str | None, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    calendar: dict[str | None, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    approval: dict[str | None, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in session.execute(decided):
        key = row[0] if keys else None
        outcome, days_w, days_c, within, n = row[-5:]
        s = rows[key]
        if outcome == "approved":
            s.approved += n
            approval[key][days_c] += n
        else:
            s.rejected += n
        if within:
            s.disposed_within_limit += n
        working[key][days_w] += n
        calendar[key][days_c] += n

    for column, day, attr in (
        (F.benefit_sanctioned, F.sanctioned_on, "benefit_sanctioned"),
        (F.benefit_released, F.released_on, "benefit_released"),
    ):
        money = _scope(
            select(*keys, func.sum(column)).where(day.between(f.start, f.end)),
            f,
            F.scheme_code,
            F.district_code,
        )
        for row in session.execute(money.group_by(*keys)):
            setattr(rows[row[0] if keys else None], attr, int(row[-1] or 0))

    for key, s in rows.items():
        s.key = key
        s.days_working = Distribution.of(working[key])
        s.days_calendar = Distribution.of(calendar[key])
        s.days_to_approval = Distribution.of(approval[key])
    if not keys:
        return [rows[None]]
    return [rows[k] for k in sorted(rows)]


@dataclass
class StepStats:
    scheme: str
    bpmn_id: str
    name: str
    lane: str | None
    handled: int = 0
    waiting_minutes: Distribution = field(default_factory=lambda: Distribution.of({}))
    working_minutes: Distribution = field(default_factory=lambda: Distribution.of({}))
    with_limit: int = 0
    within_limit: int = 0
    pending_now: int = 0
    overdue_now: int = 0

    @property
    def with_applicant(self) -> bool:
        return self.lane == APPLICANT

    @property
    def compliance_pct(self) -> float | None:
        return round(100 * self.within_limit / self.with_limit, 1) if self.with_limit else None

    @property
    def median_total_minutes(self) -> float:
        return (self.waiting_minutes.median or 0) + (self.working_minutes.median or 0)


def step_names(session: Session) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(scheme, bpmn id) -> (name, lane), from every deployed version (newest wins)."""
    by_key = {s.process_key: s.code for s in SCHEMES.values()}
    names: dict[tuple[str, str], tuple[str, str | None]] = {}
    for key, user_tasks in session.execute(
        select(Definition.key, Definition.user_tasks).order_by(Definition.id)
    ):
        if key in by_key:
            for bpmn_id, described in user_tasks.items():
                names[(by_key[key], bpmn_id)] = (described.get("name") or bpmn_id, described.get("lane"))
    return names


def steps(session: Session, f: Filters, *, now: datetime) -> list[StepStats]:
    """Per step of each process: handled in the period, waiting and working times, compliance, and
    what is pending and overdue now. Applicant steps are flagged: their time is the applicant's."""
    names = step_names(session)
    found: dict[tuple[str, str], StepStats] = {}

    def stat(scheme: str, bpmn_id: str) -> StepStats:
        if (scheme, bpmn_id) not in found:
            name, lane = names.get((scheme, bpmn_id), (bpmn_id, None))
            found[(scheme, bpmn_id)] = StepStats(scheme=scheme, bpmn_id=bpmn_id, name=name, lane=lane)
        return found[(scheme, bpmn_id)]

    period = S.completed_on.between(f.start, f.end)
    for column, attr in ((S.wait_minutes, "waiting_minutes"), (S.work_minutes, "working_minutes")):
        counts: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
        query = _scope(
            select(S.scheme_code, S.bpmn_id, column, func.count()).where(period),
            f,
            S.scheme_code,
            S.district_code,
        )
        for scheme, bpmn_id, minutes, n in session.execute(query.group_by(S.scheme_code, S.bpmn_id, column)):
            counts[(scheme, bpmn_id)][minutes] = n
        for key, histogram in counts.items():
            setattr(stat(*key), attr, Distribution.of(histogram))
    compliance = _scope(
        select(
            S.scheme_code,
            S.bpmn_id,
            func.count(),
            func.sum(case((S.within_limit.is_not(None), 1), else_=0)),
            func.sum(case((S.within_limit.is_(True), 1), else_=0)),
        ).where(period),
        f,
        S.scheme_code,
        S.district_code,
    ).group_by(S.scheme_code, S.bpmn_id)
    for scheme, bpmn_id, n, with_limit, within in session.execute(compliance):
        s = stat(scheme, bpmn_id)
        s.handled, s.with_limit, s.within_limit = n, with_limit or 0, within or 0
    pending = _scope(
        select(F.scheme_code, Task.bpmn_id, func.count(), func.sum(case((Task.due_at < now, 1), else_=0)))
        .join(F, F.instance_id == Task.instance_id)
        .where(Task.state.in_(TaskState.OPEN)),
        f,
        F.scheme_code,
        F.district_code,
    ).group_by(F.scheme_code, Task.bpmn_id)
    for scheme, bpmn_id, n, overdue in session.execute(pending):
        s = stat(scheme, bpmn_id)
        s.pending_now, s.overdue_now = n, overdue or 0
    order = {key: i for i, key in enumerate(names)}
    return sorted(found.values(), key=lambda s: (s.scheme, order.get((s.scheme, s.bpmn_id), 10**6)))


def slowest_step(rows: list[StepStats]) -> StepStats | None:
    """The office step with the longest median time from arrival to completion."""
    office = [s for s in rows if not s.with_applicant and s.handled]
    return max(office, key=lambda s: s.median_total_minutes, default=None)


@dataclass
class OfficerStats:
    username: str
    full_name: str
    role: str
    district: str | None
    open: int = 0
    overdue: int = 0
    completed: int = 0
    handling_minutes: Distribution = field(default_factory=lambda: Distribution.of({}))


def officers(session: Session, f: Filters, *, now: datetime) -> list[OfficerStats]:
    """Per officer: open and overdue now, completed in the period, median handling time (internal)."""
    people = {
        u.username: OfficerStats(u.username, u.full_name, u.role, u.district_code)
        for u in session.scalars(
            select(User).where(User.role.not_in((APPLICANT, "facilitation_operator", "admin")))
        )
    }
    if f.district:
        people = {k: v for k, v in people.items() if v.district == f.district or v.district is None}
    open_q = select(Task.assignee, func.count(), func.sum(case((Task.due_at < now, 1), else_=0))).where(
        Task.state == TaskState.CLAIMED
    )
    if f.district:
        open_q = open_q.where(Task.district == f.district)
    if f.scheme:
        open_q = open_q.join(F, F.instance_id == Task.instance_id).where(F.scheme_code == f.scheme)
    for username, n, overdue in session.execute(open_q.group_by(Task.assignee)):
        if username in people:
            people[username].open, people[username].overdue = n, overdue or 0
    handled: dict[str, dict[int, int]] = defaultdict(dict)
    query = _scope(
        select(S.completed_by, S.work_minutes, func.count()).where(
            S.completed_on.between(f.start, f.end), S.lane != APPLICANT
        ),
        f,
        S.scheme_code,
        S.district_code,
    ).group_by(S.completed_by, S.work_minutes)
    for username, minutes, n in session.execute(query):
        handled[username][minutes] = n
    for username, histogram in handled.items():
        if username in people:
            people[username].handling_minutes = Distribution.of(histogram)
            people[username].completed = people[username].handling_minutes.count
    return sorted(people.values(), key=lambda p: (p.district or "", p.role, p.username))


@dataclass(frozen=True)
class SeriesPoint:
    period: date
    received: int
    approved: int
    rejected: int


def bucket(day: date, unit: str) -> date:
    if unit == "month":
        return day.replace(day=1)
    if unit == "week":
        return date.fromordinal(day.toordinal() - day.weekday())
    return day


def series(session: Session, f: Filters, *, unit: str = "day") -> list[SeriesPoint]:
    """Received, approved and rejected per day, week (from Monday) or month of the period."""
    if unit not in ("day", "week", "month"):
        raise ValueError(f"Unknown unit '{unit}': use day, week or month.")
    points: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    received = _scope(
        select(F.submitted_on, func.count()).where(F.submitted_on.between(f.start, f.end)),
        f,
        F.scheme_code,
        F.district_code,
    )
    for day, n in session.execute(received.group_by(F.submitted_on)):
        points[bucket(day, unit)][0] += n
    decided = _scope(
        select(F.decided_on, F.outcome, func.count()).where(F.decided_on.between(f.start, f.end)),
        f,
        F.scheme_code,
        F.district_code,
    )
    for day, outcome, n in session.execute(decided.group_by(F.decided_on, F.outcome)):
        points[bucket(day, unit)][1 if outcome == "approved" else 2] += n
    return [SeriesPoint(k, *v) for k, v in sorted(points.items())]


@dataclass(frozen=True)
class ApplicationRow:
    number: str
    scheme: str
    district: str
    submitted_on: date
    decided_on: date | None
    status: str
    days_calendar: int | None
    days_working: int | None
    benefit: int | None


@dataclass(frozen=True)
class ApplicationPage:
    rows: list[ApplicationRow]
    total: int
    page: int
    per_page: int


SORTS = {
    "submitted": (F.submitted_on.desc(), F.instance_id.desc()),
    "decided": (F.decided_on.desc().nulls_last(), F.instance_id.desc()),
    "days": (F.days_calendar.desc().nulls_last(), F.instance_id.desc()),
}
STATUSES = ("approved", "rejected", "in_process")


def application_list(
    session: Session,
    f: Filters,
    *,
    status: str | None = None,
    sort: str = "submitted",
    page: int = 1,
    per_page: int = 50,
) -> ApplicationPage:
    """Applications received in the period, without any personal data (safe for the public page)."""
    if sort not in SORTS:
        raise ValueError(f"Unknown sort '{sort}': use {', '.join(SORTS)}.")
    if status is not None and status not in STATUSES:
        raise ValueError(f"Unknown status '{status}': use {', '.join(STATUSES)}.")
    query = _scope(select(F).where(F.submitted_on.between(f.start, f.end)), f, F.scheme_code, F.district_code)
    if status == "in_process":
        query = query.where(F.decided_on.is_(None))
    elif status:
        query = query.where(F.outcome == status)
    total = session.scalar(query.with_only_columns(func.count()).order_by(None)) or 0
    page = max(1, page)
    facts = session.execute(
        query.add_columns(Application.number)
        .join(Application, Application.instance_id == F.instance_id)
        .order_by(*SORTS[sort])
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    rows = [
        ApplicationRow(
            number=number,
            scheme=fact.scheme_code,
            district=fact.district_code,
            submitted_on=fact.submitted_on,
            decided_on=fact.decided_on,
            status=fact.outcome or "in_process",
            days_calendar=fact.days_calendar,
            days_working=fact.days_working,
            benefit=fact.benefit_sanctioned if fact.outcome != "rejected" else None,
        )
        for fact, number in facts
    ]
    return ApplicationPage(rows=rows, total=total, page=page, per_page=per_page)


def district_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(District.code, District.name)).all())
