"""The composition root: builds the runtime with every layer's hooks installed."""

from __future__ import annotations

from engine.clock import Clock
from engine.runtime import Runtime
from engine.uow import UnitOfWork
from sla import deadlines
from sla.calendars import CalendarProvider
from sla.scheduler import TimerScheduler
from sla.sweep import TimerSweep
from web.config import Settings


def build_runtime(settings: Settings, *, clock: Clock | None = None) -> Runtime:
    runtime = Runtime.create(settings.database_url, clock=clock)
    deadlines.install(runtime, CalendarProvider(settings.state))
    return runtime


def build_scheduler(runtime: Runtime) -> TimerScheduler:
    return TimerScheduler(TimerSweep(lambda: UnitOfWork(runtime)))
