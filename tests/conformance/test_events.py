"""Messages, signals, event-based gateways and service tasks, each step from a fresh Runtime."""

from __future__ import annotations

import re

import pytest

from engine.definitions import deploy
from engine.errors import DefinitionInvalid, MessageNotExpected, ScriptError
from tests.conformance.conftest import MODELS, Driver


def test_message_intermediate_catch_merges_the_payload(driver: Driver) -> None:
    driver.deploy("message_catch.bpmn")
    driver.start("message_catch", {"amount": 100})
    assert driver.open_steps() == []
    with pytest.raises(MessageNotExpected) as refused:
        driver.message("loan_rejected")
    assert refused.value.waiting == ["loan_sanctioned"] and "loan_sanctioned" in str(refused.value)
    driver.message("loan_sanctioned", {"loan_amount": 250_000, "bank": "SBI"})
    assert driver.open_steps() == ["release"]
    data = driver.data()
    assert (data["amount"], data["loan_amount"], data["bank"]) == (100, 250_000, "SBI")
    (received,) = driver.events("message_received")
    assert received.payload["message"] == "loan_sanctioned"
    with pytest.raises(MessageNotExpected, match="waits for no message"):
        driver.message("loan_sanctioned")
    driver.complete("release")
    assert driver.instance().status == "completed"


def test_message_boundary_interrupts_the_step(driver: Driver) -> None:
    driver.deploy("message_boundary.bpmn")
    driver.start("message_boundary")
    assert driver.open_steps() == ["follow_up"]
    driver.message("payment_confirmed", {"utr": "UTR123"})
    assert driver.steps() == [("follow_up", "cancelled"), ("close", "ready")]
    assert driver.data()["utr"] == "UTR123"
    driver.complete("close")
    assert driver.instance().end_event == "end_paid"


def test_message_boundary_not_used_when_the_step_completes(driver: Driver) -> None:
    driver.deploy("message_boundary.bpmn")
    driver.start("message_boundary")
    driver.complete("follow_up")
    assert driver.instance().end_event == "end_chased"


def test_event_based_gateway_message_side_cancels_the_timer(driver: Driver) -> None:
    driver.deploy("event_based_gateway.bpmn")
    driver.start("event_gateway")
    assert driver.timers() == [("bpmn", "pending")], "the gateway's timer is a durable row"
    driver.message("applicant_replied", {"reply": "documents attached"})
    assert driver.open_steps() == ["read_reply"]
    assert driver.timers() == [("bpmn", "cancelled")]
    assert driver.advance(days=3) == 0, "the losing timer never fires"
    assert driver.open_steps() == ["read_reply"] and driver.data()["reply"] == "documents attached"
    driver.complete("read_reply")
    assert driver.instance().end_event == "end_replied"


def test_event_based_gateway_timer_side_cancels_the_message(driver: Driver) -> None:
    driver.deploy("event_based_gateway.bpmn")
    driver.start("event_gateway")
    assert driver.advance(days=1) == 0, "not due yet"
    assert driver.advance(days=1, seconds=1) == 1
    assert driver.open_steps() == ["close_unanswered"]
    assert driver.timers() == [("bpmn", "fired")]
    with pytest.raises(MessageNotExpected):
        driver.message("applicant_replied")
    driver.complete("close_unanswered")
    assert driver.instance().end_event == "end_timed_out"


def test_signal_from_outside_reaches_every_waiting_instance(driver: Driver) -> None:
    driver.deploy("signal_catch.bpmn")
    driver.deploy("message_catch.bpmn")
    driver.start("signal_catch", {"n": 1}, business_key="S-1")
    driver.start("signal_catch", {"n": 2}, business_key="S-2")
    driver.start("message_catch", business_key="M-1")
    assert driver.signal("budget_released", {"budget_head": "2851"}) == 2
    for key, n in (("S-1", 1), ("S-2", 2)):
        assert driver.open_steps(key) == ["disburse"]
        assert driver.data(key)["budget_head"] == "2851" and driver.data(key)["n"] == n
    assert driver.open_steps("M-1") == []
    assert driver.signal("budget_released") == 0, "nobody waits any more"
    driver.business_key = "S-1"
    assert [e.payload["signal"] for e in driver.events("signal_received")] == ["budget_released"]


def test_service_task_runs_a_registered_operator(driver: Driver) -> None:
    driver.deploy("service_task.bpmn")
    # Tue 8 .. Mon 14 July 2025: Saturday the 12th is the second Saturday, the 13th a Sunday.
    driver.start("service_task", {"received_on": "2025-07-07", "decided_on": "2025-07-14"})
    assert driver.open_steps() == ["review"]
    assert driver.data()["days_taken"] == 5


def test_service_task_failure_is_a_plain_engine_error_and_stores_nothing(driver: Driver) -> None:
    driver.deploy("service_task.bpmn")
    with pytest.raises(ScriptError, match="'start' is not a date"):
        driver.start("service_task", {"received_on": "soon", "decided_on": "2025-07-14"})
    with driver.uow() as uow:
        assert not uow.instances.exists("C-1")


def test_service_task_with_an_unknown_operator_is_refused_at_deploy(driver: Driver) -> None:
    with pytest.raises(DefinitionInvalid) as refused:
        driver.deploy("service_task.bpmn", replace={'id="working_days"': 'id="send_sms"'})
    (problem,) = refused.value.problems
    assert problem.element_id == "count" and "send_sms" in problem.message
    assert "working_days" in problem.message and "notify_applicant" in problem.message


def test_messages_and_signals_reach_a_separately_deployed_called_process(driver: Driver) -> None:
    # The called process 'inspection' waits for a signal, then for a message; the caller has neither.
    driver.deploy("signal_catch.bpmn", replace={'id="signal_catch"': 'id="inspection"'})
    driver.deploy("call_activity_caller.bpmn")
    driver.start("caller", {"n": 7})
    driver.complete("prepare")
    assert driver.signal("budget_released", {"head": "2851"}) == 1
    assert driver.open_steps() == ["disburse"] and driver.data()["head"] == "2851"
    driver.complete("disburse")
    assert driver.open_steps() == ["decide"] and driver.data()["n"] == 7
    driver.deploy(  # version 2: another model under the same id, so the replacement is confirmed (D33)
        "message_catch.bpmn", replace={'id="message_catch"': 'id="inspection"'}, confirm_replace=True
    )
    driver.start("caller", business_key="C-2")
    driver.complete("prepare")
    driver.message("loan_sanctioned", {"loan_amount": 1})
    assert driver.open_steps() == ["release"] and driver.data()["loan_amount"] == 1


def test_service_task_without_an_operator_is_refused_at_deploy(driver: Driver) -> None:
    text = (MODELS / "service_task.bpmn").read_text()
    text = re.sub(r"<bpmn:extensionElements>.*</bpmn:extensionElements>", "", text, flags=re.S)
    with pytest.raises(DefinitionInvalid) as refused, driver.uow() as uow:
        deploy(uow, {"service_task.bpmn": text.encode()}, actor="admin")
    (problem,) = refused.value.problems
    assert problem.element_id == "count" and problem.element_name == "Working days taken"
    assert problem.message == "The service task names no operator; choose one of: notify_applicant, working_days."
