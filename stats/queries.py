"""Read-side statistics over the summary rows. Every figure is computed, never stored by hand."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, case, func, literal, select
from sqlalchemy.orm import Session

from engine.models import Definition, Task, TaskState
from stats.distribution import Distribution
from stats.filters import Filters
from stats.models import ApplicationFact as F
from stats.models import MonthlyStats as M
from stats.models import StepFact as S
from stats.monthly import ALL_DISTRICTS
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


def summaries(
    session: Session, f: Filters, *, today: date, by: str | None = None, histograms: tuple = ("pending", "working", "calendar", "approval")
) -> list[Summary]:
    """Received, decided, pending and days to decision per scheme, per district, or in total."""
    total, rows = summary_and_rows(session, f, today=today, by=by, histograms=histograms)
    return rows if by else [total]


def whole_months(f: Filters) -> tuple[date, date] | None:
    """The first and last month (first days) lying wholly inside the period, if any."""
    first = f.start if f.start.day == 1 else _next_month(f.start)
    day_after = f.end + timedelta(days=1)
    last = _previous_month(day_after if day_after.day == 1 else day_after.replace(day=1))
    return (first, last) if first <= last else None


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


@dataclass
class _Acc:
    """Counts and histograms of one group, added up from facts and monthly rows alike."""

    received: int = 0
    in_process: int = 0
    pending: int = 0
    approved: int = 0
    rejected: int = 0
    within: int = 0
    sanctioned: int = 0
    released: int = 0
    working: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    calendar: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    approval: dict[int, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, other: _Acc) -> None:
        for name in ("received", "in_process", "pending", "approved", "rejected", "within", "sanctioned", "released"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("working", "calendar", "approval"):
            mine = getattr(self, name)
            for value, n in getattr(other, name).items():
                mine[value] += n

    def summary(self, key: str | None) -> Summary:
        return Summary(
            key=key, received=self.received, in_process=self.in_process, pending_beyond_limit=self.pending,
            approved=self.approved, rejected=self.rejected, disposed_within_limit=self.within,
            benefit_sanctioned=self.sanctioned, benefit_released=self.released,
            days_working=Distribution.of(self.working), days_calendar=Distribution.of(self.calendar),
            days_to_approval=Distribution.of(self.approval),
        )


def _from_facts(session: Session, f: Filters, today: date, group, accs: dict) -> None:  # noqa: ANN001
    keys = [group] if group is not None else []
    received = _scope(
        select(
            *keys,
            func.count(),
            func.sum(case((F.decided_on.is_(None), 1), else_=0)),
            func.sum(case((and_(F.decided_on.is_(None), F.due_on < today), 1), else_=0)),
        ).where(F.submitted_on.between(f.start, f.end)),
        f, F.scheme_code, F.district_code,
    ).group_by(*keys)
    for row in session.execute(received):
        a = accs[row[0] if keys else None]
        a.received += row[-3]
        a.in_process += row[-2] or 0
        a.pending += row[-1] or 0
    decided = _scope(
        select(*keys, F.outcome, F.days_working, F.days_calendar, F.within_limit, func.count()).where(
            F.decided_on.between(f.start, f.end)
        ),
        f, F.scheme_code, F.district_code,
    ).group_by(*keys, F.outcome, F.days_working, F.days_calendar, F.within_limit)
    for row in session.execute(decided):
        a = accs[row[0] if keys else None]
        outcome, days_w, days_c, within, n = row[-5:]
        if outcome == "approved":
            a.approved += n
            a.approval[days_c] += n
        else:
            a.rejected += n
        a.within += n if within else 0
        a.working[days_w] += n
        a.calendar[days_c] += n
    for column, day, attr in ((F.benefit_sanctioned, F.sanctioned_on, "sanctioned"), (F.benefit_released, F.released_on, "released")):
        money = _scope(select(*keys, func.sum(column)).where(day.between(f.start, f.end)), f, F.scheme_code, F.district_code)
        for row in session.execute(money.group_by(*keys)):
            a = accs[row[0] if keys else None]
            setattr(a, attr, getattr(a, attr) + int(row[-1] or 0))


HISTOGRAMS = {"working": M.days_working, "calendar": M.days_calendar, "approval": M.days_to_approval}


def _from_months(
    session: Session, f: Filters, first: date, last: date, today: date, by: str | None, accs: dict, histograms: tuple
) -> None:
    pending = "pending" in histograms
    histograms = tuple(h for h in histograms if h != "pending")
    columns = (
        M.scheme_code, M.district_code, M.received, M.open, M.open_due if pending else literal(None), M.approved,
        M.rejected, M.within_limit, M.benefit_sanctioned, M.benefit_released, *(HISTOGRAMS[h] for h in histograms),
    )
    query = select(*columns).where(M.month.between(first, last))
    if f.scheme:
        query = query.where(M.scheme_code == f.scheme)
    if f.district:
        query = query.where(M.district_code == f.district)
    elif by == "district":
        query = query.where(M.district_code != ALL_DISTRICTS)
    else:
        query = query.where(M.district_code == ALL_DISTRICTS)
    cutoff = today.isoformat()
    for row in session.execute(query):
        scheme, district, received, open_, open_due, approved, rejected, within, sanctioned, released = row[:10]
        a = accs[scheme if by == "scheme" else district if by == "district" else None]
        a.received += received
        a.in_process += open_
        a.pending += sum(n for due, n in (open_due or {}).items() if due < cutoff)
        a.approved += approved
        a.rejected += rejected
        a.within += within
        a.sanctioned += sanctioned
        a.released += released
        for target, source in zip((getattr(a, h) for h in histograms), row[10:], strict=True):
            for value, n in (source or {}).items():
                target[int(value)] += n


def _month_series(session: Session, f: Filters, first: date, last: date) -> dict[date, list[int]]:
    query = select(M.month, func.sum(M.received), func.sum(M.approved), func.sum(M.rejected)).where(
        M.month.between(first, last), M.district_code == (f.district or ALL_DISTRICTS)
    )
    if f.scheme:
        query = query.where(M.scheme_code == f.scheme)
    return {month: [r or 0, a or 0, j or 0] for month, r, a, j in session.execute(query.group_by(M.month))}


def summary_and_rows(
    session: Session, f: Filters, *, today: date, by: str | None, histograms: tuple = ("pending", "working", "calendar", "approval")
) -> tuple[Summary, list[Summary]]:
    """The total and, with `by`, one row per scheme or district. Leaving out `histograms` that are
    not needed ("pending" is the due dates of open applications) saves reading them from the
    monthly rows: the ranking needs only working days.

    Whole months come from `monthly_stats`; the days before the first and after the last whole
    month from the application facts. Both give counts per value, so percentiles stay exact.
    """
    group = GROUPS[by]
    accs: dict[str | None, _Acc] = defaultdict(_Acc)
    months = whole_months(f)
    if months is None:
        _from_facts(session, f, today, group, accs)
    else:
        first, last = months
        if f.start < first:
            _from_facts(session, replace(f, end=first - timedelta(days=1)), today, group, accs)
        _from_months(session, f, first, last, today, by, accs, histograms)
        if _next_month(last) <= f.end:
            _from_facts(session, replace(f, start=_next_month(last)), today, group, accs)
    total = _Acc()
    for acc in accs.values():
        total.add(acc)
    if group is None:
        return total.summary(None), []
    return total.summary(None), [accs[k].summary(k) for k in sorted(accs)]


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
    scheme_of = {s.process_key: s.code for s in SCHEMES.values()}
    pending = select(Task.process_key, Task.bpmn_id, func.count(), func.sum(case((Task.due_at < now, 1), else_=0)))
    pending = pending.where(Task.state.in_(TaskState.OPEN), Task.process_key.in_(list(scheme_of)))
    if f.scheme:
        pending = pending.where(Task.process_key == SCHEMES[f.scheme].process_key)
    if f.district:
        pending = pending.where(Task.district == f.district)
    for process_key, bpmn_id, n, overdue in session.execute(pending.group_by(Task.process_key, Task.bpmn_id)):
        s = stat(scheme_of[process_key], bpmn_id)
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
        open_q = open_q.where(Task.process_key == SCHEMES[f.scheme].process_key)
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
    months = whole_months(f) if unit == "month" else None
    if months is not None:
        for month, values in _month_series(session, f, *months).items():
            if any(values):
                points[month] = values
        pieces = [p for p in (
            replace(f, end=months[0] - timedelta(days=1)) if f.start < months[0] else None,
            replace(f, start=_next_month(months[1])) if _next_month(months[1]) <= f.end else None,
        ) if p is not None]
        for piece in pieces:
            for point in _facts_series(session, piece, unit):
                points[point.period] = [x + y for x, y in zip(points[point.period], (point.received, point.approved, point.rejected), strict=True)]
        return [SeriesPoint(k, *v) for k, v in sorted(points.items())]
    return _facts_series(session, f, unit)


def _facts_series(session: Session, f: Filters, unit: str) -> list[SeriesPoint]:
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
    "decided": (F.decided_on.desc(), F.instance_id.desc()),
    "days": (F.days_calendar.desc(), F.instance_id.desc()),
}
STATUSES = ("approved", "rejected", "in_process")


def application_list(
    session: Session,
    f: Filters,
    *,
    status: str | None = None,
    sort: str = "submitted",
    step: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> ApplicationPage:
    """Applications received in the period, without any personal data (safe for the public page).

    `step` (with a scheme in the filters) keeps those waiting at that step now."""
    if step and not f.scheme:
        raise ValueError("Choose a scheme to list the applications waiting at one of its steps.")
    if sort not in SORTS:
        raise ValueError(f"Unknown sort '{sort}': use {', '.join(SORTS)}.")
    if status is not None and status not in STATUSES:
        raise ValueError(f"Unknown status '{status}': use {', '.join(STATUSES)}.")

    def filtered(submitted, outcome):  # noqa: ANN001, ANN202
        query = _scope(select(F).where(submitted.between(f.start, f.end)), f, F.scheme_code, F.district_code)
        if sort != "submitted" or status in ("approved", "rejected"):
            # Sorting by decision date or days taken lists decided applications (they have those).
            query = query.where(outcome != "")
        if status == "in_process":
            query = query.where(outcome == "")
        elif status:
            query = query.where(outcome == status)
        if step:
            # Drill-down from a step: the applications waiting at it now.
            waiting = select(Task.instance_id).where(
                Task.state.in_(TaskState.OPEN), Task.process_key == SCHEMES[f.scheme].process_key, Task.bpmn_id == step
            )
            query = query.where(F.instance_id.in_(waiting))
        return query

    # Which index serves is chosen here, not left to the planner's statistics: counts and the
    # default order read the (submitted_on, ...) index, whose range covers the filters; the order
    # by days taken walks the (outcome, days) index and checks the date on each row, so the top of a
    # long period is found after a few rows. Wrapping a column in coalesce() keeps an index away.
    undecided = func.coalesce(F.outcome, "")
    total = session.scalar(filtered(F.submitted_on, undecided).with_only_columns(func.count()).order_by(None)) or 0
    if sort == "days":
        query = filtered(func.coalesce(F.submitted_on, F.submitted_on), F.outcome if status else undecided)
    else:
        query = filtered(F.submitted_on, undecided)
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
