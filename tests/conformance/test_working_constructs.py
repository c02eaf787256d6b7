"""The constructs that worked before issue 12 keep working, each step from a fresh Runtime."""

from __future__ import annotations

import pytest

from tests.conformance.conftest import Driver


@pytest.mark.parametrize("amount, path", [(5_000_000, "committee"), (50_000, "officer")])
def test_exclusive_gateway_with_default(driver: Driver, amount: int, path: str) -> None:
    driver.deploy("exclusive_gateway_default.bpmn")
    driver.start("exclusive_default", {"amount": amount})
    assert driver.open_steps() == [path]
    driver.complete(path)
    assert driver.steps() == [(path, "completed")] and driver.instance().status == "completed"


def test_parallel_gateway(driver: Driver) -> None:
    driver.deploy("parallel_gateway.bpmn")
    driver.start("parallel")
    assert driver.open_steps() == ["bank_check", "site_visit"]
    driver.complete("site_visit", {"visited": True})
    assert driver.open_steps() == ["bank_check"], "the join waits for both branches"
    driver.complete("bank_check", {"loan_ok": True})
    assert driver.open_steps() == ["decide"]
    data = driver.data()
    assert data["visited"] is True and data["loan_ok"] is True


@pytest.mark.parametrize(
    "data, branches",
    [({"needs_site_visit": True, "loan": 10}, ["bank_check", "site_visit"]),
     ({"needs_site_visit": False, "loan": 10}, ["bank_check"]),
     ({"needs_site_visit": False, "loan": 0}, ["basic_check"])],
)
def test_inclusive_gateway(driver: Driver, data: dict, branches: list[str]) -> None:
    driver.deploy("inclusive_gateway.bpmn")
    driver.start("inclusive", data)
    assert driver.open_steps() == branches
    for step in branches:
        driver.complete(step)
    assert driver.open_steps() == ["decide"]


def test_timer_catch(driver: Driver) -> None:
    driver.deploy("timer_catch.bpmn")
    driver.start("timer_catch", {"x": 1})
    assert driver.open_steps() == [] and driver.timers() == [("bpmn", "pending")]
    assert driver.advance(minutes=59) == 0
    assert driver.advance(minutes=1, seconds=1) == 1
    assert driver.open_steps() == ["review"] and driver.data()["x"] == 1


def test_timer_boundary_interrupting(driver: Driver) -> None:
    driver.deploy("timer_boundary_interrupting.bpmn")
    driver.start("timer_boundary_interrupting")
    assert driver.advance(hours=2, seconds=1) == 1
    assert driver.steps() == [("review", "cancelled"), ("chase", "ready")]
    driver.complete("chase")
    assert driver.instance().end_event == "end_chased"


def test_timer_boundary_non_interrupting(driver: Driver) -> None:
    driver.deploy("timer_boundary_non_interrupting.bpmn")
    driver.start("timer_boundary_non_interrupting")
    assert driver.advance(hours=2, seconds=1) == 1
    assert driver.open_steps() == ["chase", "review"], "the step stays open beside the new one"
    driver.complete("review")
    driver.complete("chase")
    assert driver.instance().status == "completed"


def test_timer_boundary_cancelled_when_the_step_completes(driver: Driver) -> None:
    driver.deploy("timer_boundary_interrupting.bpmn")
    driver.start("timer_boundary_interrupting")
    driver.complete("review")
    assert driver.timers() == [("bpmn", "cancelled")] and driver.instance().end_event == "end"


def test_internal_signal(driver: Driver) -> None:
    driver.deploy("internal_signal.bpmn")
    driver.start("internal_signal")
    assert driver.open_steps() == ["collect"]
    driver.complete("collect", {"documents": 3})
    assert driver.open_steps() == ["assess"]
    driver.complete("assess")
    assert driver.instance().status == "completed"


def test_multi_instance_parallel(driver: Driver) -> None:
    driver.deploy("multi_instance_parallel.bpmn")
    driver.start("multi_instance_parallel", {"members": ["a", "b", "c"]})
    rows = driver.task_rows()
    assert [r.bpmn_id for r in rows] == ["member_review"] * 3, "all three at once"
    for _ in range(3):
        driver.complete("member_review", {"vote": "aye"})
    data = driver.data()
    assert driver.instance().status == "completed" and data["votes"] == ["aye"] * 3 and data["ayes"] == 3


def test_multi_instance_sequential(driver: Driver) -> None:
    driver.deploy("multi_instance_sequential.bpmn")
    driver.start("multi_instance_sequential", {"members": ["a", "b", "c"]})
    for vote in ("aye", "no", "aye"):
        assert driver.open_steps() == ["member_review"], "one at a time"
        driver.complete("member_review", {"vote": vote})
    assert len(driver.task_rows()) == 3
    assert driver.data()["votes"] == ["aye", "no", "aye"] and driver.data()["ayes"] == 2


def test_loops(driver: Driver) -> None:
    driver.deploy("loop.bpmn")
    driver.start("loop", {"count": 0})
    assert driver.data()["count"] == 3, "the standard loop ran until its condition failed"
    driver.complete("review", {"outcome": "return"})
    driver.complete("review", {"outcome": "approve"})
    assert driver.steps() == [("review", "completed"), ("review", "completed")]
    assert driver.instance().status == "completed"


def test_script_task(driver: Driver) -> None:
    driver.deploy("script_task.bpmn")
    driver.start("script_task", {"cost": 3_000_000, "parts": ["b", "a"]})
    assert driver.instance().status == "completed"
    assert driver.data()["subsidy"] == 500_000 and driver.data()["items"] == ["a", "b"]


@pytest.mark.parametrize(
    "category, amount, unique, first, collect",
    [("SC", 10, 35, 35, [35]), ("GEN", 5000, 25, 25, [25, 15]), ("OBC", 10, None, None, [])],
)
def test_dmn_hit_policies(driver: Driver, category: str, amount: int, unique, first, collect) -> None:  # noqa: ANN001
    driver.deploy("dmn_hit_policies.bpmn", "rate_unique.dmn", "rate_first.dmn", "rate_collect.dmn")
    driver.start("dmn_hit_policies", {"category": category, "amount": amount})
    data = driver.data()
    assert (data.get("unique_rate"), data.get("first_rate")) == (unique, first)
    assert sorted(data.get("collect_rates", [])) == sorted(collect)


def test_manual_task(driver: Driver) -> None:
    driver.deploy("manual_task.bpmn")
    driver.start("manual_task")
    assert driver.open_steps() == ["hand_over"]
    driver.complete("hand_over")
    assert driver.instance().status == "completed"


def test_terminate_end_cancels_the_other_branch(driver: Driver) -> None:
    driver.deploy("terminate_end.bpmn")
    driver.start("terminate_end")
    assert driver.open_steps() == ["screen", "site_visit"]
    driver.complete("screen")
    assert driver.instance().end_event == "end_rejected"
    assert dict(driver.steps()) == {"screen": "completed", "site_visit": "cancelled"}
