"""Read-side statistics over the summary rows. Every figure is computed, never stored by hand."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, and_, case, func, literal, select
from sqlalchemy.orm import Session

from engine.models import Task, TaskState
from stats import rollup_sums
from stats.distribution import Distribution
from stats.filters import Filters
from stats.models import ApplicationFact as F
from stats.models import MonthlyStats, YearlyStats
from stats.periods import split, whole_years
from workflows.catalogue.schemes import process_keys
from workflows.models import Application, District

GROUPS = {"scheme": F.scheme_code, "district": F.district_code, None: None}


def _scope(query: Select, f: Filters, scheme_col, district_col) -> Select:  # noqa: ANN001
    if f.scheme:
        query = query.where(scheme_col == f.scheme)
    if f.district:
        query = query.where(district_col == f.district)
    return query


COUNTS = (
    "received", "in_process", "pending_beyond_limit", "approved", "rejected", "disposed_within_limit",
    "benefit_sanctioned", "benefit_released",
)
HISTOGRAMS = {"working": "days_working", "calendar": "days_calendar", "approval": "days_to_approval"}


def _counter() -> dict[int, int]:
    return defaultdict(int)


@dataclass(eq=False)
class Summary:
    """Received, decided, pending and days to decision of one group (a scheme, a district, or
    all): counts and histograms of days (value -> how many) added up from facts and rolled-up rows
    alike; the distributions (exact percentiles) are computed from the histograms when read."""

    key: str | None = None
    received: int = 0
    in_process: int = 0
    pending_beyond_limit: int = 0
    approved: int = 0
    rejected: int = 0
    disposed_within_limit: int = 0
    benefit_sanctioned: int = 0
    benefit_released: int = 0
    working: dict[int, int] = field(default_factory=_counter, repr=False)
    calendar: dict[int, int] = field(default_factory=_counter, repr=False)
    # Days to approval (approved cases only): what the public dashboard calls "average time".
    approval: dict[int, int] = field(default_factory=_counter, repr=False)

    @property
    def days_working(self) -> Distribution:
        return Distribution.of(self.working)

    @property
    def days_calendar(self) -> Distribution:
        return Distribution.of(self.calendar)

    @property
    def days_to_approval(self) -> Distribution:
        return Distribution.of(self.approval)

    @property
    def disposed(self) -> int:
        return self.approved + self.rejected

    @property
    def within_limit_pct(self) -> float | None:
        return round(100 * self.disposed_within_limit / self.disposed, 1) if self.disposed else None

    def add(self, other: Summary) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in HISTOGRAMS:
            mine = getattr(self, name)
            for value, n in getattr(other, name).items():
                mine[value] += n

    def _figures(self) -> tuple:
        return (self.key, *(getattr(self, n) for n in COUNTS), *(getattr(self, d) for d in HISTOGRAMS.values()))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Summary) and self._figures() == other._figures()


def summaries(
    session: Session,
    f: Filters,
    *,
    today: date,
    by: str | None = None,
    histograms: tuple = ("pending", "working", "calendar", "approval"),
    rollups: bool = True,
) -> list[Summary]:
    """Received, decided, pending and days to decision per scheme, per district, or in total."""
    total, rows = summary_and_rows(session, f, today=today, by=by, histograms=histograms, rollups=rollups)
    return rows if by else [total]


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
        a.pending_beyond_limit += row[-1] or 0
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
        a.disposed_within_limit += n if within else 0
        a.working[days_w] += n
        a.calendar[days_c] += n
    for column, day, attr in ((F.benefit_sanctioned, F.sanctioned_on, "benefit_sanctioned"), (F.benefit_released, F.released_on, "benefit_released")):
        money = _scope(select(*keys, func.sum(column)).where(day.between(f.start, f.end)), f, F.scheme_code, F.district_code)
        for row in session.execute(money.group_by(*keys)):
            a = accs[row[0] if keys else None]
            setattr(a, attr, getattr(a, attr) + int(row[-1] or 0))



def _from_rollup(
    session: Session, M: type[MonthlyStats | YearlyStats], f: Filters, first: date, last: date, today: date,  # noqa: N803
    by: str | None, accs: dict, histograms: tuple,
) -> None:
    pending = "pending" in histograms
    histograms = tuple(h for h in histograms if h != "pending")
    if not f.district and by != "district":
        _state_wide(session, M, f, first, last, today, by, accs, histograms, pending)
        return
    columns = (
        M.scheme_code, M.district_code, M.received, M.open, M.open_due if pending else literal(None), M.approved,
        M.rejected, M.within_limit, M.benefit_sanctioned, M.benefit_released,
        *(getattr(M, HISTOGRAMS[h]) for h in histograms),
    )
    query = select(*columns).where(M.month.between(first, last))
    if f.scheme:
        query = query.where(M.scheme_code == f.scheme)
    if f.district:
        query = query.where(M.district_code == f.district)
    # State-wide figures add up the district rows (no row is shared by districts, D50); adding
    # them here was faster than merging the histograms in SQL (docs/benchmarks.md).
    cutoff = today.isoformat()
    # Histograms are added up under their stored (text) values and converted once at the end:
    # state-wide views add thousands of district rows (D50).
    raw: dict[tuple, dict[str, int]] = {}
    for row in session.execute(query):
        scheme, district, received, open_, open_due, approved, rejected, within, sanctioned, released = row[:10]
        key = scheme if by == "scheme" else district if by == "district" else None
        a = accs[key]
        a.received += received
        a.in_process += open_
        a.pending_beyond_limit += sum(n for due, n in (open_due or {}).items() if due < cutoff)
        a.approved += approved
        a.rejected += rejected
        a.disposed_within_limit += within
        a.benefit_sanctioned += sanctioned
        a.benefit_released += released
        for h, source in zip(histograms, row[10:], strict=True):
            if source:
                rollup_sums.add_into(raw.setdefault((key, h), {}), source)
    _convert(accs, raw)


def _convert(accs: dict, raw: dict[tuple, dict[str, int]]) -> None:
    """Histograms added up under their stored text values, converted once into the summaries."""
    for (key, h), added in raw.items():
        histogram = getattr(accs[key], h)
        for value, n in added.items():
            histogram[int(value)] += n


def _state_wide(
    session: Session, M: type[MonthlyStats | YearlyStats], f: Filters, first: date, last: date, today: date,  # noqa: N803
    by: str | None, accs: dict, histograms: tuple, pending: bool,
) -> None:
    """State-wide figures from the districts' rows, added up per period and scheme once and kept
    while those rows are unchanged (stats/rollup_sums.py, D101)."""
    cutoff = today.isoformat()
    raw: dict[tuple, dict[str, int]] = {}
    for scheme, group in rollup_sums.state_wide(session, M, first, last, f.scheme):
        key = scheme if by == "scheme" else None
        a, counts = accs[key], group.counts
        a.received += counts["received"]
        a.in_process += counts["open"]
        if pending:
            a.pending_beyond_limit += sum(n for due, n in group.histograms["open_due"].items() if due < cutoff)
        a.approved += counts["approved"]
        a.rejected += counts["rejected"]
        a.disposed_within_limit += counts["within_limit"]
        a.benefit_sanctioned += counts["benefit_sanctioned"]
        a.benefit_released += counts["benefit_released"]
        for h in histograms:
            if group.histograms[HISTOGRAMS[h]]:
                rollup_sums.add_into(raw.setdefault((key, h), {}), group.histograms[HISTOGRAMS[h]])
    _convert(accs, raw)


def _month_series(session: Session, f: Filters, first: date, last: date) -> dict[date, list[int]]:
    M = MonthlyStats  # noqa: N806
    query = select(M.month, func.sum(M.received), func.sum(M.approved), func.sum(M.rejected)).where(
        M.month.between(first, last)
    )
    if f.district:
        query = query.where(M.district_code == f.district)
    if f.scheme:
        query = query.where(M.scheme_code == f.scheme)
    return {month: [r or 0, a or 0, j or 0] for month, r, a, j in session.execute(query.group_by(M.month))}


def summary_and_rows(
    session: Session,
    f: Filters,
    *,
    today: date,
    by: str | None,
    histograms: tuple = ("pending", "working", "calendar", "approval"),
    rollups: bool = True,
) -> tuple[Summary, list[Summary]]:
    """The total and, with `by`, one row per scheme or district. Leaving out `histograms` that are
    not needed ("pending" is the due dates of open applications) saves reading them from the
    rolled-up rows: the ranking needs only working days.

    Whole financial years come from `yearly_stats`, other whole months from `monthly_stats`, the
    days before the first and after the last whole month from the application facts (all of it
    from the facts with `rollups=False`). All give counts per value, so percentiles stay exact.
    """
    group = GROUPS[by]
    accs: dict[str | None, Summary] = defaultdict(Summary)
    parts = split(f, rollups=rollups)
    for edge in parts.edges:
        _from_facts(session, edge, today, group, accs)
    if parts.months is not None:
        runs, years = whole_years(*parts.months)
        for first, last in runs:
            _from_rollup(session, MonthlyStats, f, first, last, today, by, accs, histograms)
        if years is not None:
            _from_rollup(session, YearlyStats, f, *years, today, by, accs, histograms)
    total = Summary()
    for key, acc in accs.items():
        acc.key = key
        total.add(acc)
    if group is None:
        return total, []
    return total, [accs[k] for k in sorted(accs)]


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


def series(session: Session, f: Filters, *, unit: str = "day", rollups: bool = True) -> list[SeriesPoint]:
    """Received, approved and rejected per day, week (from Monday) or month of the period."""
    if unit not in ("day", "week", "month"):
        raise ValueError(f"Unknown unit '{unit}': use day, week or month.")
    points: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    parts = split(f, rollups=rollups and unit == "month")
    if parts.months is not None:
        for month, values in _month_series(session, f, *parts.months).items():
            if any(values):
                points[month] = values
    for piece in parts.edges:
        for point in _facts_series(session, piece, unit):
            points[point.period] = [x + y for x, y in zip(points[point.period], (point.received, point.approved, point.rejected), strict=True)]
    return [SeriesPoint(k, *v) for k, v in sorted(points.items())]


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
        if f.bank_ifsc is not None:
            query = query.where(F.instance_id.in_(select(Application.instance_id).where(Application.bank_ifsc == f.bank_ifsc)))
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
                Task.state.in_(TaskState.OPEN), Task.process_key == process_keys(session).get(f.scheme, ""), Task.bpmn_id == step
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
