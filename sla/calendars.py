"""Business calendars per year, built once and cached (holiday tables do not change mid-request)."""

from __future__ import annotations

from functools import lru_cache

from sla.calendar import BusinessCalendar, gazetted_holidays


class CalendarProvider:
    def __init__(self, state: str) -> None:
        self.state = state

    def __call__(self, year: int) -> BusinessCalendar:
        return _calendar(self.state, year)


@lru_cache(maxsize=64)
def _calendar(state: str, year: int) -> BusinessCalendar:
    return BusinessCalendar(state, holidays=gazetted_holidays(state, [year, year + 1]))
