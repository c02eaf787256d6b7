"""How a period is split between the facts and the rolled-up rows: whole financial years from
`yearly_stats`, whole months from the monthly tables, and the days at either end from the facts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TypeVar

from stats.filters import Filters


def next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def whole_months(f: Filters) -> tuple[date, date] | None:
    """The first and last month (first days) lying wholly inside the period, if any."""
    first = f.start if f.start.day == 1 else next_month(f.start)
    day_after = f.end + timedelta(days=1)
    last = previous_month(day_after if day_after.day == 1 else day_after.replace(day=1))
    return (first, last) if first <= last else None


@dataclass(frozen=True)
class Split:
    """`edges`: the parts of the period to read from the facts; `months`: the first and last whole
    month, if any."""

    edges: list[Filters]
    months: tuple[date, date] | None


def split(f: Filters, *, rollups: bool = True) -> Split:
    """Without `rollups`, the whole period is read from the facts (what the tests compare with)."""
    months = whole_months(f) if rollups else None
    if months is None:
        return Split([f], None)
    first, last = months
    edges = []
    if f.start < first:
        edges.append(replace(f, end=first - timedelta(days=1)))
    if next_month(last) <= f.end:
        edges.append(replace(f, start=next_month(last)))
    return Split(edges, months)


Into = TypeVar("Into")


def gather(
    f: Filters,
    into: Into,
    from_facts: Callable[[Filters, Into], None],
    from_months: Callable[[date, date, Into], None],
    *,
    rollups: bool = True,
) -> Into:
    """Fill `into` from the facts for the edges of the period and from the monthly rows between."""
    parts = split(f, rollups=rollups)
    for edge in parts.edges:
        from_facts(edge, into)
    if parts.months is not None:
        from_months(*parts.months, into)
    return into


def whole_years(first: date, last: date) -> tuple[list[tuple[date, date]], tuple[date, date] | None]:
    """Months first..last split into runs of months (at most two, at either end) and the first
    days of the whole financial years (April to March) between them, as (first, last) ranges."""
    start = date(first.year if first.month <= 4 else first.year + 1, 4, 1)
    years_end = start
    while date(years_end.year + 1, 3, 1) <= last:
        years_end = date(years_end.year + 1, 4, 1)
    if years_end == start:
        return [(first, last)], None
    runs = []
    if first < start:
        runs.append((first, previous_month(start)))
    if years_end <= last:
        runs.append((years_end, last))
    return runs, (start, date(years_end.year - 1, 4, 1))
