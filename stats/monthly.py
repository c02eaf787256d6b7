"""Keeps the rolled-up figures in step with the facts, as deltas in the step's transaction:
`monthly_stats` and `yearly_stats` from the application facts, `monthly_step_stats` and
`monthly_officer_stats` from the step facts. `rebuild` recomputes them all from the facts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from sqlalchemy import JSON, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from stats.filters import financial_year
from stats.models import (
    ApplicationFact,
    MonthlyOfficerStats,
    MonthlyStats,
    MonthlyStepStats,
    StepFact,
    YearlyStats,
)
from workflows.roles import APPLICANT

# Each change is also added to the scheme's row for all districts, so that state-wide figures
# read one row per month and scheme instead of one per district.
ALL_DISTRICTS = "*"
ROLLUPS = (MonthlyStats, YearlyStats, MonthlyStepStats, MonthlyOfficerStats)


def month_of(day: date) -> date:
    return day.replace(day=1)


def year_of(day: date) -> date:
    return financial_year(day)[0]


# The application figures are kept per month and per financial year alike.
PERIODS = ((MonthlyStats, month_of), (YearlyStats, year_of))


def _blank(model: type) -> dict[str, Any]:
    return {c.name: {} if isinstance(c.type, JSON) else 0 for c in model.__table__.columns if not c.primary_key}


def _cell(session: Session, model: type, key: dict[str, Any]) -> Any:
    """The row for `key`, created if missing, under its write lock (concurrent steps queue here)."""
    session.flush()  # populate_existing below must not overwrite changes still in memory
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(model).values(**key, **_blank(model)).on_conflict_do_nothing(index_elements=list(key)))
    return session.scalars(
        select(model).filter_by(**key).with_for_update().execution_options(populate_existing=True)
    ).one()


def _add(histogram: dict[str, int], value: object, n: int) -> dict[str, int]:
    """A changed copy (JSON columns are saved when the attribute is assigned a new object)."""
    out = dict(histogram or {})
    key = str(value)
    out[key] = out.get(key, 0) + n
    if out[key] == 0:
        del out[key]
    return out


def bump(session: Session, day: date, fact: ApplicationFact, change: Callable[[MonthlyStats], None]) -> None:
    for model, start_of in PERIODS:
        for district in (fact.district_code, ALL_DISTRICTS):
            change(_cell(session, model, dict(month=start_of(day), scheme_code=fact.scheme_code, district_code=district)))


def received(session: Session, fact: ApplicationFact, n: int = 1) -> None:
    def change(c: MonthlyStats) -> None:
        c.received += n
        c.open += n
        c.open_due = _add(c.open_due, fact.due_on.isoformat(), n)

    bump(session, fact.submitted_on, fact, change)


def due_moved(session: Session, fact: ApplicationFact, old: date) -> None:
    def change(c: MonthlyStats) -> None:
        c.open_due = _add(_add(c.open_due, old.isoformat(), -1), fact.due_on.isoformat(), 1)

    bump(session, fact.submitted_on, fact, change)


def decided(session: Session, fact: ApplicationFact) -> None:
    def close(c: MonthlyStats) -> None:
        c.open -= 1
        c.open_due = _add(c.open_due, fact.due_on.isoformat(), -1)

    def count(c: MonthlyStats) -> None:
        if fact.outcome == "approved":
            c.approved += 1
            c.days_to_approval = _add(c.days_to_approval, fact.days_calendar, 1)
        else:
            c.rejected += 1
        c.within_limit += 1 if fact.within_limit else 0
        c.days_working = _add(c.days_working, fact.days_working, 1)
        c.days_calendar = _add(c.days_calendar, fact.days_calendar, 1)

    bump(session, fact.submitted_on, fact, close)
    bump(session, fact.decided_on, fact, count)  # type: ignore[arg-type]


def money(session: Session, fact: ApplicationFact, attr: str, old: tuple[date | None, int | None], new: tuple[date, int]) -> None:
    """Move an amount (sanctioned or released) from its old month to its new one."""
    if old[0] is not None and old[1]:
        bump(session, old[0], fact, lambda c: setattr(c, attr, getattr(c, attr) - old[1]))
    bump(session, new[0], fact, lambda c: setattr(c, attr, getattr(c, attr) + new[1]))


def step_done(session: Session, step: StepFact) -> None:
    month = month_of(step.completed_on)
    for district in (step.district_code, ALL_DISTRICTS):
        key = dict(month=month, scheme_code=step.scheme_code, district_code=district, bpmn_id=step.bpmn_id)
        c = _cell(session, MonthlyStepStats, key)
        c.handled += 1
        c.with_limit += step.within_limit is not None
        c.within_limit += step.within_limit is True
        c.wait_minutes = _add(c.wait_minutes, step.wait_minutes, 1)
        c.work_minutes = _add(c.work_minutes, step.work_minutes, 1)
    if _officer_step(step):
        key = dict(month=month, completed_by=step.completed_by, scheme_code=step.scheme_code, district_code=step.district_code)
        c = _cell(session, MonthlyOfficerStats, key)
        c.completed += 1
        c.work_minutes = _add(c.work_minutes, step.work_minutes, 1)


def _officer_step(step: StepFact) -> bool:
    return step.lane != APPLICANT and step.completed_by is not None


class _Cells:
    """Rows being rebuilt in memory, keyed by table and primary key."""

    def __init__(self) -> None:
        self.rows: dict[tuple, dict[str, Any]] = {}

    def get(self, model: type, **key: Any) -> dict[str, Any]:
        k = (model, *key.values())
        if k not in self.rows:
            self.rows[k] = {**key, **_blank(model)}
        return self.rows[k]

    def application(self, day: date, f: ApplicationFact) -> list[dict[str, Any]]:
        return [
            self.get(model, month=start_of(day), scheme_code=f.scheme_code, district_code=d)
            for model, start_of in PERIODS
            for d in (f.district_code, ALL_DISTRICTS)
        ]

    def save(self, session: Session) -> None:
        for model in ROLLUPS:
            rows = [row for key, row in self.rows.items() if key[0] is model]
            for i in range(0, len(rows), 5000):
                session.execute(model.__table__.insert(), rows[i : i + 5000])


def _count(cells: list[dict[str, Any]], name: str, n: int) -> None:
    for c in cells:
        c[name] += n


def _hist(cells: list[dict[str, Any]], name: str, value: object, n: int = 1) -> None:
    key = str(value)
    for c in cells:
        c[name][key] = c[name].get(key, 0) + n


def rebuild(session: Session, facts: Iterable[ApplicationFact], steps: Iterable[StepFact]) -> None:
    """Recompute every rolled-up row from the facts (the caller has deleted the old rows)."""
    cells = _Cells()
    for f in facts:
        c = cells.application(f.submitted_on, f)
        _count(c, "received", 1)
        if f.decided_on is None:
            _count(c, "open", 1)
            _hist(c, "open_due", f.due_on.isoformat())
        else:
            d = cells.application(f.decided_on, f)
            _count(d, "approved" if f.outcome == "approved" else "rejected", 1)
            _count(d, "within_limit", 1 if f.within_limit else 0)
            _hist(d, "days_working", f.days_working)
            _hist(d, "days_calendar", f.days_calendar)
            if f.outcome == "approved":
                _hist(d, "days_to_approval", f.days_calendar)
        if f.sanctioned_on and f.benefit_sanctioned:
            _count(cells.application(f.sanctioned_on, f), "benefit_sanctioned", f.benefit_sanctioned)
        if f.released_on and f.benefit_released:
            _count(cells.application(f.released_on, f), "benefit_released", f.benefit_released)
    for s in steps:
        month = month_of(s.completed_on)
        c = [
            cells.get(MonthlyStepStats, month=month, scheme_code=s.scheme_code, district_code=d, bpmn_id=s.bpmn_id)
            for d in (s.district_code, ALL_DISTRICTS)
        ]
        _count(c, "handled", 1)
        _count(c, "with_limit", s.within_limit is not None)
        _count(c, "within_limit", s.within_limit is True)
        _hist(c, "wait_minutes", s.wait_minutes)
        _hist(c, "work_minutes", s.work_minutes)
        if _officer_step(s):
            o = [cells.get(MonthlyOfficerStats, month=month, completed_by=s.completed_by, scheme_code=s.scheme_code,
                           district_code=s.district_code)]
            _count(o, "completed", 1)
            _hist(o, "work_minutes", s.work_minutes)
    cells.save(session)
