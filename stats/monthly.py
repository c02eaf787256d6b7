"""Keeps the rolled-up figures in step with the facts, as deltas in the step's transaction:
`monthly_stats` and `yearly_stats` from the application facts, `monthly_step_stats` and
`monthly_officer_stats` from the step facts. `rebuild` recomputes them all from the facts.

Every row is one district's (D50): no row is written by steps in two different districts, so
decisions in different districts never wait for each other's locks; state-wide figures add the
district rows up when they are read. A step gathers its changes per row (`Cells`) and writes
them with one `INSERT ... ON CONFLICT DO UPDATE` per table that adds the counts and merges the
histograms in the database, without reading the rows first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from sqlalchemy import JSON, literal_column
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
from workflows.catalogue.roles import APPLICANT

ROLLUPS = (MonthlyStats, YearlyStats, MonthlyStepStats, MonthlyOfficerStats)


def month_of(day: date) -> date:
    return day.replace(day=1)


def year_of(day: date) -> date:
    return financial_year(day)[0]


# The application figures are kept per month and per financial year alike.
PERIODS = ((MonthlyStats, month_of), (YearlyStats, year_of))


_LAYOUTS: dict[type, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _blank(model: type) -> dict[str, Any]:
    """A row of zero counts and empty histograms (the column layout is read once per table)."""
    layout = _LAYOUTS.get(model)
    if layout is None:
        columns = [c for c in model.__table__.columns if not c.primary_key and c.name != "revision"]
        layout = _LAYOUTS[model] = (
            tuple(c.name for c in columns if not isinstance(c.type, JSON)),
            tuple(c.name for c in columns if isinstance(c.type, JSON)),
        )
    counts, histograms = layout
    return {**dict.fromkeys(counts, 0), **{name: {} for name in histograms}}


def _hist(cell: dict[str, Any], name: str, value: object, n: int = 1) -> None:
    """Add `n` to the count of `value` in the histogram `name` (a count of 0 is dropped)."""
    histogram = cell[name]
    key = str(value)
    histogram[key] = histogram.get(key, 0) + n
    if histogram[key] == 0:
        del histogram[key]


# Adds a step's JSON histogram (value -> count, a few values) to the stored one in the database,
# dropping values whose count becomes 0. Only the step's values are looked up and the result is a
# patch of the stored object (json_patch, jsonb ||), so the cost does not grow with the stored
# histogram's size (it did when both were unpacked and added up with GROUP BY).
_MERGE = {
    "sqlite": (
        "CASE WHEN excluded.{c} = '{{}}' THEN {t}.{c} ELSE json_patch({t}.{c}, (SELECT json_group_object(d.key, "
        "CASE WHEN coalesce(json_extract({t}.{c}, '$.\"' || d.key || '\"'), 0) + d.value = 0 THEN json('null') "
        "ELSE coalesce(json_extract({t}.{c}, '$.\"' || d.key || '\"'), 0) + d.value END) FROM json_each(excluded.{c}) AS d)) END"
    ),
    "postgresql": (
        "CASE WHEN excluded.{c} = '{{}}'::jsonb THEN {t}.{c} ELSE ({t}.{c} || coalesce((SELECT jsonb_object_agg(d.key, "
        "coalesce(({t}.{c} ->> d.key)::bigint, 0) + d.value::bigint) FROM jsonb_each_text(excluded.{c}) AS d), '{{}}'::jsonb)) "
        "- coalesce((SELECT array_agg(d.key) FROM jsonb_each_text(excluded.{c}) AS d "
        "WHERE coalesce(({t}.{c} ->> d.key)::bigint, 0) + d.value::bigint = 0), '{{}}'::text[]) END"
    ),
}


def _order(item: tuple[tuple, dict]) -> tuple:
    return tuple(str(k) for k in item[0][1:])


class Cells:
    """Changes to rolled-up rows, keyed by table and primary key: a step's deltas, or whole rows
    being rebuilt."""

    def __init__(self) -> None:
        self.rows: dict[tuple, dict[str, Any]] = {}

    def get(self, model: type, **key: Any) -> dict[str, Any]:
        k = (model, *key.values())
        if k not in self.rows:
            self.rows[k] = {**key, **_blank(model)}
        return self.rows[k]

    def application(self, day: date, f: ApplicationFact) -> list[dict[str, Any]]:
        return [
            self.get(model, month=start_of(day), scheme_code=f.scheme_code, district_code=f.district_code)
            for model, start_of in PERIODS
        ]

    def _by_table(self) -> Iterable[tuple[type, list[dict[str, Any]]]]:
        # Tables and rows in one fixed order, so that two steps lock shared rows in the same order.
        for model in ROLLUPS:
            rows = [row for key, row in sorted(self.rows.items(), key=_order) if key[0] is model]
            if rows:
                yield model, rows

    def save(self, session: Session) -> None:
        """Insert the rows (a rebuild, into empty tables)."""
        for model, rows in self._by_table():
            for i in range(0, len(rows), 5000):
                session.execute(model.__table__.insert(), rows[i : i + 5000])

    def add_to(self, session: Session) -> None:
        """Add the deltas to the stored rows (creating missing ones): one statement per table."""
        connection = session.connection()  # Core statements: the ORM has nothing to do here
        dialect = connection.dialect.name
        for model, rows in self._by_table():
            connection.execute(_upsert(dialect, model), rows)
        self.rows.clear()


_UPSERTS: dict[tuple[str, type], Any] = {}


def _upsert(dialect: str, model: type) -> Any:
    """INSERT ... ON CONFLICT DO UPDATE adding the new row's counts and histograms to the stored
    row's; built once per table (building it costs more than running it)."""
    found = _UPSERTS.get((dialect, model))
    if found is None:
        table = model.__table__
        stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(table)
        changes = {
            c.name: literal_column(_MERGE[dialect].format(t=table.name, c=c.name))
            if isinstance(c.type, JSON) else c + stmt.excluded[c.name]
            for c in table.columns if not c.primary_key and c.name != "revision"
        }
        changes["revision"] = stmt.excluded.revision  # the new random one the insert would have had
        found = _UPSERTS[(dialect, model)] = stmt.on_conflict_do_update(
            index_elements=list(table.primary_key.columns), set_=changes
        )
    return found


