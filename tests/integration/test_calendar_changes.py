"""An administrator's holiday changes move deadlines once recomputed; nothing else moves."""

from __future__ import annotations

from datetime import date

import pytest

from engine.models import Timer
from engine.runtime import Runtime
from engine.uow import UnitOfWork
from sla import deadlines
from sla.calendar_provider import CalendarProvider
from sla.holiday_admin import (
    CalendarError,
    add_holiday,
    declare_working_day,
    recompute_deadlines,
    undo_change,
    year_of,
)
from tests.integration.scheme_helpers import open_task, set_up, submit


@pytest.fixture
def provider() -> CalendarProvider:
    return CalendarProvider("UP")


@pytest.fixture
def rt(runtime: Runtime, provider: CalendarProvider) -> Runtime:
    deadlines.install(runtime, provider)
    set_up(runtime)
    return runtime


def test_local_holiday_pushes_open_deadlines_after_recompute(rt: Runtime, provider: CalendarProvider) -> None:
    number = submit(rt, "MDA")  # Monday 7 July 2025; 5 working days: Monday 14 July
    task = open_task(rt, number)
    assert task is not None and task.due_at.date() == date(2025, 7, 14)
    with UnitOfWork(rt) as uow:
        add_holiday(uow, provider, actor="admin", day=date(2025, 7, 9), name="District fair holiday")
    assert open_task(rt, number).due_at.date() == date(2025, 7, 14), "a change alone moves nothing"
    with UnitOfWork(rt) as uow:
        assert recompute_deadlines(uow, provider, actor="admin") == 1
    moved = open_task(rt, number).due_at
    assert moved.date() == date(2025, 7, 15)
    with UnitOfWork(rt) as uow:
        breach = [t for t in uow.session.query(Timer) if t.kind == deadlines.BREACH]
        assert [t.due_at for t in breach] == [moved]
        assert any(d.name == "District fair holiday" and d.source == "added" for d in year_of(uow, "UP", 2025))
    with UnitOfWork(rt) as uow:
        undo_change(uow, provider, actor="admin", day=date(2025, 7, 9))
    with UnitOfWork(rt) as uow:
        recompute_deadlines(uow, provider, actor="admin")
    assert open_task(rt, number).due_at.date() == date(2025, 7, 14)


def test_bad_changes_are_refused(rt: Runtime, provider: CalendarProvider) -> None:
    with UnitOfWork(rt) as uow, pytest.raises(CalendarError, match="not a gazetted holiday"):
        declare_working_day(uow, provider, actor="admin", day=date(2025, 7, 8))
    with UnitOfWork(rt) as uow, pytest.raises(CalendarError, match="Name the holiday"):
        add_holiday(uow, provider, actor="admin", day=date(2025, 7, 8), name=" ")
    with UnitOfWork(rt) as uow, pytest.raises(CalendarError, match="already a gazetted holiday"):
        add_holiday(uow, provider, actor="admin", day=date(2025, 8, 15), name="Independence Day")
