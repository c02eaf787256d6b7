"""Every dashboard table as plain rows: the pages render them and the CSV/XLSX exports write them,
so a download always holds what the page shows, with the same filters and the same access rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from engine.uow import UnitOfWork
from stats import businesses, queries, step_queries
from stats.filters import Filters
from stats.loans import loan_figures
from stats.ranking import ranking
from workflows.catalogue.schemes import catalogue, get_scheme

# Column kinds tell the page how to format a value: count, days, hours, pct, rupees, date, text,
# status, role (a lane or role id, shown by its name), rank (None: not ranked), movement.


@dataclass(frozen=True)
class Column:
    key: str
    kind: str = "count"


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[Column]
    rows: list[tuple]
    total: int | None = None  # all rows of a paged table, when `rows` is one page


def _hours(minutes: float | None) -> float | None:
    return None if minutes is None else round(minutes / 60, 1)


def _days(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


# The key figures first (counts, compliance, benefits, the median), so that they are on screen on a
# 1,366 px display; the rest of the distribution follows, reached by scrolling the table (D92).
SUMMARY_COLUMNS = [
    Column("received"), Column("approved"), Column("rejected"), Column("in_process"), Column("pending_beyond_limit"),
    Column("within_limit_pct", "pct"), Column("benefit_sanctioned", "rupees"), Column("benefit_released", "rupees"),
    Column("median_working_days", "days"),
    Column("avg_working_days", "days"), Column("p90_working_days", "days"),
    Column("min_working_days", "days"), Column("max_working_days", "days"),
    Column("avg_calendar_days", "days"), Column("median_calendar_days", "days"), Column("p90_calendar_days", "days"),
    Column("min_calendar_days", "days"), Column("max_calendar_days", "days"),
]


def _summary_values(s: queries.Summary) -> tuple:
    w, c = s.days_working, s.days_calendar
    return (
        s.received, s.approved, s.rejected, s.in_process, s.pending_beyond_limit, s.within_limit_pct,
        s.benefit_sanctioned, s.benefit_released, _days(w.median),
        _days(w.mean), _days(w.p90), w.minimum, w.maximum,
        _days(c.mean), _days(c.median), _days(c.p90), c.minimum, c.maximum,
    )


def summary(session: Session, f: Filters, *, today: date, by: str | None) -> Table:
    return summary_table(session, queries.summaries(session, f, today=today, by=by), by)


def summary_table(session: Session, rows: list[queries.Summary], by: str | None) -> Table:
    names = queries.district_names(session) if by == "district" else {c: s.name for c, s in catalogue(session).items()}
    key_column = [Column(by or "scope", "text")]
    return Table(
        name=f"summary_by_{by}" if by else "summary",
        columns=key_column + SUMMARY_COLUMNS,
        rows=[((names.get(s.key, s.key) if by else "all"), *_summary_values(s)) for s in rows],
    )


def steps(session: Session, f: Filters, *, now: datetime) -> Table:
    return steps_table(step_queries.steps(session, f, now=now))


def steps_table(rows: list[step_queries.StepStats]) -> Table:
    return Table(
        name="steps",
        columns=[
            Column("scheme", "text"), Column("step", "text"), Column("step_id", "text"), Column("office", "role"),
            Column("handled"),
            Column("avg_waiting_hours", "hours"), Column("median_waiting_hours", "hours"), Column("p90_waiting_hours", "hours"),
            Column("avg_working_hours", "hours"), Column("median_working_hours", "hours"), Column("p90_working_hours", "hours"),
            Column("within_limit_pct", "pct"), Column("pending_now"), Column("overdue_now"),
        ],
        rows=[
            (
                s.scheme, s.name, s.bpmn_id, s.lane or "", s.handled,
                _hours(s.waiting_minutes.mean), _hours(s.waiting_minutes.median), _hours(s.waiting_minutes.p90),
                _hours(s.working_minutes.mean), _hours(s.working_minutes.median), _hours(s.working_minutes.p90),
                s.compliance_pct, s.pending_now, s.overdue_now,
            )
            for s in rows
        ],
    )


def heatmap(uow: UnitOfWork, scheme: str, rows: list[step_queries.StepStats]) -> dict:
    """What the diagram heatmap draws on the newest version of `scheme`'s process."""
    definition = uow.definitions.require_latest(get_scheme(uow.session, scheme).process_key)
    return {
        "definition_id": definition.id,
        "steps": [
            {
                "id": s.bpmn_id,
                "median_hours": round(s.median_total_minutes / 60, 1),
                "pending": s.pending_now,
                "overdue": s.overdue_now,
                "applicant": s.with_applicant,
            }
            for s in rows
            if s.scheme == scheme
        ],
    }