def bump(cells: Cells, day: date, fact: ApplicationFact, change: Callable[[dict[str, Any]], None]) -> None:
    for cell in cells.application(day, fact):
        change(cell)


def received(cells: Cells, fact: ApplicationFact, n: int = 1) -> None:
    def change(c: dict[str, Any]) -> None:
        c["received"] += n
        c["open"] += n
        _hist(c, "open_due", fact.due_on.isoformat(), n)

    bump(cells, fact.submitted_on, fact, change)


def due_moved(cells: Cells, fact: ApplicationFact, old: date) -> None:
    def change(c: dict[str, Any]) -> None:
        _hist(c, "open_due", old.isoformat(), -1)
        _hist(c, "open_due", fact.due_on.isoformat(), 1)

    bump(cells, fact.submitted_on, fact, change)


def decided(cells: Cells, fact: ApplicationFact) -> None:
    def close(c: dict[str, Any]) -> None:
        c["open"] -= 1
        _hist(c, "open_due", fact.due_on.isoformat(), -1)

    def count(c: dict[str, Any]) -> None:
        if fact.outcome == "approved":
            c["approved"] += 1
            _hist(c, "days_to_approval", fact.days_calendar)
        else:
            c["rejected"] += 1
        c["within_limit"] += 1 if fact.within_limit else 0
        _hist(c, "days_working", fact.days_working)
        _hist(c, "days_calendar", fact.days_calendar)

    bump(cells, fact.submitted_on, fact, close)
    bump(cells, fact.decided_on, fact, count)  # type: ignore[arg-type]


def money(cells: Cells, fact: ApplicationFact, attr: str, old: tuple[date | None, int | None], new: tuple[date, int]) -> None:
    """Move an amount (sanctioned or released) from its old month to its new one."""
    if old[0] is not None and old[1]:
        bump(cells, old[0], fact, lambda c: c.__setitem__(attr, c[attr] - old[1]))
    bump(cells, new[0], fact, lambda c: c.__setitem__(attr, c[attr] + new[1]))


def step_done(cells: Cells, s: StepFact) -> None:
    month = month_of(s.completed_on)
    c = cells.get(MonthlyStepStats, month=month, scheme_code=s.scheme_code, district_code=s.district_code, bpmn_id=s.bpmn_id)
    c["handled"] += 1
    c["with_limit"] += s.within_limit is not None
    c["within_limit"] += s.within_limit is True
    _hist(c, "wait_minutes", s.wait_minutes)
    _hist(c, "work_minutes", s.work_minutes)
    if _officer_step(s):
        o = cells.get(MonthlyOfficerStats, month=month, completed_by=s.completed_by, scheme_code=s.scheme_code,
                      district_code=s.district_code)
        o["completed"] += 1
        _hist(o, "work_minutes", s.work_minutes)


def _officer_step(step: StepFact) -> bool:
    return step.lane != APPLICANT and step.completed_by is not None


def rebuild(session: Session, facts: Iterable[ApplicationFact], steps: Iterable[StepFact]) -> None:
    """Recompute every rolled-up row from the facts (the caller has deleted the old rows)."""
    cells = Cells()
    for f in facts:
        received(cells, f)
        if f.decided_on is not None:
            decided(cells, f)
        if f.sanctioned_on and f.benefit_sanctioned:
            money(cells, f, "benefit_sanctioned", (None, None), (f.sanctioned_on, f.benefit_sanctioned))
        if f.released_on and f.benefit_released:
            money(cells, f, "benefit_released", (None, None), (f.released_on, f.benefit_released))
    for s in steps:
        step_done(cells, s)
    cells.save(session)
