from datetime import UTC, date, datetime

import pytest

from sla.calendar import BusinessCalendar, gazetted_holidays


@pytest.fixture
def up() -> BusinessCalendar:
    return BusinessCalendar("UP", holidays=gazetted_holidays("UP", [2025, 2026]))


def ist(y: int, m: int, d: int, hh: int = 11, mm: int = 0) -> datetime:
    # IST is UTC+05:30
    from zoneinfo import ZoneInfo

    return datetime(y, m, d, hh, mm, tzinfo=ZoneInfo("Asia/Kolkata"))


def test_weekly_offs(up: BusinessCalendar) -> None:
    assert not up.is_working_day(date(2025, 7, 6))  # Sunday
    assert up.is_working_day(date(2025, 7, 5))  # 1st Saturday
    assert not up.is_working_day(date(2025, 7, 12))  # 2nd Saturday
    assert up.is_working_day(date(2025, 7, 19))  # 3rd Saturday
    assert not up.is_working_day(date(2025, 7, 26))  # 4th Saturday
    assert not up.is_working_day(date(2025, 8, 15))  # Independence Day (Friday)


def test_deadline_is_close_of_office_ist(up: BusinessCalendar) -> None:
    due = up.add_working_days(ist(2025, 7, 7), 1)  # Monday -> Tuesday 17:30 IST
    assert due == datetime(2025, 7, 8, 12, 0, tzinfo=UTC)


def test_deadline_skips_weekend_and_holiday(up: BusinessCalendar) -> None:
    # Wed 13 Aug 2025 + 3: Thu 14, (Fri 15 Independence Day), Sat 16 Janmashtami, Sun 17, Mon 18, Tue 19
    assert up.add_working_days(ist(2025, 8, 13), 3).astimezone(ist(2025, 1, 1).tzinfo).date() == date(2025, 8, 19)


def test_year_end(up: BusinessCalendar) -> None:
    # Tue 30 Dec 2025 + 3: Wed 31, Thu 1 Jan, Fri 2 Jan
    assert up.add_working_days(ist(2025, 12, 30), 3).astimezone(ist(2025, 1, 1).tzinfo).date() == date(2026, 1, 2)


def test_time_zone_boundary(up: BusinessCalendar) -> None:
    # 20:00 UTC on Sunday 6 July is 01:30 IST on Monday 7 July: counted from Monday.
    start = datetime(2025, 7, 6, 20, 0, tzinfo=UTC)
    assert up.add_working_days(start, 1) == datetime(2025, 7, 8, 12, 0, tzinfo=UTC)


def test_zero_days_on_a_holiday_moves_to_next_working_day(up: BusinessCalendar) -> None:
    assert up.add_working_days(ist(2025, 8, 15), 0) == datetime(2025, 8, 18, 12, 0, tzinfo=UTC)


def test_working_days_between(up: BusinessCalendar) -> None:
    assert up.working_days_between(ist(2025, 7, 7), ist(2025, 7, 7, 17)) == 0
    assert up.working_days_between(ist(2025, 7, 4), ist(2025, 7, 7)) == 2  # Sat 5 (1st), Mon 7
    assert up.working_days_between(ist(2025, 7, 7), ist(2025, 7, 4)) == -2
    start = ist(2025, 8, 13)
    assert up.working_days_between(start, up.add_working_days(start, 3)) == 3


def test_negative_limit_refused(up: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="negative"):
        up.add_working_days(ist(2025, 7, 7), -1)


def test_weekly_offs_are_configurable() -> None:
    from sla.calendar import WeeklyOffs

    every_weekend = WeeklyOffs.parse("sat,sun")
    assert every_weekend.is_off(date(2025, 7, 5)) and every_weekend.is_off(date(2025, 7, 6))
    default = WeeklyOffs.parse("sun,sat2,sat4")
    assert default == WeeklyOffs()
    assert not default.is_off(date(2025, 7, 5)) and default.is_off(date(2025, 7, 12))  # 1st and 2nd Saturday
    with pytest.raises(ValueError, match="Unknown weekly off 'friday'"):
        WeeklyOffs.parse("friday")
