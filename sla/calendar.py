"""Working days: weekly offs and gazetted holidays per state, deadlines at close of office (IST).

Time limits under the Right to Public Services Acts are counted in working days; a deadline
falls at close of office, India time, on the last working day allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import holidays

from engine.clock import IST

CLOSE_OF_OFFICE = time(17, 30)
# Searching further than this for a working day means the calendar is broken (every day off).
_MAX_SCAN_DAYS = 3660


@dataclass(frozen=True)
class WeeklyOffs:
    """Sundays, and the second and fourth Saturdays, as in most state governments."""

    weekdays: frozenset[int] = frozenset({6})  # Monday is 0
    saturdays_of_month: frozenset[int] = frozenset({2, 4})

    def is_off(self, day: date) -> bool:
        if day.weekday() in self.weekdays:
            return True
        return day.weekday() == 5 and (day.day - 1) // 7 + 1 in self.saturdays_of_month

    @classmethod
    def parse(cls, text: str) -> WeeklyOffs:
        """From e.g. "sun,sat2,sat4" (the default) or "sat,sun" (every Saturday and Sunday)."""
        names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        weekdays, saturdays = set(), set()
        for part in (p.strip().lower() for p in text.split(",") if p.strip()):
            if part in names:
                weekdays.add(names.index(part))
            elif part.startswith("sat") and part[3:].isdigit() and 1 <= int(part[3:]) <= 5:
                saturdays.add(int(part[3:]))
            else:
                raise ValueError(f"Unknown weekly off '{part}': use mon..sun, or sat1..sat5 for the n-th Saturday.")
        return cls(frozenset(weekdays), frozenset(saturdays))


@dataclass
class BusinessCalendar:
    state: str
    holidays: dict[date, str] = field(default_factory=dict)
    weekly_offs: WeeklyOffs = field(default_factory=WeeklyOffs)
    close_of_office: time = CLOSE_OF_OFFICE

    def is_working_day(self, day: date) -> bool:
        return not self.weekly_offs.is_off(day) and day not in self.holidays

    def next_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, else the first working day after it."""
        for _ in range(_MAX_SCAN_DAYS):
            if self.is_working_day(day):
                return day
            day += timedelta(days=1)
        raise ValueError(f"No working day within ten years after {day} in the {self.state} calendar.")

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """Close of office on the `days`-th working day after the day of `start` (India time).

        With 0, the deadline is the close of office of `start`'s day, or of the next working day.
        """
        if days < 0:
            raise ValueError("A time limit cannot be negative.")
        day = start.astimezone(IST).date()
        if days == 0:
            day = self.next_working_day(day)
        for _ in range(days):
            day = self.next_working_day(day + timedelta(days=1))
        return datetime.combine(day, self.close_of_office, tzinfo=IST).astimezone(UTC)

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Working days d with start's day < d <= end's day (India time); negative if end < start."""
        a, b = start.astimezone(IST).date(), end.astimezone(IST).date()
        if b < a:
            return -self.working_days_between(end, start)
        return sum(1 for i in range(1, (b - a).days + 1) if self.is_working_day(a + timedelta(days=i)))


def gazetted_holidays(state: str, years: Iterable[int]) -> dict[date, str]:
    """The state's public holidays from the maintained `holidays` package (seed data)."""
    return dict(holidays.country_holidays("IN", subdiv=state, years=list(years)).items())


def add_working_days(start: datetime, n: int, calendar: BusinessCalendar) -> datetime:
    return calendar.add_working_days(start, n)


def working_days_between(a: datetime, b: datetime, calendar: BusinessCalendar) -> int:
    return calendar.working_days_between(a, b)
