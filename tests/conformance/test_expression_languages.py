"""Models written as other modelers write them (JUEL and FEEL conditions, bare ISO 8601 timers)
deploy, are stored as written, run on the translated Python, and are driven to the end with a fresh
`Runtime` per step on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from engine.clock import FixedClock
from engine.definitions import check
from tests.conformance.expressions_driver import Driver

MODELS = Path(__file__).parent / "models" / "expressions"


@pytest.fixture
def driver(database_url: str, clock: FixedClock) -> Driver:
    return Driver(database_url, clock)


def _conditions(spec: dict) -> set[str]:
    """Every gateway condition of a stored spec, as the engine will evaluate it."""
    found = set()
    for task_spec in spec["spec"]["task_specs"].values():
        for condition in (task_spec.get("cond_task_specs") or []):
            if condition.get("condition"):
                found.add(condition["condition"])
    return found


def test_juel_is_stored_as_written_and_run_as_python(driver: Driver) -> None:
    key, files, spec = driver.deploy(MODELS / "juel_conditions.bpmn")
    assert '${outcome == "approve" &amp;&amp; project_cost &gt; 1000000' in files["juel_conditions.bpmn"]
    assert _conditions(spec) == {
        "(((outcome == 'approve') and (project_cost > 1000000)) and (category == 'SC'))",
        "((outcome == 'approve') and (not ((project_cost > 1000000) and (category == 'SC'))))",
        "(outcome != 'approve')",
    }


@pytest.mark.parametrize(
    ("data", "outcome", "path", "end"),
    [
        ({"project_cost": 2_500_000, "category": "SC"}, "approve", ["assess", "state_review"], "end_state"),
        ({"project_cost": 2_500_000, "category": "GEN"}, "approve", ["assess"], "end_district"),
        ({"project_cost": 400_000, "category": "SC"}, "reject", ["assess"], "end_rejected"),
    ],
)
def test_juel_conditions_route(driver: Driver, data: dict, outcome: str, path: list[str], end: str) -> None:
    key, _, _ = driver.deploy(MODELS / "juel_conditions.bpmn")
    instance = driver.start(key, "JUEL-1", data)
    for step in path:
        assert driver.open_steps(instance) == [step]
        driver.complete(instance, step, outcome=outcome if step == "assess" else "approve")
    status, end_event, done = driver.outcome(instance)
    assert (status, end_event) == ("completed", end)
    assert set(path) | {"gw", end} <= set(done)
    assert {"state_review", "end_state", "end_district", "end_rejected"} - set(path) - {end} - set(done) == (
        {"state_review", "end_state", "end_district", "end_rejected"} - set(path) - {end}
    ), "no other branch was taken"


@pytest.mark.parametrize(
    ("data", "outcome", "end"),
    [
        ({"project_cost": 2_500_000, "category": "SC"}, "approve", "end_state"),
        ({"project_cost": 6_000_000, "category": "ST"}, "approve", "end_special"),
        ({"project_cost": 2_000_000, "category": "OBC"}, "approve", "end_district"),  # between 1M and 5M
        ({"project_cost": 300_000, "category": "GEN"}, "approve", "end_district"),  # the default flow
        ({"project_cost": 2_500_000, "category": "SC"}, "reject", "end_rejected"),
    ],
)
def test_feel_conditions_route(driver: Driver, data: dict, outcome: str, end: str) -> None:
    key, files, spec = driver.deploy(MODELS / "feel_conditions.bpmn")
    assert 'outcome = "reject"' in files["feel_conditions.bpmn"]
    assert "(outcome == 'reject')" in _conditions(spec)
    instance = driver.start(key, "FEEL-1", data)
    driver.complete(instance, "assess", outcome=outcome)
    status, end_event, done = driver.outcome(instance)
    assert (status, end_event) == ("completed", end)
    assert not {"end_state", "end_special", "end_district", "end_rejected"} - {end} & set(done)


def test_unquoted_timers_wait_fire_and_escalate(driver: Driver, clock: FixedClock) -> None:
    # The clock starts on Monday 7 July 2025, 10:00 IST; the model waits for Tuesday 10:00 IST,
    # then an hour, then gives the review five days (with a reminder after ten minutes).
    with time_machine.travel(clock.now(), tick=False) as traveller:

        def move_to(moment: datetime) -> None:
            clock.set(moment)
            traveller.move_to(moment)

        key, files, _ = driver.deploy(MODELS / "unquoted_timers.bpmn")
        assert "<bpmn:timeDuration>P5D</bpmn:timeDuration>" in files["unquoted_timers.bpmn"]
        instance = driver.start(key, "TIMER-1", {})
        assert driver.fire_due_timers() == 0 and driver.open_steps(instance) == []
        committee_day = datetime(2025, 7, 8, 4, 30, tzinfo=UTC)
        move_to(committee_day + timedelta(seconds=1))
        assert driver.fire_due_timers() == 1 and driver.open_steps(instance) == []
        move_to(committee_day + timedelta(hours=1, seconds=2))
        assert driver.fire_due_timers() == 1 and driver.open_steps(instance) == ["review"]
        reviewed_from = clock.now()
        move_to(reviewed_from + timedelta(minutes=10, seconds=1))
        assert driver.fire_due_timers() == 1, "the reminder"
        assert driver.open_steps(instance) == ["review"], "a reminder does not interrupt the review"
        move_to(reviewed_from + timedelta(days=5, seconds=3))
        assert driver.fire_due_timers() == 1, "escalation"
        assert driver.fire_due_timers() == 0
    status, end_event, done = driver.outcome(instance)
    assert (status, end_event) == ("completed", "end_escalated")
    assert {"until_committee_day", "cooling_off", "reminder", "reminded", "escalate"} <= set(done)
    assert "end_done" not in done


def test_a_bare_cycle_is_read_and_deploys() -> None:
    """`R3/PT10M` translates like the other values (tests/unit/test_expressions.py) and deploys:
    cycles fire every occurrence through the sweep (tests/conformance/test_timer_cycles.py)."""
    model = (MODELS / "unquoted_timers.bpmn").read_bytes().replace(
        b'<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT10M</bpmn:timeDuration>',
        b'<bpmn:timeCycle xsi:type="bpmn:tFormalExpression">R3/PT10M</bpmn:timeCycle>',
    )
    assert b"R3/PT10M" in model
    assert check({"cycle.bpmn": model}).problems == []


def test_unquoted_timers_finish_on_time(driver: Driver, clock: FixedClock) -> None:
    with time_machine.travel(clock.now(), tick=False) as traveller:
        key, _, _ = driver.deploy(MODELS / "unquoted_timers.bpmn")
        instance = driver.start(key, "TIMER-2", {})
        for moment in (datetime(2025, 7, 8, 4, 30, 1, tzinfo=UTC), datetime(2025, 7, 8, 5, 30, 2, tzinfo=UTC)):
            clock.set(moment)
            traveller.move_to(moment)
            driver.fire_due_timers()
        driver.complete(instance, "review", outcome="approve")
    status, end_event, done = driver.outcome(instance)
    assert (status, end_event) == ("completed", "end_done")
    assert "escalate" not in done and "reminder" not in done

