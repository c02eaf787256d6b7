"""The timer sweep: fire every due timer once, oldest first, each in its own transaction.

A failing timer is retried with exponential backoff and becomes an incident after
`max_attempts`; it never blocks the timers behind it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from engine.commands import fire_timers
from engine.models import Timer
from engine.timers import BPMN, claim_next_due, mark_fired, record_failure, waiting_timer_events
from engine.uow import UnitOfWork
from sla.directory import Directory
from sla.escalation import tell

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, Timer], None]


class TimerNotDue(Exception):
    """The library's own clock says the event is not due yet (clock skew between hosts)."""


def fire_bpmn_timer(uow: UnitOfWork, timer: Timer) -> None:
    if timer.instance_id is None:
        raise ValueError(f"BPMN timer {timer.id} has no instance.")
    instance = uow.instances.get(timer.instance_id)
    fire_timers(uow, instance, actor="scheduler")
    if timer.task_id in waiting_timer_events(uow.instances.workflow(instance)):
        raise TimerNotDue(f"Timer {timer.id} is not due yet by the engine's clock.")


@dataclass
class SweepReport:
    fired: int = 0
    failed: int = 0
    incidents: list[int] = field(default_factory=list)


@dataclass
class TimerSweep:
    uow_factory: Callable[[], UnitOfWork]
    handlers: Mapping[str, Handler] = field(default_factory=lambda: {BPMN: fire_bpmn_timer})
    max_attempts: int = 5
    backoff: timedelta = timedelta(seconds=30)
    # Administrators are told of incidents when a directory is given.
    directory: Directory | None = None

    def run_once(self, limit: int = 10_000) -> SweepReport:
        report = SweepReport()
        for _ in range(limit):
            with self.uow_factory() as uow:
                timer = claim_next_due(uow, uow.clock.now(), tuple(self.handlers))
                if timer is None:
                    break
                timer_id, kind = timer.id, timer.kind
                try:
                    self.handlers[kind](uow, timer)
                    mark_fired(uow, timer)
                    uow.commit()
                    report.fired += 1
                    continue
                except Exception as err:  # noqa: BLE001 - any failure of one timer must not stop the sweep
                    uow.rollback()
                    error = f"{type(err).__name__}: {err}"
            log.warning("timer %s (%s) failed: %s", timer_id, kind, error)
            with self.uow_factory() as uow:
                failed = record_failure(uow, timer_id, error, max_attempts=self.max_attempts, backoff=self.backoff)
                if failed.state == "incident":
                    uow.audit.record("timer_incident", "scheduler", instance_id=failed.instance_id, timer_id=timer_id, error=error)
                    if self.directory is not None:
                        tell(uow, self.directory.administrators(uow), "timer_incident",
                             {"timer": timer_id, "attempts": failed.attempts, "error": error[:500]},
                             key=f"incident:{timer_id}:{failed.attempts}", instance_id=failed.instance_id)
                    report.incidents.append(timer_id)
                uow.commit()
            report.failed += 1
        return report
