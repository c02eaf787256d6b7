"""The timer sweep: fire every due timer once, oldest first, each in its own transaction.

A failing timer is retried with exponential backoff and becomes an incident after
`max_attempts`; it never blocks the timers behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from engine import work_queue
from engine.commands import fire_timers
from engine.models import Timer, TimerState
from engine.timers import BPMN, claim_next_due, mark_fired, record_failure, waiting_timer_events
from engine.uow import UnitOfWork
from sla.directory import Directory
from sla.escalation import tell

Handler = Callable[[UnitOfWork, Timer], None]


class TimerNotDue(Exception):
    """The library's own clock says the event is not due yet (clock skew between hosts)."""


def fire_bpmn_timer(uow: UnitOfWork, timer: Timer) -> None:
    if timer.instance_id is None:
        raise ValueError(f"BPMN timer {timer.id} has no instance.")
    instance = uow.instances.get(timer.instance_id)
    due = timer.due_at  # fire_timers moves a cycle's row on to its next occurrence
    fire_timers(uow, instance, actor="scheduler")
    still = waiting_timer_events(uow.instances.workflow(instance)).get(timer.task_id or "")
    if still is not None and still <= due:
        raise TimerNotDue(f"Timer {timer.id} is not due yet by the engine's clock.")


class SweepReport(work_queue.Drained):
    @property
    def fired(self) -> int:
        return self.done

    @property
    def incidents(self) -> list[int]:
        return self.given_up


@dataclass
class TimerSweep:
    uow_factory: Callable[[], UnitOfWork]
    handlers: Mapping[str, Handler] = field(default_factory=lambda: {BPMN: fire_bpmn_timer})
    max_attempts: int = 5
    backoff: timedelta = timedelta(seconds=30)
    # Administrators are told of incidents when a directory is given.
    directory: Directory | None = None

    def run_once(self, limit: int = 10_000) -> SweepReport:
        kinds = tuple(self.handlers)
        return work_queue.drain(
            self.uow_factory,
            SweepReport(),
            claim=lambda uow: claim_next_due(uow, uow.clock.now(), kinds),
            work=self._fire,
            fail=self._failed,
            describe=lambda timer: f"timer {timer.id} ({timer.kind})",
            limit=limit,
        )

    def _fire(self, uow: UnitOfWork, timer: Timer) -> None:
        due = timer.due_at
        self.handlers[timer.kind](uow, timer)
        mark_fired(uow, timer, due)

    def _failed(self, uow: UnitOfWork, timer_id: int, error: str) -> bool:
        """Count the failure; at the last attempt, an incident the administrators are told of."""
        failed = record_failure(uow, timer_id, error, max_attempts=self.max_attempts, backoff=self.backoff)
        if failed.state != TimerState.INCIDENT:
            return False
        uow.audit.record("timer_incident", "scheduler", instance_id=failed.instance_id, timer_id=timer_id, error=error)
        if self.directory is not None:
            tell(uow, self.directory.administrators(uow), "timer_incident",
                 {"timer": timer_id, "attempts": failed.attempts, "error": error[:500]},
                 key=f"incident:{timer_id}:{failed.attempts}", instance_id=failed.instance_id)
        return True
