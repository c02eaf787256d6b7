"""Sub-processes and call activities survive a reload from the database at every step."""

from __future__ import annotations

import pytest

from engine.errors import DefinitionInvalid
from tests.conformance.conftest import Driver
from workflows.readmodels.timeline import timeline


def test_embedded_subprocess(driver: Driver) -> None:
    driver.deploy("embedded_subprocess.bpmn")
    driver.start("embedded_subprocess", {"amount": 5})
    assert driver.open_steps() == ["verify"]
    driver.complete("verify", {"verified": True})
    assert driver.open_steps() == ["decide"]
    assert driver.data()["score"] == 10 and driver.data()["amount"] == 5
    driver.complete("decide", {"outcome": "approve"})
    assert driver.steps() == [("verify", "completed"), ("decide", "completed")]
    assert driver.instance().status == "completed" and driver.instance().end_event == "end"
    assert driver.data()["score"] == 10


def test_call_activity_in_the_same_file(driver: Driver) -> None:
    driver.deploy("call_activity_same_file.bpmn")
    driver.start("call_local", {"units": 4})
    assert driver.open_steps() == ["inspect"]
    driver.complete("inspect", {"remarks": "seen"})
    assert driver.open_steps() == ["decide"]
    assert driver.data()["rating"] == 8
    driver.complete("decide")
    assert driver.instance().status == "completed"
    assert [s for s, _ in driver.steps()] == ["inspect", "decide"]


def test_call_activity_to_a_separately_deployed_process_binds_the_latest_version_when_the_call_starts(
    driver: Driver,
) -> None:
    with pytest.raises(DefinitionInvalid, match="inspection"):
        driver.deploy("call_activity_caller.bpmn")  # nothing called 'inspection' is deployed yet
    driver.deploy("call_activity_callee.bpmn")
    driver.deploy("call_activity_caller.bpmn")
    driver.start("caller", {"units": 3})
    # A new version of the called process, deployed while the instance waits before the call.
    v2 = driver.deploy("call_activity_callee.bpmn", replace={"Inspect the site": "Inspect the site (v2)"})
    assert v2.version == 2
    driver.complete("prepare")
    (called,) = driver.events("process_called")
    assert called.payload == {"key": "inspection", "version": 2} and called.definition_id == v2.id
    (row,) = [t for t in driver.task_rows() if t.bpmn_id == "inspect"]
    assert row.name == "Inspect the site (v2)"
    with driver.uow() as uow:
        shown = [e for e in timeline(uow, driver.instance().id) if e.kind == "process_called"]
    assert [e.detail for e in shown] == [{"key": "inspection", "version": 2}], "the call is on the timeline"
    # A third version after the call started changes nothing for this instance.
    driver.deploy("call_activity_callee.bpmn", replace={"Inspect the site": "Inspect the site (v3)"})
    driver.complete("inspect")
    assert driver.data()["rating"] == 6
    driver.complete("decide")
    assert driver.instance().status == "completed"
    assert [s for s, _ in driver.steps()] == ["prepare", "inspect", "decide"]


def test_error_boundary_on_a_subprocess(driver: Driver) -> None:
    driver.deploy("error_boundary_subprocess.bpmn")
    driver.start("error_boundary", business_key="C-ok")
    driver.complete("verify", {"complete": True})
    assert driver.open_steps() == ["decide"]
    driver.start("error_boundary", business_key="C-err")
    driver.complete("verify", {"complete": False})
    assert driver.open_steps() == ["ask_again"]
    driver.complete("ask_again")
    assert driver.instance().end_event == "end_returned"


def test_escalation_boundary_on_a_subprocess(driver: Driver) -> None:
    driver.deploy("escalation_boundary_subprocess.bpmn")
    driver.start("escalation_boundary", {"amount": 5_000_000}, business_key="C-big")
    driver.complete("verify")
    assert driver.open_steps() == ["senior"]
    driver.complete("senior")
    assert driver.instance().end_event == "end_senior"
    driver.start("escalation_boundary", {"amount": 50_000}, business_key="C-small")
    driver.complete("verify")
    assert driver.open_steps() == ["decide"]


def test_a_timer_inside_a_called_process_is_durable(driver: Driver) -> None:
    driver.deploy("timer_catch.bpmn", replace={'id="timer_catch"': 'id="inspection"'})
    driver.deploy("call_activity_caller.bpmn")
    driver.start("caller", {"x": 1})
    driver.complete("prepare")
    assert driver.timers() == [("bpmn", "pending")] and driver.open_steps() == []
    assert driver.advance(hours=1, seconds=1) == 1
    assert driver.open_steps() == ["review"]
    driver.complete("review")
    assert driver.open_steps() == ["decide"] and driver.data()["x"] == 1
