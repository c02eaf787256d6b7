"""Per step and per officer: handled, waiting and working minutes, compliance, pending now.

Whole months come from `monthly_step_stats` and `monthly_officer_stats`, the days at either end
of the period from the step facts (all from the facts with `rollups=False`). Both give counts per
minute, so the percentiles stay exact.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from engine.models import Definition, Task, TaskState
from stats import rollup_sums
from stats.distribution import Distribution
from stats.filters import Filters
from stats.models import MonthlyOfficerStats, MonthlyStepStats
from stats.models import StepFact as S
from stats.periods import gather
from workflows.catalogue.roles import APPLICANT
from workflows.catalogue.schemes import process_keys
from workflows.models import User


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


@dataclass
class _StepAcc:
    handled: int = 0
    with_limit: int = 0
    within: int = 0
    wait: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    work: dict[int, int] = field(default_factory=lambda: defaultdict(int))


def step_names(session: Session) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(scheme, bpmn id) -> (name, lane), from every deployed version (newest wins)."""
    by_key = {key: code for code, key in process_keys(session).items()}
    names: dict[tuple[str, str], tuple[str, str | None]] = {}
    for key, user_tasks in session.execute(select(Definition.key, Definition.user_tasks).order_by(Definition.id)):
        if key in by_key:
            for bpmn_id, described in user_tasks.items():
                names[(by_key[key], bpmn_id)] = (described.get("name") or bpmn_id, described.get("lane"))
    return names


def _scoped(query, f: Filters, scheme_col, district_col):  # noqa: ANN001, ANN202
    if f.scheme:
        query = query.where(scheme_col == f.scheme)
    if f.district:
        query = query.where(district_col == f.district)
    return query


def _steps_from_facts(session: Session, f: Filters, accs: dict[tuple[str, str], _StepAcc]) -> None:
    period = S.completed_on.between(f.start, f.end)
    for column, attr in ((S.wait_minutes, "wait"), (S.work_minutes, "work")):
        query = _scoped(select(S.scheme_code, S.bpmn_id, column, func.count()).where(period), f, S.scheme_code, S.district_code)
        for scheme, bpmn_id, minutes, n in session.execute(query.group_by(S.scheme_code, S.bpmn_id, column)):
            getattr(accs[(scheme, bpmn_id)], attr)[minutes] += n
    compliance = _scoped(
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
        a = accs[(scheme, bpmn_id)]
        a.handled += n
        a.with_limit += with_limit or 0
        a.within += within or 0


def _steps_from_months(
    session: Session, f: Filters, first: date, last: date, accs: dict[tuple[str, str], _StepAcc]
) -> None:
    M = MonthlyStepStats  # noqa: N806
    query = select(M.scheme_code, M.bpmn_id, M.handled, M.with_limit, M.within_limit, M.wait_minutes, M.work_minutes)
    query = query.where(M.month.between(first, last))
    if f.district:
        query = query.where(M.district_code == f.district)  # else all districts' rows, added up (D50)
    if f.scheme:
        query = query.where(M.scheme_code == f.scheme)
    for scheme, bpmn_id, handled, with_limit, within, wait, work in session.execute(query):
        a = accs[(scheme, bpmn_id)]
        a.handled += handled
        a.with_limit += with_limit
        a.within += within
        for target, source in ((a.wait, wait), (a.work, work)):
            for minutes, n in (source or {}).items():
                target[int(minutes)] += n


def steps(session: Session, f: Filters, *, now: datetime, rollups: bool = True) -> list[StepStats]:
    """Per step of each process: handled in the period, waiting and working times, compliance, and
    what is pending and overdue now. Applicant steps are flagged: their time is the applicant's."""
    names = step_names(session)
    found: dict[tuple[str, str], StepStats] = {}

    def stat(scheme: str, bpmn_id: str) -> StepStats:
        if (scheme, bpmn_id) not in found:
            name, lane = names.get((scheme, bpmn_id), (bpmn_id, None))
            found[(scheme, bpmn_id)] = StepStats(scheme=scheme, bpmn_id=bpmn_id, name=name, lane=lane)
        return found[(scheme, bpmn_id)]

    accs: dict[tuple[str, str], _StepAcc] = gather(
        f, defaultdict(_StepAcc), partial(_steps_from_facts, session), partial(_steps_from_months, session, f),
        rollups=rollups,
    )
    for key, a in accs.items():
        if a.handled:
            s = stat(*key)
            s.handled, s.with_limit, s.within_limit = a.handled, a.with_limit, a.within
            s.waiting_minutes, s.working_minutes = Distribution.of(a.wait), Distribution.of(a.work)
    keys = process_keys(session)
    scheme_of = {key: code for code, key in keys.items()}
    pending = select(Task.process_key, Task.bpmn_id, func.count(), func.sum(case((Task.due_at < now, 1), else_=0)))
    pending = pending.where(Task.state.in_(TaskState.OPEN), Task.process_key.in_(list(scheme_of)))
    if f.scheme:
        pending = pending.where(Task.process_key == keys.get(f.scheme, ""))
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


def _handled_from_facts(session: Session, f: Filters, handled: dict[str, dict[int, int]]) -> None:
    query = _scoped(
        select(S.completed_by, S.work_minutes, func.count()).where(
            S.completed_on.between(f.start, f.end), func.coalesce(S.lane, "") != APPLICANT, S.completed_by.is_not(None)
        ),
        f,
        S.scheme_code,
        S.district_code,
    ).group_by(S.completed_by, S.work_minutes)
    for username, minutes, n in session.execute(query):
        handled[username][minutes] += n


def _handled_from_months(session: Session, f: Filters, first: date, last: date, handled: dict[str, dict[int, int]]) -> None:
    # Kept while the months' rows are unchanged (D101); shared, so copied, not changed.
    for username, histogram in rollup_sums.officers_minutes(session, MonthlyOfficerStats, first, last, f.scheme, f.district).items():
        if username in handled:
            target = handled[username]
            for minutes, n in histogram.items():
                target[minutes] += n
        else:
            handled[username] = defaultdict(int, histogram)


def officers(session: Session, f: Filters, *, now: datetime, rollups: bool = True) -> list[OfficerStats]:
    """Per officer: open and overdue now, completed in the period, median handling time (internal)."""
    people = {
        u.username: OfficerStats(u.username, u.full_name, u.role, u.district_code)
        for u in session.scalars(select(User).where(User.role.not_in((APPLICANT, "facilitation_operator", "admin"))))
    }
    if f.district:
        people = {k: v for k, v in people.items() if v.district == f.district or v.district is None}
    open_q = select(Task.assignee, func.count(), func.sum(case((Task.due_at < now, 1), else_=0))).where(
        Task.state == TaskState.CLAIMED
    )
    if f.district:
        open_q = open_q.where(Task.district == f.district)
    if f.scheme:
        open_q = open_q.where(Task.process_key == process_keys(session).get(f.scheme, ""))
    for username, n, overdue in session.execute(open_q.group_by(Task.assignee)):
        if username in people:
            people[username].open, people[username].overdue = n, overdue or 0
    handled: dict[str, dict[int, int]] = gather(
        f, defaultdict(lambda: defaultdict(int)), partial(_handled_from_facts, session),
        partial(_handled_from_months, session, f), rollups=rollups,
    )
    for username, histogram in handled.items():
        if username in people:
            people[username].handling_minutes = Distribution.of(histogram)
            people[username].completed = people[username].handling_minutes.count
    return sorted(people.values(), key=lambda p: (p.district or "", p.role, p.username))
