"""APScheduler entry point: wakes at the next due timer and sweeps every few seconds as a safety net.

It only calls TimerSweep.run_once(); all the logic is in sla/sweep.py.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from engine.timers import next_due_at
from sla.sender import OutboxSender
from sla.sweep import TimerSweep

log = logging.getLogger(__name__)


class TimerScheduler:
    def __init__(
        self, sweep: TimerSweep, *, sender: OutboxSender | None = None, safety_interval_seconds: float = 5.0
    ) -> None:
        self.sweep = sweep
        self.sender = sender
        self._lock = threading.Lock()
        self._scheduler = BackgroundScheduler(timezone="UTC")
        self._scheduler.add_job(
            self.tick, IntervalTrigger(seconds=safety_interval_seconds), id="sweep", max_instances=1, coalesce=True
        )

    def start(self) -> None:
        self._scheduler.start()
        self.tick()  # timers that fell due while everything was down fire now, oldest first

    def shutdown(self) -> None:
        self._scheduler.shutdown(wait=True)

    def tick(self) -> None:
        if not self._lock.acquire(blocking=False):
            return  # a sweep is running; it will pick up whatever is due
        try:
            for _ in range(1000):  # bounded: a sweep that keeps finding work yields to the next tick
                report = self.sweep.run_once()
                if report.fired or report.failed:
                    log.info("timer sweep: %s fired, %s failed", report.fired, report.failed)
                if self.sender is not None:
                    sent = self.sender.run_once()
                    if sent.sent or sent.failed:
                        log.info("outbox: %s sent, %s failed", sent.sent, sent.failed)
                upcoming, now = self._next_due()
                # Timers that fell due during the sweep are swept now; a wake-up job scheduled in
                # the past would be skipped by APScheduler while this one is still running.
                if upcoming is None or upcoming > now:
                    self._wake_at(upcoming)
                    return
        except Exception:  # noqa: BLE001 - the scheduler must outlive a database hiccup
            log.exception("timer sweep failed")
        finally:
            self._lock.release()

    def _next_due(self) -> tuple[datetime | None, datetime]:
        with self.sweep.uow_factory() as uow:
            return next_due_at(uow, tuple(self.sweep.handlers)), uow.clock.now()

    def _wake_at(self, moment: datetime | None) -> None:
        if moment is None:
            return
        self._scheduler.add_job(self.tick, DateTrigger(run_date=moment), id="wake", replace_existing=True)
