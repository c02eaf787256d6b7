"""Business calendars per state and year: the `holidays` package plus an administrator's changes.

Calendars are cached for a minute per process; an edit in this process clears the cache at once,
other processes see it within the minute. Deadlines already set change only when recomputed
(`odop calendar recompute`, or the button on the holidays page).
"""

from __future__ import annotations

import threading
import time
from datetime import date
from functools import lru_cache

from sqlalchemy import select

from engine.uow import UnitOfWork
from sla.calendar import BusinessCalendar, WeeklyOffs, gazetted_holidays
from sla.models import CalendarChange

TTL_SECONDS = 60.0


@lru_cache(maxsize=64)
def _library(state: str, year: int) -> dict:
    return gazetted_holidays(state, [year, year + 1])


class CalendarProvider:
    def __init__(self, state: str, weekly_offs: WeeklyOffs | None = None) -> None:
        self.state = state
        self.weekly_offs = weekly_offs or WeeklyOffs()
        self._cache: dict[int, tuple[float, BusinessCalendar]] = {}
        self._lock = threading.Lock()

    def __call__(self, uow: UnitOfWork, year: int) -> BusinessCalendar:
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(year)
        if hit is not None and now - hit[0] < TTL_SECONDS:
            return hit[1]
        days = dict(_library(self.state, year))
        changes = uow.session.scalars(
            select(CalendarChange).where(
                CalendarChange.state == self.state, CalendarChange.day.between(date(year, 1, 1), date(year + 1, 12, 31))
            )
        )
        for change in changes:
            if change.working:
                days.pop(change.day, None)
            else:
                days[change.day] = change.name
        calendar = BusinessCalendar(self.state, holidays=days, weekly_offs=self.weekly_offs)
        with self._lock:
            self._cache[year] = (now, calendar)
        return calendar

    def invalidate(self) -> None:
        with self._lock:
            self._cache.clear()
