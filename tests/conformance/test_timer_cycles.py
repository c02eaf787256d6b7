"""Timer cycles (`R3/PT10M`, bare or quoted) fire every occurrence exactly once through the
scheduler's sweep, each step from a fresh Runtime: one timer row per event moves on to the next
occurrence and is fired after the last one (D28)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from engine.models import Timer
from tests.conformance.conftest import Driver


def _row(driver: Driver) -> tuple[str, datetime, int]:
    """(state, due_at, how many rows) of the instance's timer rows; there is one per timer event."""
    with driver.uow() as uow:
        instance = uow.instances.by_business_key(driver.business_key)
        rows = list(uow.session.scalars(select(Timer).where(Timer.instance_id == instance.id)))
        return rows[0].state, rows[0].due_at, len(rows)


def test_boundary_cycle_reminds_three_times_then_stops(driver: Driver) -> None:
    driver.deploy("timer_cycle_boundary.bpmn")
    driver.start("timer_cycle_boundary")
    started = driver.clock.now()
    assert driver.open_steps() == ["review"]
    assert _row(driver) == ("pending", started + timedelta(minutes=10), 1)
    assert driver.advance(minutes=9) == 0
    for n in (1, 2, 3):
        assert driver.advance(minutes=1 if n == 1 else 10, seconds=1 if n == 1 else 0) == 1
        assert driver.open_steps() == ["remind"] * n + ["review"]
        if n < 3:
            assert _row(driver) == ("pending", started + timedelta(minutes=10 * (n + 1)), 1)
    assert driver.timers() == [("bpmn", "fired")]
    assert driver.advance(hours=2) == 0, "no fourth occurrence"
    assert driver.open_steps() == ["remind"] * 3 + ["review"]
    driver.complete("review")
    for _ in range(3):
        driver.complete("remind")
    assert driver.instance().status == "completed"


def test_boundary_cycle_stops_when_the_step_completes(driver: Driver) -> None:
    """SpiffWorkflow 3.2 hangs each occurrence's path under the waiting timer, so completing the
    step while the cycle still runs cancels the reminders it opened too (docs/bpmn-support.md)."""
    driver.deploy("timer_cycle_boundary.bpmn")
    driver.start("timer_cycle_boundary")
    assert driver.advance(minutes=10, seconds=1) == 1
    driver.complete("review")
    assert driver.timers() == [("bpmn", "cancelled")]
    assert driver.steps() == [("review", "completed"), ("remind", "cancelled")]
    assert driver.advance(hours=1) == 0
    assert driver.open_steps() == [] and driver.instance().status == "completed"


def test_a_late_sweep_catches_up_every_missed_occurrence_once(driver: Driver) -> None:
    """The scheduler was down for the whole cycle: one sweep fires what was missed, no more."""
    driver.deploy("timer_cycle_boundary.bpmn")
    driver.start("timer_cycle_boundary")
    assert driver.advance(hours=3) >= 1
    assert driver.open_steps() == ["remind"] * 3 + ["review"]
    assert driver.timers() == [("bpmn", "fired")]
    assert driver.advance(hours=3) == 0
    assert driver.open_steps() == ["remind"] * 3 + ["review"]


def test_intermediate_cycle_passes_a_token_on_at_each_occurrence(driver: Driver) -> None:
    driver.deploy("timer_cycle_catch.bpmn")
    driver.start("timer_cycle_catch")
    assert driver.open_steps() == [] and driver.timers() == [("bpmn", "pending")]
    for n in (1, 2, 3):
        assert driver.advance(minutes=10, seconds=1) == 1
        assert driver.open_steps() == ["inspect"] * n
    assert driver.timers() == [("bpmn", "fired")]
    assert driver.advance(hours=1) == 0
    for _ in range(3):
        driver.complete("inspect")
    assert driver.instance().status == "completed", "the cycle itself finished after its last occurrence"
