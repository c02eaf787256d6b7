"""Service-task operators of the SLA layer: working days between two dates (D27)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from engine.runtime import Runtime
from engine.services import ServiceCall, ServiceFailed
from sla.calendar_provider import CalendarProvider

WORKING_DAYS = "working_days"


def _day(value: object, name: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ServiceFailed(f"The parameter '{name}' is not a date (YYYY-MM-DD): {value!r}.") from None


def install(runtime: Runtime, calendars: CalendarProvider) -> None:
    def working_days(call: ServiceCall) -> int:
        """Working days d with start < d <= end in the state's calendar (negative if end < start)."""
        start, end = _day(call.param("start"), "start"), _day(call.param("end"), "end")
        sign = 1
        if end < start:
            start, end, sign = end, start, -1
        if (end - start).days > 3660:
            raise ServiceFailed("The dates are more than ten years apart.")
        count, day, years = 0, start, {}
        while day < end:
            day += timedelta(days=1)
            if day.year not in years:
                years[day.year] = calendars(call.uow, day.year)
            count += years[day.year].is_working_day(day)
        return sign * count

    runtime.services.register(
        WORKING_DAYS, working_days, params=("start", "end"),
        description="Working days after `start` up to and including `end` (dates), by the state's holiday calendar.",
    )
