"""Keeps `monthly_stats` in step with the application facts, as deltas in the step's transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from stats.models import ApplicationFact, MonthlyStats

# Each change is also added to the scheme's row for all districts, so that state-wide figures
# read one row per month and scheme instead of one per district.
ALL_DISTRICTS = "*"


def month_of(day: date) -> date:
    return day.replace(day=1)


def _cell(session: Session, day: date, fact: ApplicationFact, district: str) -> MonthlyStats:
    """The month's row, created if missing, under its write lock (concurrent steps queue here)."""
    session.flush()  # populate_existing below must not overwrite changes still in memory
    key = {"month": month_of(day), "scheme_code": fact.scheme_code, "district_code": district}
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(MonthlyStats)
        .values(**key, received=0, open=0, open_due={}, approved=0, rejected=0, within_limit=0, days_working={},
                days_calendar={}, days_to_approval={}, benefit_sanctioned=0, benefit_released=0)
        .on_conflict_do_nothing(index_elements=["month", "scheme_code", "district_code"])
    )
    return session.scalars(
        select(MonthlyStats).filter_by(**key).with_for_update().execution_options(populate_existing=True)
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
    for district in (fact.district_code, ALL_DISTRICTS):
        change(_cell(session, day, fact, district))


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


def rebuild(session: Session, facts: Iterable[ApplicationFact]) -> None:
    """Recompute every row from the facts (the caller has deleted the old rows)."""
    cells: dict[tuple, dict] = {}

    def one(key: tuple) -> dict:
        if key not in cells:
            cells[key] = dict(month=key[0], scheme_code=key[1], district_code=key[2], received=0, open=0, open_due={},
                              approved=0, rejected=0, within_limit=0, days_working={}, days_calendar={},
                              days_to_approval={}, benefit_sanctioned=0, benefit_released=0)
        return cells[key]

    class Both:
        """The district's cell and the all-districts cell, changed alike."""

        def __init__(self, day: date, f: ApplicationFact) -> None:
            self.cells = [one((month_of(day), f.scheme_code, d)) for d in (f.district_code, ALL_DISTRICTS)]

        def add(self, name: str, n: int) -> None:
            for c in self.cells:
                c[name] += n

        def hist(self, name: str, value: object, n: int) -> None:
            key = str(value)
            for c in self.cells:
                c[name][key] = c[name].get(key, 0) + n

    def cell(day: date, f: ApplicationFact) -> Both:
        return Both(day, f)

    for f in facts:
        c = cell(f.submitted_on, f)
        c.add("received", 1)
        if f.decided_on is None:
            c.add("open", 1)
            c.hist("open_due", f.due_on.isoformat(), 1)
        else:
            d = cell(f.decided_on, f)
            d.add("approved" if f.outcome == "approved" else "rejected", 1)
            d.add("within_limit", 1 if f.within_limit else 0)
            d.hist("days_working", f.days_working, 1)
            d.hist("days_calendar", f.days_calendar, 1)
            if f.outcome == "approved":
                d.hist("days_to_approval", f.days_calendar, 1)
        if f.sanctioned_on and f.benefit_sanctioned:
            cell(f.sanctioned_on, f).add("benefit_sanctioned", f.benefit_sanctioned)
        if f.released_on and f.benefit_released:
            cell(f.released_on, f).add("benefit_released", f.benefit_released)
    rows = list(cells.values())
    for i in range(0, len(rows), 5000):
        session.execute(MonthlyStats.__table__.insert(), rows[i : i + 5000])
