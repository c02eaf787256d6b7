"""The read side's one entry point: the dashboards of an actor, or of the public, with access applied.

`open_dashboard(work, actor, read_filters)` finds out who asks (`None` is the public), reads what
the filters are checked against (today, the district names), narrows the filters to what the actor
may see (stats/access.py) and returns a `Dashboard`; its methods give the tables the pages render
and the downloads write. Views parse the request, call this and render: they never apply access
rules and never hold the session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from engine.errors import NotFound
from stats import access, queries, step_queries, tables
from stats.appeals import AppealFigures, appeal_figures
from stats.filters import Filters
from workflows.catalogue import roles
from workflows.catalogue.schemes import Scheme, catalogue
from workflows.models import User
from workflows.uow import SchemeUnitOfWork

# (today, the district names by code) -> the filters the request asks for.
ReadFilters = Callable[[date, dict[str, str], Iterable[str]], Filters]


class UnknownTable(NotFound):
    code = "unknown_table"


@dataclass(frozen=True)
class Options:
    """How a table is cut: the series' unit; the application list's status, sort, step and page."""

    unit: str = "month"
    status: str | None = None
    sort: str = "submitted"
    step: str | None = None
    page: int = 1
    per_page: int = 50


@dataclass(frozen=True)
class Overview:
    total: queries.Summary
    by_scheme: tables.Table
    by_district: tables.Table | None
    series: tables.Table


@dataclass(frozen=True)
class Steps:
    table: tables.Table
    slowest: step_queries.StepStats | None
    heat: dict | None  # what the diagram heatmap draws, when the filters name a scheme


@dataclass(frozen=True)
class Dashboard:
    """One request's view of the statistics; `filters` are already narrowed to what `user` may see."""

    work: SchemeUnitOfWork
    user: User | None  # None: the public
    filters: Filters
    districts: dict[str, str]
    schemes: dict[str, Scheme]
    now: datetime

    @property
    def fixed_district(self) -> str | None:
        """The district an officer is held to (None for the public, state roles and administrators)."""
        if self.user is None or roles.is_state_role(self.user.role):
            return None
        return self.user.district_code

    @property
    def names(self) -> tuple[str, ...]:
        return tables.PUBLIC if self.user is None else tables.INTERNAL

    def table(self, name: str, options: Options | None = None) -> tables.Table:
        """The table called `name`, if this audience may see it."""
        options = options or Options()
        if name not in self.names:
            raise UnknownTable(f"There is no table '{name}'.")
        if self.user is None:
            options = replace(options, step=None)  # the steps are internal: the public lists are not cut by step
        return tables.build(
            name, self.work.session, self.filters, today=self.now.date(), now=self.now, unit=options.unit,
            status=options.status, sort=options.sort, step=options.step, page=options.page, per_page=options.per_page,
        )

    def overview(self, *, unit: str, by: str) -> Overview:
        """The figures of the first page: the total, by scheme and (`by="district"`) by district, the series."""
        session, today = self.work.session, self.now.date()
        total, rows = queries.summary_and_rows(session, self.filters, today=today, by=by)
        keyed = tables.summary_table(session, rows, by)
        by_scheme = keyed if by == "scheme" else self.table("summary_by_scheme")
        return Overview(
            total=total, by_scheme=by_scheme, by_district=keyed if by == "district" else None,
            series=self.table("series", Options(unit=unit)),
        )

    def appeals(self) -> list[AppealFigures]:
        """Appeals filed in the period, per level: decided, within the limit, pending, overdue (D87);
        counts only, so the public sees them too."""
        return appeal_figures(self.work.session, self.filters, now=self.now)

    def steps(self) -> Steps:
        if self.user is None:
            raise UnknownTable("There is no table 'steps'.")
        rows = step_queries.steps(self.work.session, self.filters, now=self.now)
        heat = tables.heatmap(self.work, self.filters.scheme, rows) if self.filters.scheme else None
        return Steps(table=tables.steps_table(rows), slowest=step_queries.slowest_step(rows), heat=heat)


def open_dashboard(work: SchemeUnitOfWork, actor: str | None, read_filters: ReadFilters) -> Dashboard:
    """The dashboard `actor` may see (the public one for None); asking beyond it raises NotAllowed."""
    districts = queries.district_names(work.session)
    now = work.clock.now()
    user = work.users.by_username(actor) if actor is not None else None
    schemes = catalogue(work.session)
    f = read_filters(now.date(), districts, schemes)
    if user is not None:
        f = access.scoped(user, f)
    return Dashboard(work=work, user=user, filters=f, districts=districts, schemes=schemes, now=now)