def officers(session: Session, f: Filters, *, now: datetime) -> Table:
    return Table(
        name="officers",
        columns=[
            Column("officer", "text"), Column("role", "role"), Column("district", "text"), Column("open"),
            Column("overdue"), Column("completed"), Column("median_handling_hours", "hours"),
        ],
        rows=[
            (p.full_name, p.role, p.district or "", p.open, p.overdue, p.completed, _hours(p.handling_minutes.median))
            for p in step_queries.officers(session, f, now=now)
        ],
    )


def series(session: Session, f: Filters, *, unit: str) -> Table:
    return Table(
        name=f"series_by_{unit}",
        columns=[Column(unit, "date"), Column("received"), Column("approved"), Column("rejected")],
        rows=[(p.period, p.received, p.approved, p.rejected) for p in queries.series(session, f, unit=unit)],
    )


def applications(
    session: Session, f: Filters, *, status: str | None, sort: str, page: int, per_page: int, step: str | None = None
) -> Table:
    result = queries.application_list(session, f, status=status, sort=sort, step=step, page=page, per_page=per_page)
    names = queries.district_names(session)
    return Table(
        name="applications",
        columns=[
            Column("application", "text"), Column("scheme", "text"), Column("district", "text"),
            Column("applied_on", "date"), Column("decided_on", "date"), Column("status", "status"),
            Column("days_taken", "days"), Column("working_days_taken", "days"), Column("benefit", "rupees"),
        ],
        rows=[
            (
                r.number, r.scheme, names.get(r.district, r.district), r.submitted_on, r.decided_on, r.status,
                r.days_calendar, r.days_working, r.benefit,
            )
            for r in result.rows
        ],
        total=result.total,
    )


def district_ranking(session: Session, f: Filters, *, today: date) -> Table:
    return Table(
        name="ranking",
        columns=[
            Column("rank", "rank"), Column("district", "text"), Column("score", "days"), Column("disposal_rate_pct", "pct"),
            Column("within_limit_pct", "pct"), Column("median_working_days", "days"), Column("received"),
            Column("decided"), Column("movement", "movement"),
        ],
        rows=[
            (r.rank, r.name, r.score, r.disposal_rate, r.compliance, _days(r.median_days), r.received, r.decided, r.movement)
            for r in ranking(session, f, today=today)
        ],
    )


def registered_businesses(session: Session, f: Filters, *, page: int, per_page: int) -> Table:
    result = businesses.listing(session, f, page=page, per_page=per_page)
    return Table(
        name="businesses",
        columns=[
            Column("business", "text"), Column("district", "text"), Column("product_type", "text"),
            Column("services_used", "text"), Column("since", "date"),
        ],
        rows=[(b.reference, b.district, b.product_type, b.services, b.since) for b in result.rows],
        total=result.total,
    )


PUBLIC = ("summary_by_scheme", "summary_by_district", "series", "applications", "ranking", "businesses")
def loans(session: Session, f: Filters) -> Table:
    names = queries.district_names(session)
    return Table(
        name="loans",
        columns=[
            Column("district", "text"), Column("loans_sanctioned"), Column("loan_amount_sanctioned", "rupees"),
            Column("loans_disbursed"), Column("loan_amount_disbursed", "rupees"),
        ],
        rows=[
            (names.get(r.district, r.district), r.sanctioned, r.sanctioned_amount, r.disbursed, r.disbursed_amount)
            for r in loan_figures(session, f)
        ],
    )


INTERNAL = (*PUBLIC, "steps", "officers", "loans")
SORTS = tuple(queries.SORTS)


def build(
    name: str,
    session: Session,
    f: Filters,
    *,
    today: date,
    now: datetime,
    unit: str = "month",
    status: str | None = None,
    sort: str = "submitted",
    step: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> Table:
    """The table called `name`; stats/dashboards.py decides who may see it and narrows `f`."""
    if name == "summary_by_scheme":
        return summary(session, f, today=today, by="scheme")
    if name == "summary_by_district":
        return summary(session, f, today=today, by="district")
    if name == "series":
        return series(session, f, unit=unit)
    if name == "applications":
        return applications(session, f, status=status, sort=sort, step=step, page=page, per_page=per_page)
    if name == "ranking":
        return district_ranking(session, f, today=today)
    if name == "businesses":
        return registered_businesses(session, f, page=page, per_page=per_page)
    if name == "steps":
        return steps(session, f, now=now)
    if name == "officers":
        return officers(session, f, now=now)
    if name == "loans":
        return loans(session, f)
    raise ValueError(f"There is no table '{name}'.")
