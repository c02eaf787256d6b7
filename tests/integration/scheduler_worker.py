"""A scheduler process for the exactly-once tests: sweeps until nothing is due, then exits."""

from __future__ import annotations

import os
import sys
import time

from engine.models import Timer
from engine.runtime import Runtime
from engine.uow import UnitOfWork
from sla.sweep import TimerSweep

KIND = "test_effect"


def make_handler(delay: float):  # noqa: ANN201
    def effect(uow: UnitOfWork, timer: Timer) -> None:
        # The timer's effect: one audit row, in the same transaction that marks the timer fired.
        uow.audit.record("test_timer_effect", f"pid-{os.getpid()}", timer_id=timer.id)
        if delay:
            time.sleep(delay)

    return effect


def main(url: str, delay: float) -> None:
    runtime = Runtime.create(url)
    sweep = TimerSweep(lambda: UnitOfWork(runtime), handlers={KIND: make_handler(delay)})
    print("ready", flush=True)
    while sweep.run_once(limit=500).fired:
        pass
    runtime.db.dispose()


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]))
