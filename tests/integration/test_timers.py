"""BPMN timers become durable rows; the sweep fires each once, retries failures, raises incidents."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import time_machine
from sqlalchemy import select

from engine.clock import FixedClock
from engine.commands import complete_task, start_instance
from engine.definitions import deploy
from engine.models import Task, Timer, TimerState
from engine.runtime import Runtime
from engine.timers import BPMN
from engine.uow import UnitOfWork
from sla.sweep import TimerSweep, fire_bpmn_timer

FIXTURE = (Path(__file__).parent.parent / "fixtures" / "timer.bpmn").read_bytes()


def _start(runtime: Runtime, key: str = "T-1") -> int:
    with UnitOfWork(runtime) as uow:
        deploy(uow, {"timer.bpmn": FIXTURE}, actor="admin")
        uow.commit()
    with UnitOfWork(runtime) as uow:
        result = start_instance(uow, "timed", business_key=key, data={}, actor="alice")
        uow.commit()
        return result.instance.id


def _timers(runtime: Runtime) -> list[Timer]:
    with UnitOfWork(runtime) as uow:
        return list(uow.session.scalars(select(Timer).order_by(Timer.id)))


def test_boundary_timer_row_fires_once(runtime: Runtime, clock: FixedClock) -> None:
    with time_machine.travel(clock.now(), tick=False) as traveller:
        instance_id = _start(runtime)
        (timer,) = _timers(runtime)
        assert (timer.kind, timer.state, timer.due_at) == (BPMN, TimerState.PENDING, clock.now() + timedelta(hours=2))
        sweep = TimerSweep(lambda: UnitOfWork(runtime))
        assert sweep.run_once().fired == 0, "not due yet"
        clock.advance(hours=2, seconds=1)
        traveller.move_to(clock.now())
        assert sweep.run_once().fired == 1
        assert sweep.run_once().fired == 0, "fired exactly once"
    (timer,) = _timers(runtime)
    assert timer.state == TimerState.FIRED and timer.fired_at == clock.now()
    with UnitOfWork(runtime) as uow:
        tasks = {t.bpmn_id: t.state for t in uow.tasks.for_instance(instance_id)}
    assert tasks == {"review": "cancelled", "escalated": "ready"}


def test_completing_the_task_cancels_its_timer(runtime: Runtime, clock: FixedClock) -> None:
    with time_machine.travel(clock.now(), tick=False):
        instance_id = _start(runtime)
        with UnitOfWork(runtime) as uow:
            (review,) = uow.tasks.open_for_instance(instance_id)
            complete_task(uow, review.id, actor="bob", data={})
            uow.commit()
    assert [t.state for t in _timers(runtime)] == [TimerState.CANCELLED]


def test_failing_timer_retries_with_backoff_then_becomes_incident(runtime: Runtime, clock: FixedClock) -> None:
    with time_machine.travel(clock.now(), tick=False):
        _start(runtime, "A")
    calls: list[int] = []

    def broken(uow: UnitOfWork, timer: Timer) -> None:
        calls.append(timer.id)
        raise RuntimeError("mail server down")

    sweep = TimerSweep(lambda: UnitOfWork(runtime), handlers={BPMN: broken}, max_attempts=3, backoff=timedelta(minutes=1))
    clock.advance(hours=3)
    assert sweep.run_once().failed == 1
    (timer,) = _timers(runtime)
    assert (timer.state, timer.attempts, timer.run_at) == (TimerState.PENDING, 1, clock.now() + timedelta(minutes=1))
    assert "mail server down" in (timer.last_error or "")
    assert sweep.run_once().failed == 0, "backing off"
    clock.advance(minutes=1)
    sweep.run_once()
    clock.advance(minutes=2)
    report = sweep.run_once()
    (timer,) = _timers(runtime)
    assert timer.state == TimerState.INCIDENT and report.incidents == [timer.id] and len(calls) == 3


def test_one_failing_timer_does_not_block_others(runtime: Runtime, clock: FixedClock) -> None:
    with time_machine.travel(clock.now(), tick=False) as traveller:
        _start(runtime, "A")
        with UnitOfWork(runtime) as uow:
            start_instance(uow, "timed", business_key="B", data={}, actor="alice")
            uow.commit()
        first, second = _timers(runtime)

        def flaky(uow: UnitOfWork, timer: Timer) -> None:
            if timer.id == first.id:
                raise RuntimeError("boom")
            fire_bpmn_timer(uow, timer)

        clock.advance(hours=3)
        traveller.move_to(clock.now())
        report = TimerSweep(lambda: UnitOfWork(runtime), handlers={BPMN: flaky}).run_once()
    assert (report.fired, report.failed) == (1, 1)
    states = {t.id: t.state for t in _timers(runtime)}
    assert states == {first.id: TimerState.PENDING, second.id: TimerState.FIRED}
    with UnitOfWork(runtime) as uow:
        escalated = uow.session.scalars(select(Task).where(Task.bpmn_id == "escalated")).all()
    assert len(escalated) == 1
